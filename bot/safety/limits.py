"""Per-sender limits: a flood from one number never slows anyone else down.

Counters live on the contact's row (read and written in the same transaction as
the message), so several workers share them. Past a limit the texter gets one
polite message, then silence until the window passes.
"""

from __future__ import annotations

import datetime as dt

from bot.storage.contacts import as_utc
from bot.storage.models import ContactRow

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


def count_message(contact: ContactRow, when: dt.datetime, per_minute: int, per_day: int) -> str:
    """Count one message: "ok", "notice" (first one over the limit) or "silent"."""
    minute_start = as_utc(contact.minute_start) if contact.minute_start else None
    day_start = as_utc(contact.day_start) if contact.day_start else None
    if minute_start is None or when - minute_start >= MINUTE:
        contact.minute_start, contact.minute_count = when, 0
    if day_start is None or when - day_start >= DAY:
        contact.day_start, contact.day_count = when, 0
    contact.minute_count = (contact.minute_count or 0) + 1
    contact.day_count = (contact.day_count or 0) + 1
    if contact.minute_count <= per_minute and contact.day_count <= per_day:
        contact.limit_notice_sent = False
        return "ok"
    if contact.limit_notice_sent:
        return "silent"
    contact.limit_notice_sent = True
    return "notice"
