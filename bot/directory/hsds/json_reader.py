"""HSDS 3.0 JSON (the canonical form) into plain records.

Accepts what publishers and APIs hand out: one service object, a list of
them, an API page (``{"contents": [...]}``), or organizations with their
``services``, in one file or a folder of files. A service's nested
organization and locations become records of their own, shared by id.
"""

from __future__ import annotations

from typing import Any

from bot.directory.hsds.homeward_terms import CATEGORY_TAXONOMY, FIELD_TAXONOMY, ID_SCHEME
from bot.directory.hsds.package import Source
from bot.directory.hsds.records import (
    RawLocation,
    RawOrganization,
    RawPhone,
    RawPublication,
    RawSchedule,
    RawService,
    RawTerm,
)
from bot.directory.hsds.report import ImportReport, Where

# Keys only a service object has (a location or taxonomy term has none of them).
SERVICE_KEYS = {
    "status",
    "organization",
    "organization_id",
    "service_at_locations",
    "program",
    "eligibility_description",
    "fees_description",
    "application_process",
    "service_areas",
}
TEXTS = {
    "application_process": ("application_process",),
    "fees_description": ("fees_description", "fees"),
    "eligibility_description": ("eligibility_description",),
    "notes": ("alert",),
}


def _s(data: Any, key: str) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    return "" if value is None or isinstance(value, dict | list) else str(value)


