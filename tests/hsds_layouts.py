"""One small fictional directory written in every HSDS generation's own tables and columns.

Two organizations, two locations, three services: the same content each time,
so a test can import every layout and expect the same directory back. Names
and columns follow each generation (the 1.0 draft's singular file names,
ohana-api's inline 1.0 columns, 1.1's ``services_at_location``, 1.2's singular
``service_at_location`` and ``service_taxonomy``, 2.0's ``schedules`` and
``service_attributes``, 3.0's ``attributes``, ``taxonomies`` and typed
``addresses``). Numbers are in the fictional 555-01xx range.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.hsds_helpers import Table, write_package

ORGS = [
    ("o1", "Lakeside Reentry Network", "Beds and food for people coming home."),
    ("o2", "Eastlake Legal Aid", "Free legal help."),
]
LOCATIONS = [
    ("l1", "o1", "Lakeside House", "100 Harbor Way", "Oakland", "94607", "37.8044", "-122.2712"),
    ("l2", "o2", "Eastlake Office", "200 E 12th St", "Oakland", "94606", "37.7990", "-122.2520"),
]
# id, organization, location, name, description, AIRS code, term name, phone
SERVICES = [
    ("s1", "o1", "l1", "Night Shelter", "Beds for adults.", "BH-1800.8500", "Homeless Shelter"),
    ("s2", "o1", "l1", "Food Pantry", "Groceries every week.", "BD-1800.2000", "Food Pantries"),
    ("s3", "o2", "l2", "Record Clearance", "Help to clear old records.", "FT-3200", "Legal Aid"),
]
PHONES = {"s1": "510-555-0141", "s2": "510-555-0142", "s3": "510-555-0143"}
# Every service is open Monday to Friday, 18:00 to 22:00.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
LAYOUTS = ("1.0-draft", "1.0-ohana", "1.1", "1.2", "2.0", "3.0", "3.0-json")


def _orgs(website: str = "url") -> Table:
    return [{"id": i, "name": n, "description": d, website: ""} for i, n, d in ORGS]


def _locations() -> Table:
    return [
        {"id": i, "organization_id": o, "name": n, "latitude": lat, "longitude": lon}
        for i, o, n, _, _, _, lat, lon in LOCATIONS
    ]


def _addresses(**extra: str) -> Table:
    return [
        {
            "id": f"a{i}",
            "location_id": i,
            "address_1": street,
            "city": city,
            "state_province": "CA",
            "postal_code": zip_code,
            "country": "US",
            **extra,
        }
        for i, _, _, street, city, zip_code, _, _ in LOCATIONS
    ]


def _services(*, with_location: bool = False) -> Table:
    rows = []
    for sid, org, loc, name, description, _, _ in SERVICES:
        row = {"id": sid, "organization_id": org, "name": name, "description": description}
        if with_location:
            row["location_id"] = loc
        row["status"] = "active"
        rows.append(row)
    return rows


def _links() -> Table:
    return [{"id": f"x{s[0]}", "service_id": s[0], "location_id": s[2]} for s in SERVICES]


def _phones(type_column: str = "type") -> Table:
    return [
        {"id": f"p{sid}", "service_id": sid, "number": number, type_column: "voice"}
        for sid, number in PHONES.items()
    ]


def _weekly(day: str | int) -> Table:
    return [
        {"id": f"r{s[0]}{i}", "service_id": s[0], "weekday": str(day if day else i + 1)}
        | {"opens_at": "18:00", "closes_at": "22:00"}
        for s in SERVICES
        for i, _ in enumerate(WEEKDAYS)
    ]


def _weekly_names() -> Table:
    rows = _weekly(0)
    for row in rows:
        row["weekday"] = WEEKDAYS[int(row["weekday"]) - 1]
    return rows


def _schedules() -> Table:
    return [
        {
            "id": f"h{s[0]}",
            "service_id": s[0],
            "freq": "WEEKLY",
            "byday": "MO,TU,WE,TH,FR",
            "opens_at": "18:00",
            "closes_at": "22:00",
        }
        for s in SERVICES
    ]


def _taxonomy(key: str = "id") -> Table:
    return [
        {key: code, "name": term, "parent_id": "", "parent_name": ""} for *_, code, term in SERVICES
    ]


def _languages(**extra: str) -> Table:
    return [{"id": "lang1", "service_id": "s1", "language": "Spanish", **extra}]


def tables(layout: str) -> dict[str, Table]:
    """The directory's tables in one generation's layout."""
    if layout == "1.0-draft":
        return {
            "organization": _orgs(),
            "service": _services(with_location=True),
            "location": _locations(),
            "address": _addresses(),
            "phone": _phones(),
            "regular_schedule": _weekly(0),
            "service_taxonomy": [
                {"id": f"t{s[0]}", "service_id": s[0], "taxonomy_id": s[5]} for s in SERVICES
            ],
            "taxonomy": _taxonomy(),
            "language": _languages(),
        }
    if layout == "1.0-ohana":
        services = _services(with_location=True)
        for row, service in zip(services, SERVICES, strict=True):
            del row["organization_id"]  # reached through the location
            row["taxonomy_ids"] = service[5]
            row["keywords"] = "reentry, second chance"
            row["languages"] = "Spanish" if service[0] == "s1" else ""
            row["website"] = ""
        return {
            "organizations": _orgs("website"),
            "locations": _locations(),
            "services": services,
            "addresses": _addresses(),
            "phones": _phones("number_type"),
            "regular_schedules": _weekly_names(),
            "taxonomy": _taxonomy("taxonomy_id"),
        }
    if layout in ("1.1", "1.2"):
        singular = layout == "1.2"
        schedules = _weekly_names()
        if singular:
            for row in schedules:
                row["service_at_location_id"] = ""
        return {
            "organizations": _orgs(),
            "services": _services(),
            "locations": _locations(),
            "service_at_location" if singular else "services_at_location": _links(),
            "physical_addresses": _addresses(),
            "phones": _phones(),
            "regular_schedules": schedules,
            "service_taxonomy" if singular else "services_taxonomy": [
                {"id": f"t{s[0]}", "service_id": s[0], "taxonomy_id": s[5], "taxonomy_detail": ""}
                for s in SERVICES
            ],
            "taxonomy": [row | {"vocabulary": "AIRS"} for row in _taxonomy()],
            "languages": _languages(),
        }
    if layout == "2.0":
        return {
            "organizations": _orgs(),
            "services": _services(),
            "locations": _locations(),
            "service_at_location": _links(),
            "physical_addresses": _addresses(),
            "phones": _phones(),
            "schedules": _schedules(),
            "taxonomy_terms": [
                {"id": code, "term": term, "parent_id": "", "taxonomy": "AIRS"}
                for *_, code, term in SERVICES
            ],
            "service_attributes": [
                {"id": f"t{s[0]}", "service_id": s[0], "taxonomy_term_id": s[5]} for s in SERVICES
            ],
            "languages": _languages(),
        }
    if layout == "3.0":
        return {
            "organizations": _orgs("website"),
            "services": _services(),
            "locations": _locations(),
            "service_at_location": _links(),
            "addresses": _addresses(address_type="physical"),
            "phones": _phones(),
            "schedules": _schedules(),
            "taxonomies": [{"id": "airs", "name": "AIRS", "description": "AIRS/211 LA"}],
            "taxonomy_terms": [
                {"id": f"term-{code}", "code": code, "name": term, "taxonomy_id": "airs"}
                for *_, code, term in SERVICES
            ],
            "attributes": [
                {
                    "id": f"t{s[0]}",
                    "link_id": s[0],
                    "link_entity": "service",
                    "taxonomy_term_id": f"term-{s[5]}",
                }
                for s in SERVICES
            ],
            "languages": [{"id": "lang1", "service_id": "s1", "name": "Spanish", "code": "es"}],
        }
    raise ValueError(layout)


def json_services() -> list[dict[str, Any]]:
    """The directory as HSDS 3.0 JSON service objects."""
    orgs = {i: {"id": i, "name": n, "description": d} for i, n, d in ORGS}
    places = {loc[0]: loc for loc in LOCATIONS}
    out = []
    for sid, org, loc, name, description, code, term in SERVICES:
        _, _, lname, street, city, zip_code, lat, lon = places[loc]
        out.append(
            {
                "id": sid,
                "name": name,
                "description": description,
                "status": "active",
                "organization": orgs[org],
                "phones": [{"id": f"p{sid}", "number": PHONES[sid], "type": "voice"}],
                "schedules": _schedules()[[s[0] for s in SERVICES].index(sid)] | {},
                "languages": [{"name": "Spanish", "code": "es"}] if sid == "s1" else [],
                "service_at_locations": [
                    {
                        "id": f"x{sid}",
                        "location": {
                            "id": loc,
                            "name": lname,
                            "latitude": float(lat),
                            "longitude": float(lon),
                            "addresses": [
                                {
                                    "address_1": street,
                                    "city": city,
                                    "state_province": "CA",
                                    "postal_code": zip_code,
                                    "country": "US",
                                    "address_type": "physical",
                                }
                            ],
                        },
                    }
                ],
                "attributes": [
                    {
                        "taxonomy_term": {
                            "id": f"term-{code}",
                            "code": code,
                            "name": term,
                            "taxonomy_detail": {"id": "airs", "name": "AIRS"},
                        }
                    }
                ],
            }
        )
    for service in out:
        service["schedules"] = [service["schedules"]]
    return out


def write_layout(layout: str, folder: Path) -> Path:
    """The directory written in ``layout`` under ``folder``; the path to import."""
    if layout == "3.0-json":
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "services.json"
        path.write_text(json.dumps(json_services()), encoding="utf-8")
        return path
    return write_package(folder, tables(layout))
