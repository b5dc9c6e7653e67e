"""Finding help: the category menu, searches, result pages, MORE and details.

A ``Finder`` serves one message. It reads and changes the texter's place,
last search and page, and writes its replies through the message's ``Draft``.
What a result list is about and where it was searched is said in its heading
("Jobs near West Oakland:"); the flows that carry a need from one text to the
next are in ``guide.py``.
"""

from __future__ import annotations

import datetime as dt

from bot.conversation import details as details_text
from bot.conversation import replies
from bot.conversation.corrections import wrong_hint
from bot.conversation.draft import Draft
from bot.conversation.message import Intent, Point, Turn
from bot.conversation.state import Awaiting
from bot.conversation.thread import Need, Thread
from bot.conversation.view import DirectoryView
from bot.directory.fields import zip_centroid
from bot.search.engine import SearchHit, SearchResult

MAX_KEPT_RESULTS = 30  # result ids kept for MORE and for a number's details


class Finder:
    """The flows of one message that show services."""

    def __init__(
        self, view: DirectoryView, draft: Draft, when: dt.datetime, sent_location: Point | None
    ) -> None:
        self.view = view
        self.draft = draft
        self.texter = draft.texter
        self.thread = Thread(self.texter.thread, when)
        self.when = when
        self.sent_location = sent_location
        if sent_location is not None:  # a shared location is the place from now on
            self.thread.place = None
            self.texter.zip_code = None

    def menu(self, place: str | None, lead: str = "") -> Turn:
        """The numbered category menu (after a ZIP or a place alone, MENU, a shared location).

        The menu starts afresh: a ZIP sent next shows the menu there, not an
        earlier need.
        """
        self.texter.awaiting = Awaiting.MENU
        self.thread.need = None
        text = replies.menu(self.draft.translator, self.view.directory.categories, place)
        self.draft.add(f"{lead}\n{text}" if lead else text)
        return self.draft.done(Intent.MENU)

    def zip_code(self, zip_code: str) -> Turn:
        """A ZIP alone with no need before it: remember the place, then show the menu."""
        if not self.set_zip(zip_code):
            return self.draft.say(replies.unclear, Intent.UNCLEAR)
        self.draft.turn.intent = Intent.ZIP
        return self.menu(zip_code)

    def set_zip(self, zip_code: str) -> bool:
        """The texter is at this ZIP from now on; False when it is no ZIP we know."""
        point = zip_centroid(zip_code)
        if point is None:
            return False
        self.set_place(point, zip_code, zip_code)
        return True

    def set_place(self, point: Point, name: str, zip_code: str | None = None) -> None:
        """The texter's place from now on, and its name for results headers."""
        self.texter.location = point
        self.texter.zip_code = zip_code
        self.thread.place = name

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

    def search(
        self, text: str, category: str | None = None, limit: int = MAX_KEPT_RESULTS
    ) -> SearchResult:
        """Search near the texter; a ZIP or a place in the text becomes their place."""
        result = self.view.search.search(
            text, near=self.point(), category=category, limit=limit, now=self.when
        )
        if result.point is not None and result.zip_code:
            self.set_place(result.point, result.zip_code, result.zip_code)
        elif result.point is not None and result.place:
            self.set_place(result.point, result.place_name or result.place)
        return result

    def need(self, text: str, result: SearchResult | None = None) -> Turn:
        """A need in the texter's words: search, remember what and where, show page one."""
        result = result or self.search(text)
        if result.chatter:  # asks for nothing: keep the last results, say what we do
            return self.draft.say(replies.can_help, Intent.CHATTER)
        self.texter.last_query = text
        self.texter.last_category = result.categories[0] if result.categories else None
        return self.show(result.hits, Intent.SEARCH)

    def category(self, slug: str, words: str = "") -> Turn:
        """A category picked from the menu: its services, nearest first.

        ``words`` rank the category's services (RIDE, "bus pass": bus passes
        before driving lessons); a ZIP sent next shows the same there.
        """
        result = self.search(words, category=slug)
        if words and not result.hits:  # "viaje": words no service uses; the whole category
            return self.category(slug)
        self.texter.last_query = words
        self.texter.last_category = slug
        # a ZIP sent next shows it there
        self.thread.need = (
            Need("search", text=words, slug=slug) if words else Need("category", slug=slug)
        )
        return self.show(result.hits, Intent.CATEGORY)

    def category_near(self, slug: str, point: Point, place: str | None, words: str = "") -> Turn:
        """A category's services near a place that is not the texter's own (an
        appointment's, for RIDE and CHILD): the texter's place stays as it was, and the
        heading names the place the distances are from. ``words`` rank them, as above."""
        result = self.view.search.search(
            words, near=point, category=slug, limit=MAX_KEPT_RESULTS, now=self.when
        )
        if words and not result.hits:
            return self.category_near(slug, point, place)
        self.texter.last_query = words
        self.texter.last_category = slug
        t = self.draft.translator
        category = self.view.directory.category(slug)
        label = category.name(t.language) if category else None
        heading = replies.search_heading(t, len(result.hits), place, label, near_you=False)
        return self.show(result.hits, Intent.CATEGORY, heading=heading)

    def more(self) -> Turn:
        """MORE: the next page of the last results."""
        kept = self.texter.last_results
        if not kept:
            return self.draft.say(replies.nothing_to_page, Intent.MORE)
        page = self.texter.page + 1
        if self._start(page) >= len(kept):
            return self.draft.say(replies.no_more, Intent.MORE)
        self.texter.page = page
        self.texter.awaiting = Awaiting.RESULTS
        self._page(self.hits(kept), page)
        return self.draft.done(Intent.MORE)

    def details(self, service_id: str) -> Turn:
        """One service in full: address, phone, hours, what to bring, records policy."""
        hits = self.hits([service_id])
        if not hits:
            return self.draft.say(replies.no_results, Intent.DETAILS)
        hit = hits[0]
        self.draft.turn.shown = [hit.service.id]
        self.texter.detail_service = hit.service.id  # what a WRONG reply is about
        t = self.draft.translator
        records = details_text.records_line(t, hit.service.accepts_records)
        self.draft.add(details_text.details(t, self.draft.style, hit, records, wrong_hint(t)))
        return self.draft.done(Intent.DETAILS)

    def point(self) -> Point | None:
        """Where distances are measured from: a location sent now, else the texter's place."""
        return self.sent_location if self.sent_location is not None else self.texter.location

    def place_name(self) -> str | None:
        """The texter's place as headers name it ("West Oakland", "94601")."""
        return self.thread.place or self.texter.zip_code

    def heading(self, total: int, label: str | None = None) -> str:
        """A results heading: what the list is about, and near where."""
        t = self.draft.translator
        if label is None:
            category = self.view.directory.category(self.texter.last_category or "")
            label = category.name(t.language) if category else None
        return replies.search_heading(
            t, total, self.place_name(), label, near_you=self.point() is not None
        )

    def show(
        self,
        hits: tuple[SearchHit, ...] | list[SearchHit],
        intent: Intent,
        *,
        heading: str = "",
        lead: str = "",
        tail: str = "",
        to_list: bool = False,
    ) -> Turn:
        """Page one of results; the ZIP question goes in the same reply when place matters.

        ``to_list`` says the footer should point back to the texter's list
        (PLAN): the list of their needs, or a plan these results are one item of.
        """
        turn = self.draft.turn
        turn.category, turn.zip_code = self.texter.last_category, self.texter.zip_code
        self.texter.last_results = [h.service.id for h in hits]
        self.texter.page = 0
        self.thread.first_page = None
        if not hits:
            self.texter.awaiting = Awaiting.NOTHING
            t = self.draft.translator
            self.draft.add("\n".join(p for p in (lead, replies.no_results(t)) if p))
            return self.draft.done(intent)
        self.texter.awaiting = Awaiting.RESULTS
        if self.asks_zip(hits):
            tail = "\n".join(p for p in (replies.ask_zip(self.draft.translator), tail) if p)
        self._page(list(hits), 0, heading=heading, lead=lead, tail=tail, to_list=to_list)
        return self.draft.done(intent)

    def asks_zip(self, hits: tuple[SearchHit, ...] | list[SearchHit]) -> bool:
        """Ask once for a ZIP when no place is known and the results are local."""
        if self.point() is not None or self.texter.asked_zip or not _local(hits):
            return False
        self.texter.asked_zip = True
        return True

    def _page(
        self,
        hits: list[SearchHit],
        page: int,
        *,
        heading: str = "",
        lead: str = "",
        tail: str = "",
        to_list: bool = False,
    ) -> None:
        size = self.draft.style.page_size
        start = self._start(page)
        shown = hits[start : start + size]
        t = self.draft.translator
        has_more = start + size < len(hits)
        first = start + 1
        text = replies.results(
            t,
            self.draft.style,
            shown,
            first,
            self.when,
            heading or self.heading(len(hits)),
            has_more,
            lead=lead,
            tail=tail,
            to_list=to_list,
        )
        self.draft.turn.shown = [h.service.id for h in shown]
        self.draft.add(text, self.draft.page_options(first, len(shown), has_more))

    def _start(self, page: int) -> int:
        """Where a page starts in the kept results (page one of several needs may list 4)."""
        size = self.draft.style.page_size
        first = self.thread.first_page
        return page * size if first is None or page == 0 else first + (page - 1) * size

    def hits(self, ids: list[str]) -> list[SearchHit]:
        """Kept result ids as hits again, with distances from the texter's place."""
        found = [self.view.search.index.service(i) for i in ids]
        services = [service for service in found if service is not None]
        return self.view.search.hits_for(services, self.point(), self.when)


def _local(hits: tuple[SearchHit, ...] | list[SearchHit]) -> bool:
    """Whether place matters: some results are local services with an address."""
    return any(h.service.locations for h in hits)
