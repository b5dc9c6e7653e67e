"""From monthly counts to the report's tables: which counts go in which cell.

Reads ``UsageCount`` rows only (``bot.storage.usage``); the metric names and
their columns are listed there. Waits are kept as histograms (a count per
bucket) and read here as a median and a 90th percentile.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from bot.directory.curated_files import CRISIS_KINDS
from bot.reports.book import PERIOD, Book
from bot.storage.care_answers import ANSWERS
from bot.storage.handoffs import OUTCOMES
from bot.storage.usage import UsageCount

NO_CATEGORY = "other"  # a search that matched no category
NO_ZIP = "unknown"  # a search with no ZIP known (a shared location, a place name)
UNMET_REASONS = {
    "none": "nothing_found",
    "far": "nothing_within_10_miles",
    "person": "asked_for_a_person",
}
REQUEST_KINDS = ("normal", "urgent", "check_in")
OFFICE = {"first_reply_office": "in_office_hours", "first_reply_after": "out_of_office_hours"}
CARE_SERIES = {
    "enrolled": "enrolled",
    "linked": "linked",
    "first_text": "first_texts",
    "reminder_sent": "reminders_sent",
    "reminder_answered": "reminders_answered",
}
SEP = "|"  # between a category and a ZIP in one key of the unmet table


@dataclass(frozen=True)
class Layout:
    """The keys of each table, as the report lists them."""

    channels: tuple[str, ...]
    languages: tuple[str, ...]
    categories: tuple[str, ...]
    zips: tuple[str, ...]
    unmet: tuple[str, ...]  # "category|zip"
    follow_up_categories: tuple[str, ...]
    services: tuple[str, ...]  # service ids with follow-ups in the period
    crisis: tuple[str, ...]


class Measures:
    """The counts of one report's months, by metric."""

    def __init__(self, counts: Sequence[UsageCount], months: Sequence[str]) -> None:
        self.months = tuple(months)
        self.rows: dict[str, list[UsageCount]] = defaultdict(list)
        wanted = set(self.months)
        rows = self.rows
        for row in counts:
            if row[0] in wanted:  # by position: a statewide year is 650,000 rows
                rows[row[1]].append(row)
        self._cells: dict[tuple[tuple[str, ...], str], Counter[tuple[str, str]]] = {}
        self._unmet: tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]] | None = None

    def cells(self, metrics: Iterable[str], key: str = "key") -> Counter[tuple[str, str]]:
        """Counts per (month, a column's value), over one or more metrics (summed once: the
        keys of a table are read from the same sums)."""
        wanted = (tuple(metrics), key)
        found = self._cells.get(wanted)
        if found is None:
            month_and_key = itemgetter(0, UsageCount._fields.index(key))
            out: dict[tuple[str, str], int] = {}
            get = out.get
            for metric in wanted[0]:
                for row in self.rows.get(metric, ()):
                    cell = month_and_key(row)
                    out[cell] = get(cell, 0) + row[8]
            found = self._cells[wanted] = Counter(out)
        return found

    def unmet(self) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
        """Unmet searches per (month, "category|zip") and per (month, reason name)."""
        if self._unmet is None:
            pairs: dict[tuple[str, str], int] = {}
            reasons: Counter[tuple[str, str]] = Counter()
            named: dict[tuple[str, str], str] = {}
            for reason, name in UNMET_REASONS.items():
                for month, _, category, _, zip_code, _, _, _, n in self.rows.get(
                    f"unmet_{reason}", ()
                ):
                    pair = named.get((category, zip_code))
                    if pair is None:
                        pair = f"{category or NO_CATEGORY}{SEP}{zip_code or NO_ZIP}"
                        named[(category, zip_code)] = pair
                    cell = (month, pair)
                    pairs[cell] = pairs.get(cell, 0) + n
                    reasons[(month, name)] += n
            self._unmet = (Counter(pairs), reasons)
        return self._unmet

    def per_month(self, metric: str) -> Counter[str]:
        """A metric's count per month, whatever its other columns."""
        out: Counter[str] = Counter()
        for row in self.rows.get(metric, ()):
            out[row.month] += row.count
        return out

    def histogram(self, metrics: Iterable[str], month: str) -> Counter[int]:
        """A wait's buckets and how many fell in each, for a month or the period."""
        out: Counter[int] = Counter()
        for metric in metrics:
            for row in self.rows.get(metric, ()):
                if month in (PERIOD, row.month):
                    out[int(row.key)] += row.count
        return out

    def keys(self, metrics: Iterable[str], column: str = "key") -> set[str]:
        """Every value a column takes in these metrics."""
        return {value for _, value in self.cells(metrics, column)}


