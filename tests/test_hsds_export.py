"""export-hsds writes HSDS 3.0 that the published schemas accept, and that imports back."""

from __future__ import annotations

import csv
import dataclasses
import json
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from bot.directory.hsds.exporter import write_export
from bot.directory.hsds.importer import import_hsds
from bot.directory.loader import load_directory
from bot.directory.model import Directory
from tests.conftest import SAMPLE_DIRECTORY, SHARED
from tests.hsds_helpers import MAP

Run = Callable[..., subprocess.CompletedProcess[str]]
EXAMPLES = SHARED / "data" / "hsds3-examples"
needs_schemas = pytest.mark.skipif(
    not EXAMPLES.exists(), reason="../shared/data/hsds3-examples (HSDS 3.0 schemas) is absent"
)


@pytest.fixture(scope="module")
def sample() -> Directory:
    result = load_directory(SAMPLE_DIRECTORY)
    assert result.directory is not None
    return result.directory


@pytest.fixture(scope="module")
def exported(sample: Directory, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    write_export(sample, out)
    return out


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((EXAMPLES / "schema-compiled" / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


@needs_schemas
def test_every_exported_service_validates_against_the_hsds_3_schema(
    exported: Path, sample: Directory
) -> None:
    services = json.loads((exported / "services.json").read_text(encoding="utf-8"))
    assert len(services) == len(sample.services)
    validator = _validator("service.json")
    errors = [e for service in services for e in _errors(validator, service)]
    assert errors == []
    # uuids, emails, uris and dates are checked too, not only the shapes
    assert "uuid" in validator.format_checker.checkers
    assert "uri" in validator.format_checker.checkers


@needs_schemas
def test_a_broken_service_fails_the_same_check(exported: Path) -> None:
    service = json.loads((exported / "services.json").read_text(encoding="utf-8"))[0]
    service["status"] = "open"
    service["id"] = "not-a-uuid"
    assert len(_errors(_validator("service.json"), service)) == 2


def _typed_tables(folder: Path) -> dict[str, list[dict[str, Any]]]:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    tables = {}
    for resource in descriptor["resources"]:
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        tables[resource["name"]] = [
            {k: float(v) if types[k] == "number" else v for k, v in row.items() if v != ""}
            for row in rows
        ]
    return tables


@needs_schemas
def test_the_tabular_package_validates_against_the_hsds_3_tabular_schema(
    exported: Path, sample: Directory
) -> None:
    tables = _typed_tables(exported)
    assert len(tables["service"]) == len(sample.services) > 150
    assert _errors(_validator("tabular.json"), tables) == []


@needs_schemas
def test_the_tables_use_hsds_3_names_columns_and_types(exported: Path) -> None:
    official = json.loads((EXAMPLES / "csv" / "datapackage.json").read_text(encoding="utf-8"))
    spec = {r["name"]: r for r in official["resources"]}
    ours = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    for resource in ours["resources"]:
        theirs = spec[resource["name"]]
        assert resource["path"] == theirs["path"]
        types = {f["name"]: f["type"] for f in theirs["schema"]["fields"]}
        for field in resource["schema"]["fields"]:
            assert types[field["name"]] == field["type"], (resource["name"], field["name"])
        with (exported / resource["path"]).open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        required = [f["name"] for f in theirs["schema"]["fields"] if f["constraints"]["required"]]
        for row in _typed_tables(exported)[resource["name"]]:
            assert all(row.get(name) not in (None, "") for name in required), (resource, row)


def _same_directory(left: Directory, right: Directory) -> None:
    assert left.info == right.info
    assert left.categories == right.categories
    assert left.organizations == right.organizations
    for ours, theirs in zip(left.services, right.services, strict=True):
        differences = [
            f.name
            for f in dataclasses.fields(ours)
            if getattr(ours, f.name) != getattr(theirs, f.name)
        ]
        assert differences == [], ours.id
    assert left == right


@pytest.mark.parametrize("serialization", ["tabular", "json"])
def test_importing_our_own_export_gives_back_the_same_directory(
    exported: Path, sample: Directory, tmp_path: Path, serialization: str
) -> None:
    source = exported if serialization == "tabular" else exported / "services.json"
    result = import_hsds(source, tmp_path / "back", MAP)
    assert result.report.skips == []
    assert sum(result.report.repairs.values()) == 0
    back = load_directory(tmp_path / "back")
    assert back.problems == []
    assert back.directory is not None
    _same_directory(sample, back.directory)


def test_a_zip_export_holds_json_and_tables_and_imports_back(
    sample: Directory, tmp_path: Path
) -> None:
    archive = tmp_path / "hsds.zip"
    names = write_export(sample, archive)
    with zipfile.ZipFile(archive) as opened:
        assert sorted(opened.namelist()) == names
    assert {"services.json", "datapackage.json", "services.csv", "attributes.csv"} <= set(names)
    import_hsds(archive, tmp_path / "back", MAP)
    back = load_directory(tmp_path / "back")
    assert back.directory is not None
    _same_directory(sample, back.directory)


def test_categories_and_spanish_travel_as_attributes(exported: Path, sample: Directory) -> None:
    services = json.loads((exported / "services.json").read_text(encoding="utf-8"))
    first, service = services[0], sample.services[0]
    taxonomies = {a["taxonomy_term"]["taxonomy"] for a in first["attributes"]}
    assert taxonomies == {"Homeward categories", "Homeward directory fields"}
    categories = [
        a["taxonomy_term"]["code"]
        for a in first["attributes"]
        if a["taxonomy_term"]["taxonomy"] == "Homeward categories"
    ]
    assert categories == list(service.categories)
    values = {a["taxonomy_term"]["code"]: a.get("value") for a in first["attributes"]}
    assert values["id"] == service.id
    if service.description_es:
        assert values["description_es"] == service.description_es


def test_cli_export_writes_the_configured_directory(
    run_cli: Run, tmp_path: Path, sample: Directory
) -> None:
    result = run_cli("directory", "export-hsds", "--out", str(tmp_path / "hsds"))
    assert result.returncode == 0, result.stderr
    counts = f"{len(sample.services)} services of {len(sample.organizations)} organizations"
    assert f"Exported {counts} as HSDS 3.0" in result.stdout
    assert (tmp_path / "hsds" / "services.json").exists()


def test_cli_export_of_a_broken_directory_writes_nothing(
    run_cli: Run, tmp_path: Path, tiny_directory: Path
) -> None:
    (tiny_directory / "organizations" / "bad.yaml").write_text("id: bad\n", encoding="utf-8")
    result = run_cli("directory", "export-hsds", str(tiny_directory), "--out", str(tmp_path / "x"))
    assert result.returncode == 1
    assert "bad.yaml:1: name: is missing" in result.stderr
    assert not (tmp_path / "x").exists()
