"""`homeward people enrol|import|appointment|show`: continuity of care from the command line.

The JSON shapes are a contract (docs/care.md): ``enrol --json`` prints
``{"person": ID, "code": "K7M2QX"}``, ``appointment --json`` prints
``{"appointment": ID, "reminders": ["ISO time", ...]}``.
"""

from __future__ import annotations

import argparse
import json
import sys

from sqlalchemy import Engine

from bot.care.files import load_care
from bot.care.plans import (
    FieldProblem,
    add_appointment,
    enrol_person,
    read_appointment,
    read_enrolment,
    zone_of,
)
from bot.care.record import person_record
from bot.care.roster import import_roster, read_roster
from bot.cli_common import UsageError, print_problems
from bot.settings import Settings
from bot.storage.contacts import now
from bot.storage.db import make_engine, session_scope
from bot.storage.navigators import find_navigator

COMMAND_LINE = "command line"  # who recorded consent when no navigator is named


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one `homeward people` command."""
    engine = make_engine(settings.database_url, settings.secret_keys)
    if args.action == "enrol":
        return _enrol(engine, args)
    if args.action == "import":
        rows, problems = read_roster(args.roster, COMMAND_LINE)
        if problems:
            print_problems(problems)
            print(f"{len(problems)} problem(s) found; nobody was imported", file=sys.stderr)
            return 1
        made = import_roster(engine, rows, now())
        if args.json:
            print(json.dumps(made))
        else:
            print(f"Imported {len(made)} people.")
            for entry in made:
                print(f"line {entry['line']}: person {entry['person']}, code {entry['code']}")
        return 0
    if args.action == "appointment":
        return _appointment(engine, settings, args)
    record = person_record(engine, args.person)
    if record is None:
        raise UsageError(f"there is no person {args.person}")
    print(json.dumps(record, indent=None if args.json else 2, ensure_ascii=args.json))
    return 0


def _problems(problems: list[FieldProblem]) -> UsageError:
    return UsageError("; ".join(f"--{field.replace('_', '-')} {text}" for field, text in problems))


def _enrol(engine: Engine, args: argparse.Namespace) -> int:
    navigator_id, consent_by = None, COMMAND_LINE
    if args.navigator:
        with session_scope(engine) as session:
            row = find_navigator(session, args.navigator)
            if row is None:
                raise UsageError(f"no navigator account {args.navigator}")
            navigator_id, consent_by = row.id, row.email
    values = {
        "first_name": args.first_name,
        "release_date": args.release_date,
        "facility": args.facility,
        "zip": args.zip,
        "language": args.language,
        "needs": args.needs,
        "consent": args.consent,
        "consent_note": args.consent_note,
        "supporter": args.supporter,
    }
    enrolment, problems = read_enrolment(
        values, consent_by=consent_by, navigator_id=navigator_id, source="cli"
    )
    if enrolment is None:
        raise _problems(problems)
    person, code = enrol_person(engine, enrolment, now())
    if args.json:
        print(json.dumps({"person": person, "code": code}))
    else:
        print(f"Enrolled person {person}. Link code: {code}")
    return 0


def _appointment(engine: Engine, settings: Settings, args: argparse.Namespace) -> int:
    care = load_care(settings.directory)
    fields, problems = read_appointment(args.kind, args.at, args.where, args.what, zone_of(engine))
    if fields is None:
        raise _problems(problems)
    made = add_appointment(engine, care, args.person, fields, now())
    if made is None:
        raise UsageError(f"there is no person {args.person}")
    appointment, reminders = made
    times = [when.isoformat() for when in reminders]
    if args.json:
        print(json.dumps({"appointment": appointment, "reminders": times}))
    else:
        print(f"Added appointment {appointment}; reminders at: {', '.join(times) or '(none)'}")
    return 0
