"""Which HSDS generation a tabular package is, told by its tables and their columns.

Table names alone mislead: Code for America's ohana-api ships an HSDS 1.0
package with an ``addresses.csv`` (a 3.0 name) keyed by ``location_id``, and
exporters leave the template's ``"version"`` in the descriptor untouched. So
each generation is recognised by what only it has, column by column:

- 3.0: ``attributes`` with ``link_entity``/``link_id``, a ``taxonomies`` table,
  ``organization_identifiers``, ``addresses`` with ``address_type``, or
  ``taxonomy_terms`` with ``taxonomy_id``;
- 2.0: ``service_attributes`` or ``other_attributes``, ``taxonomy_terms``, or
  ``schedules`` without ``regular_schedules``;
- 1.0: a service tied to one location (``services.location_id``), taxonomy
  ids or keywords inline in ``services``, or the 1.0 draft's singular file
  names (``service.csv``, ``organization.csv``);
- 1.x (1.1 and 1.2, read alike): ``services_at_location``,
  ``services_taxonomy``, ``regular_schedules``, ``physical_addresses``.
"""

from __future__ import annotations

from dataclasses import dataclass

Columns = dict[str, set[str]]


@dataclass(frozen=True)
class Layout:
    """A package's HSDS generation and the evidence it was told by."""

    version: str
    evidence: str


def detect_layout(columns: Columns, raw_names: set[str]) -> Layout:
    """The generation of a package whose tables (by their read name) have these columns."""
    for version, check in (("3.0", _v3), ("2.0", _v2), ("1.0", _v10)):
        found = check(columns, raw_names)
        if found:
            return Layout(version, found)
    return Layout("1.x", "1.x tables (services_at_location, regular_schedules...)")


def _v3(columns: Columns, raw_names: set[str]) -> str:
    if columns.get("attributes", set()) & {"link_entity", "link_id"}:
        return "attributes.csv links records by link_id"
    if "taxonomies" in columns:
        return "a taxonomies table"
    if "organization_identifiers" in columns:
        return "an organization_identifiers table"
    if "address_type" in columns.get("addresses", set()):
        return "addresses.csv has address_type"
    if "taxonomy_id" in columns.get("taxonomy_terms", set()):
        return "taxonomy_terms.csv has taxonomy_id"
    return ""


def _v2(columns: Columns, raw_names: set[str]) -> str:
    if {"service_attributes", "other_attributes"} & columns.keys():
        return "service_attributes or other_attributes"
    if "taxonomy_terms" in columns:
        return "a taxonomy_terms table"
    if "schedules" in columns and "regular_schedules" not in columns:
        return "schedules without regular_schedules"
    return ""


def _v10(columns: Columns, raw_names: set[str]) -> str:
    services = columns.get("services", set())
    if "location_id" in services and "service_at_location" not in columns:
        return "services.csv points to one location (location_id)"
    if services & {"taxonomy_ids", "keywords"}:
        return "taxonomy ids or keywords inline in services.csv"
    if {"service", "organization"} & raw_names:
        return "the 1.0 draft's singular file names"
    return ""
