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
from typing import cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc
from bot.storage.counters import RateWindowRow
from bot.storage.vault import PHONE_CHANNELS

# Core statements built once (the webhook path runs them on every message; the
# ORM's unit of work would cost more than the statements themselves).
_TABLE = cast(Table, RateWindowRow.__table__)
_PERSON = _TABLE.c.person
_FIND = (
    select(
        _TABLE.c.minute_start,
        _TABLE.c.minute_count,
        _TABLE.c.day_start,
        _TABLE.c.day_count,
        _TABLE.c.notice_sent,
    )
    .where(bindparam("b_person") == _PERSON)
    .with_for_update()
)
_SAVE = (
    update(_TABLE)
    .where(bindparam("b_person") == _PERSON)
    .values(
        minute_start=bindparam("b_minute_start"),
        minute_count=bindparam("b_minute_count"),
        day_start=bindparam("b_day_start"),
        day_count=bindparam("b_day_count"),
        notice_sent=bindparam("b_notice_sent"),
    )
)
_NEW = {
    name: module.insert(_TABLE)
    .values(person=bindparam("b_person"), minute_count=0, day_count=0, notice_sent=False)
    .on_conflict_do_nothing(index_elements=["person"])
    for name, module in (("postgresql", postgresql), ("sqlite", sqlite))
}


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
    connection = session.connection()
    key = {"b_person": person}
    row = connection.execute(_FIND, key).first()
    if row is None:
        connection.execute(_NEW[connection.dialect.name], key)
        row = connection.execute(_FIND, key).one()
    minute_start, minute_count, day_start, day_count, notice_sent = row
    return RateWindow(
        as_utc(minute_start) if minute_start else None,
        minute_count or 0,
        as_utc(day_start) if day_start else None,
        day_count or 0,
        bool(notice_sent),
    )


def save_rate(session: Session, person: str, window: RateWindow) -> None:
    """Write the person's new counts (in the message's transaction; ``open_rate`` made the row)."""
    session.connection().execute(
        _SAVE,
        {
            "b_person": person,
            "b_minute_start": window.minute_start,
            "b_minute_count": window.minute_count,
            "b_day_start": window.day_start,
            "b_day_count": window.day_count,
            "b_notice_sent": window.notice_sent,
        },
    )


def forget_old_windows(session: Session, before: dt.datetime) -> int:
    """Counts whose day ended before ``before`` (the purge): nothing left to limit."""
    result = session.execute(
        delete(RateWindowRow).where(
            (RateWindowRow.day_start < before) | RateWindowRow.day_start.is_(None)
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
