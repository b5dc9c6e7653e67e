"""What is due to be sent first: scheduled messages (reminders, navigators' messages for
later) and follow-ups, claimed exactly once.

A due row is locked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write
transaction is serial) and turned into an outbox message in the same
transaction, by a compare-and-set on its status. So however many workers run,
and whenever one dies, each message reaches the outbox once, and the outbox
sends it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.care_models import AppointmentRow, FollowUpRow, PersonRow, ScheduledRow
from bot.storage.contacts import as_utc, current_handoff
from bot.storage.models import ContactRow, DirectoryState, ServiceCategoryRow, ServiceRow
from bot.storage.outbox import enqueue
from bot.storage.transcript import record_outgoing
from bot.storage.vault import vault_of


@dataclass(frozen=True)
class Target:
    """Where a message would go, and what the sending rules need to know about it."""

    contact_id: int
    channel: str
    language: str
    opted_out: bool
    last_seen_at: dt.datetime
    in_handoff: bool


@dataclass(frozen=True)
class PlanFacts:
    """What the rules and the words need of a person's plan."""

    person_id: int
    first_name: str
    language: str
    consent_texts: bool
    consent_reminders: bool
    consent_supporter: bool
    linked: Target | None
    supporter: Target | None


@dataclass(frozen=True)
class DueMessage:
    """A scheduled message that is due, with everything needed to decide and write it."""

    id: int
    kind: str
    audience: str
    due_at: dt.datetime
    body: str
    plan: PlanFacts | None
    target: Target | None
    appointment: tuple[str, dt.datetime, str] | None  # kind, at, where
    superseded: bool = False  # a later reminder of the same appointment is due too


@dataclass(frozen=True)
class DueFollowUp:
    """A follow-up that is due."""

    id: int
    service_id: str
    category: str
    due_at: dt.datetime
    target: Target
    plan: PlanFacts | None
    last_asked_at: dt.datetime | None


def target_of(session: Session, contact_id: int | None) -> Target | None:
    """A contact as the sending rules see it (None when it is gone or was erased)."""
    contact = session.get(ContactRow, contact_id) if contact_id else None
    if contact is None or not contact.user_sealed:
        return None
    return Target(
        contact_id=contact.id,
        channel=contact.channel,
        language=contact.language,
        opted_out=bool(contact.opted_out),
        last_seen_at=as_utc(contact.last_seen_at),
        in_handoff=bool(contact.handoff_open) or current_handoff(session, contact) is not None,
    )


def plan_facts(session: Session, person_id: int | None) -> PlanFacts | None:
    """The plan of a person, as the scheduler needs it."""
    row = session.get(PersonRow, person_id) if person_id else None
    if row is None:
        return None
    return PlanFacts(
        person_id=row.id,
        first_name=vault_of(session).open(row.first_name_sealed),
        language=row.language,
        consent_texts=row.consent_texts,
        consent_reminders=row.consent_reminders,
        consent_supporter=row.consent_supporter,
        linked=target_of(session, row.contact_id),
        supporter=target_of(session, row.supporter_contact_id),
    )


def take_due_messages(session: Session, now: dt.datetime, limit: int) -> list[DueMessage]:
    """Due scheduled messages, locked for this transaction, earliest first."""
    rows = _take_due(session, ScheduledRow, now, limit)
    vault = vault_of(session)
    found = []
    for row in rows:
        plan = plan_facts(session, row.person_id)
        if row.audience == "supporter":
            target = plan.supporter if plan else None
        elif plan is not None:
            target = plan.linked
        else:
            target = target_of(session, row.contact_id)
        appointment = (
            session.get(AppointmentRow, row.appointment_id) if row.appointment_id else None
        )
        later = (
            select(ScheduledRow.id)
            .where(
                ScheduledRow.appointment_id == row.appointment_id,
                ScheduledRow.audience == row.audience,
                ScheduledRow.planned_at > row.planned_at,
                ScheduledRow.planned_at <= now,
            )
            .limit(1)
        )
        found.append(
            DueMessage(
                id=row.id,
                kind=row.kind,
                audience=row.audience,
                due_at=as_utc(row.due_at),
                body=vault.open(row.body_sealed),
                plan=plan,
                target=target,
                appointment=(
                    appointment.kind,
                    as_utc(appointment.at),
                    vault.open(appointment.where_sealed),
                )
                if appointment
                else None,
                superseded=appointment is not None and session.scalar(later) is not None,
            )
        )
    return found


def _send(
    session: Session, contact_id: int, body: str, template_sid: str
) -> tuple[ContactRow, int]:
    contact = session.get(ContactRow, contact_id)
    assert contact is not None
    outbox_id = enqueue(session, contact, body, template_sid=template_sid)
    record_outgoing(session, contact, body, "bot", outbox_id)
    return contact, outbox_id


