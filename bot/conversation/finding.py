"""Finding help: the category menu, searches, result pages, MORE and details.

A ``Finder`` serves one message. It reads and changes the texter's place,
last search and page, and writes its replies through the message's ``Draft``.
"""

from __future__ import annotations

import datetime as dt

from bot.conversation import replies
from bot.conversation.corrections import wrong_hint
from bot.conversation.draft import Draft
from bot.conversation.message import Intent, Point, Turn
from bot.conversation.state import Awaiting
from bot.conversation.view import DirectoryView
from bot.directory.fields import zip_centroid
from bot.search.engine import SearchHit

MAX_KEPT_RESULTS = 30  # result ids kept for MORE and for a number's details


class Finder:
    """The flows of one message that show services."""

    def __init__(
        self, view: DirectoryView, draft: Draft, when: dt.datetime, sent_location: Point | None
    ) -> None:
        self.view = view
        self.draft = draft
        self.texter = draft.texter
        self.when = when
        self.sent_location = sent_location

    def menu(self, zip_code: str | None, lead: str = "") -> Turn:
        """The numbered category menu (after a ZIP, MENU, or a shared location)."""
        self.texter.awaiting = Awaiting.MENU
        text = replies.menu(self.draft.translator, self.view.directory.categories, zip_code)
        self.draft.add(f"{lead}\n{text}" if lead else text)
        return self.draft.done(Intent.MENU)

    def zip_code(self, zip_code: str) -> Turn:
        """A ZIP alone: remember the place, then show the menu."""
        point = zip_centroid(zip_code)
        if point is None:
            return self.draft.say(replies.unclear, Intent.UNCLEAR)
        self.texter.zip_code = zip_code
        self.texter.location = point
        self.draft.turn.intent = Intent.ZIP
        return self.menu(zip_code)

    def number(self, number: int) -> Turn:
        """A bare number: a category from the menu, or a result's details."""
        categories = self.view.directory.categories
        if self.texter.awaiting == Awaiting.MENU:
            if 1 <= number <= len(categories):
                return self.category(categories[number - 1].slug)
            return self.draft.say(lambda t: replies.bad_number(t, len(categories)), Intent.UNCLEAR)
        kept = self.texter.last_results
        if self.texter.awaiting == Awaiting.RESULTS and 1 <= number <= len(kept):
            return self.details(kept[number - 1])
        if kept:
            return self.draft.say(lambda t: replies.bad_number(t, len(kept)), Intent.UNCLEAR)
        return self.menu(None)

    def need(self, text: str) -> Turn:
        """A need in the texter's words: search, remember what and where, show page one."""
        result = self.view.search.search(
            text, near=self.point(), limit=MAX_KEPT_RESULTS, now=self.when
        )
        if result.zip_code:
            self.texter.zip_code = result.zip_code
        if result.point and (result.zip_code or result.place):
            self.texter.location = result.point
        if result.chatter:  # asks for nothing: keep the last results, say what we do
            return self.draft.say(replies.can_help, Intent.CHATTER)
        self.texter.last_query = text
        self.texter.last_category = result.categories[0] if result.categories else None
        return self._show(result.hits, Intent.SEARCH)

    def category(self, slug: str) -> Turn:
        """A category picked from the menu: its services, nearest first."""
        result = self.view.search.search(
            "", near=self.point(), category=slug, limit=MAX_KEPT_RESULTS, now=self.when
        )
        self.texter.last_query = ""
        self.texter.last_category = slug
        return self._show(result.hits, Intent.CATEGORY)

    def more(self) -> Turn:
        """MORE: the next page of the last results."""
        kept = self.texter.last_results
        if not kept:
            return self.draft.say(replies.nothing_to_page, Intent.MORE)
        page = self.texter.page + 1
        if page * self.draft.style.page_size >= len(kept):
            return self.draft.say(replies.no_more, Intent.MORE)
        self.texter.page = page
        self.texter.awaiting = Awaiting.RESULTS
        self._page(self._hits(kept), page)
        return self.draft.done(Intent.MORE)

    def details(self, service_id: str) -> Turn:
        """One service in full: address, phone, hours, what to bring, records policy."""
        hits = self._hits([service_id])
        if not hits:
            return self.draft.say(replies.no_results, Intent.DETAILS)
        hit = hits[0]
        self.draft.turn.shown = [hit.service.id]
        self.texter.detail_service = hit.service.id  # what a WRONG reply is about
        t = self.draft.translator
        records = replies.records_line(t, hit.service.accepts_records)
        self.draft.add(replies.details(t, self.draft.style, hit, records, wrong_hint(t)))
        return self.draft.done(Intent.DETAILS)

    def point(self) -> Point | None:
        """Where distances are measured from: a location sent now, else the texter's place."""
        return self.sent_location if self.sent_location is not None else self.texter.location

    def _show(self, hits: tuple[SearchHit, ...], intent: Intent) -> Turn:
        turn = self.draft.turn
        turn.category, turn.zip_code = self.texter.last_category, self.texter.zip_code
        self.texter.last_results = [h.service.id for h in hits]
        self.texter.page = 0
        if not hits:
            self.texter.awaiting = Awaiting.NOTHING
            return self.draft.say(replies.no_results, intent)
        self.texter.awaiting = Awaiting.RESULTS
        self._page(list(hits), 0)
        if self.point() is None and not self.texter.asked_zip and _local(hits):
            self.texter.asked_zip = True
            self.draft.add(replies.ask_zip(self.draft.translator))
        return self.draft.done(intent)

    def _page(self, hits: list[SearchHit], page: int) -> None:
        size = self.draft.style.page_size
        shown = hits[page * size : (page + 1) * size]
        self.draft.turn.shown = [h.service.id for h in shown]
        t = self.draft.translator
        category = self.view.directory.category(self.texter.last_category or "")
        heading = replies.search_heading(
            t, len(hits), self.texter.zip_code, category.name(t.language) if category else None
        )
        has_more = (page + 1) * size < len(hits)
        first = page * size + 1
        self.draft.add(
            replies.results(t, self.draft.style, shown, first, self.when, heading, has_more),
            self.draft.page_options(first, len(shown), has_more),
        )

    def _hits(self, ids: list[str]) -> list[SearchHit]:
        """Kept result ids as hits again, with distances from the texter's place."""
        found = [self.view.search.index.service(i) for i in ids]
        services = [service for service in found if service is not None]
        return self.view.search.hits_for(services, self.point(), self.when)


def _local(hits: tuple[SearchHit, ...]) -> bool:
    """Whether place matters: some results are local services with an address."""
    return any(h.service.locations for h in hits)
