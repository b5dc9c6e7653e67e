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
    NEEDS = "needs"  # "You asked about 1 Housing 2 Food": "2" shows that need's places
    PLAN = "plan"  # a numbered plan (first week out, what families need): "2" opens item 2
    ERASE = "erase"  # "erase everything?" was asked: YES confirms, anything else keeps
    CARE_PLAN = "care_plan"  # a person's plan after a link code: "2" picks its second need
    FOLLOW_UP = "follow_up"  # "Did you reach NAME?" was asked: 1 to 4 answers it
    REPORT = "report"  # WRONG was sent: the next text says what is wrong with the listing


# Commands that carry no words to tell the language by.
_WORDLESS = (
    Command.NUMBER,
    Command.ZIP,
    Command.EMPTY,
    Command.MENU,
    Command.MORE,
    Command.PLAN,
)


# A switch to another language needs this many of its words (after typo correction):
# "ged clases" from an English texter is one Spanish-looking word, not Spanish.
CLEAR_EVIDENCE = 2


def next_language(current: str, parsed: Parsed, counts: Callable[[], dict[str, int]]) -> str:
    """The language to answer in after this message.

    ENGLISH, SPANISH and the language button set it. Otherwise the language
    changes only on clear evidence: at least two words only the other language
    has (read after typo correction, so one typo never flips it), and more of
    them than of the current language's; a command word alone ("borrar", "MAL"
    after a place's details) is enough. Numbers, ZIPs, MENU, MORE and PLAN keep it.
    """
    if parsed.command is Command.ENGLISH:
        return "en"
    if parsed.command is Command.SPANISH:
        return "es"
    if parsed.command is Command.TOGGLE_LANGUAGE:
        return "es" if current == "en" else "en"
    if parsed.command in _WORDLESS:
        return current
    found = counts()  # only here: reading the words costs more than the rest of this
    best = max(found, key=lambda language: found[language], default=current)
    # A command word alone ("privacidad", "borrar", "MAL") is the texter choosing a
    # language; PERSON is not (Spanish texters send it as often as PERSONA), nor are
    # the texter's own words after WRONG ("wrong, closed manana"): they need two.
    free = parsed.command in (Command.NEED, Command.PERSON) or parsed.note is not None
    needed = CLEAR_EVIDENCE if free else 1
    clear = found.get(best, 0) >= needed and found[best] > found.get(current, 0)
    return best if clear and best != current and best in available_languages() else current


def first_language(detected: str | None, hint: str | None) -> str:
    """A new texter's language: what their first text is written in, else the platform's hint."""
    chosen = detected or (hint if hint in available_languages() else None) or "en"
    return chosen if chosen in available_languages() else "en"