def send_scheduled(
    session: Session,
    message_id: int,
    contact_id: int,
    body: str,
    template_sid: str,
    at: dt.datetime,
) -> int | None:
    """Hand a due message to the outbox; None when another worker already did."""
    claimed = session.execute(
        update(ScheduledRow)
        .where(ScheduledRow.id == message_id, ScheduledRow.status == "pending")
        .values(status="queued", sent_at=at, sent_to=contact_id, detail="")
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return _send(session, contact_id, body, template_sid)[1]


def wait_scheduled(session: Session, message_id: int, until: dt.datetime, reason: str) -> None:
    """Not yet (quiet hours, no number linked, WhatsApp's window): look again at ``until``."""
    _update_pending(session, ScheduledRow, message_id, due_at=until, detail=reason[:200])


def skip_scheduled(session: Session, message_id: int, reason: str) -> None:
    """Never (opted out, no consent, the appointment has passed)."""
    _update_pending(session, ScheduledRow, message_id, status="skipped", detail=reason[:200])


_Due = TypeVar("_Due", ScheduledRow, FollowUpRow)


def _take_due(session: Session, row: type[_Due], now: dt.datetime, limit: int) -> Sequence[_Due]:
    """Pending rows due by ``now``, earliest first, locked so that another worker skips
    them (SKIP LOCKED): two workers never take the same message."""
    return session.scalars(
        select(row)
        .where(row.status == "pending", row.due_at <= now)
        .order_by(row.due_at, row.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def _update_pending(
    session: Session, row: type[ScheduledRow] | type[FollowUpRow], row_id: int, **values: Any
) -> None:
    """Change a scheduled message or follow-up only while it is still pending: one sent or
    skipped by another worker meanwhile keeps what that worker wrote."""
    session.execute(
        update(row)
        .where(row.id == row_id, row.status == "pending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def schedule_message(
    session: Session,
    body: str,
    due: dt.datetime,
    *,
    created: dt.datetime,
    person_id: int | None = None,
    contact_id: int | None = None,
    navigator_id: int | None = None,
) -> int:
    """A navigator's message to send later (to a person's linked number, or to a texter)."""
    row = ScheduledRow(
        kind="message",
        audience="person",
        person_id=person_id,
        contact_id=contact_id,
        planned_at=due,
        due_at=due,
        status="pending",
        body_sealed=vault_of(session).seal(body),
        detail="",
        created_at=created,
        navigator_id=navigator_id,
    )
    session.add(row)
    session.flush()
    return row.id


def directory_timezone(session: Session) -> str:
    """The loaded directory's time zone (quiet hours and reminders are counted in it)."""
    state = session.get(DirectoryState, 1)
    zone = (state.info or {}).get("timezone") if state is not None else None
    return str(zone or "UTC")


def service_facts(session: Session, service_id: str) -> tuple[str, str] | None:
    """A service's name and first category in the loaded directory (None once gone)."""
    row = session.get(ServiceRow, service_id)
    if row is None:
        return None
    category = session.scalar(
        select(ServiceCategoryRow.category)
        .where(ServiceCategoryRow.service_id == service_id)
        .order_by(ServiceCategoryRow.position)
    )
    return row.name, str(category or "")


def take_due_follow_ups(session: Session, now: dt.datetime, limit: int) -> list[DueFollowUp]:
    """Due follow-ups, locked for this transaction, earliest first."""
    rows = _take_due(session, FollowUpRow, now, limit)
    found = []
    for row in rows:
        target = target_of(session, row.contact_id)
        if target is None:  # the texter erased their data since
            row.status, row.detail = "skipped", "texter gone"
            continue
        person = session.scalar(select(PersonRow.id).where(PersonRow.contact_id == row.contact_id))
        found.append(
            DueFollowUp(
                id=row.id,
                service_id=row.service_id,
                category=row.category,
                due_at=as_utc(row.due_at),
                target=target,
                plan=plan_facts(session, person),
                last_asked_at=last_asked(session, row.contact_id),
            )
        )
    return found


def last_asked(session: Session, contact_id: int) -> dt.datetime | None:
    """When the texter was last asked a follow-up."""
    found = session.scalar(
        select(FollowUpRow.asked_at)
        .where(FollowUpRow.contact_id == contact_id, FollowUpRow.asked_at.is_not(None))
        .order_by(FollowUpRow.asked_at.desc())
    )
    return as_utc(found) if found else None


def ask_follow_up(
    session: Session,
    follow_up_id: int,
    contact_id: int,
    body: str,
    template_sid: str,
    at: dt.datetime,
) -> int | None:
    """Hand a follow-up question to the outbox; the texter's next 1-4 answers it."""
    claimed = session.execute(
        update(FollowUpRow)
        .where(FollowUpRow.id == follow_up_id, FollowUpRow.status == "pending")
        .values(status="asked", asked_at=at, detail="")
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    contact, outbox_id = _send(session, contact_id, body, template_sid)
    contact.awaiting = "follow_up"
    session.execute(
        update(FollowUpRow).where(FollowUpRow.id == follow_up_id).values(outbox_id=outbox_id)
    )
    return outbox_id


def wait_follow_up(session: Session, follow_up_id: int, until: dt.datetime, reason: str) -> None:
    """Not now (quiet hours, one already today, talking with a navigator)."""
    _update_pending(session, FollowUpRow, follow_up_id, due_at=until, detail=reason[:200])


def skip_follow_up(session: Session, follow_up_id: int, reason: str) -> None:
    """Never (opted out, no consent, the service is gone, too late)."""
    _update_pending(session, FollowUpRow, follow_up_id, status="skipped", detail=reason[:200])
