"""The texter's rights: PRIVACY says what is kept, DELETE erases it, retention purges it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.storage.contacts import find_contact
from bot.storage.db import session_scope
from bot.storage.models import (
    ContactRow,
    HandoffRow,
    InboundRow,
    MessageRow,
    OutboxRow,
)
from bot.storage.outbox import enqueue
from bot.storage.retention import claim_daily, purge
from tests.conftest import SAMPLE_DIRECTORY
from tests.conversation_helpers import check_sms_rules, verify_dialog
from tests.storage_helpers import usage_counts

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


@pytest.fixture
def runtime(database_url: str) -> Runtime:
    return open_runtime(Settings(database_url, SAMPLE_DIRECTORY, "WARNING", retention_days=30))


def _conversation(runtime: Runtime, clock: Callable[[], dt.datetime] | None = None) -> Conversation:
    if clock is None:
        return Conversation(runtime.engine, runtime.search, runtime.settings)
    return Conversation(runtime.engine, runtime.search, runtime.settings, clock=clock)


def _rows(runtime: Runtime, table: type) -> int:
    with session_scope(runtime.engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_welcome_and_help_point_to_the_privacy_note(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime), "p1", [("hi", ["PRIVACY"]), ("help", ["PRIVACY", "DELETE"])]
    )
    verify_dialog(_conversation(runtime), "p2", [("hola", ["PRIVACIDAD"]), ("ayuda", ["BORRAR"])])


def test_the_privacy_note_says_what_is_kept_for_how_long_and_who_sees_it(
    runtime: Runtime,
) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "p3",
        [
            ("hi", ["Welcome"]),
            ("PRIVACY", ["30 days", "navigators", "DELETE", "encrypted"]),
            ("privacidad", ["30 dias", "navegadores", "BORRAR"]),
        ],
    )
    assert [t.intent for t in turns[1:]] == ["privacy", "privacy"]
    for turn in turns:
        check_sms_rules(turn)


def test_delete_asks_first_then_erases_everything(runtime: Runtime) -> None:
    conversation = _conversation(runtime)
    verify_dialog(
        conversation,
        "+15105550111",
        [
            ("shelter tonight 94607", ["Reply a number"]),
            ("talk to someone", ["navigator"]),
            ("DELETE", ["Reply YES"]),
            ("yes", ["Your data is erased"]),
        ],
    )
    for table in (ContactRow, MessageRow, HandoffRow):
        assert _rows(runtime, table) == 0, table
    counts = {(c["metric"], c["key"]) for c in _counts(runtime)}
    assert ("search", "housing") in counts  # the counts outlive the person
    assert ("handoff", "normal") in counts
    after = conversation.handle(InboundMessage("test", "+15105550111", "hi"))
    assert after.intent == "welcome"  # a stranger again


def test_anything_but_yes_keeps_the_data_and_is_answered(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "p4",
        [
            ("food 94601", ["Reply a number"]),
            ("borrar", ["Responda SI"]),
            ("comida", ["no se borro nada"]),
            ("MORE", ["4."]),
        ],
    )
    assert _rows(runtime, ContactRow) == 1
    assert _rows(runtime, MessageRow) > 4


def test_an_erased_texter_who_had_opted_out_stays_opted_out(runtime: Runtime) -> None:
    conversation = _conversation(runtime)
    verify_dialog(
        conversation,
        "p5",
        [
            ("food 94601", ["Reply a number"]),
            ("STOP", ["no more messages"]),
            ("delete my data", ["Reply YES"]),
            ("YES", ["STOP still holds"]),
        ],
    )
    with session_scope(runtime.engine) as session:
        contact = session.scalars(select(ContactRow)).one()
        assert contact.opted_out
        assert contact.user_sealed == contact.last_query_sealed == ""
        assert contact.last_results == []
    assert _rows(runtime, MessageRow) == 0
    silenced = conversation.handle(InboundMessage("test", "p5", "food"))
    assert silenced.replies == []
    assert conversation.handle(InboundMessage("test", "p5", "START")).intent == "start"


def test_purge_deletes_old_talk_and_keeps_every_count(runtime: Runtime) -> None:
    then = dt.datetime(2026, 8, 3, 15, 0, tzinfo=dt.UTC)
    old = _conversation(runtime, clock=lambda: then)
    for user in ("old-1", "old-2"):
        old.handle(InboundMessage("test", user, "shelter tonight 94607"))
    old.handle(InboundMessage("test", "old-2", "talk to someone"))
    old.handle(InboundMessage("test", "old-3", "food 94601"))
    old.handle(InboundMessage("test", "old-3", "stop"))
    recent = _conversation(runtime)
    recent.handle(InboundMessage("test", "new-1", "need a job 94612"))
    _age_rows(runtime, then)
    counted_before = _counts(runtime)

    report = purge(runtime.engine, 30)
    assert report.contacts == 2  # old-1 and old-3; old-2 still waits for a navigator
    assert report.inbound == 0
    with session_scope(runtime.engine) as session:
        users = {c.user_id for c in session.scalars(select(ContactRow))}
        assert users == {"old-2", "new-1", ""}  # "" is old-3's opt-out, kept as a hash only
        assert {m.intent for m in session.scalars(select(MessageRow))} <= {"search"}
        assert session.scalars(select(HandoffRow)).one().status == "open"
    assert _counts(runtime) == counted_before  # counted when it happened, kept by the purge
    counts = {(c["month"], c["metric"], c["key"], c["zip"]): c["count"] for c in counted_before}
    assert counts[("2026-08", "search", "housing", "94607")] == 2
    assert counts[("2026-08", "search", "food", "94601")] == 1
    assert counts[("2026-08", "handoff", "normal", "")] == 1
    this_month = dt.datetime.now(ZoneInfo("America/Los_Angeles")).strftime("%Y-%m")
    assert counts[(this_month, "search", "jobs", "94612")] == 1
    assert report.counted == report.messages + report.handoffs
    again = purge(runtime.engine, 30)
    assert again.messages == 0
    assert again.counted == 0


def _age_rows(runtime: Runtime, then: dt.datetime) -> None:
    """Give the old texters' rows their old dates (the core stamps real time)."""
    with session_scope(runtime.engine) as session:
        for contact in session.scalars(select(ContactRow)):
            if contact.user_id.startswith("old"):
                for row in session.scalars(
                    select(MessageRow).where(MessageRow.contact_id == contact.id)
                ):
                    row.created_at = then
                for handoff in session.scalars(
                    select(HandoffRow).where(HandoffRow.contact_id == contact.id)
                ):
                    handoff.requested_at = then


