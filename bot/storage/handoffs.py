"""The navigators' side of a handoff: the queue, claims, replies, notes, closing, alerts.

A handoff row is a place in the queue (``status`` open); ``contact.handoff_open``
says whether the bot stays out of the way. They differ after the texter sends
MENU (back with the bot, still in the queue); a navigator's reply puts the
texter back with the navigator. Closing ends both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from bot.storage.contacts import CHECK_IN, URGENT, as_utc, now
from bot.storage.db import session_scope
from bot.storage.models import ContactRow, HandoffRow, MessageRow, OutboxRow
from bot.storage.outbox import enqueue
from bot.storage.staff import NavigatorRow, NoteRow
from bot.storage.transcript import record_outgoing
from bot.storage.usage import count, minute_bucket
from bot.storage.vault import vault_of

OUTCOMES = ("connected", "referred", "no_response", "other")
LAST_WORDS = 140  # characters of the texter's last text shown in the queue


class HandoffError(ValueError):
    """An action that does not fit the conversation's state (shown to the navigator)."""


def mask(user_id: str) -> str:
    """A number or chat id reduced to its last 4 characters."""
    return f"\u2022\u2022\u2022\u2022 {user_id[-4:]}" if user_id else ""


@dataclass(frozen=True)
class QueueItem:
    """One waiting conversation, as the queue page shows it."""

    handoff_id: int
    contact_id: int
    channel: str
    language: str
    priority: int
    crisis: str | None
    requested_at: dt.datetime
    last_words: str
    last_texter_at: dt.datetime | None
    masked: str
    assigned_id: int | None
    assigned_name: str
    opted_out: bool
    with_bot: bool
    answered: bool

    @property
    def urgent(self) -> bool:
        """Crisis texts and raised requests come first."""
        return self.priority >= URGENT

    @property
    def check_in(self) -> bool:
        """A hopeless or unclear text (the concern level): shown as "check in", below urgent."""
        return not self.urgent and self.crisis == CHECK_IN


def waiting_queue(session: Session) -> list[QueueItem]:
    """Open handoffs: urgent, then check-ins, then the longest waiting (three queries in all)."""
    check_in_first = case((HandoffRow.crisis == CHECK_IN, 0), else_=1)
    rows = session.execute(
        select(HandoffRow, ContactRow)
        .join(ContactRow, ContactRow.id == HandoffRow.contact_id)
        .where(HandoffRow.status == "open")
        .order_by(
            HandoffRow.priority.desc(), check_in_first, HandoffRow.requested_at, HandoffRow.id
        )
    ).all()
    ids = [contact.id for _, contact in rows]
    last_ids = (
        select(func.max(MessageRow.id))
        .where(MessageRow.contact_id.in_(ids), MessageRow.author == "texter")
        .group_by(MessageRow.contact_id)
    )
    last = {
        m.contact_id: m
        for m in session.scalars(select(MessageRow).where(MessageRow.id.in_(last_ids)))
    }
    written = dict(
        session.execute(
            select(MessageRow.contact_id, func.max(MessageRow.created_at))
            .where(MessageRow.contact_id.in_(ids), MessageRow.author == "navigator")
            .group_by(MessageRow.contact_id)
        ).all()
    )
    names = navigator_names(session)
    vault = vault_of(session)
    items = []
    for handoff, contact in rows:
        line = last.get(contact.id)
        words = vault.open(line.body_sealed) if line else ""
        replied = written.get(contact.id)
        items.append(
            QueueItem(
                handoff_id=handoff.id,
                contact_id=contact.id,
                channel=contact.channel,
                language=contact.language,
                priority=handoff.priority,
                crisis=handoff.crisis,
                requested_at=as_utc(handoff.requested_at),
                last_words=words if len(words) <= LAST_WORDS else words[: LAST_WORDS - 3] + "...",
                last_texter_at=as_utc(line.created_at) if line else None,
                masked=mask(contact.user_id),
                assigned_id=handoff.assigned_to,
                assigned_name=names.get(handoff.assigned_to or 0, ""),
                opted_out=contact.opted_out,
                with_bot=not contact.handoff_open,
                answered=replied is not None and as_utc(replied) >= as_utc(handoff.requested_at),
            )
        )
    return items


def navigator_names(session: Session) -> dict[int, str]:
    """Display names of every account, by id."""
    rows = session.execute(select(NavigatorRow.id, NavigatorRow.name)).all()
    return {int(ident): str(name) for ident, name in rows}


def handoffs_of(session: Session, contact_id: int) -> list[HandoffRow]:
    """A contact's requests, newest first."""
    query = select(HandoffRow).where(HandoffRow.contact_id == contact_id)
    return list(session.scalars(query.order_by(HandoffRow.id.desc())).all())


def open_handoff_of(session: Session, contact_id: int) -> HandoffRow | None:
    """The contact's open request, if any."""
    query = select(HandoffRow).where(
        HandoffRow.contact_id == contact_id, HandoffRow.status == "open"
    )
    return session.scalars(query).first()


def assign(session: Session, handoff: HandoffRow, navigator_id: int | None) -> None:
    """Claim (a navigator takes it), assign (an admin gives it) or release (None)."""
    if handoff.status != "open":
        raise HandoffError("closed")
    handoff.assigned_to = navigator_id


