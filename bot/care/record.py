"""One person's whole record, as `homeward people show --json` prints it and the console shows it.

Times are ISO 8601 in the directory's time zone; numbers are masked to their
last four digits. Nothing here is written: it reads a plan, its link, its
timeline with reminders, scheduled messages and follow-ups.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.storage import care_answers, people
from bot.storage.care_schedule import directory_timezone, service_facts
from bot.storage.db import session_scope


def person_record(engine: Engine, person_id: int) -> dict[str, Any] | None:
    """The plan, the linked channel (masked), the timeline, reminders sent, follow-ups."""
    with session_scope(engine) as session:
        person = people.get_person(session, person_id)
        if person is None:
            return None
        zone = ZoneInfo(directory_timezone(session))
        timeline = people.appointments_of(session, person_id)
        messages = people.messages_of(session, person_id)
        follow_ups = care_answers.follow_ups_of(session, person.contact_id)
        for entry in follow_ups:
            facts = service_facts(session, str(entry["service"]))
            entry["name"] = facts[0] if facts else ""
    appointments: list[dict[str, Any]] = [
        {
            "appointment": a.id,
            "kind": a.kind,
            "at": _local(a.at, zone),
            "where": a.where,
            "what": a.what,
            "reminders": [_times(r, zone) for r in a.reminders],
        }
        for a in timeline
    ]
    sent = [
        {**_times(r, zone), "appointment": a.id, "appointment_kind": a.kind}
        for a in timeline
        for r in a.reminders
        if r["status"] == "queued"
    ]
    return {
        "person": person.id,
        "first_name": person.first_name,
        "code": person.code,
        "release_date": person.release_date,
        "facility": person.facility,
        "zip": person.zip_code,
        "language": person.language,
        "needs": list(person.needs),
        "consent": {
            **person.consent,
            "recorded_at": _local_text(person.consent["recorded_at"], zone),
        },
        "supporter": person.supporter or None,
        "navigator": person.navigator,
        "enrolled_at": _local(person.enrolled_at, zone),
        "linked": {
            "channel": person.channel,
            "user": person.linked_user,
            "linked_at": _local(person.linked_at, zone),
            "first_text_at": _local(person.first_text_at, zone),
            "opted_out": person.opted_out,
        }
        if person.contact_id
        else None,
        "timeline": appointments,
        "messages": [_times(m, zone) for m in messages],
        "reminders_sent": sent,
        "follow_ups": [_times(f, zone) for f in follow_ups],
    }


def _local(value: dt.datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def _local_text(value: object, zone: ZoneInfo) -> object:
    return (
        dt.datetime.fromisoformat(value).astimezone(zone).isoformat()
        if isinstance(value, str)
        else value
    )


def _times(entry: dict[str, object], zone: ZoneInfo) -> dict[str, object]:
    return {k: _local(v, zone) if isinstance(v, dt.datetime) else v for k, v in entry.items()}
