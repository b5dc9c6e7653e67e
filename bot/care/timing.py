"""When things may be sent: reminder times, quiet hours, the next allowed moment.

Pure functions of times and the curated defaults, in the directory's time zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.care.files import CareData


def reminder_times(
    care: CareData, kind: str, at: dt.datetime, zone: ZoneInfo, now: dt.datetime
) -> list[tuple[int, dt.datetime]]:
    """(days before, when) of each reminder of an appointment, earliest first.

    Each goes out at the kind's time of day, ``days_before`` days before the
    appointment's local date. A reminder already past, or one "on the morning
    of" an appointment that starts before that time, is left out.
    """
    defaults = care.kinds[kind]
    local = at.astimezone(zone)
    found = []
    for days in defaults.days_before:
        day = local.date() - dt.timedelta(days=days)
        when = dt.datetime.combine(day, defaults.at, tzinfo=zone)
        if when < local and when > now:
            found.append((days, when.astimezone(dt.UTC)))
    return sorted(found, key=lambda pair: pair[1])


def is_quiet(care: CareData, when: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether ``when`` falls in the quiet hours (by default 21:00 to 09:00)."""
    clock = when.astimezone(zone).time()
    start, end = care.quiet_from, care.quiet_until
    return (clock >= start or clock < end) if start > end else start <= clock < end


def quiet_ends(care: CareData, when: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The first moment after ``when`` that is outside the quiet hours (UTC)."""
    local = when.astimezone(zone)
    end = dt.datetime.combine(local.date(), care.quiet_until, tzinfo=zone)
    if end <= local:
        end = dt.datetime.combine(
            local.date() + dt.timedelta(days=1), care.quiet_until, tzinfo=zone
        )
    return end.astimezone(dt.UTC)


def next_local_day(care: CareData, when: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The end of the quiet hours on the next local day: "not again today"."""
    local = when.astimezone(zone)
    tomorrow = dt.datetime.combine(
        local.date() + dt.timedelta(days=1), care.quiet_until, tzinfo=zone
    )
    return tomorrow.astimezone(dt.UTC)


def local_day(when: dt.datetime, zone: ZoneInfo) -> str:
    """The local date, as YYYY-MM-DD (a day of wrong codes, of follow-ups)."""
    return when.astimezone(zone).date().isoformat()
