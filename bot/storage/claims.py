"""What a navigator may do to a conversation, and doing it: claims that hold.

The navigator who holds a conversation's open request (``assigned_to``) is
the one who replies, notes, names, releases and closes it; an admin may too.
Anyone else may read it (every read is audited) and may take it over only by
saying why: the reason is kept as a sealed note, the take-over is audited,
and the first navigator gets a notice in the console. A request no one holds
is open to every navigator; replying to it claims it.

Each function runs in the caller's transaction and takes ids, not ORM rows;
the open request is locked (``FOR UPDATE`` on PostgreSQL; SQLite's write
transactions are serial), so two navigators claiming at once cannot both win.
A refusal raises ``HandoffError`` with a code the console explains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.audit import Actor, audit
from bot.storage.contacts import as_utc, now
from bot.storage.handoffs import (
    HandoffError,
    add_note,
    close_handoff,
    navigator_names,
    send_as_navigator,
    set_first_name,
)
from bot.storage.models import ContactRow, HandoffRow
from bot.storage.staff import NavigatorRow, NoticeRow

MAX_REASON = 500


@dataclass(frozen=True)
class Navigator:
    """The navigator acting: who, with which role, in which console session."""

    id: int
    email: str
    name: str
    admin: bool
    session_id: int | None = None

    @property
    def actor(self) -> Actor:
        """As the audit log names them."""
        return Actor(self.id, self.email, self.session_id)


@dataclass(frozen=True)
class TexterBasics:
    """What composing a reply needs to know about the texter."""

    channel: str
    language: str
    point: tuple[float, float] | None
    first_name: str


@dataclass(frozen=True)
class Notice:
    """A console notice for one navigator."""

    id: int
    at: dt.datetime
    kind: str
    contact_id: int | None
    handoff_id: int | None
    by_name: str


def _contact(session: Session, contact_id: int) -> ContactRow:
    contact = session.get(ContactRow, contact_id)
    if contact is None or not contact.user_sealed:
        raise HandoffError("missing")
    return contact


def _open(session: Session, contact_id: int) -> HandoffRow | None:
    return session.scalars(
        select(HandoffRow)
        .where(HandoffRow.contact_id == contact_id, HandoffRow.status == "open")
        .with_for_update()
    ).first()


def _may_act(handoff: HandoffRow | None, who: Navigator) -> None:
    """Refuse when someone else holds the open request (admins may act on any)."""
    if handoff is not None and handoff.assigned_to not in (None, who.id) and not who.admin:
        raise HandoffError("held")


def texter_basics(session: Session, contact_id: int) -> TexterBasics | None:
    """The texter's channel, language, shared place and first name; None when gone."""
    contact = session.get(ContactRow, contact_id)
    if contact is None or not contact.user_sealed:
        return None
    return TexterBasics(contact.channel, contact.language, contact.location, contact.first_name)


def reply(
    session: Session,
    contact_id: int,
    who: Navigator,
    body: str,
    *,
    in_office: Callable[[dt.datetime], bool],
) -> int:
    """Send a navigator's message (claims a request no one holds); returns the outbox id.

    ``in_office`` says whether a time was in the navigators' office hours (the
    first reply's wait is counted under one or the other).
    """
    contact = _contact(session, contact_id)
    handoff = _open(session, contact_id)
    _may_act(handoff, who)
    navigator = _row(session, who)
    outbox_id = send_as_navigator(session, contact, navigator, body, in_office=in_office)
    audit(
        session,
        who.actor,
        "reply",
        contact_id=contact_id,
        handoff_id=handoff.id if handoff else None,
        detail=f"outbox {outbox_id}",
    )
    return outbox_id


def note(session: Session, contact_id: int, who: Navigator, text: str) -> None:
    """A private note (sealed)."""
    contact = _contact(session, contact_id)
    _may_act(_open(session, contact_id), who)
    add_note(session, contact, _row(session, who), text)
    audit(session, who.actor, "note", contact_id=contact_id)


def name(session: Session, contact_id: int, who: Navigator, first_name: str) -> None:
    """The texter's first name as the navigator noted it (sealed)."""
    contact = _contact(session, contact_id)
    _may_act(_open(session, contact_id), who)
    set_first_name(contact, first_name)
    audit(session, who.actor, "name", contact_id=contact_id)


def close(session: Session, contact_id: int, who: Navigator, outcome: str) -> None:
    """Close the open request with an outcome; the texter is back with the bot."""
    contact = _contact(session, contact_id)
    _may_act(_open(session, contact_id), who)
    handoff = close_handoff(session, contact, _row(session, who), outcome)
    audit(session, who.actor, "close", contact_id=contact_id, handoff_id=handoff.id, detail=outcome)


