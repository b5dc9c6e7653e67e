"""Opening hours: is a service open now, and when does it next open.

Times are wall-clock times in the directory's time zone (``directory.yaml``),
because a shelter's 7 pm is 7 pm where the shelter is, whatever the server's zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.directory.fields import minutes
from bot.directory.model import Schedule


@dataclass(frozen=True)
class Opening:
    """The next time a service opens: days from today (0 = today) and the time."""

    days_ahead: int
    weekday: int
    opens_at: str


def is_open(schedules: tuple[Schedule, ...], when: dt.datetime) -> bool | None:
    """True or False from the schedules; None when the hours are unknown."""
    if not schedules:
        return None
    day, now = when.weekday(), when.hour * 60 + when.minute
    return any(
        day in s.weekdays and minutes(s.opens_at) <= now < minutes(s.closes_at) for s in schedules
    )


def next_opening(schedules: tuple[Schedule, ...], when: dt.datetime) -> Opening | None:
    """The next opening after ``when`` within a week, or None without schedules."""
    now = when.hour * 60 + when.minute
    best: tuple[int, int, str] | None = None
    for ahead in range(8):
        day = (when.weekday() + ahead) % 7
        for schedule in schedules:
            start = minutes(schedule.opens_at)
            if day in schedule.weekdays and (ahead > 0 or start > now):
                candidate = (ahead, start, schedule.opens_at)
                best = candidate if best is None or candidate < best else best
        if best is not None:
            return Opening(best[0], day, best[2])
    return None
