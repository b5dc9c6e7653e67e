"""What every flow of the core shares while one message is answered.

``ExchangeBase`` holds the session, the contact and the turn being built, and
the small helpers that add a reply in the channel's style. The flows live in
``browse`` (menus, searches, results) and ``core`` (commands, crisis, handoff,
privacy), so each module stays small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.conversation import replies as R
from bot.conversation.commands import Command, Parsed
from bot.conversation.message import SHARE_LOCATION, InboundMessage, Option, Reply, Turn
from bot.conversation.style import Style, style_for
from bot.i18n import Translator, available_languages
from bot.storage.models import ContactRow

if TYPE_CHECKING:
    from bot.conversation.core import Conversation


class ExchangeBase:
    """One inbound message being answered (holds the session and the contact)."""

    contact: ContactRow

    def __init__(
        self, conversation: Conversation, session: Session, message: InboundMessage
    ) -> None:
        self.c = conversation
        self.v = conversation.view  # one directory version for the whole exchange
        self.session = session
        self.message = message
        self.style: Style = style_for(message.kind)
        self.when: dt.datetime = conversation.clock().astimezone(self.v.timezone)
        self.turn = Turn()

    @property
    def t(self) -> Translator:
        return Translator(self.contact.language)

    def _first_language(self) -> str:
        detected = self.v.search.parser.detect_language(self.message.text)
        hint = self.message.language_hint
        chosen = detected or (hint if hint in available_languages() else None) or "en"
        return chosen if chosen in available_languages() else "en"

    def _update_language(self, parsed: Parsed) -> None:
        if parsed.command is Command.ENGLISH:
            self.contact.language = "en"
        elif parsed.command is Command.SPANISH:
            self.contact.language = "es"
        elif parsed.command is Command.TOGGLE_LANGUAGE:
            self.contact.language = "es" if self.contact.language == "en" else "en"
        elif parsed.command not in (
            Command.NUMBER,
            Command.ZIP,
            Command.EMPTY,
            Command.MENU,
            Command.MORE,
        ):
            detected = self.v.search.parser.detect_language(self.message.text)
            if detected in available_languages():
                self.contact.language = detected

    def _add(self, text: str, options: tuple[Option, ...] = ()) -> None:
        shown = options if self.style.kind == "telegram" else ()
        self.turn.replies.append(Reply(self.style.finish(text), shown))

    def _welcome_options(self) -> tuple[Option, ...]:
        return (Option(R.button_location(self.t), SHARE_LOCATION),)

    def _page_options(self, first: int, count: int, has_more: bool) -> tuple[Option, ...]:
        """Buttons for a results page: details per result, More, a person, language."""
        numbers = tuple(Option(str(n), str(n)) for n in range(first, first + count))
        more = (Option(R.button_more(self.t), "more"),) if has_more else ()
        other = ("es", "Español") if self.contact.language == "en" else ("en", "English")
        return (
            *numbers,
            *more,
            Option(R.button_person(self.t), "person"),
            Option(other[1], other[0]),
        )

    def _done(self, intent: str) -> Turn:
        self.turn.intent = self.turn.intent or intent
        self.turn.language = self.contact.language
        self.turn.handoff = self.contact.handoff_open
        return self.turn

    def _say(self, build: Callable[[Translator], str], *, intent: str) -> Turn:
        self._add(build(self.t))
        return self._done(intent)

    def _point(self) -> tuple[float, float] | None:
        if self.message.location is not None:
            return self.message.location
        return self.contact.location
