"""Taxonomy terms and attributes of a tabular package, linked to their services.

1.x links services to ``taxonomy`` rows through ``services_taxonomy``; 1.0
(ohana-api) lists term ids inline in ``services.taxonomy_ids`` and keys its
``taxonomy`` rows by ``taxonomy_id``; 2.0 links to ``taxonomy_terms`` through
``service_attributes``; 3.0 through ``attributes``, which also carry
Homeward's own fields when the package is one of our exports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.directory.hsds.homeward_terms import CATEGORY_TAXONOMY, FIELD_TAXONOMY
from bot.directory.hsds.package import Source
from bot.directory.hsds.records import RawOrganization, RawService, RawTerm
from bot.directory.hsds.report import ImportReport, Where

AIRS_CODE_RE = re.compile(r"^[A-Z]{1,2}(-\d{4}(\.\d{4})?(-\d{3}(\.\d{2})?)?)?$")
SERVICE_ENTITIES = ("", "service", "services")
ORGANIZATION_ENTITIES = ("organization", "organizations")


@dataclass(frozen=True)
class _Term:
    code: str
    name: str
    parent_id: str
    parent_name: str
    taxonomy: str


def _get(row: dict[str, str], *keys: str) -> str:
    for key in keys:
        value = (row.get(key) or "").strip()
        if value:
            return value
    return ""


def read_terms(
    source: Source,
    report: ImportReport,
    services: dict[str, RawService],
    organizations: dict[str, RawOrganization],
    inline: Sequence[tuple[Where, str, str]] = (),
) -> None:
    """Attach every linked term (and Homeward attribute) to its service."""
    terms = _term_table(source)
    links = [(where, service_id, term_id, "", "") for where, service_id, term_id in inline]
    links += [
        (where, _get(row, "service_id"), _get(row, "taxonomy_id"), "", "")
        for where, row in source.rows("services_taxonomy")
    ]
    links += [
        (where, _get(row, "service_id"), _get(row, "taxonomy_term_id"), "", "")
        for where, row in source.rows("service_attributes")
    ]
    links += [
        (
            where,
            _get(row, "link_id"),
            _get(row, "taxonomy_term_id"),
            _get(row, "link_entity").lower(),
            (row.get("value") or "").strip(),
        )
        for where, row in source.rows("attributes")
    ]
    for where, owner, term_id, entity, value in links:
        term = terms.get(term_id)
        if term is None:
            report.skipped(where, "taxonomy term not found", f"no term '{term_id}'")
            continue
        if entity in ORGANIZATION_ENTITIES:
            org = organizations.get(owner)
            if org is not None and term.taxonomy == FIELD_TAXONOMY:
                org.extras.setdefault(term.code, []).append(value)
            continue
        if entity not in SERVICE_ENTITIES:
            continue  # terms of locations, phones...: nothing in Homeward holds them
        service = services.get(owner)
        if service is None:
            report.skipped(where, "service not found", f"no service '{owner}'")
        elif term.taxonomy == FIELD_TAXONOMY:
            service.extras.setdefault(term.code, []).append(value)
        elif term.taxonomy == CATEGORY_TAXONOMY:
            service.categories.append(term.code)
        else:
            raw = RawTerm(term.code, term.name, term.taxonomy, _parents(term, terms))
            if raw not in service.terms:
                service.terms.append(raw)


def _term_table(source: Source) -> dict[str, _Term]:
    taxonomies = {_get(row, "id"): _get(row, "name") for _, row in source.rows("taxonomies")}
    out: dict[str, _Term] = {}
    for _, row in source.rows("taxonomy_terms", "taxonomy"):
        key = _get(row, "id") or _get(row, "taxonomy_id")
        if not key:
            continue
        code = _get(row, "code") or (key if AIRS_CODE_RE.match(key) else "")
        taxonomy = taxonomies.get(_get(row, "taxonomy_id")) or _get(row, "taxonomy", "vocabulary")
        out[key] = _Term(
            code=code,
            name=_get(row, "name", "term"),
            parent_id=_get(row, "parent_id"),
            parent_name=_get(row, "parent_name"),
            taxonomy=taxonomy,
        )
    return out


def _parents(term: _Term, terms: dict[str, _Term]) -> tuple[str, ...]:
    names: list[str] = []
    seen = set()
    current = term
    while current.parent_id and current.parent_id not in seen and len(names) < 10:
        seen.add(current.parent_id)
        parent = terms.get(current.parent_id)
        if parent is None:
            if current.parent_name:
                names.append(current.parent_name)
            break
        names.append(parent.name)
        current = parent
    return tuple(names)
