"""Navigators' office hours (``HOMEWARD_OFFICE_HOURS``), in words and in time."""

from __future__ import annotations

import datetime as dt

from bot.conversation.hours_text import week_hours
from bot.directory.model import Schedule
from bot.i18n import Translator
from bot.search.hours import is_open, next_opening
from bot.settings import OfficeHours


class OfficeClock:
    """Answers "is someone there now?" and "when will someone be?"."""

    def __init__(self, hours: tuple[OfficeHours, ...]) -> None:
        self.schedules = tuple(Schedule(h.weekdays, h.opens_at, h.closes_at) for h in hours)

    def is_open(self, when: dt.datetime) -> bool:
        """True during office hours."""
        return bool(is_open(self.schedules, when))

    def describe(self, t: Translator) -> str:
        """The hours in words: "Mon-Fri 9:00 AM-5:00 PM"."""
        return week_hours(t, self.schedules)

    def next_opening(self, t: Translator, when: dt.datetime) -> str:
        """When the office next opens, in words: "today 9:00 AM", "Mon 9:00 AM"."""
        opening = next_opening(self.schedules, when)
        if opening is None:
            return ""
        time = t.time(opening.opens_at)
        if opening.days_ahead == 0:
            return t.gettext("today at {time}").format(time=time)
        if opening.days_ahead == 1:
            return t.gettext("tomorrow at {time}").format(time=time)
        return t.gettext("{day} at {time}").format(day=t.weekday(opening.weekday), time=time)
