"""Retention: transcripts older than HOMEWARD_RETENTION_DAYS are deleted; their counts stay.

Everything the partner report shows was counted into ``usage_counts`` when it
happened (``bot.storage.usage``); the purge never deletes those rows, so a
report still covers the months it empties.

Run by `homeward purge` and once a day inside `homeward serve`; with several
workers a lease row (``job_runs``) lets exactly one of them run it each day.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.storage.care_models import FollowUpRow, ScheduledRow
from bot.storage.contacts import now
from bot.storage.db import checkpoint, session_scope
from bot.storage.erase import erase_contact
from bot.storage.models import (
    ContactRow,
    HandoffRow,
    InboundRow,
    JobRunRow,
    MessageRow,
    OutboxRow,
    PendingMessageRow,
)
from bot.storage.people import kept_contacts, purge_people
from bot.storage.rates import forget_old_windows
from bot.storage.reports import forget_old_report_words
from bot.storage.staff import ConsoleSessionRow, NoteRow
from bot.storage.throttle import forget_old_throttles

log = logging.getLogger(__name__)
IDEMPOTENCY_WINDOW = dt.timedelta(days=2)  # Twilio and Telegram retry within hours
MESSAGE_ID_DAYS = 30  # HOMEWARD_MESSAGE_ID_RETENTION_DAYS: replays are refused this long
OLD_CONSOLE_SESSION = dt.timedelta(days=1)  # past any console session's lifetime
FINISHED_OUTBOX = ("sent", "delivered", "undelivered", "failed", "skipped", "read", "canceled")


@dataclass(frozen=True)
class PurgeReport:
    """What one purge removed (counts only).

    ``counted``: the deleted messages and handoffs, which live on in the monthly
    counts (all of them: each was counted when it happened).
    """

    messages: int
    handoffs: int
    contacts: int
    outbox: int
    pending: int
    inbound: int
    counted: int
    notes: int = 0
    people: int = 0

    def as_dict(self) -> dict[str, int]:
        """For `homeward purge --json`."""
        return asdict(self)


def purge(
    engine: Engine,
    days: int,
    at: dt.datetime | None = None,
    *,
    message_id_days: int = MESSAGE_ID_DAYS,
) -> PurgeReport:
    """Delete everything older than ``days`` (one transaction); the monthly counts stay.

    Inbound message ids lose their sealed replies after 2 days but their hash
    stays ``message_id_days`` (never fewer than the 2 days), so a replayed
    webhook is still known.
    """
    stamp = at or now()
    cutoff = stamp - dt.timedelta(days=days)
    with session_scope(engine) as session:
        messages = _delete(session, MessageRow, MessageRow.created_at < cutoff)
        handoffs = _delete(
            session, HandoffRow, HandoffRow.status != "open", HandoffRow.requested_at < cutoff
        )
        outbox = _delete(
            session, OutboxRow, OutboxRow.updated_at < cutoff, OutboxRow.status.in_(FINISHED_OUTBOX)
        )
        pending = _delete(session, PendingMessageRow, PendingMessageRow.created_at < cutoff)
        session.execute(
            update(InboundRow)
            .where(
                InboundRow.received_at < stamp - IDEMPOTENCY_WINDOW, InboundRow.replies_sealed != ""
            )
            .values(replies_sealed="")
        )
        keep_ids = max(dt.timedelta(days=message_id_days), IDEMPOTENCY_WINDOW)
        inbound = _delete(session, InboundRow, InboundRow.received_at < stamp - keep_ids)
        forget_old_windows(session, stamp - dt.timedelta(days=1))
        forget_old_throttles(session, stamp)
        notes = _delete(session, NoteRow, NoteRow.created_at < cutoff)
        _delete(
            session, ConsoleSessionRow, ConsoleSessionRow.created_at < stamp - OLD_CONSOLE_SESSION
        )
        people = purge_people(session, cutoff)
        _delete(
            session, ScheduledRow, ScheduledRow.due_at < cutoff, ScheduledRow.status != "pending"
        )
        _delete(session, FollowUpRow, FollowUpRow.due_at < cutoff, FollowUpRow.status != "pending")
        forget_old_report_words(session, cutoff)
        contacts = _forget_quiet_contacts(session, cutoff)
    checkpoint(engine)  # the deleted pages leave SQLite's WAL too
    return PurgeReport(
        messages, handoffs, contacts, outbox, pending, inbound, messages + handoffs, notes, people
    )


def _delete(session: Session, table: type, *where: object) -> int:
    result = session.execute(delete(table).where(*where))  # type: ignore[arg-type]
    return int(result.rowcount)  # type: ignore[attr-defined]


def _forget_quiet_contacts(session: Session, cutoff: dt.datetime) -> int:
    """Texters not heard from within the retention period: erased (opt-outs kept as hashes)."""
    waiting = select(HandoffRow.id).where(
        HandoffRow.contact_id == ContactRow.id, HandoffRow.status == "open"
    )
    quiet = session.scalars(
        select(ContactRow).where(
            ContactRow.last_seen_at < cutoff,
            ContactRow.handoff_open.is_(False),
            ~waiting.exists(),  # back with the bot (MENU) but still in the queue
            ~kept_contacts(),  # a plan still needs the number (bot.storage.people)
            ContactRow.user_sealed != "",
        )
    ).all()
    for contact in quiet:
        erase_contact(session, contact)
    return len(quiet)


def claim_daily(engine: Engine, name: str, at: dt.datetime | None = None) -> bool:
    """True for the one worker that may run ``name`` now (at most once a day)."""
    stamp = at or now()
    try:
        with session_scope(engine) as session:
            if session.get(JobRunRow, name) is None:
                session.add(JobRunRow(name=name, last_run_at=stamp))
                return True
            result = session.execute(
                update(JobRunRow)
                .where(
                    JobRunRow.name == name,
                    JobRunRow.last_run_at <= stamp - dt.timedelta(hours=23),
                )
                .values(last_run_at=stamp)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]
    except (IntegrityError, OperationalError):  # another worker got there first
        return False


def run_daily_purge(
    engine: Engine,
    days: int,
    stop: threading.Event,
    clock: Callable[[], dt.datetime] = now,
    every: float = 3600.0,
    message_id_days: int = MESSAGE_ID_DAYS,
) -> None:
    """The job inside `homeward serve`: look every hour, purge once a day."""
    while not stop.is_set():
        try:
            if claim_daily(engine, "purge", clock()):
                report = purge(engine, days, clock(), message_id_days=message_id_days)
                log.info("daily purge: %s", report.as_dict())
        except Exception:  # must not take the server down; tomorrow's purge catches up
            log.exception("daily purge failed")
        stop.wait(every)
