"""The console's people pages: enrol before release, a plan, its timeline, the letter.

Every page goes through ``console_page`` (signed in, CSRF on posts) and every
read of a person and every change is written to the audit log, as the
conversation pages do. Forms are plain posts that keep what was typed when a
field is wrong; the letter is a print-friendly page without scripts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import phonenumbers
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.care.files import KINDS, CareData, load_care
from bot.care.plans import (
    AppointmentFields,
    FieldProblem,
    add_appointment,
    enrol_person,
    read_appointment,
    read_enrolment,
    zone_of,
)
from bot.care.record import person_record
from bot.conversation.office import OfficeClock
from bot.directory.model import CATEGORY_SLUGS
from bot.i18n import N_, Translator, available_languages
from bot.storage import people
from bot.storage.audit import audit
from bot.storage.care_schedule import schedule_message
from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.staff import NavigatorRow
from bot.web.console import labels
from bot.web.console.auth import Form, Staff, console_page, not_found
from bot.web.console.compose import check_reply
from bot.web.console.render import render

ENROL_FIELDS = ("first_name", "release_date", "facility", "zip", "language", "consent_note")


def _id(request: Request) -> int:
    return int(request.path_params["person_id"])


def care_data(request: Request) -> CareData:
    """The care files the app's core uses (read once per process)."""
    rules = request.app.state.conversation.rules.care
    if rules is not None:
        data: CareData = rules.data
        return data
    return load_care(request.app.state.settings.directory)


def _audit(request: Request, staff: Staff, action: str, detail: str = "") -> None:
    with session_scope(request.app.state.conversation.database) as session:
        audit(session, session.get(NavigatorRow, staff.id), action, detail=detail)


def _categories(request: Request, language: str) -> list[tuple[str, str]]:
    directory = request.app.state.conversation.view.directory
    return [(c.slug, c.name(language)) for c in directory.categories]


@console_page()
async def people_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/people: everyone enrolled, newest first (the list is audited)."""

    def work() -> list[people.Person]:
        with session_scope(request.app.state.conversation.database) as session:
            found = people.list_people(session)
            audit(session, session.get(NavigatorRow, staff.id), "people", detail="list")
            return found

    rows = await run_in_threadpool(work)
    context = {"staff": staff, "rows": rows, "labels": labels}
    return render(request, "people.html", context, language=staff.language)


async def _new_form(
    request: Request, staff: Staff, values: Form, problems: list[FieldProblem], status: int = 200
) -> Response:
    context: dict[str, Any] = {
        "staff": staff,
        "values": values,
        "problems": problems,
        "categories": _categories(request, staff.language),
        "labels": labels,
    }
    return render(request, "person_new.html", context, language=staff.language, status_code=status)


@console_page()
async def new_person_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/people/new: the enrolment form."""
    return await _new_form(request, staff, {"language": "en"}, [])


@console_page()
async def enrol(request: Request, staff: Staff, form: Form) -> Response:
    """POST /console/people: enrol; every wrong field is shown with the form kept."""
    values = {name: form.get(name, "")[:400] for name in (*ENROL_FIELDS, "supporter")}
    values["needs"] = ",".join(slug for slug in CATEGORY_SLUGS if form.get(f"need_{slug}"))
    values["consent"] = ",".join(
        scope for scope in ("texts", "reminders", "supporter") if form.get(f"consent_{scope}")
    )
    enrolment, problems = read_enrolment(values, consent_by=staff.email, navigator_id=staff.id)
    if enrolment is None:
        return await _new_form(request, staff, {**form, **values}, problems, status=400)

    def work() -> int:
        engine = request.app.state.conversation.database
        person, _ = enrol_person(engine, enrolment, now())
        _audit(request, staff, "enrol", f"person {person}")
        return person

    person = await run_in_threadpool(work)
    return RedirectResponse(f"/console/people/{person}?done=enrolled", status_code=303)


async def _person(
    request: Request,
    staff: Staff,
    *,
    problems: list[FieldProblem] | None = None,
    kept: Form | None = None,
) -> Response:
    engine = request.app.state.conversation.database

    def work() -> dict[str, Any] | None:
        record = person_record(engine, _id(request))
        if record is not None:
            with session_scope(engine) as session:
                contact = people.get_person(session, _id(request))
                record["contact_id"] = contact.contact_id if contact else None
            _audit(request, staff, "view_person", f"person {_id(request)}")
        return record

    record = await run_in_threadpool(work)
    if record is None:
        return not_found(request, staff)
    care = care_data(request)
    context = {
        "staff": staff,
        "p": record,
        "labels": labels,
        "kinds": [(k, care.kind_name(k, staff.language)) for k in KINDS],
        "kind_names": {k: care.kind_name(k, staff.language) for k in KINDS},
        "categories": dict(_categories(request, staff.language)),
        "problems": problems or [],
        "kept": kept or {},
        "flash": labels.FLASH.get(request.query_params.get("done", ""), ""),
    }
    status = 400 if problems else 200
    return render(request, "person.html", context, language=staff.language, status_code=status)


