"""What texters do with care: services given (a follow-up is due), follow-up answers,
wrong link codes, recent reminders; and the countable events partner reports read.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.care_counts import count_first_connection
from bot.storage.care_models import (
    AppointmentRow,
    CareEventRow,
    FollowUpRow,
    LinkAttemptRow,
    ScheduledRow,
)
from bot.storage.contacts import as_utc
from bot.storage.people import record_event

ANSWERS = ("reached", "no_answer", "turned_away", "record")  # follow-up replies 1 to 4


def note_service_given(
    session: Session,
    contact_id: int,
    service_id: str,
    category: str,
    *,
    given_by: str,
    at: dt.datetime,
    due: dt.datetime,
) -> bool:
    """A texter was given a service's details: ask about it at ``due`` (once per service).

    False when a follow-up about that service is already waiting or was just asked.
    """
    waiting = session.scalar(
        select(FollowUpRow.id).where(
            FollowUpRow.contact_id == contact_id,
            FollowUpRow.service_id == service_id,
            FollowUpRow.status.in_(("pending", "asked")),
        )
    )
    if waiting is not None:
        return False
    session.add(
        FollowUpRow(
            contact_id=contact_id,
            service_id=service_id[:200],
            category=category[:40],
            given_by=given_by,
            given_at=at,
            due_at=due,
            status="pending",
            detail="",
        )
    )
    return True


def answer_follow_up(
    session: Session, contact_id: int, answer: str, at: dt.datetime
) -> tuple[str, str] | None:
    """Record the answer to the last follow-up asked; its service id and category."""
    row = session.scalars(
        select(FollowUpRow)
        .where(FollowUpRow.contact_id == contact_id, FollowUpRow.status == "asked")
        .order_by(FollowUpRow.asked_at.desc(), FollowUpRow.id.desc())
    ).first()
    if row is None:
        return None
    row.status, row.answer, row.answered_at = "answered", answer, at
    if answer == "reached":
        count_first_connection(session, contact_id, at)
    record_event(
        session,
        "follow_up_answered",
        at,
        service_id=row.service_id,
        category=row.category,
        answer=answer,
        kind=row.given_by,
    )
    return row.service_id, row.category


def follow_ups_of(session: Session, contact_id: int | None) -> list[dict[str, object]]:
    """A texter's follow-ups, oldest first (UTC times), as `homeward people show` lists them."""
    if contact_id is None:
        return []
    rows = session.scalars(
        select(FollowUpRow).where(FollowUpRow.contact_id == contact_id).order_by(FollowUpRow.id)
    ).all()
    return [
        {
            "service": r.service_id,
            "category": r.category,
            "given_by": r.given_by,
            "given_at": as_utc(r.given_at),
            "due_at": as_utc(r.due_at),
            "status": r.status,
            "asked_at": as_utc(r.asked_at) if r.asked_at else None,
            "answer": r.answer,
            "answered_at": as_utc(r.answered_at) if r.answered_at else None,
        }
        for r in rows
    ]


def code_failures(session: Session, contact_id: int, day: str) -> int:
    """Wrong codes from this sender on this local day."""
    row = session.get(LinkAttemptRow, contact_id)
    return row.failures if row is not None and row.day == day else 0


def add_code_failure(session: Session, contact_id: int, day: str) -> int:
    """Count one more wrong code today; returns today's count."""
    row = session.get(LinkAttemptRow, contact_id, with_for_update=True)
    if row is None:
        row = LinkAttemptRow(contact_id=contact_id, day=day, failures=0)
        session.add(row)
    if row.day != day:
        row.day, row.failures = day, 0
    row.failures += 1
    return row.failures


def recent_reminder(session: Session, contact_id: int, since: dt.datetime) -> str | None:
    """The kind of appointment of a reminder sent to this texter since ``since``, if any."""
    return session.scalar(
        select(AppointmentRow.kind)
        .join(ScheduledRow, ScheduledRow.appointment_id == AppointmentRow.id)
        .where(
            ScheduledRow.sent_to == contact_id,
            ScheduledRow.kind == "reminder",
            ScheduledRow.status == "queued",
            ScheduledRow.sent_at >= since,
        )
        .order_by(ScheduledRow.sent_at.desc())
    )


def event_counts(session: Session) -> list[dict[str, object]]:
    """Every kind of care event and how many, for reports and tests."""
    rows = session.execute(
        select(
            CareEventRow.event,
            CareEventRow.kind,
            CareEventRow.category,
            CareEventRow.service_id,
            CareEventRow.answer,
            func.count(),
        )
        .group_by(
            CareEventRow.event,
            CareEventRow.kind,
            CareEventRow.category,
            CareEventRow.service_id,
            CareEventRow.answer,
        )
        .order_by(CareEventRow.event, CareEventRow.kind, CareEventRow.category)
    ).all()
    return [
        {"event": e, "kind": k, "category": c, "service": s, "answer": a, "count": int(n)}
        for e, k, c, s, a, n in rows
    ]
