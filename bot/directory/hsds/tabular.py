"""HSDS tabular data packages (1.x, 2.0 and 3.0 CSVs) into plain records.

The three versions name the same things differently (``regular_schedules`` /
``schedules``, ``physical_addresses`` / ``addresses``, ``services_taxonomy`` /
``service_attributes`` / ``attributes``); this module reads whichever is there.
A row that points at a service, location or term that does not exist is left
out and reported with its ``file:row``; nothing stops the import.
"""

from __future__ import annotations

from collections import defaultdict

from bot.directory.hsds.homeward_terms import ID_SCHEME
from bot.directory.hsds.inline import read_inline, split_list
from bot.directory.hsds.package import Row, Source
from bot.directory.hsds.records import (
    RawLocation,
    RawOrganization,
    RawPhone,
    RawPublication,
    RawSchedule,
    RawService,
)
from bot.directory.hsds.report import ImportReport, Where
from bot.directory.hsds.tabular_terms import read_terms


def get(row: dict[str, str], *keys: str) -> str:
    """The first non-blank value among ``keys``."""
    for key in keys:
        value = row.get(key)
        if value is not None and value.strip():
            return value
    return ""


class TabularReader:
    """Reads one Source's tables into a RawPublication."""

    def __init__(self, source: Source, report: ImportReport) -> None:
        self.source = source
        self.report = report
        self.pub = RawPublication(version=source.version, source=source.name)
        self.services: dict[str, RawService] = {}
        self.at_location: dict[str, list[RawService]] = defaultdict(list)
        self.sal: dict[str, RawService] = {}
        self.inline_terms: list[tuple[Where, str, str]] = []

    def read(self) -> RawPublication:
        """Every table, parents first."""
        descriptor = self.source.descriptor
        self.pub.title = str(descriptor.get("title") or descriptor.get("name") or "")
        licenses = descriptor.get("licenses") or []
        if isinstance(licenses, list) and licenses and isinstance(licenses[0], dict):
            self.pub.license = str(licenses[0].get("name") or licenses[0].get("title") or "")
        extra = descriptor.get("homeward")
        if isinstance(extra, dict):
            self.pub.directory = {str(k): str(v) for k, v in extra.items()}
        self._organizations()
        self._locations()
        self._services()
        self._service_at_location()
        self._phones()
        self._schedules()
        self._languages()
        self._texts()
        read_terms(
            self.source, self.report, self.services, self.pub.organizations, self.inline_terms
        )
        return self.pub

    def _missing(self, where: Where, kind: str, key: str) -> None:
        if key:
            self.report.skipped(where, f"{kind} not found", f"no {kind} '{key}'")
        else:
            self.report.skipped(where, f"{kind}_id is empty")

    def _unique(self, rows: list[Row], kind: str) -> list[tuple[Where, str, dict[str, str]]]:
        seen: set[str] = set()
        out = []
        for where, row in rows:
            key = get(row, "id").strip()
            if not key:
                self.report.skipped(where, f"{kind} without an id")
            elif key in seen:
                self.report.skipped(where, f"{kind} id used twice", f"id '{key}'")
            else:
                seen.add(key)
                out.append((where, key, row))
        return out

    def _organizations(self) -> None:
        for where, key, row in self._unique(self.source.rows("organizations"), "organization"):
            self.pub.organizations[key] = RawOrganization(
                where=where,
                id=key,
                name=get(row, "name"),
                description=get(row, "description"),
                url=get(row, "website", "url"),
                email=get(row, "email"),
            )
        for _, row in self.source.rows("organization_identifiers"):
            org = self.pub.organizations.get(get(row, "organization_id").strip())
            if org is not None and get(row, "identifier_type").strip() == ID_SCHEME:
                org.extras.setdefault("id", []).append(get(row, "identifier").strip())

    def _locations(self) -> None:
        for where, key, row in self._unique(self.source.rows("locations"), "location"):
            own = get(row, "external_identifier_type").strip() == ID_SCHEME
            self.pub.locations[key] = RawLocation(
                where=where,
                id=key,
                name=get(row, "name"),
                latitude=get(row, "latitude"),
                longitude=get(row, "longitude"),
                organization_id=get(row, "organization_id").strip(),
                homeward_id=get(row, "external_identifier").strip() if own else "",
                languages=split_list(get(row, "languages")),
            )
        addressed: dict[str, int] = {}
        for table, rank in (("addresses", 0), ("physical_addresses", 0), ("postal_addresses", 1)):
            for where, row in self.source.rows(table):
                key = get(row, "location_id").strip()
                location = self.pub.locations.get(key)
                if location is None:
                    self._missing(where, "location", key)
                    continue
                kind = get(row, "address_type").strip().lower()
                level = rank if kind in ("", "physical") else 1
                if addressed.get(key, 9) <= level:
                    continue
                addressed[key] = level
                location.address_1 = get(row, "address_1")
                location.address_2 = get(row, "address_2")
                location.city = get(row, "city")
                location.state_province = get(row, "state_province", "region")
                location.postal_code = get(row, "postal_code")

    def _services(self) -> None:
        for where, key, row in self._unique(self.source.rows("services"), "service"):
            service = RawService(
                where=where,
                id=key,
                organization_id=get(row, "organization_id").strip(),
                name=get(row, "name"),
                description=get(row, "description"),
                url=get(row, "url", "website"),
                email=get(row, "email"),
                status=get(row, "status"),
                assured_date=get(row, "assured_date"),
            )
            for field, keys in (
                ("application_process", ("application_process",)),
                ("fees_description", ("fees_description", "fees")),
                ("eligibility_description", ("eligibility_description", "eligibility")),
                ("notes", ("alert",)),
            ):
                if get(row, *keys):
                    service.texts[field] = get(row, *keys)
            locations = self.pub.locations
            for term_id in read_inline(where, row, service, locations, self.report):
                self.inline_terms.append((where, key, term_id))
            for location_id in service.location_ids:
                self.at_location[location_id].append(service)
            self.services[key] = service
            self.pub.services.append(service)

    def _service_at_location(self) -> None:
        for where, row in self.source.rows("service_at_location"):
            service = self.services.get(get(row, "service_id").strip())
            location_id = get(row, "location_id").strip()
            if service is None:
                self._missing(where, "service", get(row, "service_id").strip())
            elif location_id not in self.pub.locations:
                self._missing(where, "location", location_id)
            else:
                if location_id not in service.location_ids:
                    service.location_ids.append(location_id)
                if not any(s is service for s in self.at_location[location_id]):
                    self.at_location[location_id].append(service)
                if get(row, "id"):
                    self.sal[get(row, "id").strip()] = service

    def _owners(self, where: Where, row: dict[str, str]) -> list[RawService] | None:
        """The services a phone, schedule or language row belongs to; None after a skip."""
        service_id = get(row, "service_id").strip()
        if service_id:
            if service_id in self.services:
                return [self.services[service_id]]
            self._missing(where, "service", service_id)
            return None
        sal_id = get(row, "service_at_location_id").strip()
        if sal_id in self.sal:
            return [self.sal[sal_id]]
        location_id = get(row, "location_id").strip()
        if location_id in self.at_location:
            return self.at_location[location_id]
        return []

    def _phones(self) -> None:
        for where, row in self.source.rows("phones"):
            phone = RawPhone(
                where=where,
                number=get(row, "number"),
                extension=get(row, "extension"),
                type=get(row, "type", "number_type"),
                description=get(row, "description", "department"),
            )
            owners = self._owners(where, row)
            if owners is None:
                continue
            org = self.pub.organizations.get(self._phone_org(row))
            if owners:
                for service in owners:
                    service.phones.append(phone)
            elif org is not None:
                org.phones.append(phone)
            elif get(row, "contact_id"):
                self.report.skipped(where, "phone of a contact person (contacts are not read)")
            else:
                self.report.skipped(where, "phone linked to no service or organization")

    def _phone_org(self, row: dict[str, str]) -> str:
        """The organization of a phone row: its own column, else its location's."""
        org_id = get(row, "organization_id").strip()
        location = self.pub.locations.get(get(row, "location_id").strip())
        return org_id or (location.organization_id if location else "")

    def _schedules(self) -> None:
        for table in ("regular_schedules", "schedules"):
            for where, row in self.source.rows(table):
                owners = self._owners(where, row)
                if not owners:
                    if owners is not None:
                        self.report.skipped(where, "hours linked to no service")
                    continue
                schedule = RawSchedule(
                    where=where,
                    days=get(row, "byday", "weekday"),
                    opens_at=get(row, "opens_at"),
                    closes_at=get(row, "closes_at"),
                    freq=get(row, "freq"),
                    note=get(row, "original_text", "description", "notes"),
                )
                for service in owners:
                    service.schedules.append(schedule)

    def _languages(self) -> None:
        for where, row in self.source.rows("languages"):
            owners = self._owners(where, row)
            value = get(row, "code", "language", "name")
            if owners is None or not value:
                continue
            for service in owners:
                service.languages.append(value)
        for location_id, location in self.pub.locations.items():
            for service in self.at_location.get(location_id, []) if location.languages else []:
                if not service.languages:
                    service.languages = list(location.languages)

    def _texts(self) -> None:
        for table, column in (
            ("eligibility", "eligibility"),
            ("required_documents", "document"),
            ("service_area", "service_area"),
            ("service_areas", "name"),
        ):
            for where, row in self.source.rows(table):
                service = self.services.get(get(row, "service_id").strip())
                value = get(row, column, "description")
                if service is None:
                    self._missing(where, "service", get(row, "service_id").strip())
                elif table == "eligibility":
                    old = service.texts.get("eligibility_description", "")
                    service.texts["eligibility_description"] = "\n".join(filter(None, [old, value]))
                elif table == "required_documents":
                    service.documents.append(value)
                elif value:
                    service.areas.append(value)


def read_tabular(source: Source, report: ImportReport) -> RawPublication:
    """A tabular Source as plain records."""
    return TabularReader(source, report).read()
