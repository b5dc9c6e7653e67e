"""A Homeward directory as HSDS 3.0 JSON: one object per service.

Each service carries its organization, locations (with addresses), phones,
weekly schedules (RFC 5545 style: WEEKLY, BYDAY), languages, documents to
bring and, as attributes, its Homeward categories and the fields HSDS has no
place for (see ``homeward_terms``). Ids are stable UUIDs made from ours.
"""

from __future__ import annotations

from typing import Any

from babel import Locale

from bot.directory.hsds.homeward_terms import (
    CATEGORY_TAXONOMY,
    FIELD_DESCRIPTIONS,
    FIELD_TAXONOMY,
    HOMEWARD_ID,
    ID_SCHEME,
    uid,
)
from bot.directory.model import (
    SERVICE_TEXT_FIELDS,
    WEEKDAYS,
    Directory,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
)

NATIVE_TEXTS = ("eligibility_description", "fees_description", "application_process")
PHONE_TYPES = {"tty": "textphone"}
TAXONOMY_TEXT = {
    CATEGORY_TAXONOMY: "The 12 service categories of Homeward, a reentry services assistant.",
    FIELD_TAXONOMY: "Homeward directory fields that HSDS has no field for; the value is "
    "in the attribute.",
}


def hsds_time(value: str) -> str:
    """HH:MM as HSDS writes times (HH:MM:SS); closing at 24:00 is 23:59:59."""
    return "23:59:59" if value == "24:00" else f"{value}:00"


def _language_name(code: str) -> str:
    return str(Locale("en").languages.get(code, code))


