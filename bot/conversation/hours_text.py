"""Opening hours in words: "Open now", "Opens Mon 9:00 AM", "Mon-Fri 9:00 AM-5:00 PM"."""

from __future__ import annotations

import datetime as dt

from bot.directory.model import Schedule
from bot.i18n import Translator
from bot.search.hours import is_open, next_opening


def open_status(t: Translator, schedules: tuple[Schedule, ...], when: dt.datetime) -> str:
    """A short status for a result line, or "" when the hours are unknown."""
    state = is_open(schedules, when)
    if state is None:
        return ""
    if state:
        return t.gettext("Open now")
    opening = next_opening(schedules, when)
    if opening is None:
        return t.gettext("Closed")
    if opening.days_ahead == 0:
        return t.gettext("Opens today {time}").format(time=t.time(opening.opens_at))
    if opening.days_ahead == 1:
        return t.gettext("Opens tomorrow {time}").format(time=t.time(opening.opens_at))
    return t.gettext("Opens {day} {time}").format(
        day=t.weekday(opening.weekday, short=True), time=t.time(opening.opens_at)
    )


def week_hours(t: Translator, schedules: tuple[Schedule, ...]) -> str:
    """The week's hours, days with the same hours grouped: "Mon-Fri 9:00 AM-5:00 PM"."""
    parts = []
    for schedule in schedules:
        span = f"{t.time(schedule.opens_at)}-{t.time(schedule.closes_at)}"
        if schedule.opens_at == "00:00" and schedule.closes_at == "24:00":
            span = t.gettext("24 hours")
        parts.append(f"{_days(t, schedule.weekdays)} {span}")
    return "; ".join(parts)


def _days(t: Translator, days: tuple[int, ...]) -> str:
    if len(days) == 7:
        return t.gettext("Every day")
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        t.weekday(r[0], short=True)
        if len(r) == 1
        else f"{t.weekday(r[0], short=True)}-{t.weekday(r[-1], short=True)}"
        for r in runs
    )
