"""The outbox: messages accepted for sending outside a webhook, and their fate.

States: pending -> sending (claimed by one worker) -> sent, then Twilio's
delivery statuses; or failed / skipped. Claims take rows with ``FOR UPDATE
SKIP LOCKED`` on PostgreSQL and are a compare-and-set on the status
(``UPDATE ... WHERE status = 'pending'``) on both databases, so several
workers never claim one message twice. A worker that stops releases what it
claimed and did not try.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc, now
from bot.storage.db import session_scope
from bot.storage.models import ContactRow, OutboxRow
from bot.storage.usage import count
from bot.storage.vault import vault_of

# Twilio's message statuses.
DELIVERY_STATUSES = (
    "accepted",
    "queued",
    "sending",
    "sent",
    "delivered",
    "undelivered",
    "failed",
    "read",
    "receiving",
    "received",
    "scheduled",
    "canceled",
)


@dataclass(frozen=True)
class OutboxJob:
    """A claimed message with what the sender needs to know about its texter."""

    id: int
    channel: str
    user_id: str
    body: str
    attempts: int
    opted_out: bool
    last_seen_at: dt.datetime
    created_at: dt.datetime
    contact_id: int
    template_sid: str = ""  # an approved WhatsApp template, outside the 24-hour window
    unsure: bool = False  # the provider may already have it: look before sending


def enqueue(session: Session, contact: ContactRow, body: str, *, template_sid: str = "") -> int:
    """Accept a message for sending; returns its outbox id.

    ``template_sid``: send it as this approved WhatsApp template (its one
    variable holds ``body``), as WhatsApp requires outside its 24-hour window.
    """
    stamp = now()
    sealed = vault_of(session).seal(body)
    row = OutboxRow(
        contact_id=contact.id,
        body=sealed,
        status="pending",
        attempts=0,
        error="",
        next_attempt_at=stamp,
        created_at=stamp,
        updated_at=stamp,
        template_sid=template_sid,
    )
    session.add(row)
    session.flush()
    return row.id


def claim_batch(engine: Engine, channels: tuple[str, ...], limit: int) -> list[OutboxJob]:
    """Claim up to ``limit`` due messages on these channels, oldest first.

    PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` hands each worker rows no
    other worker is claiming, without waiting. SQLite ignores the row lock; its
    write transaction is serial (``BEGIN IMMEDIATE``), and the update stays a
    compare-and-set on the status either way, so a row is never claimed twice.
    """
    stamp = now()
    with session_scope(engine) as session:
        due = session.scalars(
            select(OutboxRow.id)
            .join(ContactRow, ContactRow.id == OutboxRow.contact_id)
            .where(
                OutboxRow.status == "pending",
                OutboxRow.next_attempt_at <= stamp,
                ContactRow.channel.in_(channels),
            )
            .order_by(OutboxRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=OutboxRow)
        ).all()
        if not due:
            return []
        claimed = session.scalars(
            update(OutboxRow)
            .where(OutboxRow.id.in_(due), OutboxRow.status == "pending")
            .values(
                status="sending",
                claimed_at=stamp,
                attempts=OutboxRow.attempts + 1,
                updated_at=stamp,
            )
            .returning(OutboxRow.id)
        ).all()
        return [_job(session, outbox_id) for outbox_id in sorted(claimed)]


def release(engine: Engine, outbox_ids: list[int]) -> None:
    """Give back claimed messages that were not tried (the worker is stopping)."""
    if not outbox_ids:
        return
    with session_scope(engine) as session:
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(outbox_ids), OutboxRow.status == "sending")
            .values(
                status="pending",
                claimed_at=None,
                attempts=OutboxRow.attempts - 1,
                updated_at=now(),
            )
        )


def _job(session: Session, outbox_id: int) -> OutboxJob:
    row = session.get(OutboxRow, outbox_id)
    assert row is not None
    contact = session.get(ContactRow, row.contact_id)
    assert contact is not None
    return OutboxJob(
        id=row.id,
        channel=contact.channel,
        user_id=contact.user_id,
        body=vault_of(session).open(row.body),
        attempts=row.attempts,
        opted_out=contact.opted_out,
        last_seen_at=as_utc(contact.last_seen_at),
        created_at=as_utc(row.created_at),
        contact_id=contact.id,
        template_sid=row.template_sid or "",
        unsure=bool(row.unsure),
    )


def mark_sent(
    engine: Engine, outbox_id: int, provider_id: str, status: str, *, segments: int = 0
) -> None:
    """The provider accepted the message; ``segments`` SMS segments are counted as sent."""
    with session_scope(engine) as session:
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == outbox_id)
            .values(
                updated_at=now(),
                status=status if status in DELIVERY_STATUSES else "sent",
                provider_id=provider_id[:100],
                unsure=False,
            )
        )
        count(session, "segments", now(), segments, key="outbox", channel="sms")


def retry_later(
    engine: Engine, outbox_id: int, delay: dt.timedelta, error: str, *, unsure: bool = False
) -> None:
    """A passing failure (429, 5xx, no connection): back to pending after ``delay``.

    ``unsure``: the provider may have taken it; the next try looks it up first.
    """
    _set(
        engine,
        outbox_id,
        status="pending",
        next_attempt_at=now() + delay,
        claimed_at=None,
        error=error[:200],
        unsure=unsure,
    )


def fail(engine: Engine, outbox_id: int, error: str, *, stop_contact: bool = False) -> None:
    """A permanent failure; ``stop_contact`` marks the texter stopped (carrier opt-out)."""
    with session_scope(engine) as session:
        row = session.get(OutboxRow, outbox_id)
        if row is None:
            return
        row.status, row.error, row.updated_at = "failed", error[:200], now()
        if stop_contact:
            contact = session.get(ContactRow, row.contact_id)
            if contact is not None:
                contact.opted_out = True


def skip(engine: Engine, outbox_id: int, reason: str) -> None:
    """Not sent on purpose (opted out, outside the WhatsApp window)."""
    _set(engine, outbox_id, status="skipped", error=reason[:200])


def take_stale_claims(engine: Engine, older_than: dt.timedelta) -> list[int]:
    """Claims left by a worker that died, taken over for the caller to reconcile.

    Taking one renews its claim time in a compare-and-set, so when two workers
    recover at once only one of them reconciles each message.
    """
    stamp = now()
    cutoff = stamp - older_than
    with session_scope(engine) as session:
        stale = session.scalars(
            select(OutboxRow.id)
            .where(OutboxRow.status == "sending", OutboxRow.claimed_at <= cutoff)
            .with_for_update(skip_locked=True)
        ).all()
        if not stale:
            return []
        return sorted(
            session.scalars(
                update(OutboxRow)
                .where(
                    OutboxRow.id.in_(stale),
                    OutboxRow.status == "sending",
                    OutboxRow.claimed_at <= cutoff,
                )
                .values(claimed_at=stamp, updated_at=stamp)
                .returning(OutboxRow.id)
            ).all()
        )


def _set(engine: Engine, outbox_id: int, **values: object) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(OutboxRow).where(OutboxRow.id == outbox_id).values(updated_at=now(), **values)
        )


def record_status(engine: Engine, provider_id: str, status: str) -> bool:
    """Record a delivery status callback; False when no outbox message has that id."""
    if status not in DELIVERY_STATUSES:
        return False
    with session_scope(engine) as session:
        row = session.scalars(select(OutboxRow).where(OutboxRow.provider_id == provider_id)).first()
        if row is None:
            return False
        row.status = status
        row.updated_at = now()
        return True


def job_for(engine: Engine, outbox_id: int) -> OutboxJob:
    """The job of one outbox message, whatever its state."""
    with session_scope(engine) as session:
        return _job(session, outbox_id)
