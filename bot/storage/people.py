"""People enrolled before release: their plans, link codes, appointments, and what they are shown.

Every personal field is sealed by the vault; the link code is found by a keyed
hash, like a phone number. ``bot.care`` decides; this module only keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Table, bindparam, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from bot.storage.care_counts import count_days_to_first_text, count_event
from bot.storage.care_models import AppointmentRow, CareEventRow, PersonRow, ScheduledRow
from bot.storage.contacts import as_utc, contact_for
from bot.storage.handoffs import mask
from bot.storage.models import ContactRow
from bot.storage.staff import NavigatorRow
from bot.storage.vault import vault_of

CODE_CHANNEL = "link-code"  # the "channel" a code's keyed hash is made for


@dataclass(frozen=True)
class Enrolment:
    """What a navigator records when enrolling a person (checked by ``bot.care``)."""

    first_name: str
    release_date: dt.date
    consent_texts: bool
    consent_reminders: bool
    consent_supporter: bool
    consent_by: str
    facility: str = ""
    zip_code: str = ""
    language: str = "en"
    needs: tuple[str, ...] = ()
    consent_note: str = ""
    supporter: str = ""  # a phone number, E.164
    navigator_id: int | None = None
    source: str = "console"


@dataclass(frozen=True)
class Person:
    """A person's plan, opened for reading (numbers masked)."""

    id: int
    code: str
    first_name: str
    release_date: str
    facility: str
    zip_code: str
    language: str
    needs: tuple[str, ...]
    consent: dict[str, object]
    supporter: str
    supporter_contact_id: int | None
    contact_id: int | None
    channel: str
    linked_user: str
    navigator: str
    enrolled_at: dt.datetime
    linked_at: dt.datetime | None
    first_text_at: dt.datetime | None
    opted_out: bool = False


@dataclass(frozen=True)
class Appointment:
    """An appointment and its reminders, opened for reading."""

    id: int
    kind: str
    at: dt.datetime
    where: str
    what: str
    reminders: list[dict[str, object]] = field(default_factory=list)


def record_event(session: Session, event: str, at: dt.datetime, **values: str) -> None:
    """One countable event for partner reports (no person, no words), counted monthly too."""
    session.add(CareEventRow(at=at, event=event, **values))
    count_event(session, event, at, values)


def enrol(
    session: Session, enrolment: Enrolment, at: dt.datetime, new_code: Callable[[], str]
) -> tuple[int, str]:
    """Keep a new person and their plan; returns the person's id and link code."""
    vault = vault_of(session)
    code = new_code()
    while session.scalar(select(PersonRow.id).where(PersonRow.code_hash == _hash(session, code))):
        code = new_code()
    supporter_id = None
    if enrolment.supporter:
        supporter, _ = contact_for(session, "sms", enrolment.supporter, lambda: enrolment.language)
        supporter_id = supporter.id
    row = PersonRow(
        code_hash=_hash(session, code),
        code_sealed=vault.seal(code),
        first_name_sealed=vault.seal(enrolment.first_name),
        release_date_sealed=vault.seal(enrolment.release_date.isoformat()),
        facility_sealed=vault.seal(enrolment.facility),
        zip_sealed=vault.seal(enrolment.zip_code),
        language=enrolment.language,
        needs=list(enrolment.needs),
        consent_texts=enrolment.consent_texts,
        consent_reminders=enrolment.consent_reminders,
        consent_supporter=enrolment.consent_supporter,
        consent_by=enrolment.consent_by[:254],
        consent_at=at,
        consent_note_sealed=vault.seal(enrolment.consent_note),
        supporter_contact_id=supporter_id,
        navigator_id=enrolment.navigator_id,
        source=enrolment.source,
        enrolled_at=at,
    )
    session.add(row)
    session.flush()
    record_event(session, "enrolled", at, kind=enrolment.source)
    for need in enrolment.needs:
        record_event(session, "enrolled_need", at, category=need)
    return row.id, code


def _hash(session: Session, code: str) -> str:
    return vault_of(session).lookup(CODE_CHANNEL, code)


def find_by_code(session: Session, code: str) -> int | None:
    """The person a link code belongs to, if any."""
    found = session.scalar(select(PersonRow.id).where(PersonRow.code_hash == _hash(session, code)))
    return int(found) if found is not None else None


