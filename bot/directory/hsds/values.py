"""Single values from HSDS rows, read the forgiving way real exports need.

Each reader returns the value in Homeward's form (or None when nothing usable
is left) and, when it had to change what was written, the name of the repair,
so the import can count it. "9:00am" becomes "09:00", "305-555-0101 x12" stays
a phone, "Mon-Fri" becomes five weekdays, "FL " becomes "FL".
"""

from __future__ import annotations

import datetime as dt
import re

from bot.directory import fields as F
from bot.directory.hsds.textfix import one_line

TIME_12H = "times like 9:00am written as 09:00"
TIME_GUESSED = "closing times without am/pm read as afternoon (5:00 -> 17:00)"
TIME_EXTRA = "times with extra words or digits read (6:300pm, 5:00pm Mon)"
PHONE_REWRITTEN = "phone numbers rewritten (extension, stray characters)"
ZIP_REWRITTEN = "ZIP codes rewritten (lost leading zero, ZIP+4 without dash)"
ID_REWRITTEN = "ids rewritten to lowercase letters, digits and dashes"
URL_SCHEME = "web addresses given without http:// completed"

_DAY_NAMES = {
    "mo": 0,
    "mon": 0,
    "monday": 0,
    "tu": 1,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "we": 2,
    "wed": 2,
    "wednesday": 2,
    "th": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fr": 4,
    "fri": 4,
    "friday": 4,
    "sa": 5,
    "sat": 5,
    "saturday": 5,
    "su": 6,
    "sun": 6,
    "sunday": 6,
}
_DAY_GROUPS = {
    "daily": tuple(range(7)),
    "everyday": tuple(range(7)),
    "every day": tuple(range(7)),
    "7 days": tuple(range(7)),
    "weekdays": tuple(range(5)),
    "weekends": (5, 6),
}
_STANDARD_TIME_RE = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)(:[0-5]\d)?$")
_COMPACT_TIME_RE = re.compile(r"^(\d{1,2})(\d{2})\s*([ap])?\.?\s*m?\.?\s*$")
_LOOSE_TIME_RE = re.compile(r"^(\d{1,2})(?:\s*[:.h]\s*(\d{1,3}))?\s*([ap])?(\.?\s*m\.?)?(.*)$")
_EXTENSION_RE = re.compile(r"^(.*?)[\s,;]*(?:x|ext\.?|extension|ext)\s*[.:#]?\s*(.+)$", re.I)
_ZIP_RE = re.compile(r"^\d{5}(-\d{4})?$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def parse_time(value: object) -> tuple[str | None, str | None, bool]:
    """An HH:MM time, the repair made (if any), and whether am/pm was written."""
    text = " ".join(str(value or "").lower().split())
    if not text:
        return None, None, False
    if text in ("noon", "12 noon"):
        return "12:00", TIME_12H, True
    if text == "midnight":
        return "00:00", TIME_12H, True
    standard = _STANDARD_TIME_RE.match(text)
    if standard:
        hour, minute = int(standard.group(1)), int(standard.group(2))
        if hour == 24 and minute:
            return None, None, False
        return f"{hour:02d}:{minute:02d}", None, False
    compact = _COMPACT_TIME_RE.match(text)
    if compact:
        return _clock(int(compact.group(1)), int(compact.group(2)), compact.group(3), TIME_12H)
    loose = _LOOSE_TIME_RE.match(text)
    if not loose:
        return None, None, False
    hours_text, minutes_text, meridiem, _, rest = loose.groups()
    if minutes_text and len(minutes_text) == 1:
        minutes_text += "0"
    extra = rest.strip() or (minutes_text and len(minutes_text) > 2)
    repair = TIME_EXTRA if extra else TIME_12H
    return _clock(int(hours_text), int((minutes_text or "0")[:2]), meridiem, repair)


def _clock(
    hour: int, minute: int, meridiem: str | None, repair: str
) -> tuple[str | None, str | None, bool]:
    if minute > 59 or hour > 24 or (meridiem and not 1 <= hour <= 12):
        return None, None, False
    if meridiem == "p" and hour != 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    if hour == 24 and minute:
        return None, None, False
    return f"{hour:02d}:{minute:02d}", repair, meridiem is not None


def parse_days(value: object) -> tuple[int, ...] | None:
    """Weekdays (0 = Monday) from "Monday", "MO,TU", "Mon-Fri", "weekdays" or ISO 1-7."""
    text = " ".join(str(value or "").lower().replace(".", "").split())
    if not text:
        return None
    if text in _DAY_GROUPS:
        return _DAY_GROUPS[text]
    if text.isascii() and text.isdigit():
        number = int(text)
        return (number - 1,) if 1 <= number <= 7 else None
    days: set[int] = set()
    for part in re.split(r"\s*(?:,|;|/|&|\band\b)\s*", text):
        if not part:
            continue
        span = re.split(r"\s*(?:-|–|\bto\b|\bthru\b|\bthrough\b)\s*", part)
        if len(span) == 2 and span[0] in _DAY_NAMES and span[1] in _DAY_NAMES:
            start, end = _DAY_NAMES[span[0]], _DAY_NAMES[span[1]]
            days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
        elif part in _DAY_NAMES:
            days.add(_DAY_NAMES[part])
        elif part in _DAY_GROUPS:
            days.update(_DAY_GROUPS[part])
        else:
            return None
    return tuple(sorted(days)) or None


def clean_phone(number: object, extension: object = "") -> tuple[str | None, str, str | None]:
    """A phone number the validator accepts, a description to add, and the repair made."""
    text, _ = one_line(number)
    ext, _ = one_line(extension)
    if ext.endswith(".0") and ext[:-2].isascii() and ext[:-2].isdigit():
        ext = ext[:-2]  # a spreadsheet turned the extension into a number
    if not text:
        return None, "", None
    if ext:
        text = f"{text} x{ext}"
    if F.check_phone(text) is None:
        return text, "", None
    base, note = text, ""
    found = _EXTENSION_RE.match(text)
    if found:
        base, tail = found.group(1), found.group(2).strip()
        if tail.isascii() and tail.isdigit() and F.check_phone(f"{base} x{tail}") is None:
            return F.display_phone(f"{base} x{tail}"), "", PHONE_REWRITTEN
        option = re.match(r"^opt(?:ion)?\s*(\d+)$", tail, re.I)
        note = f"option {option.group(1)}" if option else f"ext. {tail}"
    if F.check_phone(base) is None:
        return F.display_phone(base), note, PHONE_REWRITTEN
    digits = F.digits_of(base)
    if len(digits) in (10, 11) and F.check_phone(digits) is None:
        return F.display_phone(digits), note, PHONE_REWRITTEN
    return None, "", None


def phone_type(value: object) -> str:
    """HSDS phone types in Homeward's words (textphone is a TTY, cell and pager are voice)."""
    kind = str(value or "").strip().lower()
    return {
        "text": "text",
        "sms": "text",
        "fax": "fax",
        "hotline": "hotline",
        "tty": "tty",
        "textphone": "tty",
        "tdd": "tty",
    }.get(kind, "voice")


def clean_zip(value: object) -> tuple[str | None, str | None]:
    """A real US ZIP code as a string, and the repair made; None when it is not one."""
    text, _ = one_line(value)
    if not text:
        return None, None
    repair = None
    digits = text.replace(" ", "")
    if re.fullmatch(r"\d{9}", digits):
        text, repair = f"{digits[:5]}-{digits[5:]}", ZIP_REWRITTEN
    elif re.fullmatch(r"\d{3,4}", digits):
        text, repair = digits.zfill(5), ZIP_REWRITTEN
    if not _ZIP_RE.match(text) or F.check_zip(text) is not None:
        return None, None
    return text, repair


def clean_id(value: object) -> tuple[str | None, str | None]:
    """A Homeward id from a source id: kept as written when it fits, else rewritten."""
    text = str(value or "").strip()
    if not text:
        return None, None
    if F.check_id(text) is None:
        return text, None
    rewritten = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return (rewritten, ID_REWRITTEN) if rewritten else (None, None)


def clean_url(value: object) -> tuple[str, str | None]:
    """A web address with its scheme ("www.x.org" -> "http://www.x.org")."""
    text, _ = one_line(value)
    if not text or " " in text:
        return "", None
    if not _SCHEME_RE.match(text) and "." in text:
        return f"http://{text}", URL_SCHEME
    return text, None


def clean_email(value: object) -> str:
    """An email address, or "" when the value is not one."""
    text, _ = one_line(value)
    return text if _EMAIL_RE.match(text) else ""


def parse_date(value: object, today: dt.date) -> dt.date | None:
    """A date from "2019-07-29", an ISO datetime or "07/29/2019"; None if unreadable or future."""
    text = str(value or "").strip()
    found = None
    for pattern, order in (
        (r"^(\d{4})-(\d{2})-(\d{2})", "ymd"),
        (r"^(\d{1,2})/(\d{1,2})/(\d{4})", "mdy"),
    ):
        match = re.match(pattern, text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                found = dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return found if found and found <= today else None