def send_as_navigator(
    session: Session,
    contact: ContactRow,
    navigator: NavigatorRow,
    body: str,
    *,
    in_office: Callable[[dt.datetime], bool],
) -> int:
    """Accept a navigator's message into the outbox and the transcript; returns the outbox id.

    The texter is with the navigator from now on: their next texts go to the
    console, without the bot's "got it". The first message after a request
    counts its wait, under office hours or not by when the request came
    (``in_office`` answers that for a UTC time).
    """
    handoff = open_handoff_of(session, contact.id)
    if handoff is None:
        raise HandoffError("closed")
    if contact.opted_out:
        raise HandoffError("opted_out")
    if handoff.first_reply_at is None:
        stamp, requested = now(), as_utc(handoff.requested_at)
        handoff.first_reply_at = stamp
        wait = minute_bucket((stamp - requested).total_seconds() / 60)
        metric = "first_reply_office" if in_office(requested) else "first_reply_after"
        count(session, metric, requested, key=str(wait))
    outbox_id = enqueue(session, contact, body)
    line = record_outgoing(session, contact, body, "navigator", outbox_id)
    line.navigator_id = navigator.id
    contact.handoff_open = True
    handoff.acknowledged = True
    if handoff.assigned_to is None:
        handoff.assigned_to = navigator.id
    return outbox_id


def close_handoff(
    session: Session, contact: ContactRow, navigator: NavigatorRow, outcome: str
) -> HandoffRow:
    """Close with an outcome; the texter is back with the bot."""
    if outcome not in OUTCOMES:
        raise HandoffError("outcome")
    handoff = open_handoff_of(session, contact.id)
    if handoff is None:
        raise HandoffError("closed")
    handoff.status = "closed"
    handoff.outcome = outcome
    handoff.closed_at = now()
    handoff.closed_by = navigator.id
    contact.handoff_open = False
    count(session, "outcome", as_utc(handoff.requested_at), key=outcome)
    return handoff


def add_note(session: Session, contact: ContactRow, navigator: NavigatorRow, text: str) -> None:
    """A private note, sealed like every text."""
    session.add(
        NoteRow(
            contact_id=contact.id,
            navigator_id=navigator.id,
            created_at=now(),
            body_sealed=vault_of(session).seal(text),
        )
    )


@dataclass(frozen=True)
class Note:
    """A note, opened for reading."""

    at: dt.datetime
    author: str
    text: str


def notes_of(session: Session, contact_id: int) -> list[Note]:
    """A conversation's notes, oldest first."""
    names = navigator_names(session)
    vault = vault_of(session)
    rows = session.scalars(
        select(NoteRow).where(NoteRow.contact_id == contact_id).order_by(NoteRow.id)
    ).all()
    return [
        Note(as_utc(r.created_at), names.get(r.navigator_id or 0, ""), vault.open(r.body_sealed))
        for r in rows
    ]


def delivery(session: Session, outbox_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Status and error of outbox messages, by id."""
    if not outbox_ids:
        return {}
    rows = session.execute(
        select(OutboxRow.id, OutboxRow.status, OutboxRow.error).where(OutboxRow.id.in_(outbox_ids))
    ).all()
    return {ident: (status, error) for ident, status, error in rows}


@dataclass(frozen=True)
class Alert:
    """What the navigators' group is told about a request: no words, no number."""

    handoff_id: int
    contact_id: int
    channel: str
    language: str
    urgent: bool
    crisis: str | None


def claim_alerts(engine: Engine) -> list[Alert]:
    """Requests not yet announced (or raised to urgent since), each claimed by one worker."""
    due = or_(
        HandoffRow.alerted_at.is_(None),
        and_(HandoffRow.priority >= URGENT, HandoffRow.alerted_urgent.is_(False)),
    )
    alerts = []
    with session_scope(engine) as session:
        rows = session.execute(
            select(HandoffRow, ContactRow)
            .join(ContactRow, ContactRow.id == HandoffRow.contact_id)
            .where(HandoffRow.status == "open", due)
            .order_by(HandoffRow.id)
            .limit(20)
        ).all()
        for handoff, contact in rows:
            urgent = handoff.priority >= URGENT
            claimed = session.execute(
                update(HandoffRow)
                .where(HandoffRow.id == handoff.id, due)
                .values(alerted_at=now(), alerted_urgent=urgent)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount == 1:  # type: ignore[attr-defined]
                alerts.append(
                    Alert(
                        handoff.id,
                        contact.id,
                        contact.channel,
                        contact.language,
                        urgent,
                        handoff.crisis,
                    )
                )
    return alerts


def release_alert(engine: Engine, alert: Alert) -> None:
    """Give an alert back (it could not be posted), so that a later try posts it."""
    values: dict[str, object] = {"alerted_urgent": False} if alert.urgent else {"alerted_at": None}
    with session_scope(engine) as session:
        session.execute(
            update(HandoffRow).where(HandoffRow.id == alert.handoff_id).values(**values)
        )


def set_first_name(contact: ContactRow, first_name: str) -> None:
    """The texter's first name as a navigator noted it (sealed), for saved replies."""
    contact.first_name = first_name
