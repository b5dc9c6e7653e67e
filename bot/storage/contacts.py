"""Contacts, handoff requests and pending messages in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.storage.db import insert_new
from bot.storage.models import ContactRow, HandoffRow, PendingMessageRow
from bot.storage.vault import vault_of


def now() -> dt.datetime:
    """The current time in UTC (stored times are always UTC)."""
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored time with its zone: SQLite hands back naive datetimes, always UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# Built once: every message runs it, and building costs more than running it.
_FIND = (
    select(ContactRow)
    .where(ContactRow.channel == bindparam("channel"), ContactRow.user_hash == bindparam("hash"))
    .with_for_update()
)


def find_contact(session: Session, channel: str, user_id: str) -> ContactRow | None:
    """The contact for a channel and user, locked for this transaction.

    Found by the keyed hash of the number, never the number. PostgreSQL locks
    the row (``FOR UPDATE``); SQLite's write transaction holds the database's
    one write lock already (see ``bot.storage.db``). A texter who erased their
    data but kept their opt-out has a row with the hash only, so their number
    is sealed again here, where we have it, for replies to reach them.
    """
    vault = vault_of(session)
    params = {"channel": channel, "hash": vault.lookup(channel, user_id)}
    contact = session.scalars(_FIND, params).first()
    if contact is not None and not contact.user_sealed:
        contact.user_sealed = vault.seal(user_id)
    return contact


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
    vault = vault_of(session)
    values = {
        "channel": channel,
        "user_hash": vault.lookup(channel, user_id),
        "user_sealed": vault.seal(user_id),
        "language": language(),
        "created_at": stamp,
        "last_seen_at": stamp,
        "last_results": [],
        "last_query_sealed": "",
        "location_sealed": "",
        "thread_sealed": "",
    }
    created = insert_new(session, ContactRow, values, ["channel", "user_hash"]) is not None
    contact = find_contact(session, channel, user_id)
    assert contact is not None
    return contact, created


URGENT = 1  # handoff priority of a crisis: the top of the navigators' queue
# The handoff ``crisis`` mark of a check-in: a hopeless or unclear text (the concern level).
# Its priority stays 0, and the queue shows it right below the urgent ones.
CHECK_IN = "concern"


def open_handoff(
    session: Session, contact: ContactRow, *, urgent: bool = False, crisis: str | None = None
) -> bool:
    """Record a request for a person; False when one is already open (it may turn urgent)."""
    existing = current_handoff(session, contact)
    contact.handoff_open = True
    if existing is not None:
        if urgent:
            existing.priority = URGENT
            existing.crisis = crisis or existing.crisis
        return False
    priority = URGENT if urgent else 0
    session.add(
        HandoffRow(
            contact_id=contact.id,
            status="open",
            priority=priority,
            crisis=crisis,
            requested_at=now(),
        )
    )
    return True


def open_check_in(session: Session, contact: ContactRow) -> bool:
    """Queue a check-in for a person, leaving the texter with the bot; False if one was open.

    An open request keeps its place and becomes a check-in unless it is urgent
    already or has a crisis mark; the texter's own state (with the bot, or with
    a navigator) does not change.
    """
    existing = current_handoff(session, contact)
    if existing is not None:
        if existing.priority < URGENT and not existing.crisis:
            existing.crisis = CHECK_IN
        return False
    session.add(
        HandoffRow(
            contact_id=contact.id, status="open", priority=0, crisis=CHECK_IN, requested_at=now()
        )
    )
    return True


def current_handoff(session: Session, contact: ContactRow) -> HandoffRow | None:
    """The contact's open handoff request, if any."""
    return session.scalars(
        select(HandoffRow).where(HandoffRow.contact_id == contact.id, HandoffRow.status == "open")
    ).first()


def queue_message(session: Session, contact: ContactRow, body: str) -> None:
    """Keep a message for a texter until their channel can deliver it."""
    sealed = vault_of(session).seal(body)
    session.add(PendingMessageRow(contact_id=contact.id, body=sealed, created_at=now()))


def keep_for_texter(session: Session, contact_id: int, body: str) -> bool:
    """Keep a message for a console texter's next chat; False if they are gone or stopped."""
    contact = session.get(ContactRow, contact_id)
    if contact is None or contact.opted_out:
        return False
    queue_message(session, contact, body)
    return True


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
    vault = vault_of(session)
    return [vault.open(row.body) for row in rows]
