"""The turn being written for one message: replies in the channel's style, with buttons.

Both halves of the answer (``answer`` and ``finding``) write through one
``Draft``, so every reply is finished the same way (GSM-7 folding and the size
budget for SMS) and the turn always ends with the texter's language and
handoff state.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import replies
from bot.conversation.message import SHARE_LOCATION, Intent, Option, Reply, Turn
from bot.conversation.style import Style
from bot.i18n import Translator
from bot.storage.texters import Texter


class Draft:
    """Replies added so far to one turn, for one texter, in one channel's style."""

    def __init__(self, texter: Texter, style: Style) -> None:
        self.texter = texter
        self.style = style
        self.turn = Turn(handoff=texter.handoff_open)

    @property
    def translator(self) -> Translator:
        """The texter's language now (a message may change it before the reply)."""
        return Translator(self.texter.language)

    def add(self, text: str, options: tuple[Option, ...] = ()) -> None:
        """One reply; buttons only where the channel shows them (SMS spells choices out)."""
        shown = options if self.style.kind == "telegram" else ()
        self.turn.replies.append(Reply(self.style.finish(text), shown))

    def done(self, intent: Intent) -> Turn:
        """The finished turn (an intent set earlier, such as ZIP before its menu, wins)."""
        self.turn.intent = self.turn.intent or intent
        self.turn.language = self.texter.language
        self.turn.handoff = self.texter.handoff_open
        return self.turn

    def say(self, build: Callable[[Translator], str], intent: Intent) -> Turn:
        """One reply built in the texter's language, and the turn is done."""
        self.add(build(self.translator))
        return self.done(intent)

    def welcome_options(self) -> tuple[Option, ...]:
        """The "share my location" button under the welcome."""
        return (Option(replies.button_location(self.translator), SHARE_LOCATION),)

    def page_options(self, first: int, count: int, has_more: bool) -> tuple[Option, ...]:
        """Buttons for a results page: details per result, More, a person, language."""
        numbers = tuple(Option(str(n), str(n)) for n in range(first, first + count))
        more = (Option(replies.button_more(self.translator), "more"),) if has_more else ()
        english = self.texter.language == "en"
        other = Option("Español", "es") if english else Option("English", "en")
        return (*numbers, *more, Option(replies.button_person(self.translator), "person"), other)