def claim(session: Session, contact_id: int, who: Navigator) -> None:
    """Take a request no one holds (someone else's needs ``take_over``)."""
    _contact(session, contact_id)
    handoff = _need_open(session, contact_id)
    if handoff.assigned_to not in (None, who.id):
        raise HandoffError("held")
    handoff.assigned_to = who.id
    audit(session, who.actor, "claim", contact_id=contact_id, handoff_id=handoff.id)


def release(session: Session, contact_id: int, who: Navigator) -> None:
    """Give the request back to the queue (its holder, or an admin)."""
    _contact(session, contact_id)
    handoff = _need_open(session, contact_id)
    _may_act(handoff, who)
    handoff.assigned_to = None
    audit(session, who.actor, "release", contact_id=contact_id, handoff_id=handoff.id)


def assign(session: Session, contact_id: int, who: Navigator, navigator_id: int) -> None:
    """An admin gives the request to an active navigator."""
    if not who.admin:
        raise HandoffError("held")
    _contact(session, contact_id)
    handoff = _need_open(session, contact_id)
    chosen = session.get(NavigatorRow, navigator_id)
    if chosen is None or not chosen.active:
        raise HandoffError("no_navigator")
    previous = handoff.assigned_to
    handoff.assigned_to = chosen.id
    if previous not in (None, who.id, chosen.id):
        _notify(session, int(previous or 0), "assigned_away", handoff, who)
    audit(
        session,
        who.actor,
        "assign",
        contact_id=contact_id,
        handoff_id=handoff.id,
        detail=chosen.email,
    )


def take_over(session: Session, contact_id: int, who: Navigator, reason: str) -> str:
    """Take a request another navigator holds, saying why; returns their name.

    The reason goes into a sealed note (it may name the texter's situation, so
    it is kept like one and purged with the conversation); the audit entry
    names the previous holder; the previous holder gets a notice.
    """
    reason = " ".join(reason.split())[:MAX_REASON]
    contact = _contact(session, contact_id)
    handoff = _need_open(session, contact_id)
    previous = handoff.assigned_to
    if previous is None or previous == who.id:
        raise HandoffError("not_held")
    if not reason:
        raise HandoffError("no_reason")
    names = navigator_names(session)
    before = names.get(previous, "")
    handoff.assigned_to = who.id
    add_note(session, contact, _row(session, who), f"Took over from {before}: {reason}")
    _notify(session, previous, "taken_over", handoff, who)
    email = session.scalars(select(NavigatorRow.email).where(NavigatorRow.id == previous)).first()
    audit(
        session,
        who.actor,
        "take_over",
        contact_id=contact_id,
        handoff_id=handoff.id,
        detail=f"from {email or previous}",
    )
    return before


def _notify(
    session: Session, navigator_id: int, kind: str, handoff: HandoffRow, by: Navigator
) -> None:
    session.add(
        NoticeRow(
            navigator_id=navigator_id,
            created_at=now(),
            kind=kind,
            contact_id=handoff.contact_id,
            handoff_id=handoff.id,
            by_name=by.name[:100],
        )
    )


def notices_for(session: Session, navigator_id: int) -> list[Notice]:
    """A navigator's unseen notices, newest first."""
    rows = session.scalars(
        select(NoticeRow)
        .where(NoticeRow.navigator_id == navigator_id, NoticeRow.seen_at.is_(None))
        .order_by(NoticeRow.id.desc())
        .limit(20)
    ).all()
    return [
        Notice(r.id, as_utc(r.created_at), r.kind, r.contact_id, r.handoff_id, r.by_name)
        for r in rows
    ]


def dismiss_notices(session: Session, navigator_id: int, contact_id: int | None = None) -> None:
    """Mark a navigator's notices seen (those of one conversation, or all)."""
    query = update(NoticeRow).where(
        NoticeRow.navigator_id == navigator_id, NoticeRow.seen_at.is_(None)
    )
    if contact_id is not None:
        query = query.where(NoticeRow.contact_id == contact_id)
    session.execute(query.values(seen_at=now()))


def _need_open(session: Session, contact_id: int) -> HandoffRow:
    handoff = _open(session, contact_id)
    if handoff is None:
        raise HandoffError("closed")
    return handoff


def _row(session: Session, who: Navigator) -> NavigatorRow:
    row = session.get(NavigatorRow, who.id)
    if row is None or not row.active:
        raise HandoffError("missing")
    return row
