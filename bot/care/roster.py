"""A partner's release list: `homeward people import ROSTER.csv`.

One row per person, with the enrolment's fields as columns (``COLUMNS``).
Every bad row is reported as ``file:line: field: problem``, all at once, and
then nothing is imported: a roster goes in whole or not at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
from pathlib import Path

from sqlalchemy import Engine

from bot.care.codes import new_code
from bot.care.plans import read_enrolment
from bot.directory.problems import Problem
from bot.storage import people
from bot.storage.db import session_scope
from bot.storage.people import Enrolment

COLUMNS = (
    "first_name",
    "release_date",
    "facility",
    "zip",
    "language",
    "needs",
    "consent",
    "consent_note",
    "supporter",
)
REQUIRED = ("first_name", "release_date", "consent")
MAX_ROWS = 5000


def read_roster(path: Path, consent_by: str) -> tuple[list[tuple[int, Enrolment]], list[Problem]]:
    """Every row checked: the enrolments with their lines, or every problem."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(name, 1, "(file)", f"cannot be read as UTF-8 text ({exc})")]
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [h.strip() for h in reader.fieldnames or []]
    problems = [
        Problem(name, 1, f"(column {n})", _unknown(h))
        for n, h in enumerate(header, start=1)
        if h not in COLUMNS
    ]
    problems += [Problem(name, 1, c, "column is missing") for c in REQUIRED if c not in header]
    if problems:
        return [], problems
    found: list[tuple[int, Enrolment]] = []
    for row in reader:
        line = reader.line_num
        if len(found) + len(problems) >= MAX_ROWS:
            problems.append(Problem(name, line, "(file)", f"more than {MAX_ROWS} rows"))
            break
        if None in row:
            problems.append(Problem(name, line, "(row)", "has more cells than the header"))
            continue
        values = {k.strip(): (v or "").replace(";", ",") for k, v in row.items() if k}
        if not any(v.strip() for v in values.values()):
            continue  # a blank line
        enrolment, wrong = read_enrolment(values, consent_by=consent_by, source="roster")
        problems += [Problem(name, line, field, message) for field, message in wrong]
        if enrolment is not None:
            found.append((line, enrolment))
    if not found and not problems:
        problems.append(Problem(name, 1, "(file)", "has no rows"))
    return ([] if problems else found), problems


def _unknown(header: str) -> str:
    """What is wrong with a column name, without repeating it.

    A roster saved without its header row makes the first person's cells the
    column names: echoing them would print a name and a phone number to the
    terminal and to whatever keeps its output. The closest known column is
    named instead, which is all a misspelt header needs.
    """
    close = difflib.get_close_matches(header.lower().replace(" ", "_"), COLUMNS, n=1)
    hint = f" (did you mean {close[0]}?)" if close else f" (columns: {', '.join(COLUMNS)})"
    return "unknown column" + hint


def import_roster(
    engine: Engine, rows: list[tuple[int, Enrolment]], at: dt.datetime
) -> list[dict[str, object]]:
    """Enrol every row in one transaction; each row's line, person id and code."""
    with session_scope(engine) as session:
        made = []
        for line, enrolment in rows:
            person, code = people.enrol(session, enrolment, at, new_code)
            made.append({"line": line, "person": person, "code": code})
        return made
