"""Finding help: the category menu, searches, result pages, MORE and details."""

from __future__ import annotations

from bot.conversation import replies as R
from bot.conversation.exchange import ExchangeBase
from bot.conversation.message import Turn
from bot.directory.fields import zip_centroid
from bot.search.engine import SearchHit

MAX_KEPT_RESULTS = 30


class Browsing(ExchangeBase):
    """The flows that show services."""

    def _menu(self, zip_code: str | None, lead: str = "") -> Turn:
        self.contact.awaiting = "menu"
        text = R.menu(self.t, self.v.search.index.directory.categories, zip_code)
        self._add(f"{lead}\n{text}" if lead else text)
        return self._done("menu")

    def _zip(self, zip_code: str) -> Turn:
        point = zip_centroid(zip_code)
        if point is None:
            return self._say(R.unclear, intent="unclear")
        self.contact.zip_code = zip_code
        self.contact.location = point
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
            self.contact.location = result.point
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
        self.turn.category, self.turn.zip_code = self.contact.last_category, self.contact.zip_code
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
        self.turn.shown = [h.service.id for h in shown]
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
        self.turn.shown = [hit.service.id]
        records = R.records_line(self.t, hit.service.accepts_records)
        self._add(R.details(self.t, self.style, hit, records))
        return self._done("details")

    def _hits(self, ids: list[str]) -> list[SearchHit]:
        """Kept result ids as hits again, with distances from the texter's place."""
        services = [self.v.by_id[i] for i in ids if i in self.v.by_id]
        return self.v.search.hits_for(services, self._point(), self.when)


def _local(hits: tuple[SearchHit, ...]) -> bool:
    """Whether place matters: some results are local services with an address."""
    return any(h.service.locations for h in hits)
