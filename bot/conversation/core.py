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
from bot.conversation.commands import Command, CommandWords, Parsed
from bot.conversation.message import SHARE_LOCATION, InboundMessage, Option, Reply, Turn
from bot.conversation.office import OfficeClock
from bot.conversation.style import Style, style_for
from bot.conversation.view import DirectoryView
from bot.directory.fields import zip_centroid
from bot.i18n import Translator, available_languages
from bot.safety.crisis import CrisisDetector, load_crisis_words
from bot.safety.limits import count_message
from bot.search.engine import SearchEngine, SearchHit
from bot.settings import Settings
from bot.storage.contacts import contact_for, find_contact, now, open_handoff, take_pending
from bot.storage.db import run_transaction, session_scope
from bot.storage.models import ContactRow

MAX_KEPT_RESULTS = 30
MAX_TEXT = 1600  # characters of one message the core reads (Twilio's own limit)


class Conversation:
    """The flow every channel shares."""

    def __init__(
        self, database: Engine, search: SearchEngine, settings: Settings,
        clock: Callable[[], dt.datetime] = now,
    ) -> None:  # fmt: skip
        self.database = database
        self.view = DirectoryView.of(search)
        self.commands = CommandWords(settings.directory)
        self.office = OfficeClock(settings.office_hours)
        self.clock = clock
        self.crisis = CrisisDetector(load_crisis_words(settings.directory))
        self.rate_per_minute, self.rate_per_day = settings.rate_per_minute, settings.rate_per_day

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
        """Answer one message inside the caller's transaction (a webhook's claim is in it)."""
        text = message.text[:MAX_TEXT].replace("\x00", "")  # PostgreSQL text holds no NUL
        if text != message.text:
            message = dataclasses.replace(message, text=text)
        return _Exchange(self, session, message).run()

    def pending(self, channel: str, user_id: str) -> list[str]:
        """Messages that reached a texter while they were away, now delivered."""
        with session_scope(self.database) as session:
            contact = find_contact(session, channel, user_id)
            return take_pending(session, contact) if contact else []


