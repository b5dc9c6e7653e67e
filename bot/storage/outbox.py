"""The outbox: messages accepted for sending, and their delivery status."""

from __future__ import annotations

from sqlalchemy import Engine, select

from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.models import OutboxRow

# Twilio's message statuses, in the order a message moves through them.
DELIVERY_STATUSES = ("accepted", "queued", "sending", "sent", "delivered", "undelivered", "failed",
                     "read", "receiving", "received", "scheduled", "canceled")  # fmt: skip


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