def test_purge_forgets_old_webhook_records_and_sent_messages(runtime: Runtime) -> None:
    conversation = _conversation(runtime)
    conversation.handle(InboundMessage("test", "w1", "food 94601"))
    with session_scope(runtime.engine) as session:
        contact = find_contact(session, "test", "w1")
        assert contact is not None
        enqueue(session, contact, "hello from a navigator")
        row = session.scalars(select(OutboxRow)).one()
        row.status = "delivered"
        session.add(
            InboundRow(
                channel="sms",
                external_id="SM1",
                status="done",
                replies_sealed="",
                received_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            )
        )
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    report = purge(runtime.engine, 30, at=later)
    assert (report.outbox, report.inbound, report.contacts) == (1, 1, 1)


def test_one_worker_of_many_runs_the_daily_purge(runtime: Runtime) -> None:
    day = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
    assert claim_daily(runtime.engine, "purge", day)
    assert not claim_daily(runtime.engine, "purge", day + dt.timedelta(hours=1))
    assert claim_daily(runtime.engine, "purge", day + dt.timedelta(days=1))


def test_purge_command_reports_counts(run_cli: Run) -> None:
    assert run_cli("chat", "--user", "c1", stdin="food 94601\n").returncode == 0
    result = run_cli("purge", "--days", "1", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["retention_days"] == 1
    assert report["messages"] == 0  # nothing is a day old yet
    plain = run_cli("purge")
    assert "older than 90 days" in plain.stdout
    assert run_cli("purge", "--days", "0").returncode == 2


def _counts(runtime: Runtime) -> list[dict[str, object]]:
    with session_scope(runtime.engine) as session:
        return usage_counts(session)