def link(session: Session, person_id: int, contact_id: int, at: dt.datetime) -> Person:
    """Link a texter's number to a plan (moving it from any number linked before)."""
    row = session.get(PersonRow, person_id, with_for_update=True)
    assert row is not None
    row.contact_id = contact_id
    row.linked_at = at
    record_event(session, "linked", at)
    session.flush()
    return _person(session, row)


def person_of_contact(session: Session, contact_id: int) -> Person | None:
    """The plan a texter's number is linked to, if any."""
    row = session.scalars(select(PersonRow).where(PersonRow.contact_id == contact_id)).first()
    return _person(session, row) if row is not None else None


_PEOPLE = PersonRow.__table__
assert isinstance(_PEOPLE, Table)
# Built once, run on the session's connection: every message runs it, and building an
# ORM update costs ten times more than running the cached Core statement (bench/care_bench.py).
_FIRST_TEXT = (
    update(_PEOPLE)
    .where(_PEOPLE.c.contact_id == bindparam("contact"), _PEOPLE.c.first_text_at.is_(None))
    .values(first_text_at=bindparam("stamp"))
)


def note_first_text_of_contact(session: Session, contact_id: int, at: dt.datetime) -> None:
    """A linked texter wrote: the first time after the code counts (one UPDATE, usually none)."""
    result = session.connection().execute(_FIRST_TEXT, {"contact": contact_id, "stamp": at})
    if result.rowcount:
        record_event(session, "first_text", at)
        count_days_to_first_text(session, contact_id, at)


def next_appointment_place(session: Session, contact_id: int, now: dt.datetime) -> str:
    """Where the linked person's next appointment is (or one earlier today); "" if none."""
    found = session.scalar(
        select(AppointmentRow.where_sealed)
        .join(PersonRow, PersonRow.id == AppointmentRow.person_id)
        .where(
            PersonRow.contact_id == contact_id, AppointmentRow.at >= now - dt.timedelta(hours=12)
        )
        .order_by(AppointmentRow.at)
    )
    return vault_of(session).open(found) if found else ""


def get_person(session: Session, person_id: int) -> Person | None:
    """One person's plan."""
    row = session.get(PersonRow, person_id)
    return _person(session, row) if row is not None else None


def list_people(session: Session, limit: int = 500) -> list[Person]:
    """The newest enrolments first."""
    rows = session.scalars(select(PersonRow).order_by(PersonRow.id.desc()).limit(limit)).all()
    return [_person(session, row) for row in rows]


def _person(session: Session, row: PersonRow) -> Person:
    vault = vault_of(session)
    contact = session.get(ContactRow, row.contact_id) if row.contact_id else None
    supporter = (
        session.get(ContactRow, row.supporter_contact_id) if row.supporter_contact_id else None
    )
    navigator = session.get(NavigatorRow, row.navigator_id) if row.navigator_id else None
    return Person(
        id=row.id,
        code=vault.open(row.code_sealed),
        first_name=vault.open(row.first_name_sealed),
        release_date=vault.open(row.release_date_sealed),
        facility=vault.open(row.facility_sealed),
        zip_code=vault.open(row.zip_sealed),
        language=row.language,
        needs=tuple(str(n) for n in row.needs or []),
        consent={
            "texts": row.consent_texts,
            "reminders": row.consent_reminders,
            "supporter": row.consent_supporter,
            "recorded_by": row.consent_by,
            "recorded_at": as_utc(row.consent_at).isoformat(),
            "note": vault.open(row.consent_note_sealed),
        },
        supporter=mask(supporter.user_id) if supporter else "",
        supporter_contact_id=row.supporter_contact_id,
        contact_id=row.contact_id,
        channel=contact.channel if contact else "",
        linked_user=mask(contact.user_id) if contact else "",
        navigator=(navigator.name or navigator.email) if navigator else "",
        enrolled_at=as_utc(row.enrolled_at),
        linked_at=as_utc(row.linked_at) if row.linked_at else None,
        first_text_at=as_utc(row.first_text_at) if row.first_text_at else None,
        opted_out=bool(contact and contact.opted_out),
    )