@console_page()
async def person_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/people/{id}: the plan, the link, the timeline, follow-ups (audited)."""
    return await _person(request, staff)


@console_page()
async def appointment(request: Request, staff: Staff, form: Form) -> Response:
    """POST /console/people/{id}/appointments: an appointment and its reminders."""
    engine = request.app.state.conversation.database
    zone = await run_in_threadpool(zone_of, engine)
    fields, problems = read_appointment(
        form.get("kind", ""),
        form.get("at", ""),
        form.get("where", "")[:400],
        form.get("what", "")[:400],
        zone,
    )
    if fields is None:
        return await _person(request, staff, problems=problems, kept=form)
    checked: AppointmentFields = fields

    def work() -> bool:
        made = add_appointment(engine, care_data(request), _id(request), checked, now(), staff.id)
        if made is not None:
            _audit(request, staff, "appointment", f"person {_id(request)}")
        return made is not None

    if not await run_in_threadpool(work):
        return not_found(request, staff)
    return RedirectResponse(
        f"/console/people/{_id(request)}?done=appointment#timeline", status_code=303
    )


@console_page()
async def schedule(request: Request, staff: Staff, form: Form) -> Response:
    """POST /console/people/{id}/messages: a message to the person's number, sent later."""
    engine = request.app.state.conversation.database
    zone = await run_in_threadpool(zone_of, engine)
    problems = _later_problems(form, zone)
    checked = check_reply(form.get("body", "")[:2000], "sms")
    if checked.problem:
        problems.append(("body", str(labels.PROBLEMS.get(checked.problem, checked.problem))))
    if problems:
        return await _person(request, staff, problems=problems, kept=form)
    due = _later(form.get("send_at", ""), zone)
    assert due is not None

    def work() -> None:
        with session_scope(engine) as session:
            if people.get_person(session, _id(request)) is None:
                return
            schedule_message(
                session,
                checked.text,
                due,
                created=now(),
                person_id=_id(request),
                navigator_id=staff.id,
            )
            navigator = session.get(NavigatorRow, staff.id)
            audit(session, navigator, "schedule", detail=f"person {_id(request)}")

    await run_in_threadpool(work)
    return RedirectResponse(
        f"/console/people/{_id(request)}?done=scheduled#messages", status_code=303
    )


def _later(value: str, zone: dt.tzinfo) -> dt.datetime | None:
    try:
        local = dt.datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M").replace(tzinfo=zone)
    except ValueError:
        return None
    return local.astimezone(dt.UTC)


def _later_problems(form: Form, zone: dt.tzinfo) -> list[FieldProblem]:
    due = _later(form.get("send_at", ""), zone)
    if due is None:
        return [("send_at", N_("must be a local date and time like 2026-12-01T10:30"))]
    if due <= now():
        return [("send_at", N_("must be in the future"))]
    return []


@console_page()
async def letter(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/people/{id}/letter: the one-page letter with the code, to print or mail.

    The person's language first, then the other one, each complete (audited).
    """
    engine = request.app.state.conversation.database

    def work() -> people.Person | None:
        with session_scope(engine) as session:
            found = people.get_person(session, _id(request))
            if found is not None:
                navigator = session.get(NavigatorRow, staff.id)
                audit(session, navigator, "letter", detail=f"person {_id(request)}")
            return found

    person = await run_in_threadpool(work)
    if person is None:
        return not_found(request, staff)
    settings = request.app.state.settings
    order = [person.language, *[lang for lang in available_languages() if lang != person.language]]
    halves = []
    for language in order:
        t = Translator(language)
        halves.append(
            {
                "lang": language,
                "gettext": t.gettext,
                "hours": OfficeClock(settings.office_hours).describe(t),
            }
        )
    context = {
        "person": person,
        "code": " ".join([person.code[:3], person.code[3:]]),
        "halves": halves,
        "number": _number(settings),
        "navigator": person.navigator or staff.name,
        "office_address": settings.office_address,
        "staff": staff,
    }
    return render(request, "letter.html", context, language=person.language)


def _number(settings: Any) -> str:
    """The number to text, as people write it: "(510) 555-0100" ("" when unknown)."""
    twilio = settings.twilio
    sender = twilio.sender.removeprefix("whatsapp:") if twilio is not None else ""
    if not sender:
        return ""
    parsed = phonenumbers.parse(sender, "US")
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))


@console_page()
async def later(request: Request, staff: Staff, form: Form) -> Response:
    """POST /console/conversations/{id}/later: a message to this texter, sent at a time.

    Problems are shown on the conversation page's flash line and nothing is kept.
    """
    engine = request.app.state.conversation.database
    contact_id = int(request.path_params["contact_id"])
    zone = await run_in_threadpool(zone_of, engine)
    checked = check_reply(form.get("body", "")[:2000], "sms")
    due = _later(form.get("send_at", ""), zone)
    if checked.problem or due is None or due <= now():
        where = f"/console/conversations/{contact_id}?done=not_scheduled#later"
        return RedirectResponse(where, status_code=303)

    def work() -> None:
        with session_scope(engine) as session:
            schedule_message(
                session,
                checked.text,
                due,
                created=now(),
                contact_id=contact_id,
                navigator_id=staff.id,
            )
            navigator = session.get(NavigatorRow, staff.id)
            audit(session, navigator, "schedule", contact_id=contact_id)

    await run_in_threadpool(work)
    return RedirectResponse(
        f"/console/conversations/{contact_id}?done=scheduled#later", status_code=303
    )
