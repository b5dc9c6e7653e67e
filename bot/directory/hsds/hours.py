"""Opening hours from HSDS rows into Homeward schedules, or honestly unknown.

A service whose hours cannot all be read gets no schedule at all (hours
unknown) rather than a partial one: a Monday row that could not be read would
otherwise say "closed on Monday". The source's own words for the hours, when
it has them (``original_text``), become the service's ``hours_notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.directory.fields import minutes
from bot.directory.hsds.records import RawSchedule
from bot.directory.hsds.report import ImportReport
from bot.directory.hsds.textfix import one_line
from bot.directory.hsds.values import TIME_GUESSED, parse_days, parse_time
from bot.directory.model import WEEKDAYS

OVERNIGHT = "overnight hours split into two rows (19:00-24:00, 00:00-07:00)"
ALL_DAY = "open all day written as 00:00-24:00"
UNREADABLE = "hours unreadable, so the service's hours are left unknown"


@dataclass
class Hours:
    """The schedules to write (weekday names, times) and any notes on hours."""

    rows: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_hours(schedules: list[RawSchedule], record: str, report: ImportReport) -> Hours:
    """Homeward schedule rows for one service's HSDS schedule rows, in their order.

    Rows of one day each (1.x writes Monday, Tuesday... as rows) with the same
    times become one row of several weekdays; rows that already name several
    days are kept as written.
    """
    hours = Hours()
    groups: list[tuple[str, str, set[int], bool]] = []
    readable = True
    for schedule in schedules:
        note, _ = one_line(schedule.note)
        if note and note not in hours.notes:
            hours.notes.append(note)
        found = _read_row(schedule, record, report)
        if found is None:
            readable = False
            continue
        single = len(parse_days(schedule.days) or ()) == 1
        own: dict[tuple[str, str], set[int]] = {}
        for day, opens, closes in found:
            shared = next((g for g in groups if single and g[3] and g[:2] == (opens, closes)), None)
            if shared is not None:
                shared[2].add(day)
            elif (opens, closes) in own:
                own[(opens, closes)].add(day)
            else:
                own[(opens, closes)] = {day}
                groups.append((opens, closes, own[(opens, closes)], single))
    if not readable:
        return Hours(notes=hours.notes)
    for opens, closes, days, _ in groups:
        names = [WEEKDAYS[d] for d in sorted(days)]
        hours.rows.append(
            {
                "weekday": names if len(names) > 1 else names[0],
                "opens_at": opens,
                "closes_at": closes,
            }
        )
    hours.notes = []  # the structured hours say it all
    return hours


def _read_row(
    schedule: RawSchedule, record: str, report: ImportReport
) -> list[tuple[int, str, str]] | None:
    """(day, opens, closes) spans for one row; None (and a skip) when unreadable."""
    if schedule.freq.strip().upper() not in ("", "WEEKLY"):
        report.skipped(
            schedule.where, UNREADABLE, f"{schedule.freq.lower()} hours are not weekly hours"
        )
        return None
    days = parse_days(schedule.days)
    opens, open_fix, _ = parse_time(schedule.opens_at)
    closes, close_fix, close_marked = parse_time(schedule.closes_at)
    if days is None or opens is None or closes is None:
        detail = (
            f"day {schedule.days!r}, opens {schedule.opens_at!r}, closes {schedule.closes_at!r}"
        )
        report.skipped(schedule.where, UNREADABLE, detail)
        return None
    for fix in {open_fix, close_fix}:
        if fix:
            report.repaired(fix, record)
    if closes == "23:59":
        closes = "24:00"  # HSDS writes the end of the day as 23:59:59
    start, end = minutes(opens), minutes(closes)
    if end == start and start == 0:
        report.repaired(ALL_DAY, record)
        return [(d, "00:00", "24:00") for d in days]
    if end <= start and not close_marked and end < 12 * 60 and end + 12 * 60 > start:
        report.repaired(TIME_GUESSED, record)
        end += 12 * 60
        closes = f"{end // 60:02d}:{end % 60:02d}"
    if end == 0:
        closes, end = "24:00", 24 * 60
    if end == start:
        report.skipped(schedule.where, UNREADABLE, f"opens and closes at {opens}")
        return None
    if end < start:
        report.repaired(OVERNIGHT, record)
        spans = [(d, opens, "24:00") for d in days]
        return spans + [((d + 1) % 7, "00:00", closes) for d in days if closes != "00:00"]
    return [(d, opens, closes) for d in days]