def add_appointment(
    session: Session,
    person_id: int,
    kind: str,
    at: dt.datetime,
    where: str,
    what: str,
    reminders: list[tuple[int, dt.datetime]],
    *,
    created: dt.datetime,
    navigator_id: int | None = None,
) -> int:
    """An appointment and its reminders (to the person, and to a supporter who agreed)."""
    vault = vault_of(session)
    person = session.get(PersonRow, person_id)
    assert person is not None
    row = AppointmentRow(
        person_id=person_id,
        kind=kind,
        at=at,
        where_sealed=vault.seal(where),
        what_sealed=vault.seal(what),
        created_at=created,
        navigator_id=navigator_id,
    )
    session.add(row)
    session.flush()
    audiences = ["person"]
    if person.supporter_contact_id and person.consent_supporter:
        audiences.append("supporter")
    for days, due in reminders:
        for audience in audiences:
            session.add(
                ScheduledRow(
                    kind="reminder",
                    audience=audience,
                    person_id=person_id,
                    appointment_id=row.id,
                    days_before=days,
                    planned_at=due,
                    due_at=due,
                    status="pending",
                    body_sealed="",
                    detail="",
                    created_at=created,
                    navigator_id=navigator_id,
                )
            )
    session.flush()
    return row.id


def appointments_of(session: Session, person_id: int) -> list[Appointment]:
    """A person's timeline, soonest first, each with its reminders."""
    vault = vault_of(session)
    rows = session.scalars(
        select(AppointmentRow)
        .where(AppointmentRow.person_id == person_id)
        .order_by(AppointmentRow.at, AppointmentRow.id)
    ).all()
    found = []
    for row in rows:
        reminders = session.scalars(
            select(ScheduledRow)
            .where(ScheduledRow.appointment_id == row.id)
            .order_by(ScheduledRow.planned_at, ScheduledRow.id)
        ).all()
        found.append(
            Appointment(
                id=row.id,
                kind=row.kind,
                at=as_utc(row.at),
                where=vault.open(row.where_sealed),
                what=vault.open(row.what_sealed),
                reminders=[scheduled_entry(r) for r in reminders],
            )
        )
    return found


def scheduled_entry(row: ScheduledRow) -> dict[str, object]:
    """A scheduled message as `homeward people show --json` lists it (no words; UTC times)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "to": row.audience,
        "days_before": row.days_before,
        "planned_at": as_utc(row.planned_at),
        "due_at": as_utc(row.due_at),
        "status": row.status,
        "sent_at": as_utc(row.sent_at) if row.sent_at else None,
        "detail": row.detail,
    }


def messages_of(session: Session, person_id: int) -> list[dict[str, object]]:
    """Navigators' scheduled messages to a person (not reminders)."""
    rows = session.scalars(
        select(ScheduledRow)
        .where(ScheduledRow.person_id == person_id, ScheduledRow.kind == "message")
        .order_by(ScheduledRow.planned_at, ScheduledRow.id)
    ).all()
    return [scheduled_entry(r) for r in rows]


def erase_people_of(session: Session, contact_id: int) -> None:
    """A texter erased their data (DELETE): the plan linked to their number goes too."""
    session.execute(delete(PersonRow).where(PersonRow.contact_id == contact_id))


def purge_people(session: Session, cutoff: dt.datetime) -> int:
    """Plans past the retention period: enrolled before it, no appointment since, and
    no number linked, or one not heard from since. Returns how many went."""
    recent = exists().where(AppointmentRow.person_id == PersonRow.id, AppointmentRow.at >= cutoff)
    active_contact = exists().where(
        ContactRow.id == PersonRow.contact_id, ContactRow.last_seen_at >= cutoff
    )
    ids = session.scalars(
        select(PersonRow.id).where(
            PersonRow.enrolled_at < cutoff,
            ~recent,
            or_(PersonRow.contact_id.is_(None), ~active_contact),
        )
    ).all()
    if ids:
        session.execute(delete(PersonRow).where(PersonRow.id.in_(ids)))
    return len(ids)


def kept_contacts() -> ColumnElement[bool]:
    """A condition true for contacts a remaining plan needs (its number, its supporter)."""
    return or_(
        exists().where(PersonRow.contact_id == ContactRow.id),
        exists().where(PersonRow.supporter_contact_id == ContactRow.id),
    )
