"""Directory statistics a curator checks before a release."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from bot.directory.model import Directory, Service

STALE_DAYS = 180


@dataclass(frozen=True)
class DirectoryStats:
    """Counts per category and ZIP, and the entries due for a check."""

    services: int
    organizations: int
    per_category: dict[str, int]
    per_zip: dict[str, int]
    stale: tuple[Service, ...]


def directory_stats(directory: Directory, today: dt.date | None = None) -> DirectoryStats:
    """Compute the statistics of a loaded directory."""
    today = today or dt.datetime.now(dt.UTC).date()
    per_category = {c.slug: 0 for c in directory.categories}
    per_zip: Counter[str] = Counter()
    for service in directory.services:
        for slug in service.categories:
            per_category[slug] = per_category.get(slug, 0) + 1
        zips = {loc.postal_code[:5] for loc in service.locations if loc.postal_code}
        per_zip.update(zips or {"(none)"})
    stale = tuple(s for s in directory.services if _stale(s, today))
    return DirectoryStats(
        services=len(directory.services),
        organizations=len(directory.organizations),
        per_category=per_category,
        per_zip=dict(sorted(per_zip.items())),
        stale=stale,
    )


def _stale(service: Service, today: dt.date) -> bool:
    return service.assured_date is None or (today - service.assured_date).days > STALE_DAYS


def reports_text(reports: Mapping[str, Mapping[str, int]], directory: Directory) -> list[str]:
    """Open texters' reports (WRONG) per service, the most reported first."""
    total = sum(sum(kinds.values()) for kinds in reports.values())
    lines = ["", f"Texters' reports (WRONG), open: {total}"]
    names = {s.id: (s.name, s.organization.source_file) for s in directory.services}
    for service_id, kinds in sorted(reports.items(), key=lambda kv: -sum(kv[1].values())):
        name, where = names.get(service_id, ("(not in this directory)", ""))
        said = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        lines.append(f"  {service_id} {name}: {said}" + (f" in {where}" if where else ""))
    return lines


def stats_text(stats: DirectoryStats) -> str:
    """The statistics as a readable report."""
    lines = [
        f"{stats.services} services from {stats.organizations} organizations",
        "",
        "Services per category:",
    ]
    lines += [f"  {slug:<15} {count:>5}" for slug, count in stats.per_category.items()]
    lines += ["", "Services per ZIP:"]
    lines += [f"  {code:<15} {count:>5}" for code, count in stats.per_zip.items()]
    lines += ["", f"Not verified in {STALE_DAYS} days: {len(stats.stale)}"]
    for service in stats.stale:
        when = service.assured_date.isoformat() if service.assured_date else "never"
        lines.append(f"  {service.id} (last verified {when}) in {service.organization.source_file}")
    return "\n".join(lines)
