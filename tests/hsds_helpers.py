"""Small HSDS publications for tests, written the messy way real exports are.

The organizations are fictional (555-01xx numbers, made-up names on real
Oakland ZIP codes); each table is a list of dicts written as a CSV file.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from bot.settings import REPO_ROOT

MAP = REPO_ROOT / "resources_directory" / "taxonomy" / "hsds-map.yaml"

Table = list[dict[str, str]]


def write_package(folder: Path, tables: dict[str, Table], *, subfolder: str = "") -> Path:
    """A tabular data package: datapackage.json and one CSV per table."""
    data = folder / subfolder if subfolder else folder
    data.mkdir(parents=True, exist_ok=True)
    resources = []
    for name, rows in tables.items():
        columns = list(dict.fromkeys(k for row in rows for k in row))
        with (data / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        resources.append({"name": name, "path": f"{name}.csv"})
    descriptor = {"name": "test", "title": "Test 211 export", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


# HSDS 1.1, as a 211's export writes it: every kind of mess the issue lists.
V1_MESSY: dict[str, Table] = {
    "organizations": [
        {
            "id": "10",
            "name": "Harbor Light Mission ",
            "description": "Shelter and meals.\\n\\nSince 1950.",
            "url": "www.example.org",
        },
        {
            "id": "20",
            "name": "Eastlake Legal Aid",
            "description": "Free legal help GÇô expungement.",
        },
    ],
    "services": [
        {
            "id": "101",
            "organization_id": "10",
            "name": "NIGHT SHELTER",
            "description": "Beds for adults.\\n###MON###",
            "status": "",
        },
        {
            "id": "102",
            "organization_id": "10",
            "name": "Community Kitchen",
            "description": "Hot meals daily.",
            "status": "active",
        },
        {
            "id": "103",
            "organization_id": "101",
            "name": "WEST OAKLAND",
            "description": "A site of the night shelter.",
            "status": "",
        },
        {
            "id": "201",
            "organization_id": "20",
            "name": "Record Clearance Clinic",
            "description": "Expungement help.",
            "status": "",
        },
        {
            "id": "202",
            "organization_id": "20",
            "name": "Closed Program",
            "description": "Gone.",
            "status": "inactive",
        },
        {
            "id": "203",
            "organization_id": "99",
            "name": "Orphan Service",
            "description": "Its organization is missing.",
            "status": "",
        },
        {
            "id": "204",
            "organization_id": "20",
            "name": "Knitting Circle",
            "description": "Knitting and quilting for neighbours.",
            "status": "",
        },
        {
            "id": "101",
            "organization_id": "20",
            "name": "Duplicate",
            "description": "Same id again.",
            "status": "",
        },
    ],
    "locations": [
        {
            "id": "101",
            "organization_id": "101",
            "name": "HARBOR LIGHT - NIGHT SHELTER",
            "latitude": "37.8044",
            "longitude": "-122.2712",
        },
        {"id": "102", "organization_id": "102", "name": "Kitchen", "latitude": "", "longitude": ""},
        {
            "id": "103",
            "organization_id": "103",
            "name": "HARBOR LIGHT - NIGHT SHELTER - WEST OAKLAND",
            "latitude": "0",
            "longitude": "0",
        },
        {"id": "201", "organization_id": "201", "name": "", "latitude": "", "longitude": ""},
        {"id": "204", "organization_id": "204", "name": "Hall", "latitude": "", "longitude": ""},
    ],
    "services_at_location": [
        {"id": "101", "service_id": "101", "location_id": "101"},
        {"id": "102", "service_id": "102", "location_id": "102"},
        {"id": "103", "service_id": "103", "location_id": "103"},
        {"id": "201", "service_id": "201", "location_id": "201"},
        {"id": "204", "service_id": "204", "location_id": "204"},
        {"id": "999", "service_id": "999", "location_id": "101"},
    ],
    "physical_addresses": [
        {
            "id": "1",
            "location_id": "101",
            "address_1": "100 Broadway ",
            "city": "Oakland",
            "state_province": "CA ",
            "postal_code": "94607",
        },
        {
            "id": "2",
            "location_id": "102",
            "address_1": "200 Broadway",
            "city": "Oakland",
            "state_province": "CA",
            "postal_code": "946071234",
        },
        {
            "id": "3",
            "location_id": "103",
            "address_1": "300 Mandela Pkwy",
            "city": "Oakland",
            "state_province": "CA",
            "postal_code": "94607",
        },
        {
            "id": "4",
            "location_id": "201",
            "address_1": "400 E 12th St",
            "city": "Oakland",
            "state_province": "CA",
            "postal_code": "G9M 9H9",
        },
        {
            "id": "5",
            "location_id": "777",
            "address_1": "Nowhere",
            "city": "Oakland",
            "state_province": "CA",
            "postal_code": "94607",
        },
    ],
    "phones": [
        {"id": "1", "service_id": "101", "number": "510-555-0111", "extension": "", "type": ""},
        {
            "id": "2",
            "service_id": "102",
            "number": "(510) 555-0112 xOPT2",
            "extension": "",
            "type": "voice",
        },
        {"id": "3", "service_id": "201", "number": "000-000-*347", "extension": "", "type": ""},
        {"id": "4", "service_id": "201", "number": "5105550113", "extension": "12", "type": "cell"},
        {"id": "5", "service_id": "555", "number": "510-555-0114", "extension": "", "type": ""},
    ],
    "regular_schedules": [
        {
            "service_id": "101",
            "weekday": "Monday",
            "opens_at": "7:00pm",
            "closes_at": "7:00am",
            "original_text": "7pm-7am",
        },
        {
            "service_id": "101",
            "weekday": "Tuesday",
            "opens_at": "7:00pm",
            "closes_at": "7:00am",
            "original_text": "7pm-7am",
        },
        {
            "service_id": "102",
            "weekday": "Monday",
            "opens_at": "9:00am",
            "closes_at": "5:00pm",
            "original_text": "",
        },
        {
            "service_id": "102",
            "weekday": "Friday",
            "opens_at": "9:00",
            "closes_at": "5:00",
            "original_text": "",
        },
        {
            "service_id": "201",
            "weekday": "Wednesday",
            "opens_at": "",
            "closes_at": "3:00pm",
            "original_text": "Wednesdays, call first",
        },
        {
            "service_id": "404",
            "weekday": "Monday",
            "opens_at": "9:00am",
            "closes_at": "5:00pm",
            "original_text": "",
        },
    ],
    "taxonomy": [
        {"id": "BH-1800.8500", "name": "Homeless Shelter", "parent_id": "B", "vocabulary": "AIRS"},
        {"id": "BD-5000.8300", "name": "Soup Kitchens", "parent_id": "B", "vocabulary": "AIRS"},
        {
            "id": "FT-2800.1500",
            "name": "Criminal Record Expungement Assistance",
            "parent_id": "F",
            "vocabulary": "AIRS",
        },
        {"id": "YN-9000", "name": "Veterans", "parent_id": "Y", "vocabulary": "AIRS"},
        {
            "id": "PL-7400.0500",
            "name": "Arts and Crafts Instruction",
            "parent_id": "P",
            "vocabulary": "AIRS",
        },
    ],
    "services_taxonomy": [
        {"id": "1", "service_id": "101", "taxonomy_id": "BH-1800.8500"},
        {"id": "2", "service_id": "101", "taxonomy_id": "YN-9000"},
        {"id": "3", "service_id": "102", "taxonomy_id": "BD-5000.8300"},
        {"id": "4", "service_id": "201", "taxonomy_id": "FT-2800.1500"},
        {"id": "5", "service_id": "204", "taxonomy_id": "PL-7400.0500"},
        {"id": "6", "service_id": "101", "taxonomy_id": "ZZ-0000"},
    ],
    "languages": [
        {"id": "1", "service_id": "101", "language": "English"},
        {"id": "2", "service_id": "101", "language": "Spanish (limited)"},
        {"id": "3", "service_id": "102", "language": "other languages available upon request"},
    ],
    "eligibility": [
        {
            "id": "1",
            "service_id": "201",
            "eligibility": "Adults with a conviction in Alameda County.",
        },
        {"id": "", "service_id": "", "eligibility": "Unlinked row."},
    ],
}

# HSDS 2.0: schedules with BYDAY, taxonomy_terms with "term", service_attributes.
V2: dict[str, Table] = {
    "organizations": [{"id": "o1", "name": "Fruitvale Food Share", "description": "Groceries."}],
    "services": [
        {
            "id": "s1",
            "organization_id": "o1",
            "name": "Pantry",
            "description": "Groceries weekly.",
            "status": "active",
        }
    ],
    "locations": [
        {
            "id": "l1",
            "organization_id": "o1",
            "name": "Main hall",
            "latitude": "37.775",
            "longitude": "-122.224",
        }
    ],
    "service_at_location": [{"id": "sal1", "service_id": "s1", "location_id": "l1"}],
    "physical_addresses": [
        {
            "id": "a1",
            "location_id": "l1",
            "address_1": "3300 International Blvd",
            "city": "Oakland",
            "state_province": "CA",
            "postal_code": "94601",
        }
    ],
    "phones": [{"id": "p1", "service_id": "s1", "number": "+1 510 555 0120", "type": "voice"}],
    "schedules": [
        {
            "id": "sc1",
            "service_id": "s1",
            "freq": "WEEKLY",
            "byday": "TU,TH",
            "opens_at": "10:00:00",
            "closes_at": "14:00:00",
        }
    ],
    "taxonomy_terms": [
        {"id": "t1", "term": "Food Pantry", "taxonomy": "Open Eligibility", "parent_id": ""}
    ],
    "service_attributes": [{"id": "sa1", "service_id": "s1", "taxonomy_term_id": "t1"}],
}

V3_SERVICE: dict[str, Any] = {
    "id": "2f8c4b7e-8f60-4c3e-9d64-3d1f7c0e9a11",
    "name": "Second Chance Jobs",
    "description": "Job placement with employers who hire people with records.",
    "status": "active",
    "organization": {
        "id": "9b0d3c52-7c1c-4f7e-8a59-2a4e6f1b7d20",
        "name": "Lakeshore Works",
        "description": "Workforce programs.",
        "phones": [{"id": "ph1", "number": "510-555-0130"}],
    },
    "service_at_locations": [
        {
            "id": "sal-1",
            "location": {
                "id": "c1f0e2d3-1111-4a2b-9c3d-000000000001",
                "location_type": "physical",
                "name": "Lakeshore office",
                "addresses": [
                    {
                        "id": "ad1",
                        "address_1": "500 Grand Ave",
                        "city": "Oakland",
                        "state_province": "CA",
                        "postal_code": "94610",
                        "country": "US",
                        "address_type": "physical",
                    },
                ],
            },
        }
    ],
    "schedules": [
        {
            "id": "sch1",
            "freq": "WEEKLY",
            "byday": "MO,TU,WE,TH,FR",
            "opens_at": "09:00",
            "closes_at": "16:00",
        }
    ],
    "languages": [{"id": "la1", "name": "Spanish", "code": "es"}],
    "attributes": [
        {
            "id": "at1",
            "taxonomy_term": {
                "id": "tt1",
                "name": "Help Find Work",
                "description": "",
                "taxonomy": "Open Eligibility",
            },
        },
        {
            "id": "at2",
            "taxonomy_term": {
                "id": "tt2",
                "name": "Formerly Incarcerated",
                "description": "",
                "taxonomy": "Open Eligibility",
            },
        },
    ],
}
