"""Contacts, handoff requests and pending messages in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session

from bot.storage.db import insert_new, session_scope
from bot.storage.models import ContactRow, HandoffRow, PendingMessageRow


def now() -> dt.datetime:
    """The current time in UTC (stored times are always UTC)."""
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored time with its zone: SQLite hands back naive datetimes, always UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# Built once: every message runs it, and building costs more than running it.
_FIND = (
    select(ContactRow)
    .where(ContactRow.channel == bindparam("channel"), ContactRow.user_id == bindparam("user_id"))
    .with_for_update()
)


def find_contact(session: Session, channel: str, user_id: str) -> ContactRow | None:
    """The contact for a channel and user, locked for this transaction.

    PostgreSQL locks the row (``FOR UPDATE``); SQLite's write transaction
    holds the database's one write lock already (see ``bot.storage.db``).
    """
    return session.scalars(_FIND, {"channel": channel, "user_id": user_id}).first()


def contact_for(
    session: Session, channel: str, user_id: str, language: Callable[[], str]
) -> tuple[ContactRow, bool]:
    """The texter's contact, locked for this transaction, and whether it is new.

    A new texter's first two messages may arrive at once on two workers: the
    insert does nothing when the other one got there first (on PostgreSQL it
    waits for that one to commit), and both go on with the one row.
    """
    contact = find_contact(session, channel, user_id)
    if contact is not None:
        return contact, False
    stamp = now()
    values = {"channel": channel, "user_id": user_id, "language": language(), "created_at": stamp,
              "last_seen_at": stamp, "last_results": [], "last_query": ""}  # fmt: skip
    created = insert_new(session, ContactRow, values, ["channel", "user_id"]) is not None
    contact = find_contact(session, channel, user_id)
    assert contact is not None
    return contact, created


def create_contact(session: Session, channel: str, user_id: str, language: str) -> ContactRow:
    """A new contact, first seen now."""
    stamp = now()
    contact = ContactRow(
        channel=channel, user_id=user_id, language=language, created_at=stamp, last_seen_at=stamp,
        last_results=[], page=0, awaiting="", asked_zip=False, opted_out=False, handoff_open=False,
        last_query="",
    )  # fmt: skip
    session.add(contact)
    session.flush()
    return contact


URGENT = 1  # handoff priority of a crisis: the top of the navigators' queue


def open_handoff(session: Session, contact: ContactRow, *, urgent: bool = False) -> bool:
    """Record a request for a person; False when one is already open (it may turn urgent)."""
    existing = session.scalars(
        select(HandoffRow).where(HandoffRow.contact_id == contact.id, HandoffRow.status == "open")
    ).first()
    contact.handoff_open = True
    if existing is not None:
        if urgent:
            existing.priority = URGENT
        return False
    priority = URGENT if urgent else 0
    session.add(
        HandoffRow(contact_id=contact.id, status="open", priority=priority, requested_at=now())
    )
    return True


def queue_message(session: Session, contact: ContactRow, body: str) -> None:
    """Keep a message for a texter until their channel can deliver it."""
    session.add(PendingMessageRow(contact_id=contact.id, body=body, created_at=now()))


def take_pending(session: Session, contact: ContactRow) -> list[str]:
    """Messages waiting for a texter, oldest first, marked delivered."""
    rows = session.scalars(
        select(PendingMessageRow)
        .where(PendingMessageRow.contact_id == contact.id, PendingMessageRow.delivered_at.is_(None))
        .order_by(PendingMessageRow.id)
    ).all()
    stamp = now()
    for row in rows:
        row.delivered_at = stamp
    return [row.body for row in rows]


def mark_stopped(engine: Engine, channel: str, user_id: str) -> None:
    """Stop a contact (blocked the bot, opted out at the carrier)."""
    with session_scope(engine) as session:
        contact = find_contact(session, channel, user_id)
        if contact is not None:
            contact.opted_out = True
