"""One directory version as the HSDS 3.0 API serves it: objects by their HSDS ids.

Built once per directory version a worker serves (the API asks for it on each
request; a new version builds a new one), from the same writer as
``homeward directory export-hsds``, so the API and the export always agree.
Ids are the export's stable UUIDs; the taxonomies are Homeward's own
("Homeward categories", and the fields HSDS has no place for). Only what a
directory publishes is here: nothing about texters, reports or navigators.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bot.directory.hsds.export_json import TAXONOMY_TEXT, ServiceWriter
from bot.directory.hsds.homeward_terms import (
    CATEGORY_TAXONOMY,
    FIELD_DESCRIPTIONS,
    FIELD_TAXONOMY,
    uid,
)
from bot.directory.model import Directory, Location, Organization, Service

LIST_FIELDS = (
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "application_process",
    "fees_description",
    "eligibility_description",
    "assured_date",
)


@dataclass
class Catalog:
    """A directory's services, organizations, service-at-locations and taxonomies by HSDS id."""

    directory: Directory
    modified: dt.datetime  # when this directory version was loaded
    writer: ServiceWriter = field(init=False)
    services: dict[str, Service] = field(init=False)
    organizations: dict[str, Organization] = field(init=False)
    at_locations: dict[str, tuple[Service, Location]] = field(init=False)
    _full: dict[str, dict[str, Any]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.writer = ServiceWriter(self.directory)
        self.services = {uid("service", s.id): s for s in self.directory.services}
        self.organizations = {uid("organization", o.id): o for o in self.directory.organizations}
        self.at_locations = {
            uid("service_at_location", f"{s.id}:{loc.id}"): (s, loc)
            for s in self.directory.services
            for loc in s.locations
        }

    @property
    def last_modified(self) -> str:
        """The version's load time, as HSDS writes a date-time."""
        return self.modified.astimezone(dt.UTC).isoformat(timespec="milliseconds")

    def service_full(self, service: Service) -> dict[str, Any]:
        """The fully nested service (cached: a page of them is asked again and again)."""
        key = service.id
        if key not in self._full:
            full = self.writer.service(service)
            full["last_modified"] = self.last_modified
            self._full[key] = full
        return self._full[key]

    def service_item(self, service: Service) -> dict[str, Any]:
        """A service with its one-to-one fields only (the list's shape)."""
        full = self.service_full(service)
        item = {key: full[key] for key in LIST_FIELDS if key in full}
        item["last_modified"] = self.last_modified
        return item

    def organization_item(self, org: Organization) -> dict[str, Any]:
        """An organization's one-to-one fields."""
        item: dict[str, Any] = {
            "id": uid("organization", org.id),
            "name": org.name,
            "description": org.description,
        }
        if org.email:
            item["email"] = org.email
        if org.url:
            item["website"] = org.url
        return item

    def organization_full(self, org: Organization, full_services: bool) -> dict[str, Any]:
        """The organization with its phones, identifiers, locations and services."""
        out = self.writer.organization(org)
        mine = [s for s in self.directory.services if s.organization.id == org.id]
        places = {loc.id: loc for s in mine for loc in s.locations}
        out["locations"] = [self.writer.location(loc, org) for loc in places.values()]
        out["services"] = [
            self.service_full(s) if full_services else self.service_item(s) for s in mine
        ]
        return out

    def at_location(self, key: str, *, full: bool) -> dict[str, Any]:
        """A service at a location: the location, the service (nested in full)."""
        service, location = self.at_locations[key]
        out: dict[str, Any] = {
            "id": key,
            "service_id": uid("service", service.id),
            "location_id": uid("location", location.id),
            "location": self.writer.location(location, service.organization),
        }
        out["service"] = self.service_full(service) if full else self.service_item(service)
        return out

    @cached_property
    def taxonomies(self) -> dict[str, dict[str, Any]]:
        """Homeward's two taxonomies."""
        return {
            uid("taxonomy", name): {
                "id": uid("taxonomy", name),
                "name": name,
                "description": TAXONOMY_TEXT[name],
            }
            for name in (CATEGORY_TAXONOMY, FIELD_TAXONOMY)
        }

    @cached_property
    def terms(self) -> dict[str, dict[str, Any]]:
        """Every term: the categories, then the directory fields."""
        out: dict[str, dict[str, Any]] = {}
        for category in self.directory.categories:
            out.update(self._term(CATEGORY_TAXONOMY, category.slug))
        for code in FIELD_DESCRIPTIONS:
            out.update(self._term(FIELD_TAXONOMY, code))
        return out

    def _term(self, taxonomy: str, code: str) -> dict[str, dict[str, Any]]:
        attribute = self.writer.attribute("x", "service", taxonomy, code, "", 0)
        term = dict(attribute["taxonomy_term"])
        return {term["id"]: term}

    def category_of_term(self, term_id: str) -> str | None:
        """The category slug a term id stands for (None for other terms)."""
        term = self.terms.get(term_id)
        if term is None or term["taxonomy"] != CATEGORY_TAXONOMY:
            return None
        return str(term["code"])


_LOCK = threading.Lock()
_BUILT: dict[int, Catalog] = {}


def catalog_for(directory: Directory, version: int, modified: dt.datetime) -> Catalog:
    """The catalog of a directory version (one per version and process)."""
    with _LOCK:
        found = _BUILT.get(version)
        if found is None or found.directory is not directory:
            _BUILT.clear()
            found = _BUILT[version] = Catalog(directory, modified)
        return found
