"""Plain HSDS records into Homeward organization files (as YAML-ready dicts).

Every value goes through the forgiving readers in ``values`` and ``textfix``;
what had to change is counted, what cannot be used is skipped with its
``file:row``, and one bad row never stops the rest. Services keep their source
id as their Homeward id, and each file records where it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.directory.hsds import values as V
from bot.directory.hsds.homeward_terms import HOMEWARD_ID
from bot.directory.hsds.hours import read_hours
from bot.directory.hsds.places import read_location
from bot.directory.hsds.records import RawOrganization, RawPublication, RawService
from bot.directory.hsds.report import ImportReport
from bot.directory.hsds.service_parts import ServiceParts
from bot.directory.hsds.taxonomy import TaxonomyMap
from bot.directory.hsds.textfix import clean_text, one_line

PARENT_SERVICE = "services filed under a parent service: moved to its organization"
NO_ORG_NAME = "organizations without a name: named after their first service"
STATUS_EMPTY = "empty service status taken as active"
CLOSED = ("inactive", "defunct", "temporarily closed")
# The order of docs/directory-format.md, so imported files read like curated ones.
SERVICE_ORDER = (
    "id",
    "name",
    "categories",
    "inferred",
    "taxonomy_terms",
    "description",
    "description_es",
    "locations",
    "phones",
    "url",
    "email",
    "schedules",
    "hours_notes",
    "hours_notes_es",
    "eligibility_description",
    "eligibility_description_es",
    "fees_description",
    "fees_description_es",
    "application_process",
    "application_process_es",
    "languages",
    "accepts_records",
    "serves",
    "what_to_bring",
    "what_to_bring_es",
    "notes",
    "notes_es",
    "keywords",
    "service_area",
    "assured_date",
)
SITE_NAME = "services named only by their site given their program's name (from the location)"


@dataclass
class OrgDoc:
    """One organization file to write: its name and its content."""

    file_name: str
    data: dict[str, Any]
    timezone_zips: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)


class Assembler:
    """Builds organization files from a RawPublication."""

    def __init__(
        self, pub: RawPublication, taxonomy: TaxonomyMap, report: ImportReport, today: dt.date
    ) -> None:
        self.pub = pub
        self.report = report
        self.today = today
        self.parts = ServiceParts(taxonomy, report, today)
        self.by_id = {s.id: s for s in pub.services}
        self.service_ids: set[str] = set()
        self.location_ids: set[str] = set()
        # Services whose taxonomy the map knows: no category there is a decision, not a gap.
        self.settled: set[str] = set()

    def build(self) -> list[OrgDoc]:
        """Every organization that has services (or phones), in source order."""
        grouped: dict[str, list[RawService]] = {}
        for service in self.pub.services:
            org_id = self._organization_of(service)
            if org_id is not None:
                grouped.setdefault(org_id, []).append(service)
        docs: list[OrgDoc] = []
        used_org_ids: set[str] = set()
        for org_id, org in self.pub.organizations.items():
            doc = self._organization(org, grouped.get(org_id, []), used_org_ids)
            if doc is not None:
                docs.append(doc)
        return docs

    def _organization_of(self, service: RawService) -> str | None:
        org_id, seen = service.organization_id, {service.id}
        while org_id not in self.pub.organizations and org_id in self.by_id and org_id not in seen:
            seen.add(org_id)
            org_id = self.by_id[org_id].organization_id
        if org_id in self.pub.organizations:
            if org_id != service.organization_id:
                self.report.repaired(PARENT_SERVICE, f"service:{service.id}")
            return org_id
        if service.organization_id:
            self.report.skipped(
                service.where,
                "organization not found",
                f"no organization '{service.organization_id}'",
            )
        else:
            self.report.skipped(service.where, "service without an organization_id")
        return None

    def _organization(
        self, org: RawOrganization, services: list[RawService], used: set[str]
    ) -> OrgDoc | None:
        record = f"organization:{org.id}"
        own = (org.extras.get(HOMEWARD_ID) or [""])[0]
        org_id, fix = V.clean_id(own or org.id)
        if org_id is None or org_id in used:
            self.report.skipped(org.where, "organization id unusable or used twice", repr(org.id))
            self._skip_all(services, org.id)
            return None
        if fix and not own:
            self.report.repaired(fix, record)
        data: dict[str, Any] = {"id": org_id}
        data["name"] = self._text(org.name, record, line=True)
        if not data["name"]:
            named = next((s.name for s in services if s.name.strip()), "")
            data["name"], _ = one_line(named)
            if not data["name"]:
                self.report.skipped(org.where, "organization without a name or named services")
                self._skip_all(services, org.id)
                return None
            self.report.repaired(NO_ORG_NAME, record)
        if (org.extras.get("fictional") or [""])[0] == "true":
            data["fictional"] = True
        data["description"] = self._text(org.description, record)
        data["description_es"] = self._text((org.extras.get("description_es") or [""])[0], record)
        data["url"] = self.parts.url(org.url, record)
        data["email"] = V.clean_email(org.email)
        data["phones"] = self.parts.phones(org.phones, record)
        data["source"] = self._source(org)
        doc = OrgDoc(self._file_name(org_id, data["name"]), data)
        locations: dict[str, dict[str, Any]] = {}
        built = [self._service(s, org_id, locations, doc) for s in services]
        data["locations"] = list(locations.values())
        data["services"] = [s for s in built if s is not None]
        if not data["services"] and not data["phones"]:
            return None  # an organization with nothing to offer a texter
        used.add(org_id)
        self.report.imported["organizations"] += 1
        return doc

    def _skip_all(self, services: list[RawService], org_id: str) -> None:
        for service in services:
            self.report.skipped(service.where, "its organization was left out", repr(org_id))

    def _service(
        self, service: RawService, org_id: str, locations: dict[str, dict[str, Any]], doc: OrgDoc
    ) -> dict[str, Any] | None:
        record = f"service:{service.id}"
        status = " ".join(service.status.lower().split())
        if status in CLOSED:
            self.report.skipped(service.where, f"service is {status}")
            return None
        if not status:
            self.report.repaired(STATUS_EMPTY, record)
        own = (service.extras.get(HOMEWARD_ID) or [""])[0]
        service_id, fix = V.clean_id(own or service.id)
        if service_id is None or service_id in self.service_ids:
            self.report.skipped(
                service.where, "service id unusable or used twice", repr(service.id)
            )
            return None
        name = self._site_name(self._text(service.name, record, line=True), service, record)
        if not name:
            self.report.skipped(service.where, "service without a name")
            return None
        if fix and not own:
            self.report.repaired(fix, record)
        self.service_ids.add(service_id)
        data: dict[str, Any] = {"id": service_id, "name": name}
        data.update(self.parts.classify(service))
        if self.parts.taxonomy_knows(service):
            self.settled.add(service_id)
        data["description"] = self._text(service.description, record)
        data["locations"] = self._locations(service, org_id, locations, doc, record)
        data["phones"] = self.parts.phones(service.phones, record)
        data["url"] = self.parts.url(service.url, record)
        data["email"] = V.clean_email(service.email)
        hours = read_hours(service.schedules, record, self.report)
        data["schedules"] = hours.rows
        self.report.imported["schedules"] += len(hours.rows)
        data.update(self.parts.texts(service, record, hours.notes))
        data.update(self.parts.details(service, record))
        self.report.imported["services"] += 1
        if not data["categories"]:
            self.report.imported["services without a category"] += 1
        order = {key: i for i, key in enumerate(SERVICE_ORDER)}
        return dict(sorted(data.items(), key=lambda kv: order.get(kv[0], len(order))))

    def _locations(
        self,
        service: RawService,
        org_id: str,
        locations: dict[str, dict[str, Any]],
        doc: OrgDoc,
        record: str,
    ) -> list[str]:
        ids = []
        for raw_id in service.location_ids:
            raw = self.pub.locations[raw_id]
            if raw_id not in locations:
                location = read_location(raw, service.name, record, self.report)
                if location is None:
                    continue
                base = location["id"]
                if base in self.location_ids:
                    location["id"] = f"{base}-{org_id}"  # one place, listed by two organizations
                self.location_ids.add(location["id"])
                locations[raw_id] = location
                self.report.imported["locations"] += 1
                if location.get("postal_code"):
                    doc.timezone_zips.append(str(location["postal_code"]))
                if location.get("city"):
                    doc.cities.append(f"{location['city']}, {location.get('state_province', '')}")
            ids.append(str(locations[raw_id]["id"]))
        return ids

    def _site_name(self, name: str, service: RawService, record: str) -> str:
        """ "LAKEVIEW" -> "VITA TAX PREPARATION - LAKEVIEW", from its location "BRANCHES - VITA...".

        211 exports often name a program's sites by place alone and keep the
        full "Agency - Program - Site" path in the location's name; the
        texter needs the program's name, the organization is shown anyway.
        """
        if len(service.location_ids) != 1 or not name:
            return name
        location, _ = one_line(self.pub.locations[service.location_ids[0]].name)
        parts = [p.strip() for p in location.split(" - ")]
        if len(parts) < 3 or parts[-1].lower() != name.lower():
            return name
        self.report.repaired(SITE_NAME, record)
        return " - ".join(parts[1:])

    def _text(self, value: str, record: str, *, line: bool = False) -> str:
        text, repairs = one_line(value) if line else clean_text(value)
        for repair in repairs:
            self.report.repaired(repair, record)
        return text

    def _source(self, org: RawOrganization) -> dict[str, Any]:
        source: dict[str, Any] = {"format": f"HSDS {self.pub.version}", "name": self.pub.source}
        if self.pub.title:
            source["title"] = self.pub.title
        if self.pub.license:
            source["license"] = self.pub.license
        source["organization_id"] = org.id
        source["imported"] = self.today
        return source

    @staticmethod
    def _file_name(org_id: str, name: str) -> str:
        readable = re.search(r"[a-z]", org_id) and len(org_id) <= 60
        if readable and not re.fullmatch(r"[0-9a-f-]{36}", org_id):
            return f"{org_id}.yaml"
        slug = "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:50].strip("-") or "organization"
        return f"{slug}-{org_id[:12]}.yaml"


def directory_region(docs: list[OrgDoc]) -> str:
    """The cities most locations are in, for directory.yaml's region."""
    cities = Counter(c.strip(", ") for d in docs for c in d.cities)
    return ", ".join(c for c, _ in cities.most_common(3))
