"""Command words (STOP, HELP, MORE, a number, a ZIP...) from ``commands.yaml``.

Commands are checked before search: a texter who sends "stop" must be stopped,
not shown shelters near "stop".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

from bot.directory.loader import shared_file
from bot.search.text import words


class Command(StrEnum):
    """What a message asks for before any search."""

    STOP = "stop"
    START = "start"
    HELP = "help"
    MORE = "more"
    MENU = "menu"
    PLAN = "plan"  # the numbered list shown last: first-week plan, family list, needs
    ENGLISH = "english"
    SPANISH = "spanish"
    PERSON = "person"
    THANKS = "thanks"
    BYE = "bye"
    GREETING = "greeting"
    TOGGLE_LANGUAGE = "toggle_language"
    WRONG = "wrong"
    ABOUT = "about"  # "are you a bot": what Homeward is, and PERSON for a person
    PRIVACY = "privacy"
    DELETE = "delete"
    NUMBER = "number"
    ZIP = "zip"
    EMPTY = "empty"
    NEED = "need"


# Checked in this order: opting out must win over everything else.
_ORDER = (
    Command.STOP,
    Command.START,
    Command.HELP,
    Command.PRIVACY,
    Command.DELETE,
    Command.MORE,
    Command.MENU,
    Command.PLAN,
    Command.ENGLISH,
    Command.SPANISH,
    Command.PERSON,
    Command.THANKS,
    Command.BYE,
    Command.GREETING,
    Command.TOGGLE_LANGUAGE,
    Command.WRONG,
    Command.ABOUT,
)
_NUMBER_RE = re.compile(r"^#?\s*(\d{1,2})\s*[.)]?$")
_ZIP_RE = re.compile(r"^(\d{5})(?:-\d{4})?$")


@dataclass(frozen=True)
class Parsed:
    """A classified message: the command and its argument, if any."""

    command: Command
    number: int | None = None
    zip_code: str | None = None
    note: str | None = None  # WRONG's words after the command ("wrong closed" -> "closed")


class CommandWords:
    """The command vocabulary of a directory folder."""

    def __init__(self, folder: Path | None = None, *, text: str | None = None) -> None:
        """The words of a folder's ``commands.yaml``, or of that file's ``text`` as loaded."""
        if text is None:
            text = shared_file(folder or Path(), "commands.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
        self.whole: dict[Command, set[str]] = {}
        self.phrases: dict[Command, list[str]] = {}
        for command in _ORDER:
            entry = data.get(command.value) or {}
            self.whole[command] = {
                " ".join(words(str(w))) or str(w) for w in entry.get("whole", [])
            }
            self.phrases[command] = [" ".join(words(str(p))) for p in entry.get("phrases", [])]
        confirm = (data.get("confirm") or {}).get("whole", [])
        self.confirm = {" ".join(words(str(w))) or str(w) for w in confirm}

    def confirms(self, text: str) -> bool:
        """Whether a message says yes to a question (erasing data): YES, SI, OK."""
        return " ".join(words(text.strip())) in self.confirm

    def classify(self, text: str) -> Parsed:
        """The command a message carries, or NEED when it is a request to search."""
        stripped = text.strip()
        folded = " ".join(words(stripped))
        if not folded and not stripped:
            return Parsed(Command.EMPTY)
        if match := _NUMBER_RE.match(stripped):
            return Parsed(Command.NUMBER, number=int(match.group(1)))
        if match := _ZIP_RE.match(stripped):
            return Parsed(Command.ZIP, zip_code=match.group(1))
        for command in _ORDER:
            if folded in self.whole[command] or stripped.lower() in self.whole[command]:
                return Parsed(command)
        first, _, rest = stripped.partition(" ")
        if rest.strip() and " ".join(words(first)) in self.whole[Command.WRONG]:
            return Parsed(Command.WRONG, note=rest.strip())
        padded = f" {folded} "
        # "are you a real person" asks what Homeward is; "are you a bot, i need to talk to
        # someone" also asks for a person: the question is set aside, and an ask left wins.
        about = [p for p in self.phrases[Command.ABOUT] if f" {p} " in padded]
        for phrase in about:
            padded = padded.replace(f" {phrase} ", " ")
        for command in _ORDER:
            if any(f" {phrase} " in padded for phrase in self.phrases[command]):
                return Parsed(command)
        if about:
            return Parsed(Command.ABOUT)
        return Parsed(Command.NEED if folded else Command.EMPTY)
