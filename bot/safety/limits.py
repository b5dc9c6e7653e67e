"""Per-sender limits: a flood from one number never slows anyone else down.

The counts are part of the texter's state (``RateWindow``), read and saved in
the same transaction as the message, so several workers share them. They are
kept per person: one phone number on SMS and WhatsApp has one set of counts. This
module only decides: past a limit the texter gets one polite message, then
silence until the window passes.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from bot.storage.rates import RateWindow

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


class Limit(StrEnum):
    """What to do with one message after counting it."""

    OK = "ok"
    NOTICE = "notice"  # the first one over a limit: say so once
    SILENT = "silent"  # over a limit and already told


def count_message(
    window: RateWindow, when: dt.datetime, per_minute: int, per_day: int
) -> tuple[RateWindow, Limit]:
    """Count one message: the new window and whether it is within the limits."""
    minute_start, minute_count = window.minute_start, window.minute_count
    day_start, day_count = window.day_start, window.day_count
    if minute_start is None or when - minute_start >= MINUTE:
        minute_start, minute_count = when, 0
    if day_start is None or when - day_start >= DAY:
        day_start, day_count = when, 0
    minute_count, day_count = minute_count + 1, day_count + 1
    if minute_count <= per_minute and day_count <= per_day:
        return RateWindow(minute_start, minute_count, day_start, day_count, False), Limit.OK
    verdict = Limit.SILENT if window.notice_sent else Limit.NOTICE
    return RateWindow(minute_start, minute_count, day_start, day_count, True), verdict