def _items(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


class JsonReader:
    """Reads JSON documents into one RawPublication."""

    def __init__(self, source: Source, report: ImportReport) -> None:
        self.source = source
        self.report = report
        self.pub = RawPublication(version="3.0", source=source.name)

    def read(self) -> RawPublication:
        """Every document, every service in it."""
        extra = self.source.descriptor.get("homeward")
        if isinstance(extra, dict):
            self.pub.directory = {str(k): str(v) for k, v in extra.items()}
        for name, doc in self.source.documents:
            for path, item, org in self._services_in(doc, ""):
                self._service(Where(name, path=path or "(file)"), item, org)
        return self.pub

    def _services_in(self, doc: Any, path: str) -> list[tuple[str, Any, Any]]:
        """(path, service, organization or None) for every service in a document."""
        if isinstance(doc, list):
            found = []
            for i, item in enumerate(doc):
                found += self._services_in(item, f"{path}[{i}]")
            return found
        if not isinstance(doc, dict):
            return []
        if isinstance(doc.get("contents"), list):
            return self._services_in(doc["contents"], f"{path}.contents".lstrip("."))
        if isinstance(doc.get("services"), list):
            org = {k: v for k, v in doc.items() if k != "services"}
            return [
                (f"{path}.services[{i}]".lstrip("."), item, org)
                for i, item in enumerate(doc["services"])
            ]
        if SERVICE_KEYS & doc.keys():
            return [(path, doc, None)]
        return [(path, None, None)]

    def _service(self, where: Where, item: Any, parent_org: Any) -> None:
        if not isinstance(item, dict):
            self.report.skipped(where, "not a service (a location, taxonomy or other record)")
            return
        key = _s(item, "id").strip()
        if not key:
            self.report.skipped(where, "service without an id")
            return
        org_data = item.get("organization") if isinstance(item.get("organization"), dict) else None
        org_id = self._organization(where, org_data or parent_org, _s(item, "organization_id"))
        service = RawService(
            where=where,
            id=key,
            organization_id=org_id,
            name=_s(item, "name"),
            description=_s(item, "description"),
            url=_s(item, "url"),
            email=_s(item, "email"),
            status=_s(item, "status"),
            assured_date=_s(item, "assured_date"),
        )
        for field, keys in TEXTS.items():
            value = next((_s(item, k) for k in keys if _s(item, k)), "")
            if value:
                service.texts[field] = value
        service.phones = self._phones(where, item)
        for schedule in self._schedules(where, item):
            if schedule not in service.schedules:
                service.schedules.append(schedule)
        service.languages = [
            _s(lang, "code") or _s(lang, "name") for lang in _items(item, "languages")
        ]
        service.documents = [_s(d, "document") for d in _items(item, "required_documents")]
        service.areas = [_s(a, "name") for a in _items(item, "service_areas")]
        for sal in _items(item, "service_at_locations"):
            location_id = self._location(
                where, sal.get("location") if isinstance(sal, dict) else None
            )
            if location_id and location_id not in service.location_ids:
                service.location_ids.append(location_id)
            service.phones += self._phones(where, sal)
            for schedule in self._schedules(where, sal):
                if schedule not in service.schedules:
                    service.schedules.append(schedule)
        self._attributes(item, service)
        self.pub.services.append(service)

    def _organization(self, where: Where, data: Any, fallback_id: str) -> str:
        if not isinstance(data, dict):
            return fallback_id.strip()
        key = _s(data, "id").strip() or fallback_id.strip()
        if key and key not in self.pub.organizations:
            org = RawOrganization(
                where=where,
                id=key,
                name=_s(data, "name"),
                description=_s(data, "description"),
                url=_s(data, "website") or _s(data, "url"),
                email=_s(data, "email"),
                phones=self._phones(where, data),
            )
            for ident in _items(data, "organization_identifiers"):
                if _s(ident, "identifier_type") == ID_SCHEME:
                    org.extras.setdefault("id", []).append(_s(ident, "identifier"))
            for attr in _items(data, "attributes"):
                term = attr.get("taxonomy_term") if isinstance(attr, dict) else None
                if _taxonomy(term) == FIELD_TAXONOMY:
                    org.extras.setdefault(_s(term, "code"), []).append(_s(attr, "value"))
            self.pub.organizations[key] = org
        return key

    def _location(self, where: Where, data: Any) -> str:
        if not isinstance(data, dict) or not _s(data, "id").strip():
            return ""
        key = _s(data, "id").strip()
        if key in self.pub.locations:
            return key
        addresses = [a for a in _items(data, "addresses") if isinstance(a, dict)]
        physical = [a for a in addresses if _s(a, "address_type") in ("", "physical")]
        address = (physical or addresses or [{}])[0]
        own = (
            _s(data, "external_identifier")
            if _s(data, "external_identifier_type") == ID_SCHEME
            else ""
        )
        self.pub.locations[key] = RawLocation(
            where=where,
            id=key,
            name=_s(data, "name"),
            address_1=_s(address, "address_1"),
            address_2=_s(address, "address_2"),
            city=_s(address, "city"),
            state_province=_s(address, "state_province"),
            postal_code=_s(address, "postal_code"),
            latitude=_s(data, "latitude"),
            longitude=_s(data, "longitude"),
            homeward_id=own,
        )
        return key

    def _phones(self, where: Where, data: Any) -> list[RawPhone]:
        return [
            RawPhone(
                where=where,
                number=_s(p, "number"),
                extension=_s(p, "extension"),
                type=_s(p, "type"),
                description=_s(p, "description"),
            )
            for p in _items(data, "phones")
        ]

    def _schedules(self, where: Where, data: Any) -> list[RawSchedule]:
        return [
            RawSchedule(
                where=where,
                days=_s(s, "byday") or _s(s, "weekday"),
                opens_at=_s(s, "opens_at"),
                closes_at=_s(s, "closes_at"),
                freq=_s(s, "freq"),
                note=_s(s, "description") or _s(s, "notes"),
            )
            for s in _items(data, "schedules")
        ]

    def _attributes(self, item: Any, service: RawService) -> None:
        for attr in _items(item, "attributes"):
            term = attr.get("taxonomy_term") if isinstance(attr, dict) else None
            if not isinstance(term, dict):
                continue
            taxonomy, code = _taxonomy(term), _s(term, "code").strip()
            if taxonomy == FIELD_TAXONOMY:
                service.extras.setdefault(code, []).append(_s(attr, "value"))
            elif taxonomy == CATEGORY_TAXONOMY:
                service.categories.append(code)
            else:
                raw = RawTerm(code, _s(term, "name"), taxonomy)
                if raw not in service.terms:
                    service.terms.append(raw)


def _taxonomy(term: Any) -> str:
    if not isinstance(term, dict):
        return ""
    detail = term.get("taxonomy_detail")
    return (_s(detail, "name") if isinstance(detail, dict) else "") or _s(term, "taxonomy")


def read_json(source: Source, report: ImportReport) -> RawPublication:
    """JSON documents as plain records."""
    return JsonReader(source, report).read()
