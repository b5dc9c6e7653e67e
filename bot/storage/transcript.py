"""The transcript: every text in and out, sealed, with what the bot understood.

Navigators read it; ``homeward purge`` rolls it up into monthly counts and
deletes it after the retention period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.contacts import now
from bot.storage.models import ContactRow, MessageRow
from bot.storage.vault import vault_of

if TYPE_CHECKING:
    import datetime as dt


@dataclass(frozen=True)
class TurnRecord:
    """A texter's message and the bot's answer, as the transcript keeps them."""

    text: str
    replies: tuple[str, ...]
    intent: str
    category: str | None = None
    zip_code: str | None = None
    crisis: str | None = None
    shown: tuple[str, ...] = ()


def record_turn(session: Session, contact: ContactRow, turn: TurnRecord) -> None:
    """Keep a texter's message and the bot's replies to it."""
    vault = vault_of(session)
    stamp = now()
    session.add(
        MessageRow(
            contact_id=contact.id,
            created_at=stamp,
            direction="in",
            author="texter",
            body_sealed=vault.seal(turn.text),
            intent=turn.intent,
            category=turn.category,
            zip_code=turn.zip_code,
            crisis=turn.crisis,
            shown=[],
        )
    )
    for reply in turn.replies:
        session.add(
            MessageRow(
                contact_id=contact.id,
                created_at=stamp,
                direction="out",
                author="bot",
                body_sealed=vault.seal(reply),
                intent=turn.intent,
                shown=list(turn.shown),
            )
        )


def record_outgoing(
    session: Session, contact: ContactRow, body: str, author: str, outbox_id: int | None = None
) -> MessageRow:
    """Keep a message sent outside a reply (a navigator's, a follow-up)."""
    row = MessageRow(
        contact_id=contact.id,
        created_at=now(),
        direction="out",
        author=author,
        body_sealed=vault_of(session).seal(body),
        intent="",
        shown=[],
        outbox_id=outbox_id,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Line:
    """One transcript line, opened for reading."""

    id: int
    at: dt.datetime
    direction: str
    author: str
    text: str
    intent: str
    category: str | None
    crisis: str | None
    shown: tuple[str, ...]
    outbox_id: int | None
    zip_code: str | None = None
    navigator_id: int | None = None


def transcript(session: Session, contact_id: int) -> list[Line]:
    """A contact's transcript, oldest first, with the words opened."""
    vault = vault_of(session)
    rows = session.scalars(
        select(MessageRow).where(MessageRow.contact_id == contact_id).order_by(MessageRow.id)
    ).all()
    return [
        Line(
            row.id,
            row.created_at,
            row.direction,
            row.author,
            vault.open(row.body_sealed),
            row.intent,
            row.category,
            row.crisis,
            tuple(str(s) for s in row.shown),
            row.outbox_id,
            row.zip_code,
            row.navigator_id,
        )
        for row in rows
    ]
