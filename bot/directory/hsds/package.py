"""Open an HSDS publication: a data package (folder or .zip) or JSON (file or folder).

The version is told by the tables and their columns (``layout``), not by the
descriptor: exporters often leave the template's ``"version"`` untouched
(Miami's 2019 1.1 export says 1.0). Tables are found by file name wherever
they sit in the package, because descriptors' paths are often wrong (Miami's
lack the ``data/`` folder); the names of every generation (the 1.0 draft's
singular ``service.csv``, ohana-api's ``mail_addresses.csv``) are read as one.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from bot.directory.hsds.layout import detect_layout
from bot.directory.hsds.report import ImportReport, Where

NOT_UTF8 = "CSV files not in UTF-8 read as Windows-1252"
# Names that changed between versions, read as one table.
TABLE_ALIASES = {
    "services_at_location": "service_at_location",
    "services_at_locations": "service_at_location",
    "accessibility_for_disabilities": "accessibility",
    # the 1.0 draft's singular file names
    "organization": "organizations",
    "service": "services",
    "location": "locations",
    "phone": "phones",
    "program": "programs",
    "contact": "contacts",
    "physical_address": "physical_addresses",
    "postal_address": "postal_addresses",
    "address": "addresses",
    "regular_schedule": "regular_schedules",
    "holiday_schedule": "holiday_schedules",
    "required_document": "required_documents",
    "language": "languages",
    "service_taxonomy": "services_taxonomy",
    # 2.0's singular names
    "schedule": "schedules",
    "service_attribute": "service_attributes",
    "other_attribute": "other_attributes",
    "taxonomy_term": "taxonomy_terms",
    # ohana-api's name for postal addresses
    "mail_addresses": "postal_addresses",
}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class HsdsError(Exception):
    """The publication cannot be read at all (one plain line for the user)."""


Row = tuple[Where, dict[str, str]]


@dataclass
class Source:
    """What was found at PATH: CSV tables or JSON documents, and the descriptor."""

    name: str
    kind: str
    version: str = ""
    tables: dict[str, list[Row]] = field(default_factory=dict)
    columns: dict[str, set[str]] = field(default_factory=dict)
    evidence: str = ""
    documents: list[tuple[str, Any]] = field(default_factory=list)
    descriptor: dict[str, Any] = field(default_factory=dict)

    def rows(self, *names: str) -> list[Row]:
        """The rows of the first of these tables that exists."""
        for name in names:
            if name in self.tables:
                return self.tables[name]
        return []


def open_source(path: Path, report: ImportReport) -> Source:
    """Read everything at ``path``; raise HsdsError when nothing HSDS is there."""
    if not path.exists():
        raise HsdsError(f"{path} does not exist")
    if path.is_file() and path.suffix.lower() == ".json":
        source = _json_source(path.name, [(path.name, _read_json(path.name, path.read_bytes()))])
        beside = path.with_name("datapackage.json")
        if beside.is_file() and beside != path:
            loaded = _read_json(beside.name, beside.read_bytes())
            source.descriptor = loaded if isinstance(loaded, dict) else {}
        return source
    files = _zip_files(path) if path.is_file() else _folder_files(path)
    csvs = {name: data for name, data in files.items() if name.lower().endswith(".csv")}
    if csvs:
        return _tabular_source(path.name, files, csvs, report)
    docs = [
        (name, _read_json(name, data))
        for name, data in sorted(files.items())
        if name.lower().endswith(".json") and PurePosixPath(name).name != "datapackage.json"
    ]
    if docs:
        return _json_source(path.name, docs)
    raise HsdsError(f"{path} holds no HSDS CSV or JSON files")


def _zip_files(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            return {
                info.filename: archive.read(info)
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith((".csv", ".json"))
            }
    except (zipfile.BadZipFile, OSError) as exc:
        raise HsdsError(f"{path} is not a readable .zip file ({exc})") from exc


def _folder_files(path: Path) -> dict[str, bytes]:
    found = sorted(
        (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".json")),
        key=lambda p: (len(p.relative_to(path).parts), str(p)),
    )
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in found}


def _read_json(name: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HsdsError(f"{name} is not JSON ({exc})") from exc


def _json_source(name: str, docs: list[tuple[str, Any]]) -> Source:
    return Source(name=name, kind="JSON", version="3.0", documents=docs)


def _tabular_source(
    name: str, files: dict[str, bytes], csvs: dict[str, bytes], report: ImportReport
) -> Source:
    source = Source(name=name, kind="tabular data package")
    descriptors = [data for path, data in files.items() if path.endswith("datapackage.json")]
    if descriptors:
        loaded = _read_json("datapackage.json", descriptors[0])
        source.descriptor = loaded if isinstance(loaded, dict) else {}
    raw_names: set[str] = set()
    for path, data in csvs.items():
        stem = PurePosixPath(path).stem.strip().lower()
        table = TABLE_ALIASES.get(stem, stem)
        if table in source.tables:
            continue  # the shallowest copy wins
        raw_names.add(stem)
        header, rows = _read_csv(PurePosixPath(path).name, data, report)
        source.tables[table] = rows
        source.columns[table] = set(header)
    if "services" not in source.tables:
        raise HsdsError(f"{name} has no services table (services.csv)")
    layout = detect_layout(source.columns, raw_names)
    source.version, source.evidence = layout.version, layout.evidence
    return source


def detect_version(tables: set[str]) -> str:
    """The HSDS version of a set of table names whose columns are not known."""
    return detect_layout({name: set() for name in tables}, tables).version


def _read_csv(name: str, data: bytes, report: ImportReport) -> tuple[list[str], list[Row]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        report.repaired(NOT_UTF8, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise HsdsError(f"{name} is not a CSV file ({exc})") from exc
    if header is None:
        return [], []
    keys = [h.strip().lstrip("\ufeff").lower() for h in header]
    rows: list[Row] = []
    number = 1
    try:
        for number, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                rows.append((Where(name, number), dict(zip(keys, values, strict=False))))
    except csv.Error as exc:
        report.skipped(Where(name, number + 1), "rest of the file is not CSV", str(exc))
    return keys, rows
