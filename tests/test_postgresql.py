"""What only PostgreSQL does: explicit upgrades, and outbox claims that skip locked rows."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.storage import outbox
from bot.storage.db import make_engine, session_scope
from bot.storage.models import OutboxRow
from bot.storage.schema import head_revision
from tests.conftest import Run
from tests.postgres_server import PostgresServer
from tests.storage_helpers import create_contact, outbox_status

pytestmark = pytest.mark.postgresql_only("PostgreSQL behaviour")


@pytest.fixture
def empty_database(postgres: PostgresServer) -> Iterator[str]:
    """A database with no tables at all, as `createdb` leaves it."""
    url = postgres.create_database("empty_for_upgrade")
    yield url
    postgres.drop_database("empty_for_upgrade")


def test_a_database_behind_the_migrations_is_refused_until_db_upgrade(
    run_cli: Run, empty_database: str
) -> None:
    env = {"HOMEWARD_DATABASE_URL": empty_database}
    refused = run_cli("search", "food", env=env)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "homeward: cannot use the database in HOMEWARD_DATABASE_URL: "
        "the database schema is not current: run `homeward db upgrade`"
    )
    upgraded = run_cli("db", "upgrade", env=env)
    assert upgraded.stdout.strip() == f"{head_revision()} (newest: {head_revision()})"
    assert run_cli("search", "food", env=env).returncode == 0


def test_outbox_claims_skip_rows_another_worker_is_claiming(database_url: str) -> None:
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        contact = create_contact(session, "sms", "+15105559100", "en")
        ids = [outbox.enqueue(session, contact, f"note {n}") for n in range(4)]
    claimed: list[list[int]] = []
    with session_scope(engine) as holder:
        # Another worker is in the middle of claiming the two oldest messages.
        holder.scalars(
            select(OutboxRow.id).where(OutboxRow.id.in_(ids[:2])).with_for_update()
        ).all()
        other = threading.Thread(
            target=lambda: claimed.append([j.id for j in outbox.claim_batch(engine, ("sms",), 10)])
        )
        other.start()
        other.join(10)
        assert not other.is_alive(), "the claim waited for the locked rows"
    assert claimed == [ids[2:]]
    assert [outbox_status(engine, i)[0] for i in ids] == ["pending"] * 2 + ["sending"] * 2


def test_a_database_restart_costs_no_message(database_url: str, postgres: PostgresServer) -> None:
    from sqlalchemy.engine import make_url

    from bot.conversation.core import Conversation
    from bot.conversation.message import InboundMessage
    from bot.runtime import open_runtime
    from bot.settings import Settings
    from tests.conftest import SAMPLE_DIRECTORY

    runtime = open_runtime(Settings(database_url, SAMPLE_DIRECTORY, "WARNING"))
    conversation = Conversation(runtime.engine, runtime.search, runtime.settings)
    conversation.handle(InboundMessage("sms", "+15105559200", "hi", kind="sms"))
    # What a restart or failover does to the pooled connections: the server ends them.
    name = make_url(database_url).database
    postgres.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )
    turn = conversation.handle(InboundMessage("sms", "+15105559200", "food 94601", kind="sms"))
    assert turn.intent == "search"
