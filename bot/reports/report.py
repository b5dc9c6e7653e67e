"""The partner report as one JSON object: months, the whole period, and what curators fix.

The shape is a contract (docs/report.md names every field):
``{"from", "to", "months": [{"month", "texters", "needs", "unmet", "handoffs",
"follow_ups", "crisis", ...}], "period": {...}, "curators": {...},
"suppressed_below": 11}``. Every count is a number or, when suppressed, the
string "<11" (or ">10", hidden to protect a small one). It is built from the
monthly counts and the loaded directory only; nothing in it names or counts
a person by id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.directory.model import Directory
from bot.reports.book import PERIOD, Book, Figures
from bot.reports.curators import curators
from bot.reports.measures import (
    CARE_SERIES,
    OFFICE,
    REQUEST_KINDS,
    SEP,
    UNMET_REASONS,
    Layout,
    Measures,
    fill,
    percentile,
)
from bot.reports.suppression import BELOW
from bot.storage.care_answers import ANSWERS
from bot.storage.handoffs import OUTCOMES
from bot.storage.usage import UsageCount, paused_collection

MAX_MONTHS = 120


class PeriodError(ValueError):
    """The dates asked for make no period (one plain line)."""


@dataclass(frozen=True)
class Span:
    """The whole months a report covers: the counts are monthly."""

    start: dt.date
    end: dt.date
    months: tuple[str, ...]


def span(start: dt.date | None, end: dt.date | None, today: dt.date) -> Span:
    """Whole months from ``start``'s to ``end``'s (default: the 12 months up to today's)."""
    end = end or today
    if start is None:
        year, month = divmod(end.year * 12 + end.month - 1 - 11, 12)
        start = dt.date(year, month + 1, 1)
    if start > end:
        raise PeriodError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    first = start.replace(day=1)
    months: list[str] = []
    cursor = first
    while cursor <= end:
        months.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
        if len(months) > MAX_MONTHS:
            raise PeriodError(f"a report covers at most {MAX_MONTHS} months")
    last = cursor - dt.timedelta(days=1)
    return Span(first, last, tuple(months))


def build_report(
    counts: Sequence[UsageCount],
    period: Span,
    directory: Directory,
    *,
    today: dt.date,
    edit_url: str = "",
) -> dict[str, Any]:
    """The report of ``period`` from its monthly counts, every small count suppressed."""
    with paused_collection():
        return _build(counts, period, directory, today=today, edit_url=edit_url)


def _build(
    counts: Sequence[UsageCount],
    period: Span,
    directory: Directory,
    *,
    today: dt.date,
    edit_url: str,
) -> dict[str, Any]:
    data = Measures(counts, period.months)
    book = Book(period.months)
    layout = fill(book, data, [c.slug for c in directory.categories])
    shown = book.shown()
    whole = _entry(shown, data, layout, PERIOD)
    whole["follow_ups"]["by_service"] = _by_service(shown, layout, directory)
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "months": [{"month": m, **_entry(shown, data, layout, m)} for m in period.months],
        "period": whole,
        "curators": curators(whole, directory, today=today, edit_url=edit_url),
        "suppressed_below": BELOW,
    }


def _entry(shown: Figures, data: Measures, layout: Layout, month: str) -> dict[str, Any]:
    """One month's figures (or the period's: ``month`` is PERIOD)."""
    return {
        "texters": {
            "new": shown("texters", month, "new"),
            "returning": shown("texters", month, "returning"),
            "total": shown("texters", month),
            "by_channel": shown.row("texters_channel", month, layout.channels),
            "by_language": shown.row("texters_language", month, layout.languages),
        },
        "texts": {
            "in": shown("texts_in", month),
            "out": shown("texts_out", month),
            "sms_segments": shown("sms_segments", month),
        },
        "searches": shown("searches", month),
        "needs": shown.row("needs", month, layout.categories),
        "needs_by_zip": shown.listed("needs_by_zip", month, layout.zips),
        "unmet": [
            {"category": _parts(pair)[0], "zip": _parts(pair)[1], "count": n}
            for pair, n in shown.listed("unmet", month, layout.unmet).items()
        ],
        "unmet_total": shown("unmet", month),
        "unmet_reasons": shown.row("unmet_reasons", month, UNMET_REASONS.values()),
        "handoffs": _handoffs(shown, data, month),
        "follow_ups": {
            "asked": shown("follow_ups", month, "asked"),
            "answered": shown("follow_ups", month, "answered"),
            "answers": shown.row("follow_up_answers", month, ANSWERS),
            "by_category": {
                category: {
                    "asked": shown("follow_up_asked", month, category),
                    **{a: shown(f"follow_up_{a}", month, category) for a in ANSWERS},
                }
                for category in layout.follow_up_categories
            },
        },
        "enrolments": {
            **{name: shown(name, month) for name in CARE_SERIES.values()},
            "days_to_first_text": _wait(data, ["days_to_first_text"], month),
            "days_to_connection": _wait(data, ["days_to_connection"], month),
        },
        "crisis": shown.row("crisis", month, layout.crisis),
    }


@lru_cache(maxsize=100_000)
def _parts(pair: str) -> tuple[str, str]:
    """A "category|zip" key as its category and ZIP (split once per report, not per month)."""
    category, zip_code = pair.split(SEP)
    return category, zip_code


def _handoffs(shown: Figures, data: Measures, month: str) -> dict[str, Any]:
    replied = shown("replied", month)
    return {
        "requests": shown("requests", month),
        "by_kind": shown.row("requests", month, REQUEST_KINDS),
        "replied": replied,
        "first_reply_minutes": _wait(data, list(OFFICE), month, replied),
        **{
            name: {
                "replied": shown("replied", month, name),
                **_wait(data, [metric], month, shown("replied", month, name)),
            }
            for metric, name in OFFICE.items()
        },
        "closed": shown("closed", month),
        "outcomes": shown.row("outcomes", month, OUTCOMES),
    }


def _wait(
    data: Measures, metrics: list[str], month: str, shown_count: object = None
) -> dict[str, int | None]:
    """Median and 90th percentile of a wait; null when fewer than 11 were counted (or their
    count is suppressed)."""
    histogram = data.histogram(metrics, month)
    hidden = shown_count is not None and not isinstance(shown_count, int)
    if hidden or sum(histogram.values()) < BELOW:
        return {"median": None, "p90": None}
    return {"median": percentile(histogram, 0.5), "p90": percentile(histogram, 0.9)}


def _by_service(shown: Figures, layout: Layout, directory: Directory) -> list[dict[str, Any]]:
    """Follow-ups per service over the period, named as the directory names them."""
    services = {s.id: s for s in directory.services}
    out = []
    for service_id in layout.services:
        service = services.get(service_id)
        out.append(
            {
                "service": service.name if service else "(no longer listed)",
                "organization": service.organization.name if service else "",
                "file": service.organization.source_file if service else "",
                "asked": shown("service_asked", PERIOD, service_id),
                **{a: shown(f"service_{a}", PERIOD, service_id) for a in ANSWERS},
            }
        )
    return out
