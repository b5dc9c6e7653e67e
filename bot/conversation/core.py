"""The conversation core: one inbound message in, replies and what happened out.

Channels are thin adapters around ``Conversation.handle``. All state lives in
the database (``contacts``), read and written in one transaction per message,
so state survives restarts and every worker process shares it. This module
imports no channel SDK (a test scans for that).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.conversation import replies as R
from bot.conversation.browse import Browsing
from bot.conversation.commands import Command, CommandWords, Parsed
from bot.conversation.message import InboundMessage, Turn
from bot.conversation.office import OfficeClock
from bot.conversation.view import DirectoryView
from bot.i18n import available_languages
from bot.safety.crisis import CrisisDetector, load_crisis_words
from bot.safety.limits import count_message
from bot.search.engine import SearchEngine
from bot.settings import Settings
from bot.storage.contacts import (
    contact_for,
    current_handoff,
    find_contact,
    now,
    open_handoff,
    take_pending,
)
from bot.storage.db import run_transaction, session_scope
from bot.storage.erase import erase_contact
from bot.storage.models import ContactRow
from bot.storage.transcript import Exchange, record_turn

MAX_TEXT = 1600  # characters of one message the core reads (Twilio's own limit)


class Conversation:
    """The flow every channel shares."""

    def __init__(
        self,
        database: Engine,
        search: SearchEngine,
        settings: Settings,
        clock: Callable[[], dt.datetime] = now,
    ) -> None:
        self.database = database
        self.view = DirectoryView.of(search)
        self.commands = CommandWords(settings.directory)
        self.office = OfficeClock(settings.office_hours)
        self.clock = clock
        self.crisis = CrisisDetector(load_crisis_words(settings.directory))
        self.rate_per_minute, self.rate_per_day = settings.rate_per_minute, settings.rate_per_day
        self.retention_days = settings.retention_days

    @property
    def search(self) -> SearchEngine:
        """The search engine of the directory version in use."""
        return self.view.search

    def use(self, search: SearchEngine) -> None:
        """Answer from another directory version from the next message on.

        Messages already being answered keep the version they started with.
        """
        self.view = DirectoryView.of(search)

    def warm_up(self) -> None:
        """Load what first use loads lazily (word-frequency lists, ZIP data, caches).

        That takes a second or two; a worker does it before taking requests, so
        its first texters are not the ones who wait.
        """
        self.crisis.detect("warm up the suicidal lists")
        for text in ("shelter 94607", "necesito trabajo", "hosing clinik fruitvale"):
            self.search.search(text)

    def handle(self, message: InboundMessage) -> Turn:
        """Answer one message; the whole exchange is one database transaction."""
        return run_transaction(self.database, lambda session: self.handle_in(session, message))

    def handle_in(self, session: Session, message: InboundMessage) -> Turn:
        """Answer one message inside the caller's transaction (a webhook's claim is in it).

        The texter's words and the replies go into the transcript, except after
        DELETE and for a flood past the rate limit.
        """
        text = message.text[:MAX_TEXT].replace("\x00", "")  # PostgreSQL text holds no NUL
        if text != message.text:
            message = dataclasses.replace(message, text=text)
        exchange = _Exchange(self, session, message)
        turn = exchange.run()
        flooding = turn.intent == "rate_limited" and not turn.replies
        if not turn.erased and not flooding:
            kept = Exchange(
                message.text,
                tuple(r.text for r in turn.replies),
                turn.intent,
                turn.category,
                turn.zip_code,
                turn.crisis,
                tuple(turn.shown),
            )
            record_turn(session, exchange.contact, kept)
        return turn

    def pending(self, channel: str, user_id: str) -> list[str]:
        """Messages that reached a texter while they were away, now delivered."""
        with session_scope(self.database) as session:
            contact = find_contact(session, channel, user_id)
            return take_pending(session, contact) if contact else []


class _Exchange(Browsing):
    """One inbound message being answered: commands, crisis, a person, privacy."""

    def run(self) -> Turn:
        parsed = self.c.commands.classify(self.message.text)
        contact, first = contact_for(
            self.session, self.message.channel, self.message.user_id, self._first_language
        )
        contact.last_seen_at = self.c.clock()
        self.contact = contact
        self.turn.handoff = contact.handoff_open
        kind = self.c.crisis.detect(self.message.text)
        if kind is not None:
            return self._crisis(kind, first)
        limit = count_message(contact, self.c.clock(), self.c.rate_per_minute, self.c.rate_per_day)
        if limit == "silent":
            return self._done("rate_limited")
        if limit == "notice":
            return self._say(R.slow_down, intent="rate_limited")
        self._update_language(parsed)
        if contact.awaiting == "erase":
            contact.awaiting = ""
            if self.c.commands.confirms(self.message.text):
                return self._erase()
            self._add(R.erase_kept(self.t))
        if parsed.command is Command.DELETE:
            contact.awaiting = "erase"
            return self._say(R.erase_question, intent="delete")
        if parsed.command is Command.PRIVACY:
            return self._say(lambda t: R.privacy_note(t, self.c.retention_days), intent="privacy")
        if contact.opted_out:
            return self._while_stopped(parsed)
        if parsed.command is Command.STOP:
            contact.opted_out = True
            return self._say(R.stopped, intent="stop")
        if self.message.location is not None:
            contact.location = self.message.location
        if first:
            self._add(R.welcome(self.t, self.v.info), self._welcome_options())
            if parsed.command in (Command.GREETING, Command.START, Command.EMPTY, Command.HELP):
                return self._done("welcome")
        if contact.handoff_open:
            return self._with_navigator(parsed)
        return self._dispatch(parsed)

    def _with_navigator(self, parsed: Parsed) -> Turn:
        """A navigator has the conversation: the bot stays out of the way.

        The text goes to the navigator (it is in the transcript the console
        shows). STOP, START, HELP, PRIVACY and DELETE were handled before this;
        HELP and START answer as usual, PERSON says they are on the list, and
        MENU returns the texter to the bot while they keep their place in the
        queue. Only the first text after the request gets an acknowledgement,
        and none once a navigator has written: a navigator's conversation is
        not interrupted by a bot saying "got it" after every line.
        """
        if parsed.command in (Command.START, Command.HELP, Command.PERSON):
            return self._dispatch(parsed)
        if parsed.command is Command.MENU:
            self.contact.handoff_open = False
            return self._menu(None, lead=R.back_to_bot(self.t))
        handoff = current_handoff(self.session, self.contact)
        if handoff is None:  # closed in the console since; the bot answers again
            self.contact.handoff_open = False
            return self._dispatch(parsed)
        if not handoff.acknowledged:
            handoff.acknowledged = True
            if self.c.office.is_open(self.when):
                self._add(R.passed_on(self.t))
            else:
                opening = self.c.office.next_opening(self.t, self.when)
                self._add(R.passed_on_later(self.t, opening))
        return self._done("to_navigator")

    def _crisis(self, kind: str, first: bool) -> Turn:
        """Crisis first, whatever else the text says, even after STOP: the number
        that helps now, then the conversation goes to the top of the navigators' queue."""
        detected = self.v.search.parser.detect_language(self.message.text)
        if detected in available_languages():
            self.contact.language = detected
        self.turn.crisis = kind
        self._add(R.crisis(self.t, kind))
        open_handoff(self.session, self.contact, urgent=True, crisis=kind)
        self._add(R.crisis_followup(self.t))
        if first:  # they still need to know what Homeward is and how to stop it
            self._add(R.welcome(self.t, self.v.info), self._welcome_options())
        return self._done("crisis")

    def _erase(self) -> Turn:
        """DELETE confirmed: the reply is built first, then the data goes."""
        self._add(R.erased(self.t, self.contact.opted_out))
        turn = self._done("erased")
        erase_contact(self.session, self.contact)
        turn.erased = True
        return turn

    def _while_stopped(self, parsed: Parsed) -> Turn:
        if parsed.command is Command.START:
            self.contact.opted_out = False
            return self._say(R.restarted, intent="start")
        return self._done("silenced")

    def _dispatch(self, parsed: Parsed) -> Turn:
        simple = {
            Command.START: (R.greeting, "start"),
            Command.HELP: (R.help_text, "help"),
            Command.ENGLISH: (R.language_set, "language"),
            Command.SPANISH: (R.language_set, "language"),
            Command.TOGGLE_LANGUAGE: (R.language_set, "language"),
            Command.THANKS: (R.thanks, "thanks"),
            Command.BYE: (R.bye, "bye"),
            Command.GREETING: (R.greeting, "greeting"),
            Command.EMPTY: (R.unclear, "unclear"),
        }
        if parsed.command in simple:
            build, intent = simple[parsed.command]
            return self._say(build, intent=intent)
        if parsed.command is Command.MENU or (
            parsed.command is Command.EMPTY and self.message.location is not None
        ):
            return self._menu(None)
        if parsed.command is Command.ZIP:
            return self._zip(parsed.zip_code or "")
        if parsed.command is Command.NUMBER:
            return self._number(parsed.number or 0)
        if parsed.command is Command.MORE:
            return self._more()
        if parsed.command is Command.PERSON:
            return self._person()
        return self._need(self.message.text)

    def _person(self) -> Turn:
        if not open_handoff(self.session, self.contact):
            return self._say(R.handoff_waiting, intent="person")
        hours = self.c.office.describe(self.t)
        if self.c.office.is_open(self.when):
            self._add(R.handoff_soon(self.t, hours))
        else:
            self._add(R.handoff_later(self.t, self.c.office.next_opening(self.t, self.when), hours))
        return self._done("person")


__all__ = ["ContactRow", "Conversation"]
