"""The texter's state as the core reads it: what a bare reply answers, and the language.

The state itself is kept by ``bot.storage.texters`` (a ``Texter``, saved in the
message's transaction); this module names its values and the rules that
change them.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from bot.conversation.commands import Command, Parsed
from bot.i18n import available_languages


class Awaiting(StrEnum):
    """What the bot asked last, which decides what a bare number or YES means."""

    NOTHING = ""
    MENU = "menu"  # the category menu is showing: "3" picks a category
    RESULTS = "results"  # a results page is showing: "2" opens a result's details
    ERASE = "erase"  # "erase everything?" was asked: YES confirms, anything else keeps
    REPORT = "report"  # WRONG was sent: the next text says what is wrong with the listing


# Commands that carry no words to tell the language by.
_WORDLESS = (
    Command.NUMBER,
    Command.ZIP,
    Command.EMPTY,
    Command.MENU,
    Command.MORE,
    Command.WRONG,  # "mal" is also a word of other languages: WRONG keeps the language
)


def next_language(current: str, parsed: Parsed, detect: Callable[[], str | None]) -> str:
    """The language to answer in after this message.

    ENGLISH, SPANISH and the language button set it; a text with words in a
    known language switches to that language; numbers, ZIPs, MENU and MORE keep it.
    """
    if parsed.command is Command.ENGLISH:
        return "en"
    if parsed.command is Command.SPANISH:
        return "es"
    if parsed.command is Command.TOGGLE_LANGUAGE:
        return "es" if current == "en" else "en"
    if parsed.command in _WORDLESS:
        return current
    detected = detect()  # only here: detecting costs more than the rest of this
    return detected if detected is not None and detected in available_languages() else current


def first_language(detected: str | None, hint: str | None) -> str:
    """A new texter's language: what their first text is written in, else the platform's hint."""
    chosen = detected or (hint if hint in available_languages() else None) or "en"
    return chosen if chosen in available_languages() else "en"
