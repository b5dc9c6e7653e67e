"""Per-person message counts, shared by every channel a person texts from.

One phone number is one person on SMS and on WhatsApp: the counts are kept
under the keyed hash of the number, not per channel, so switching apps does
not double the limit. Other channels count under their own id. The row is
locked for the message's transaction (``FOR UPDATE`` on PostgreSQL; SQLite's
write transaction is serial), after the contact row, always in that order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc
from bot.storage.counters import RateWindowRow
from bot.storage.vault import PHONE_CHANNELS

_FIND = select(RateWindowRow).where(RateWindowRow.person == bindparam("person")).with_for_update()


@dataclass(frozen=True)
class RateWindow:
    """A person's message counts this minute and this day (``bot.safety.limits`` reads them)."""

    minute_start: dt.datetime | None = None
    minute_count: int = 0
    day_start: dt.datetime | None = None
    day_count: int = 0
    notice_sent: bool = False


def person_key(channel: str, user_hash: str) -> str:
    """The key of a person's counts: phone channels share one per number."""
    family = "phone" if channel in PHONE_CHANNELS else channel
    return f"{family}:{user_hash}"


def open_rate(session: Session, person: str) -> RateWindow:
    """The person's counts, locked for this transaction (a new row when there is none)."""
    row = session.scalars(_FIND, {"person": person}).first()
    if row is None:
        module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(
            module.insert(RateWindowRow)
            .values(person=person, minute_count=0, day_count=0, notice_sent=False)
            .on_conflict_do_nothing(index_elements=["person"])
        )
        row = session.scalars(_FIND, {"person": person}).one()
    return RateWindow(
        as_utc(row.minute_start) if row.minute_start else None,
        row.minute_count or 0,
        as_utc(row.day_start) if row.day_start else None,
        row.day_count or 0,
        bool(row.notice_sent),
    )


def save_rate(session: Session, person: str, window: RateWindow) -> None:
    """Write the person's new counts (in the message's transaction)."""
    row = session.get(RateWindowRow, person)
    if row is None:
        row = RateWindowRow(person=person)
        session.add(row)
    row.minute_start, row.minute_count = window.minute_start, window.minute_count
    row.day_start, row.day_count = window.day_start, window.day_count
    row.notice_sent = window.notice_sent


def forget_old_windows(session: Session, before: dt.datetime) -> int:
    """Counts whose day ended before ``before`` (the purge): nothing left to limit."""
    result = session.execute(
        delete(RateWindowRow).where(
            (RateWindowRow.day_start < before) | RateWindowRow.day_start.is_(None)
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
