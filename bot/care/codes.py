"""Link codes: 6 letters and digits without look-alikes, read forgivingly.

No 0/O, 1/I/L: a code is read off a printed letter, often by someone tired, on
a small phone. A code always holds at least one digit and two letters, so a
six-letter word ("PANTRY") or a six-digit number is never taken for one.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
_DIGITS = set("23456789")
_SHAPE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")
_SPACES = re.compile(r"[\s\-.]+")


def new_code() -> str:
    """A random code (about 30 bits): at least one digit and two letters."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        digits = sum(c in _DIGITS for c in code)
        if 1 <= digits <= LENGTH - 2:
            return code


def read_code(text: str) -> str | None:
    """The code a text is, case-insensitive and with spaces ignored; None if it is not one."""
    candidate = _SPACES.sub("", text.strip()).upper()
    if not _SHAPE.match(candidate):
        return None
    digits = sum(c in _DIGITS for c in candidate)
    return candidate if 1 <= digits <= LENGTH - 2 else None