class ServiceWriter:
    """Builds the JSON of services (and organizations) of one directory."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def services(self) -> list[dict[str, Any]]:
        """Every service, in directory order."""
        return [self.service(s) for s in self.directory.services]

    def service(self, service: Service) -> dict[str, Any]:
        """One service with everything nested."""
        sid = uid("service", service.id)
        out: dict[str, Any] = {
            "id": sid,
            "organization_id": uid("organization", service.organization.id),
            "name": service.name,
            "description": service.description,
            "status": "active",
        }
        if service.url:
            out["url"] = service.url
        if service.email:
            out["email"] = service.email
        for name in NATIVE_TEXTS:
            if service.texts.get(name):
                out[name] = service.texts[name]
        if service.assured_date:
            out["assured_date"] = service.assured_date.isoformat()
        out["phones"] = [
            self.phone(p, f"service:{service.id}:{i}") for i, p in enumerate(service.phones)
        ]
        out["schedules"] = [
            self.schedule(s, f"{service.id}:{i}") for i, s in enumerate(service.schedules)
        ]
        national = {"id": uid("service_area", service.id), "name": "United States"}
        out["service_areas"] = [national] if service.service_area == "national" else []
        out["service_at_locations"] = [
            {
                "id": uid("service_at_location", f"{service.id}:{loc.id}"),
                "location": self.location(loc, service.organization),
            }
            for loc in service.locations
        ]
        out["languages"] = [
            {
                "id": uid("language", f"{service.id}:{code}"),
                "name": _language_name(code),
                "code": code,
            }
            for code in service.languages
        ]
        out["organization"] = self.organization(service.organization)
        out["required_documents"] = [
            {"id": uid("required_document", f"{service.id}:{i}"), "document": text}
            for i, text in enumerate(service.what_to_bring)
        ]
        out["attributes"] = self.service_attributes(service, sid)
        return out

    def organization(self, org: Organization) -> dict[str, Any]:
        """The organization object (nested in each service, a row in the tables)."""
        oid = uid("organization", org.id)
        out: dict[str, Any] = {"id": oid, "name": org.name, "description": org.description}
        if org.email:
            out["email"] = org.email
        if org.url:
            out["website"] = org.url
        out["phones"] = [
            self.phone(p, f"organization:{org.id}:{i}") for i, p in enumerate(org.phones)
        ]
        out["organization_identifiers"] = [
            {
                "id": uid("organization_identifier", org.id),
                "identifier_scheme": ID_SCHEME,
                "identifier_type": ID_SCHEME,
                "identifier": org.id,
            }
        ]
        extras = [("description_es", org.description_es)]
        if org.fictional:
            extras.append(("fictional", "true"))
        out["attributes"] = [
            self.attribute(oid, "organization", FIELD_TAXONOMY, key, value, i)
            for i, (key, value) in enumerate(extras)
            if value
        ]
        return out

    def location(self, loc: Location, org: Organization) -> dict[str, Any]:
        """A physical location with its address; our id as its external identifier."""
        out: dict[str, Any] = {
            "id": uid("location", loc.id),
            "location_type": "physical",
            "organization_id": uid("organization", org.id),
            "name": loc.name,
            "external_identifier": loc.id,
            "external_identifier_type": ID_SCHEME,
        }
        if loc.latitude is not None and loc.longitude is not None:
            out["latitude"], out["longitude"] = loc.latitude, loc.longitude
        if loc.address_1 or loc.city or loc.postal_code:
            out["addresses"] = [
                {
                    "id": uid("address", loc.id),
                    "address_1": loc.address_1,
                    "city": loc.city,
                    "state_province": loc.state_province,
                    "postal_code": loc.postal_code,
                    "country": "US",
                    "address_type": "physical",
                }
            ]
        return out

    @staticmethod
    def phone(phone: Phone, key: str) -> dict[str, Any]:
        """A phone: the number as written, HSDS's name for its type."""
        out: dict[str, Any] = {
            "id": uid("phone", key),
            "number": phone.number,
            "type": PHONE_TYPES.get(phone.type, phone.type),
        }
        if phone.description:
            out["description"] = phone.description
        return out

    @staticmethod
    def schedule(schedule: Schedule, key: str) -> dict[str, Any]:
        """Weekly opening hours: ``freq: WEEKLY``, ``byday: MO,TU``, times."""
        return {
            "id": uid("schedule", key),
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": ",".join(WEEKDAYS[d][:2].upper() for d in schedule.weekdays),
            "opens_at": hsds_time(schedule.opens_at),
            "closes_at": hsds_time(schedule.closes_at),
        }

    def service_attributes(self, service: Service, sid: str) -> list[dict[str, Any]]:
        """Categories, then the Homeward fields HSDS lacks, one attribute per value."""
        pairs: list[tuple[str, str, str]] = [(CATEGORY_TAXONOMY, c, "") for c in service.categories]
        fields: list[tuple[str, str]] = [(HOMEWARD_ID, service.id)]
        fields.append(("description_es", service.description_es))
        for name in SERVICE_TEXT_FIELDS:
            if name not in NATIVE_TEXTS:
                fields.append((name, service.texts.get(name, "")))
            fields.append((f"{name}_es", service.texts.get(f"{name}_es", "")))
        if service.accepts_records != "unknown":
            fields.append(("accepts_records", service.accepts_records))
        fields += [("serves", g) for g in service.serves]
        fields += [("what_to_bring_es", t) for t in service.what_to_bring_es]
        fields += [("keywords", k) for k in service.keywords]
        pairs += [(FIELD_TAXONOMY, key, value) for key, value in fields if value]
        return [
            self.attribute(sid, "service", taxonomy, code, value, i)
            for i, (taxonomy, code, value) in enumerate(pairs)
        ]

    def attribute(
        self, link_id: str, entity: str, taxonomy: str, code: str, value: str, index: int
    ) -> dict[str, Any]:
        """An attribute linking a record to a term of one of our two taxonomies."""
        term_id = uid("taxonomy_term", f"{taxonomy}:{code}")
        taxonomy_id = uid("taxonomy", taxonomy)
        out: dict[str, Any] = {
            "id": uid("attribute", f"{link_id}:{index}:{code}"),
            "link_id": link_id,
            "link_entity": entity,
            "taxonomy_term_id": term_id,
        }
        if value:
            out["value"] = value
        out["taxonomy_term"] = {
            "id": term_id,
            "code": code,
            "name": self._term_name(taxonomy, code),
            "description": self._term_description(taxonomy, code),
            "taxonomy": taxonomy,
            "taxonomy_id": taxonomy_id,
            "taxonomy_detail": {
                "id": taxonomy_id,
                "name": taxonomy,
                "description": TAXONOMY_TEXT[taxonomy],
            },
        }
        return out

    def _term_name(self, taxonomy: str, code: str) -> str:
        category = self.directory.category(code) if taxonomy == CATEGORY_TAXONOMY else None
        return category.name("en") if category else code

    def _term_description(self, taxonomy: str, code: str) -> str:
        category = self.directory.category(code) if taxonomy == CATEGORY_TAXONOMY else None
        if category:
            return " / ".join(
                category.names.get(lang, "") for lang in ("en", "es") if lang in category.names
            )
        return FIELD_DESCRIPTIONS.get(code, code)
