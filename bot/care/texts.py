"""The words of reminders and follow-ups, filled in: dates in the person's language, plain letters.

The curated wording is in ``care/messages.yaml``; what is filled in (a place a
navigator typed, a service's name, a date in Spanish) may hold accents, which
would make an SMS twice as long (UCS-2), so it is reduced to plain letters.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.care.files import CareData

_WHEN = {"en": ("en_US", "EEE MMM d, h:mm a"), "es": ("es_US", "EEE d 'de' MMM, H:mm")}
MAX_WHERE = 120  # characters of an appointment's place, so a reminder fits 3 segments


def plain(text: str) -> str:
    """Accents and curly quotes to plain letters: "Cardenas" for "Cárdenas"."""
    swapped = text.translate(str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014", "''\"\"--"))
    decomposed = unicodedata.normalize("NFKD", swapped)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.encode("ascii", "ignore").decode()


def when_text(at: dt.datetime, zone: ZoneInfo, language: str) -> str:
    """An appointment's day and time as a texter reads it: "Tue Dec 1, 10:00 AM"."""
    locale, pattern = _WHEN.get(language, _WHEN["en"])
    text = str(format_datetime(at.astimezone(zone), pattern, locale=locale))
    return plain(" ".join(text.replace("\u202f", " ").replace(".", "").split()))


def reminder(
    care: CareData,
    *,
    supporter: bool,
    language: str,
    first_name: str,
    kind: str,
    at: dt.datetime,
    where: str,
    zone: ZoneInfo,
) -> str:
    """A reminder to the person, or to the supporter who agreed to get them."""
    return plain(
        care.text(
            "supporter_reminder" if supporter else "reminder",
            language,
            first_name=first_name,
            kind=care.kind_name(kind, language),
            when=when_text(at, zone, language),
            where=where[:MAX_WHERE],
        )
    )


def follow_up(care: CareData, language: str, service_name: str) -> str:
    """ "Did you reach NAME? 1 Yes 2 Could not reach 3 Turned away 4 ...because of my record"."""
    return plain(care.text("follow_up", language, name=service_name[:80]))
