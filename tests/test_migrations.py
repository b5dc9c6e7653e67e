"""The models and the migrations agree; the embedded default migrates itself."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import IntegrityError

from bot.storage import schema
from bot.storage.contacts import now
from bot.storage.db import make_engine, session_scope
from bot.storage.models import Base, HandoffRow

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_autogenerate_finds_nothing_after_the_migrations(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_a_fresh_database_is_at_the_newest_revision(database_url: str) -> None:
    engine = make_engine(database_url)
    assert schema.current_revision(engine) == schema.head_revision()
    with engine.connect() as connection:
        by_alembic = MigrationContext.configure(connection).get_current_revision()
    assert by_alembic == ScriptDirectory.from_config(schema.alembic_config()).get_current_head()


def test_the_newest_revision_read_from_the_scripts_is_alembics() -> None:
    scripts = ScriptDirectory.from_config(schema.alembic_config())
    assert schema.head_revision() == scripts.get_current_head() is not None


def test_db_commands_report_the_revision(run_cli: Run, tmp_path: Path) -> None:
    upgraded = run_cli("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    head = schema.head_revision()
    assert upgraded.stdout.strip() == f"{head} (newest: {head})"
    assert run_cli("db", "current").stdout.strip() == f"{head} (newest: {head})"


@pytest.mark.sqlite_only("writes 0002 rows by hand in SQLite's dialect")
def test_migration_0003_keeps_open_requests_without_alerting_them_again(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine, select, text

    from bot.storage.db import session_scope
    from bot.storage.handoffs import claim_alerts
    from bot.storage.models import ContactRow, HandoffRow
    from bot.storage.vault import new_key

    key = new_key()
    engine = create_engine(database_url)
    config = schema.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["secret_keys"] = (key,)
        command.upgrade(config, "0002")
        connection.execute(
            text(
                "INSERT INTO contacts (id, channel, user_hash, user_sealed, language, "
                "location_sealed, last_query_sealed, last_results, page, awaiting, asked_zip, "
                "opted_out, handoff_open, created_at, last_seen_at, minute_count, day_count, "
                "limit_notice_sent) VALUES (1, 'sms', 'h', '', 'es', '', '', '[]', 0, '', 0, 0, 1, "
                "'2026-11-01 10:00:00', '2026-11-01 10:00:00', 0, 0, 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO handoffs (contact_id, status, priority, requested_at) "
                "VALUES (1, 'open', 1, '2026-11-01 10:00:00')"
            )
        )
    engine.dispose()
    upgraded = make_engine(database_url, (key,))
    assert schema.current_revision(upgraded) == schema.head_revision()
    with session_scope(upgraded) as session:
        handoff = session.scalars(select(HandoffRow)).one()
        assert handoff.alerted_at is not None
        assert handoff.alerted_urgent is True
        assert handoff.acknowledged is False
        assert handoff.assigned_to is None
        contact = session.scalars(select(ContactRow)).one()
        assert contact.first_name_sealed == ""
        assert contact.handoff_open is True
    assert claim_alerts(upgraded) == []  # announced before the upgrade, not again
    with upgraded.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    assert schema.current_revision(upgraded) == "0002"


@pytest.mark.sqlite_only("SQLite turns foreign keys off while migrating, and on again")
def test_foreign_keys_are_enforced_again_after_sqlite_migrates(database_url: str) -> None:
    engine = make_engine(database_url)  # migrates on this connection, then hands it to the pool
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(HandoffRow(contact_id=999, status="open", priority=0, requested_at=now()))
