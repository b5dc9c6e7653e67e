"""Texters' corrections: WRONG (MAL) after a place's details says the listing is wrong.

"WRONG" alone asks what is wrong; the next text is the answer. "WRONG closed"
says it at once. The report is about the service whose details were shown
last, filed by kind (closed, moved, wrong number, would not take me, hours:
``report_reasons.yaml``) with the texter's words sealed, for a navigator or
curator to check in the console (``bot.storage.reports``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.conversation.draft import Draft
from bot.conversation.message import Intent, Turn
from bot.conversation.state import Awaiting
from bot.conversation.view import DirectoryView
from bot.directory.loader import shared_file
from bot.directory.model import Service
from bot.i18n import Translator
from bot.search.text import words
from bot.storage.texters import report_wrong

REASONS_FILE = "report_reasons.yaml"


@dataclass(frozen=True)
class ReportReasons:
    """Words and phrases per kind of report, in the file's order."""

    kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, folder: Path) -> ReportReasons:
        """``report_reasons.yaml`` of a directory folder, or the repository's."""
        path = shared_file(folder, REASONS_FILE)
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
        listed = data.get("kinds") if isinstance(data, dict) else None
        if not isinstance(listed, dict):
            return cls()
        return cls(
            tuple(
                (str(kind), tuple(" ".join(words(str(p))) for p in phrases or []))
                for kind, phrases in listed.items()
            )
        )

    def kind(self, text: str) -> str:
        """What a texter's words say is wrong ("other" when nothing matches)."""
        padded = f" {' '.join(words(text))} "
        for kind, phrases in self.kinds:
            if any(f" {phrase} " in padded for phrase in phrases if phrase):
                return kind
        return "other"


class Corrections:
    """WRONG and the answer to "what is wrong?", for one message."""

    def __init__(
        self, view: DirectoryView, draft: Draft, session: Session, reasons: ReportReasons
    ) -> None:
        self.view = view
        self.draft = draft
        self.texter = draft.texter
        self.session = session
        self.reasons = reasons

    def wrong(self, note: str | None) -> Turn:
        """WRONG: ask what is wrong, or file it at once when the texter said."""
        service = self._shown()
        if service is None:
            return self.draft.say(open_first, Intent.REPORT)
        if note:
            return self._file(service, note)
        self.texter.awaiting = Awaiting.REPORT
        return self.draft.say(lambda t: ask_what(t, service.name), Intent.REPORT)

    def answer(self, text: str) -> Turn:
        """The text after WRONG: what is wrong with the listing. The results it came
        from are still showing: a number sent next opens another of them."""
        self.texter.awaiting = Awaiting.RESULTS if self.texter.last_results else Awaiting.NOTHING
        service = self._shown()
        if service is None:
            return self.draft.say(open_first, Intent.REPORT)
        return self._file(service, text)

    def _file(self, service: Service, note: str) -> Turn:
        report_wrong(self.session, self.texter, service.id, self.reasons.kind(note), note)
        self.draft.turn.shown = [service.id]
        return self.draft.say(lambda t: thanks(t, service.name), Intent.REPORT)

    def _shown(self) -> Service | None:
        service_id = self.texter.detail_service
        return self.view.search.index.service(service_id) if service_id else None


def open_first(t: Translator) -> str:
    """WRONG without a place shown: how to report one."""
    return t.gettext(
        "To tell us a listing is wrong, open it first (text its number), then reply WRONG."
    )


def ask_what(t: Translator, name: str) -> str:
    """WRONG alone: what is wrong with it?"""
    return t.gettext(
        "What is wrong with {name}? Reply in a few words, like: closed, moved, "
        "wrong number, would not take me."
    ).format(name=name)


def thanks(t: Translator, name: str) -> str:
    """A report is filed."""
    return t.gettext(
        "Thank you. A navigator will check {name} and fix the listing. Text MENU for more help."
    ).format(name=name)


def wrong_hint(t: Translator) -> str:
    """The last line of a place's details."""
    return t.gettext("Something wrong here? Reply WRONG.")
