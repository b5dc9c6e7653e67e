"""The report as CSV and as plain text, with the very figures of its JSON.

CSV has one row per figure: ``month,measure,value``; ``month`` is YYYY-MM, or
``period`` for the whole period, and ``measure`` is the figure's path in the
JSON with dots (``texters.new``, ``needs.housing``,
``unmet.housing.94607``, ``handoffs.first_reply_minutes.median``). A
suppressed count is ``<11`` (or ``>10``), a wait not shown is empty. The
curators' lists are in the JSON and on the console page only: they are
rows of the period's figures, named after services.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

PERIOD_LABEL = "period"


def figures(report: dict[str, Any]) -> Iterator[tuple[str, str, object]]:
    """Every figure of the report: (month or "period", measure, value)."""
    for month in report["months"]:
        entry = {k: v for k, v in month.items() if k != "month"}
        for measure, value in _flat(entry, ""):
            yield month["month"], measure, value
    for measure, value in _flat(report["period"], ""):
        yield PERIOD_LABEL, measure, value


def _flat(value: Any, prefix: str) -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flat(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for item in value:
            if "zip" in item:  # an unmet need: its category and ZIP name it
                yield f"{prefix}.{item['category']}.{item['zip']}", item["count"]
            else:  # a service's follow-ups
                name = f"{prefix}.{item['service']}"
                for key, inner in item.items():
                    if key not in ("service", "organization", "file"):
                        yield f"{name}.{key}", inner
    else:
        yield prefix, value


def to_csv(report: dict[str, Any]) -> str:
    """The report's figures as CSV (a header, then one row per figure)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("month", "measure", "value"))
    for month, measure, value in figures(report):
        writer.writerow((month, measure, "" if value is None else value))
    return out.getvalue()


def to_text(report: dict[str, Any]) -> str:
    """A short summary for a terminal: the main figures per month and for the period."""
    lines = [
        f"Partner report {report['from']} to {report['to']} "
        f'(counts from 1 to {report["suppressed_below"] - 1} show as "<11")',
        f"{'month':<8} {'new':>6} {'return':>6} {'in':>8} {'out':>8} {'segments':>9} "
        f"{'search':>7} {'unmet':>6} {'person':>6} {'wait':>6} {'crisis':>6}",
    ]
    for name, entry in [(m["month"], m) for m in report["months"]] + [("all", report["period"])]:
        wait = entry["handoffs"]["first_reply_minutes"]["median"]
        crisis = entry["crisis"].values()
        crisis_total = sum(v for v in crisis if isinstance(v, int))
        hidden = any(not isinstance(v, int) for v in crisis)
        lines.append(
            f"{name:<8} {entry['texters']['new']!s:>6} {entry['texters']['returning']!s:>6} "
            f"{entry['texts']['in']!s:>8} {entry['texts']['out']!s:>8} "
            f"{entry['texts']['sms_segments']!s:>9} {entry['searches']!s:>7} "
            f"{entry['unmet_total']!s:>6} {entry['handoffs']['requests']!s:>6} "
            f"{'-' if wait is None else wait!s:>6} "
            f"{str(crisis_total) + ('+' if hidden else ''):>6}"
        )
    lines.append("wait: median minutes to a navigator's first reply; --json has every figure")
    return "\n".join(lines)
