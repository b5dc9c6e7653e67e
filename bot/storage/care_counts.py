"""Continuity of care in the partner report's monthly counts (``bot.storage.usage``).

Every care event is counted once as it is recorded; two waits are counted
once per person: from the release day to their first text after linking,
and to their first follow-up answered "I reached them" (the first confirmed
connection). The release day is opened from the sealed plan only to count
the days; no date, name or id goes into a count.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.care_models import PersonRow
from bot.storage.usage import count, day_bucket, local_date
from bot.storage.vault import vault_of


def count_event(session: Session, event: str, at: dt.datetime, values: dict[str, str]) -> None:
    """One care event: a follow-up's answer is its key, otherwise its kind."""
    key = values.get("answer", "") if event == "follow_up_answered" else values.get("kind", "")
    count(
        session,
        event,
        at,
        key=key,
        category=values.get("category", ""),
        service_id=values.get("service_id", ""),
    )


def count_days_to_first_text(session: Session, contact_id: int, at: dt.datetime) -> None:
    """A linked person's first text: days since their release day."""
    person = _person_of(session, contact_id)
    if person is not None:
        _count_days(session, "days_to_first_text", person, at)


def count_first_connection(session: Session, contact_id: int, at: dt.datetime) -> None:
    """A follow-up answered "I reached them": the person's first one counts its days."""
    person = _person_of(session, contact_id)
    if person is None or person.connected_at is not None:
        return
    person.connected_at = at
    _count_days(session, "days_to_connection", person, at)


def _person_of(session: Session, contact_id: int) -> PersonRow | None:
    return session.scalars(select(PersonRow).where(PersonRow.contact_id == contact_id)).first()


def _count_days(session: Session, metric: str, person: PersonRow, at: dt.datetime) -> None:
    opened = vault_of(session).open(person.release_date_sealed)
    try:
        released = dt.date.fromisoformat(opened)
    except ValueError:
        return  # no release day kept: nothing to count from
    days = (local_date(session, at) - released).days
    count(session, metric, at, key=str(day_bucket(days)))
