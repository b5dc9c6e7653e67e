"""What the report tells curators: services people could not use, gaps, entries to check.

Built from the period's suppressed figures (never from raw counts) and the
loaded directory; each row names the file to edit (and links to it when
HOMEWARD_DIRECTORY_EDIT_URL is set). A gap (a category and ZIP with unmet
needs) points to the organizations folder, where a new service's file goes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.directory.model import Directory
from bot.directory.stats import STALE_DAYS, directory_stats
from bot.reports.suppression import LARGE

NEW_SERVICE_FOLDER = "organizations/"
LIMIT = 20  # rows per list of services (the JSON lists every entry due for a check)


def rank(value: object) -> tuple[int, int]:
    """Larger first: shown counts by size, then ">10", then "<11" (never by a hidden value)."""
    if isinstance(value, int):
        return (0, -value)
    return (1, 0) if value == LARGE else (2, 0)


def curators(
    period: dict[str, Any], directory: Directory, *, today: dt.date, edit_url: str = ""
) -> dict[str, Any]:
    """The curators' lists, from the period's figures (``report.build_report``)."""

    def link(file: str) -> str:
        return edit_url + file if edit_url and file else ""

    services = period["follow_ups"]["by_service"]

    def most(answer: str) -> list[dict[str, Any]]:
        rows = [s for s in services if s[answer] != 0]
        rows.sort(key=lambda s: (rank(s[answer]), s["service"]))
        return [
            {
                "service": s["service"],
                "organization": s["organization"],
                "count": s[answer],
                "file": s["file"],
                "edit_url": link(s["file"]),
            }
            for s in rows[:LIMIT]
        ]

    gaps = sorted(period["unmet"], key=lambda u: (rank(u["count"]), u["category"], u["zip"]))
    stale = directory_stats(directory, today).stale
    return {
        "turned_away_for_record": most("record"),
        "could_not_reach": most("no_answer"),
        "unmet": [
            {**gap, "file": NEW_SERVICE_FOLDER, "edit_url": link(NEW_SERVICE_FOLDER)}
            for gap in gaps
        ],
        "not_checked_days": STALE_DAYS,
        "not_checked": [
            {
                "service": s.name,
                "organization": s.organization.name,
                "last_verified": s.assured_date.isoformat() if s.assured_date else None,
                "file": s.organization.source_file,
                "edit_url": link(s.organization.source_file),
            }
            for s in sorted(stale, key=lambda s: (s.assured_date or dt.date.min, s.name))
        ],
    }
