"""The transcript: every text in and out, sealed, with what the bot understood.

Navigators read it; ``homeward purge`` deletes it after the retention period.
What partners are shown is counted as the lines are written (``bot.storage.usage``),
never read back from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc, now
from bot.storage.models import ContactRow, MessageRow
from bot.storage.usage import count
from bot.storage.vault import vault_of

if TYPE_CHECKING:
    import datetime as dt

SEARCHES = ("search", "category")  # the intents counted as a need asked


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
    segments: int = 0  # SMS segments the replies take (0 on other channels)
    unmet: str = ""  # a search that found "none", or nothing near ("far"); "" otherwise


def record_turn(session: Session, contact: ContactRow, turn: TurnRecord) -> None:
    """Keep a texter's message and the bot's replies to it, and count them."""
    vault = vault_of(session)
    stamp = now()
    _count_turn(session, contact, turn)
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


def _count_turn(session: Session, contact: ContactRow, turn: TurnRecord) -> None:
    """The partner report's counts of one turn: texts, segments, the need and whether it was met.

    Counted at the texter's time (the core's clock, kept as ``last_seen_at``).
    """
    at, channel = as_utc(contact.last_seen_at), contact.channel
    count(session, "texts_in", at, channel=channel, language=contact.language)
    count(session, "texts_out", at, len(turn.replies), key="bot", channel=channel)
    count(session, "segments", at, turn.segments, key="reply", channel=channel)
    if turn.crisis:
        count(session, "crisis", at, key=turn.crisis)
    if turn.intent in SEARCHES:
        need, zip_code = turn.category or "", turn.zip_code or ""
        count(session, "search", at, key=need, zip_code=zip_code)
        if turn.unmet:
            count(session, f"unmet_{turn.unmet}", at, key=need, zip_code=zip_code)
        contact.search_unmet = turn.unmet or "met"


def record_outgoing(
    session: Session, contact: ContactRow, body: str, author: str, outbox_id: int | None = None
) -> MessageRow:
    """Keep a message sent outside a reply (a navigator's, a follow-up), and count it."""
    count(session, "texts_out", now(), key=author, channel=contact.channel)
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