def percentile(histogram: Counter[int], share: float) -> int | None:
    """The nearest-rank percentile of bucketed values (None without any)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank, seen = math.ceil(share * total), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover - the loop always reaches the rank


def fill(book: Book, data: Measures, directory_categories: Sequence[str]) -> Layout:
    """Put every table of the report into the book; returns their keys."""
    layout = _layout(data, directory_categories)
    texters = data.cells(["texters"])
    book.grid("texters", ("new", "returning"), texters, total=("texters", ""))
    book.grid(
        "texters_channel", layout.channels, data.cells(["texters"], "channel"), ("texters", "")
    )
    languages = data.cells(["texters"], "language")
    book.grid("texters_language", layout.languages, languages, total=("texters", ""))
    for metric, name in (("texts_in", "texts_in"), ("texts_out", "texts_out")):
        book.series(name, data.per_month(metric))
    book.series("sms_segments", data.per_month("segments"))
    searches = _named(data.cells(["search"]), NO_CATEGORY)
    book.grid("needs", layout.categories, searches, total=("searches", ""))
    zips = _named(data.cells(["search"], "zip_code"), NO_ZIP)
    book.grid("needs_by_zip", layout.zips, zips, total=("searches", ""))
    _unmet(book, data, layout)
    book.grid("requests", REQUEST_KINDS, data.cells(["handoff"]), total=("requests", ""))
    replied = {
        (m, OFFICE[metric]): n for metric in OFFICE for m, n in data.per_month(metric).items()
    }
    book.grid("replied", OFFICE.values(), replied, total=("replied", ""))
    book.grid("outcomes", OUTCOMES, data.cells(["outcome"]), total=("closed", ""))
    book.grid("crisis", layout.crisis, data.cells(["crisis"]))
    _follow_ups(book, data, layout)
    for metric, name in CARE_SERIES.items():
        book.series(name, data.per_month(metric))
    return layout


def _unmet(book: Book, data: Measures, layout: Layout) -> None:
    """Unmet needs per category and ZIP, and per reason.

    No per-category sum of the pairs is published: it would put every pair in
    a third equation (its category's), where a small count is much harder to
    keep hidden (and to prove hidden) than in a table of months and keys.
    """
    pairs, reasons = data.unmet()
    book.grid("unmet", layout.unmet, pairs, total=("unmet", ""))
    book.grid("unmet_reasons", UNMET_REASONS.values(), reasons, total=("unmet", ""))


def _follow_ups(book: Book, data: Measures, layout: Layout) -> None:
    """Follow-ups asked and their answers: in all, per category, and per service (period)."""
    asked = _named(data.cells(["follow_up_asked"], "category"), NO_CATEGORY)
    book.grid("follow_up_asked", layout.follow_up_categories, asked, total=("follow_ups", "asked"))
    answers = data.cells(["follow_up_answered"])
    book.grid("follow_up_answers", ANSWERS, answers, total=("follow_ups", "answered"))
    services_asked: Counter[str] = Counter()
    for row in data.rows.get("follow_up_asked", ()):
        services_asked[row.service_id] += row.count
    book.period_grid("service_asked", layout.services, services_asked, ("follow_ups", "asked"))
    per_category: dict[str, Counter[tuple[str, str]]] = {a: Counter() for a in ANSWERS}
    per_service: dict[str, Counter[str]] = {a: Counter() for a in ANSWERS}
    for month, _, answer, category, _, _, _, service_id, n in data.rows.get(
        "follow_up_answered", ()
    ):
        if answer in per_category:
            per_category[answer][(month, category or NO_CATEGORY)] += n
            per_service[answer][service_id] += n
    for answer in ANSWERS:
        total = ("follow_up_answers", answer)
        book.grid(f"follow_up_{answer}", layout.follow_up_categories, per_category[answer], total)
        book.period_grid(f"service_{answer}", layout.services, per_service[answer], total)


def _named(cells: Counter[tuple[str, str]], blank: str) -> Counter[tuple[str, str]]:
    """The same counts, with an empty key named (a search with no category is "other")."""
    out: Counter[tuple[str, str]] = Counter()
    for (month, key), n in cells.items():
        out[(month, key or blank)] += n
    return out


def _layout(data: Measures, directory_categories: Sequence[str]) -> Layout:
    def named(values: set[str], blank: str) -> set[str]:
        return {v or blank for v in values}

    searched = named(data.keys(["search"]), NO_CATEGORY)
    categories = (*directory_categories, *sorted(searched - set(directory_categories)))
    pairs = sorted({pair for _, pair in data.unmet()[0]})
    follow_up = named(data.keys(["follow_up_asked", "follow_up_answered"], "category"), NO_CATEGORY)
    return Layout(
        channels=tuple(sorted(data.keys(["texters"], "channel"))),
        languages=tuple(sorted(data.keys(["texters"], "language"))),
        categories=categories,
        zips=tuple(sorted(named(data.keys(["search"], "zip_code"), NO_ZIP))),
        unmet=tuple(pairs),
        follow_up_categories=tuple(sorted(follow_up)),
        services=tuple(sorted(data.keys(["follow_up_asked", "follow_up_answered"], "service_id"))),
        crisis=(*CRISIS_KINDS, "concern"),
    )
