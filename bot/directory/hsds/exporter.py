"""``homeward directory export-hsds [DIR] --out PATH``: HSDS 3.0, JSON and tables.

PATH gets ``services.json`` (a list of HSDS 3.0 service objects) beside a
tabular data package (``datapackage.json`` and one CSV per HSDS table), so
both serializations HSDS 3.0 defines are there; a PATH ending in ``.zip``
gets the same files in one archive. The tables are the JSON flattened, so
the two always agree.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from bot.directory.hsds.export_json import ServiceWriter
from bot.directory.model import Directory

# HSDS 3.0 tables we fill, their columns in the specification's order, and
# the columns that are not plain strings in the official datapackage.json.
_COLUMNS = {
    "organization": "organizations.csv: id name description email website",
    "service": "services.csv: id organization_id name description url email status "
    "application_process fees_description eligibility_description assured_date",
    "attribute": "attributes.csv: id link_id taxonomy_term_id link_type link_entity value",
    "service_at_location": "service_at_location.csv: id service_id location_id",
    "location": "locations.csv: id location_type organization_id name latitude longitude "
    "external_identifier external_identifier_type",
    "phone": "phones.csv: id service_id organization_id number type description",
    "address": "addresses.csv: id location_id address_1 city state_province postal_code country "
    "address_type",
    "schedule": "schedules.csv: id service_id freq wkst byday opens_at closes_at",
    "service_area": "service_areas.csv: id service_id name description",
    "required_document": "required_documents.csv: id service_id document",
    "language": "languages.csv: id service_id name code",
    "taxonomy_term": "taxonomy_terms.csv: id code name description taxonomy taxonomy_id",
    "organization_identifier": "organization_identifiers.csv: id organization_id "
    "identifier_scheme identifier_type identifier",
    "taxonomy": "taxonomies.csv: id name description",
}
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    name: (spec.split(":")[0], tuple(spec.split(":")[1].split())) for name, spec in _COLUMNS.items()
}
FIELD_TYPES = {
    "latitude": ("number", ""),
    "longitude": ("number", ""),
    "assured_date": ("date", ""),
    "opens_at": ("time", ""),
    "closes_at": ("time", ""),
    "email": ("string", "email"),
    "website": ("string", "uri"),
    "url": ("string", "uri"),
}
UUID_FIELDS = {
    "id",
    "organization_id",
    "service_id",
    "location_id",
    "link_id",
    "taxonomy_term_id",
    "taxonomy_id",
}


class Tables:
    """Rows per HSDS table, each id once."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in TABLES}

    def add(self, table: str, row: dict[str, Any], **links: str) -> None:
        """A row (nested lists dropped), with foreign keys from its parent."""
        flat = {k: v for k, v in row.items() if not isinstance(v, dict | list)}
        self.rows[table].setdefault(str(row["id"]), {**flat, **links})

    def add_service(self, service: dict[str, Any]) -> None:
        """A service object and everything nested in it."""
        sid = service["id"]
        self.add_organization(service["organization"])
        self.add("service", service)
        for phone in service["phones"]:
            self.add("phone", phone, service_id=sid)
        for schedule in service["schedules"]:
            self.add("schedule", schedule, service_id=sid)
        for name, table in (
            ("service_areas", "service_area"),
            ("languages", "language"),
            ("required_documents", "required_document"),
        ):
            for item in service[name]:
                self.add(table, item, service_id=sid)
        for sal in service["service_at_locations"]:
            location = sal["location"]
            self.add("location", location)
            for address in location.get("addresses", []):
                self.add("address", address, location_id=location["id"])
            self.add("service_at_location", sal, service_id=sid, location_id=location["id"])
        self.add_attributes(service["attributes"])

    def add_organization(self, org: dict[str, Any]) -> None:
        """An organization, its phones, identifiers and attributes."""
        self.add("organization", org)
        for phone in org["phones"]:
            self.add("phone", phone, organization_id=org["id"])
        for ident in org["organization_identifiers"]:
            self.add("organization_identifier", ident, organization_id=org["id"])
        self.add_attributes(org["attributes"])

    def add_attributes(self, attributes: list[dict[str, Any]]) -> None:
        """Attributes, their terms and the terms' taxonomies."""
        for attribute in attributes:
            term = attribute["taxonomy_term"]
            self.add("attribute", attribute)
            self.add("taxonomy_term", term)
            self.add("taxonomy", term["taxonomy_detail"])


def export_directory(directory: Directory) -> tuple[list[dict[str, Any]], Tables]:
    """The JSON services and the tables of one directory."""
    writer = ServiceWriter(directory)
    services = writer.services()
    tables = Tables()
    for org in directory.organizations:
        tables.add_organization(writer.organization(org))
    for service in services:
        tables.add_service(service)
    return services, tables


def descriptor(directory: Directory) -> dict[str, Any]:
    """datapackage.json: HSDS 3.0 tables, and our directory's metadata under "homeward"."""
    info = directory.info
    resources = []
    for name, (path, columns) in TABLES.items():
        fields = []
        for column in columns:
            kind, fmt = FIELD_TYPES.get(column, ("string", "uuid" if column in UUID_FIELDS else ""))
            field: dict[str, Any] = {"name": column, "type": kind}
            if fmt:
                field["format"] = fmt
            fields.append(field)
        resources.append(
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"primaryKey": "id", "fields": fields},
            }
        )
    return {
        "name": "homeward-directory",
        "title": info.name,
        "description": f"{info.name}: {info.region}. Exported by Homeward as HSDS 3.0.",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "homeward": {
            "name": info.name,
            "region": info.region,
            "timezone": info.timezone,
            "sample": "true" if info.sample else "false",
            "notice": info.notice,
            "notice_es": info.notice_es,
        },
        "resources": resources,
    }


def csv_text(table: str, rows: list[dict[str, Any]]) -> str:
    """One table as CSV text, the specification's columns in its order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TABLES[table][1], extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def export_files(directory: Directory) -> dict[str, str]:
    """Every file of the export, by name."""
    services, tables = export_directory(directory)
    files = {"services.json": json.dumps(services, indent=2, ensure_ascii=False) + "\n"}
    files["datapackage.json"] = json.dumps(descriptor(directory), indent=2) + "\n"
    for table, (path, _) in TABLES.items():
        files[path] = csv_text(table, list(tables.rows[table].values()))
    return files


def write_export(directory: Directory, out: Path) -> list[str]:
    """Write the export to a folder, or a .zip when ``out`` ends in .zip; the file names."""
    files = export_files(directory)
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8", newline="")
    return sorted(files)
