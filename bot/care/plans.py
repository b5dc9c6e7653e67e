"""Enrolling a person and adding appointments: the checks every way in shares.

The console's form, `homeward people enrol|appointment` and a roster's rows
all go through ``read_enrolment`` and ``read_appointment``: each names every
wrong field at once, in plain words, and nothing is kept until all are right.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import Engine

from bot.care.codes import new_code
from bot.care.files import KINDS, CareData
from bot.care.texts import MAX_WHERE
from bot.care.timing import reminder_times
from bot.directory.fields import zip_centroid
from bot.directory.model import CATEGORY_SLUGS
from bot.i18n import N_
from bot.storage import people
from bot.storage.care_schedule import directory_timezone
from bot.storage.db import session_scope
from bot.storage.people import Enrolment

CONSENT_SCOPES = ("texts", "reminders", "supporter")
LANGUAGES = ("en", "es")
MAX_NAME = 60  # the messages below say these numbers
MAX_TEXT = 200
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")

FieldProblem = tuple[str, str]  # (field, what is wrong)


@dataclass(frozen=True)
class AppointmentFields:
    """A checked appointment: its kind, when (UTC), where and what."""

    kind: str
    at: dt.datetime
    where: str
    what: str


def _line(value: str | None) -> str:
    return " ".join((value or "").split())


def read_consent(value: str) -> tuple[set[str], list[FieldProblem]]:
    """ "texts,reminders,supporter" (or "all") -> the scopes agreed to."""
    words = {w.strip().lower() for w in re.split(r"[,\s]+", value or "") if w.strip()}
    if "all" in words:
        words = (words - {"all"}) | set(CONSENT_SCOPES)
    unknown = sorted(words - set(CONSENT_SCOPES))
    if unknown:
        return set(), [("consent", N_("may only name texts, reminders and supporter"))]
    if not words:
        return set(), [("consent", N_("is missing: say what the person agreed to"))]
    return words, []


def read_phone(value: str) -> tuple[str, list[FieldProblem]]:
    """A supporter's number as E.164 ("" when none is given)."""
    text = _line(value)
    if not text:
        return "", []
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return "", [("supporter", N_("is not a phone number"))]
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), []


def read_enrolment(
    values: Mapping[str, str],
    *,
    consent_by: str,
    navigator_id: int | None = None,
    source: str = "console",
) -> tuple[Enrolment | None, list[FieldProblem]]:
    """Check an enrolment's fields: first_name, release_date, facility, zip, language,
    needs (comma-separated categories), consent (scopes), consent_note, supporter."""
    problems: list[FieldProblem] = []
    name = _line(values.get("first_name"))
    if not name:
        problems.append(("first_name", N_("is missing")))
    elif len(name) > MAX_NAME:
        problems.append(("first_name", N_("is longer than 60 characters")))
    release = _date(values.get("release_date", ""), problems)
    zip_code = _line(values.get("zip"))
    if zip_code and (not re.fullmatch(r"\d{5}", zip_code) or zip_centroid(zip_code) is None):
        problems.append(("zip", N_("must be a 5-digit US ZIP code")))
    language = _line(values.get("language")) or "en"
    if language not in LANGUAGES:
        problems.append(("language", N_("must be en or es")))
    needs = tuple(n for n in (_line(n) for n in (values.get("needs") or "").split(",")) if n)
    for need in needs:
        if need not in CATEGORY_SLUGS:
            problems.append(("needs", N_("names a category that does not exist")))
    scopes, found = read_consent(values.get("consent", ""))
    problems += found
    supporter, found = read_phone(values.get("supporter", ""))
    problems += found
    facility = _line(values.get("facility"))
    note = _line(values.get("consent_note"))
    for field, text in (("facility", facility), ("consent_note", note)):
        if len(text) > MAX_TEXT:
            problems.append((field, N_("is longer than 200 characters")))
    if "supporter" in scopes and not supporter and not problems:
        problems.append(("supporter", N_("is missing, but consent names a supporter")))
    if problems or release is None:
        return None, problems
    return (
        Enrolment(
            first_name=name,
            release_date=release,
            consent_texts="texts" in scopes,
            consent_reminders="reminders" in scopes,
            consent_supporter="supporter" in scopes,
            consent_by=consent_by,
            facility=facility,
            zip_code=zip_code,
            language=language,
            needs=tuple(dict.fromkeys(needs)),
            consent_note=note,
            supporter=supporter,
            navigator_id=navigator_id,
            source=source,
        ),
        [],
    )


def _date(value: str, problems: list[FieldProblem]) -> dt.date | None:
    text = _line(value)
    try:
        if _DATE.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    problems.append(("release_date", N_("must be a date like 2026-12-01 (YYYY-MM-DD)")))
    return None


def read_appointment(
    kind: str, at: str, where: str, what: str, zone: ZoneInfo
) -> tuple[AppointmentFields | None, list[FieldProblem]]:
    """Check an appointment: a kind, a local YYYY-MM-DDTHH:MM, a place."""
    problems: list[FieldProblem] = []
    if kind not in KINDS:
        problems.append(
            ("kind", N_("must be probation, parole, court, service, benefits or other"))
        )
    when = None
    text = _line(at).replace(" ", "T")
    try:
        if _AT.match(text):
            when = dt.datetime.fromisoformat(text).replace(tzinfo=zone)
    except ValueError:
        pass
    if when is None:
        problems.append(("at", N_("must be a local date and time like 2026-12-01T10:30")))
    place, purpose = _line(where), _line(what)
    if not place:
        problems.append(("where", N_("is missing")))
    elif len(place) > MAX_WHERE:
        problems.append(("where", N_("is longer than 120 characters")))
    if len(purpose) > MAX_WHERE:
        problems.append(("what", N_("is longer than 120 characters")))
    if problems or when is None:
        return None, problems
    return AppointmentFields(kind, when.astimezone(dt.UTC), place, purpose), []


def enrol_person(engine: Engine, enrolment: Enrolment, at: dt.datetime) -> tuple[int, str]:
    """Keep a checked enrolment; the person's id and their link code."""
    with session_scope(engine) as session:
        return people.enrol(session, enrolment, at.astimezone(dt.UTC), new_code)


def zone_of(engine: Engine) -> ZoneInfo:
    """The loaded directory's time zone."""
    with session_scope(engine) as session:
        return ZoneInfo(directory_timezone(session))


def add_appointment(
    engine: Engine,
    care: CareData,
    person_id: int,
    fields: AppointmentFields,
    now: dt.datetime,
    navigator_id: int | None = None,
) -> tuple[int, list[dt.datetime]] | None:
    """Keep an appointment and its reminders; None when there is no such person."""
    with session_scope(engine) as session:
        if people.get_person(session, person_id) is None:
            return None
        zone = ZoneInfo(directory_timezone(session))
        times = reminder_times(care, fields.kind, fields.at, zone, now)
        appointment = people.add_appointment(
            session,
            person_id,
            fields.kind,
            fields.at,
            fields.where,
            fields.what,
            times,
            created=now.astimezone(dt.UTC),
            navigator_id=navigator_id,
        )
        return appointment, [when.astimezone(zone) for _, when in times]
