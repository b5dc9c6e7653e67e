"""What the conversation page shows, read in one transaction and opened from the vault."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.directory.model import Service
from bot.search.engine import SearchEngine
from bot.storage.contacts import as_utc
from bot.storage.handoffs import Note as Note
from bot.storage.handoffs import delivery, handoffs_of, mask, navigator_names, notes_of
from bot.storage.models import ContactRow, HandoffRow
from bot.storage.transcript import transcript

SEARCH_INTENTS = ("search", "category")


@dataclass(frozen=True)
class Line:
    """One transcript line with what the navigator needs beside the words."""

    id: int
    at: dt.datetime
    author: str
    text: str
    intent: str
    searched: str  # "Housing near 94607" for a search, else ""
    crisis: str | None
    shown: tuple[str, ...]  # names of the services the bot showed
    status: str  # delivery of a navigator's message (outbox status), else ""
    error: str
    navigator: str


@dataclass(frozen=True)
class HandoffInfo:
    """One handoff request of the conversation."""

    id: int
    status: str
    urgent: bool
    crisis: str | None
    requested_at: dt.datetime
    closed_at: dt.datetime | None
    outcome: str | None
    assigned_id: int | None
    assigned_name: str
    closed_by: str


@dataclass(frozen=True)
class ConversationView:
    """The whole conversation of one texter."""

    contact_id: int
    channel: str
    language: str
    masked: str
    opted_out: bool
    with_bot: bool
    first_name: str
    point: tuple[float, float] | None
    zip_code: str | None
    open: HandoffInfo | None
    past: tuple[HandoffInfo, ...]
    lines: tuple[Line, ...]
    notes: tuple[Note, ...]


def load_view(
    session: Session, contact_id: int, search: SearchEngine, language: str
) -> ConversationView | None:
    """The conversation of a contact, or None when there is no such texter (or they erased it)."""
    contact = session.get(ContactRow, contact_id)
    handoffs = handoffs_of(session, contact_id)
    if contact is None or not contact.user_sealed or not handoffs:
        # Navigators read the conversations of texters who asked for a person
        # (or were in crisis), as the privacy note promises; no one else's.
        return None
    names = navigator_names(session)
    opened = transcript(session, contact_id)
    statuses = delivery(session, [line.outbox_id for line in opened if line.outbox_id])
    index = search.index
    lines = []
    for line in opened:
        status, error = statuses.get(line.outbox_id or 0, ("", ""))
        lines.append(
            Line(
                id=line.id,
                at=as_utc(line.at),
                author=line.author,
                text=line.text,
                intent=line.intent,
                searched=_searched(search, line.category, line.zip_code, line.intent, language),
                crisis=line.crisis,
                shown=tuple(_service_name(index.service(s), s) for s in line.shown),
                status=status,
                error=error,
                navigator=names.get(line.navigator_id or 0, ""),
            )
        )
    requests = [_request(h, names) for h in handoffs]
    current = next((r for r in requests if r.status == "open"), None)
    return ConversationView(
        contact_id=contact.id,
        channel=contact.channel,
        language=contact.language,
        masked=mask(contact.user_id),
        opted_out=contact.opted_out,
        with_bot=not contact.handoff_open,
        first_name=contact.first_name,
        point=contact.location,
        zip_code=contact.zip_code,
        open=current,
        past=tuple(r for r in requests if r.status != "open"),
        lines=tuple(lines),
        notes=tuple(notes_of(session, contact_id)),
    )


def _searched(
    search: SearchEngine, category: str | None, zip_code: str | None, intent: str, language: str
) -> str:
    if intent not in SEARCH_INTENTS:
        return ""
    found = search.index.directory.category(category or "")
    what = found.name(language) if found else ""
    return " ".join(part for part in (what, zip_code or "") if part)


def _request(handoff: HandoffRow, names: dict[int, str]) -> HandoffInfo:
    return HandoffInfo(
        id=handoff.id,
        status=handoff.status,
        urgent=handoff.priority >= 1,
        crisis=handoff.crisis,
        requested_at=as_utc(handoff.requested_at),
        closed_at=as_utc(handoff.closed_at) if handoff.closed_at else None,
        outcome=handoff.outcome,
        assigned_id=handoff.assigned_to,
        assigned_name=names.get(handoff.assigned_to or 0, ""),
        closed_by=names.get(handoff.closed_by or 0, ""),
    )


def _service_name(service: Service | None, service_id: str) -> str:
    """A shown service's name, or its id when this version no longer has it."""
    return service.name if service is not None else service_id
