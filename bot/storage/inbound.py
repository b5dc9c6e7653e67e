"""Idempotency of inbound webhooks: each platform message id is processed once.

``Conversation.handle`` does a message's whole work in one transaction: claim
the message id (a unique row), answer it, store the replies, commit; only then
does the channel answer the platform.
A copy of the same message arriving at once on another worker waits on the
unique key (PostgreSQL) or on the write lock (SQLite) and then finds the stored
replies. A worker that dies mid-way leaves nothing behind (its transaction
rolls back), so a retry is processed afresh; a reply that got out with a 200
was always committed first.

Only a SHA-256 of the platform's id is kept. The sealed replies go after 2 days
(retries come within hours); the id's hash stays for
HOMEWARD_MESSAGE_ID_RETENTION_DAYS (30 by default), so a captured, validly
signed webhook replayed after the replies are gone is still a repeat: it gets
no answer and changes nothing (Twilio's signature carries no timestamp).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from bot.storage.contacts import now
from bot.storage.db import insert_new
from bot.storage.models import InboundRow
from bot.storage.vault import vault_of

# Built once (building costs more than running them): the webhook path runs these.
_MATCH = (
    InboundRow.channel == bindparam("b_channel"),
    InboundRow.external_id == bindparam("b_external_id"),
)
_REPLIES = select(InboundRow.replies_sealed).where(*_MATCH)
_FINISH = (
    update(InboundRow).where(*_MATCH).values(status="done", replies_sealed=bindparam("b_replies"))
)


def message_key(external_id: str) -> str:
    """What is kept of a platform's message id: its SHA-256 (no text, no number)."""
    return hashlib.sha256(external_id.encode()).hexdigest()


def _key(channel: str, external_id: str) -> dict[str, str]:
    return {"b_channel": channel, "b_external_id": message_key(external_id)}


def claim(session: Session, channel: str, external_id: str) -> tuple[str, ...] | None:
    """Claim a message id in the caller's transaction.

    None means the message is new and ours to answer; otherwise the replies
    stored when it was answered before.
    """
    values = {
        "channel": channel,
        "external_id": message_key(external_id),
        "status": "processing",
        "replies_sealed": "",
        "received_at": now(),
    }
    if insert_new(session, InboundRow, values, ["channel", "external_id"]) is not None:
        return None
    sealed = session.connection().execute(_REPLIES, _key(channel, external_id)).scalar_one()
    return tuple(str(r) for r in vault_of(session).open_json(sealed, []))


def store_replies(session: Session, channel: str, external_id: str, replies: list[str]) -> None:
    """Store the replies of the message being answered, for retries to replay."""
    sealed = vault_of(session).seal_json(replies)
    session.connection().execute(_FINISH, {**_key(channel, external_id), "b_replies": sealed})
