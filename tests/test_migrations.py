"""The models and the migrations agree; the embedded default migrates itself."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
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


def test_db_commands_report_the_revision(run_cli: Run, tmp_path: Path) -> None:
    upgraded = run_cli("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    head = schema.head_revision()
    assert upgraded.stdout.strip() == f"{head} (newest: {head})"
    assert run_cli("db", "current").stdout.strip() == f"{head} (newest: {head})"


@pytest.mark.sqlite_only("SQLite turns foreign keys off while migrating, and on again")
def test_foreign_keys_are_enforced_again_after_sqlite_migrates(database_url: str) -> None:
    engine = make_engine(database_url)  # migrates on this connection, then hands it to the pool
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(HandoffRow(contact_id=999, status="open", priority=0, requested_at=now()))
