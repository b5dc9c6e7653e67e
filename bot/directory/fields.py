"""Checks for single field values: phones, ZIPs, times, dates, ids.

Each returns a plain-words problem, or None when the value is fine, so the
file checker can report every problem with its line.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import phonenumbers

from bot.directory.model import WEEKDAYS
from bot.directory.yamlfile import line_of
from bot.directory.zipdata import zip_point

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
ZIP_RE = re.compile(r"^\d{5}(-\d{4})?$")
# N11 service codes and the 988 Lifeline are real numbers people must be able to reach.
SHORT_CODES = frozenset({"211", "311", "411", "511", "711", "811", "911", "988"})
# 555-0100..0199 is reserved for fiction in North America; sample entries use it.
FICTIONAL_RE = re.compile(r"^1?[2-9]\d{2}55501\d{2}$")
WEEKDAY_GROUPS = {
    "daily": tuple(range(7)),
    "weekdays": tuple(range(5)),
    "weekends": (5, 6),
}


def check_id(value: object) -> str | None:
    """Ids are lowercase letters, digits, dots, dashes and underscores."""
    if not isinstance(value, str) or not value:
        return "is missing"
    if not ID_RE.match(value):
        return f"'{value}' must use lowercase letters, digits, dashes, dots or underscores only"
    return None


def digits_of(number: str) -> str:
    """The digits of a phone number as written."""
    return re.sub(r"\D", "", number)


def check_phone(value: object) -> str | None:
    """A valid US number, the fictional 555-01xx range, or a short code like 988."""
    if not isinstance(value, str | int) or not str(value).strip():
        return "is missing"
    number = str(value).strip()
    digits = digits_of(number)
    if digits in SHORT_CODES or FICTIONAL_RE.match(digits):
        return None
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return f"'{number}' is not a phone number"
    if parsed.country_code != 1:
        return f"'{number}' is not a US or Canadian number"
    if not phonenumbers.is_valid_number(parsed):
        return f"'{number}' is not a valid phone number"
    return None


@lru_cache(maxsize=4096)
def zip_centroid(code: str) -> tuple[float, float] | None:
    """Latitude and longitude of a US ZIP's centre, from offline data."""
    if not ZIP_RE.match(code):
        return None
    found = zip_point(code[:5])
    if found is None:
        return None
    return float(found.lat), float(found.long)


@lru_cache(maxsize=4096)
def zip_timezone(code: str) -> str | None:
    """The IANA time zone of a US ZIP ("33157" -> "America/New_York"), from offline data."""
    if not ZIP_RE.match(code):
        return None
    found = zip_point(code[:5])
    return found.timezone if found and found.timezone else None


def check_zip(value: object) -> str | None:
    """A real US ZIP code, written as a string."""
    if value is None or value == "":
        return None
    code = str(value).strip()
    if not ZIP_RE.match(code):
        return f"'{code}' is not a ZIP code (5 digits)"
    if zip_centroid(code) is None:
        return f"'{code}' is not a real US ZIP code"
    return None


def check_time(value: object) -> str | None:
    """24-hour HH:MM; 24:00 is allowed as a closing time."""
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 9:00 as the number 540 (base 60).
        return 'write times in quotes, like "09:00"'
    if not isinstance(value, str) or not TIME_RE.match(value.strip()):
        return f"'{value}' is not a time like 09:00 or 17:30"
    return None


def minutes(value: str) -> int:
    """Minutes since midnight of an HH:MM time."""
    hours, mins = value.strip().split(":")
    return int(hours) * 60 + int(mins)


def parse_weekdays(value: object) -> tuple[tuple[int, ...], str | None]:
    """Weekday numbers (0 = Monday) from a name, a group name or a list of them."""
    items = value if isinstance(value, list) else [value]
    days: list[int] = []
    for item in items:
        name = str(item).strip().lower()
        if name in WEEKDAY_GROUPS:
            days.extend(WEEKDAY_GROUPS[name])
        elif name in WEEKDAYS:
            days.append(WEEKDAYS.index(name))
        else:
            return (), f"'{item}' is not a weekday (monday..sunday, daily, weekdays, weekends)"
    return tuple(sorted(set(days))), None


def check_date(value: object, today: dt.date) -> str | None:
    """A calendar date (YYYY-MM-DD) that is not in the future."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        return f"'{value}' is not a date like 2026-01-31"
    if value > today + dt.timedelta(days=1):  # a day of slack for time zones
        return f"{value} is in the future"
    return None


def line_of_item(data: object, key: str, index: int) -> int:
    """The line of item ``index`` in the list under ``key`` of a mapping."""
    container = data.get(key) if isinstance(data, dict) else None
    return line_of(container, index) if container is not None else line_of(data, key)


@lru_cache(maxsize=8192)
def display_phone(number: str) -> str:
    """A phone number the way people read it: "(510) 555-0101", "988" (every reply shows some)."""
    digits = digits_of(number)
    if digits in SHORT_CODES:
        return digits
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return number
    if parsed.country_code == 1:
        return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