class _Exchange:
    """One inbound message being answered (holds the session and the contact)."""

    def __init__(
        self, conversation: Conversation, session: Session, message: InboundMessage
    ) -> None:
        self.c = conversation
        self.v = conversation.view  # one directory version for the whole exchange
        self.session = session
        self.message = message
        self.style: Style = style_for(message.kind)
        self.when = conversation.clock().astimezone(self.v.timezone)
        self.turn = Turn()

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
        if contact.opted_out:
            return self._while_stopped(parsed)
        if parsed.command is Command.STOP:
            contact.opted_out = True
            return self._say(R.stopped, intent="stop")
        self._update_language(parsed)
        if self.message.location is not None:
            contact.latitude, contact.longitude = self.message.location
        if first:
            self._add(R.welcome(self.t, self.v.info), self._welcome_options())
            if parsed.command in (Command.GREETING, Command.START, Command.EMPTY, Command.HELP):
                return self._done("welcome")
        return self._dispatch(parsed)

    # -- helpers ---------------------------------------------------------

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
        elif parsed.command not in (Command.NUMBER, Command.ZIP, Command.EMPTY, Command.MENU):
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

    # -- what a texter can do ---------------------------------------------

    def _crisis(self, kind: str, first: bool) -> Turn:
        """Crisis first, whatever else the text says, even after STOP: the number
        that helps now, then the conversation goes to the top of the navigators' queue."""
        detected = self.v.search.parser.detect_language(self.message.text)
        if detected in available_languages():
            self.contact.language = detected
        self.turn.crisis = kind
        self._add(R.crisis(self.t, kind))
        open_handoff(self.session, self.contact, urgent=True)
        self._add(R.crisis_followup(self.t))
        if first:  # they still need to know what Homeward is and how to stop it
            self._add(R.welcome(self.t, self.v.info), self._welcome_options())
        return self._done("crisis")

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

    def _menu(self, zip_code: str | None) -> Turn:
        self.contact.awaiting = "menu"
        self._add(R.menu(self.t, self.v.search.index.directory.categories, zip_code))
        return self._done("menu")

    def _zip(self, zip_code: str) -> Turn:
        point = zip_centroid(zip_code)
        if point is None:
            return self._say(R.unclear, intent="unclear")
        self.contact.zip_code = zip_code
        self.contact.latitude, self.contact.longitude = point
        self.turn.intent = "zip"
        return self._menu(zip_code)

    def _number(self, number: int) -> Turn:
        categories = self.v.search.index.directory.categories
        if self.contact.awaiting == "menu":
            if 1 <= number <= len(categories):
                return self._category(categories[number - 1].slug)
            return self._say(lambda t: R.bad_number(t, len(categories)), intent="unclear")
        kept = self.contact.last_results or []
        if self.contact.awaiting == "results" and 1 <= number <= len(kept):
            return self._details(str(kept[number - 1]))
        if kept:
            return self._say(lambda t: R.bad_number(t, len(kept)), intent="unclear")
        return self._menu(None)

    def _need(self, text: str) -> Turn:
        result = self.v.search.search(
            text, near=self._point(), limit=MAX_KEPT_RESULTS, now=self.when
        )
        if result.zip_code:
            self.contact.zip_code = result.zip_code
        if result.point and (result.zip_code or result.place):
            self.contact.latitude, self.contact.longitude = result.point
        self.contact.last_query = text
        self.contact.last_category = result.categories[0] if result.categories else None
        return self._show(result.hits, "search")

    def _category(self, slug: str) -> Turn:
        result = self.v.search.search(
            "", near=self._point(), category=slug, limit=MAX_KEPT_RESULTS, now=self.when
        )
        self.contact.last_query = ""
        self.contact.last_category = slug
        return self._show(result.hits, "category")

    def _show(self, hits: tuple[SearchHit, ...], intent: str) -> Turn:
        self.contact.last_results = [h.service.id for h in hits]
        self.contact.page = 0
        if not hits:
            self.contact.awaiting = ""
            return self._say(R.no_results, intent=intent)
        self.contact.awaiting = "results"
        self._page(list(hits), 0)
        if self._point() is None and not self.contact.asked_zip and _local(hits):
            self.contact.asked_zip = True
            self._add(R.ask_zip(self.t))
        return self._done(intent)

    def _more(self) -> Turn:
        kept = [str(i) for i in self.contact.last_results or []]
        if not kept:
            return self._say(R.nothing_to_page, intent="more")
        page = self.contact.page + 1
        if page * self.style.page_size >= len(kept):
            return self._say(R.no_more, intent="more")
        self.contact.page = page
        self.contact.awaiting = "results"
        self._page(self._hits(kept), page)
        return self._done("more")

    def _page(self, hits: list[SearchHit], page: int) -> None:
        size = self.style.page_size
        shown = hits[page * size : (page + 1) * size]
        category = self.v.search.index.directory.category(self.contact.last_category or "")
        heading = R.search_heading(
            self.t,
            len(hits),
            self.contact.zip_code,
            category.name(self.t.language) if category else None,
        )
        has_more = (page + 1) * size < len(hits)
        self._add(
            R.results(self.t, self.style, shown, page * size + 1, self.when, heading, has_more),
            self._page_options(page * size + 1, len(shown), has_more),
        )

    def _details(self, service_id: str) -> Turn:
        hits = self._hits([service_id])
        if not hits:
            return self._say(R.no_results, intent="details")
        hit = hits[0]
        records = R.records_line(self.t, hit.service.accepts_records)
        self._add(R.details(self.t, self.style, hit, records))
        return self._done("details")

    def _hits(self, ids: list[str]) -> list[SearchHit]:
        """Kept result ids as hits again, with distances from the texter's place."""
        services = [self.v.by_id[i] for i in ids if i in self.v.by_id]
        return self.v.search.hits_for(services, self._point(), self.when)

    def _person(self) -> Turn:
        if not open_handoff(self.session, self.contact):
            return self._say(R.handoff_waiting, intent="person")
        hours = self.c.office.describe(self.t)
        if self.c.office.is_open(self.when):
            self._add(R.handoff_soon(self.t, hours))
        else:
            self._add(R.handoff_later(self.t, self.c.office.next_opening(self.t, self.when), hours))
        return self._done("person")

    def _point(self) -> tuple[float, float] | None:
        if self.message.location is not None:
            return self.message.location
        if self.contact.latitude is not None and self.contact.longitude is not None:
            return (self.contact.latitude, self.contact.longitude)
        return None


def _local(hits: tuple[SearchHit, ...]) -> bool:
    """Whether place matters: some results are local services with an address."""
    return any(h.service.locations for h in hits)


__all__ = ["ContactRow", "Conversation"]
