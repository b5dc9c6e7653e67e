"""HSDS 1.0's inline columns: what later generations moved into tables of their own.

In Code for America's ohana-api package (fields renamed "to match OpenReferral
spec 1.0") a service points to one location (``services.location_id``) and
reaches its organization through that location; its keywords, taxonomy ids,
languages, documents and service areas are comma-separated text in
``services.csv``, and a location lists its languages the same way. This module
reads those columns into the same plain records the tables fill.
"""

from __future__ import annotations

import re

from bot.directory.hsds.records import RawLocation, RawService
from bot.directory.hsds.report import ImportReport, Where

_LIST_SPLIT = re.compile(r"\s*[,;]\s*")
LOCATION_ORG = "services reaching their organization through their location (HSDS 1.0)"


def split_list(value: str) -> list[str]:
    """ "Spanish, Tagalog" -> ["Spanish", "Tagalog"] (empty parts dropped)."""
    return [part for part in _LIST_SPLIT.split(value.strip()) if part]


def _get(row: dict[str, str], key: str) -> str:
    return (row.get(key) or "").strip()


def read_inline(
    where: Where,
    row: dict[str, str],
    service: RawService,
    locations: dict[str, RawLocation],
    report: ImportReport,
) -> list[str]:
    """Fill ``service`` from its inline columns; return its inline taxonomy term ids."""
    location_id = _get(row, "location_id")
    if location_id:
        location = locations.get(location_id)
        if location is None:
            report.skipped(where, "location not found", f"no location '{location_id}'")
        else:
            service.location_ids.append(location_id)
            if not service.organization_id and location.organization_id:
                service.organization_id = location.organization_id
                report.repaired(LOCATION_ORG, f"service:{service.id}")
    keywords = split_list(_get(row, "keywords"))
    if keywords:
        service.extras.setdefault("keywords", []).extend(keywords)
    service.languages += split_list(_get(row, "languages"))
    service.documents += split_list(_get(row, "required_documents"))
    service.areas += split_list(_get(row, "service_areas"))
    audience = _get(row, "audience")
    if audience:
        old = service.texts.get("eligibility_description", "")
        service.texts["eligibility_description"] = "\n".join(p for p in (old, audience) if p)
    return split_list(_get(row, "taxonomy_ids"))
