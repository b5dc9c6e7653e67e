"""import-hsds turns HSDS 1.x, 2.0 and 3.0 (tables, .zip, JSON) into valid directory files."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.directory.hsds.importer import ImportResult, import_hsds
from bot.directory.hsds.package import HsdsError, detect_version
from bot.directory.loader import load_directory
from bot.directory.model import Directory
from bot.search.engine import SearchEngine
from bot.search.vocabulary import load_vocabulary
from tests.conftest import SHARED, write_yaml
from tests.hsds_helpers import MAP, V1_MESSY, V2, V3_SERVICE, write_package

Run = Callable[..., subprocess.CompletedProcess[str]]


def _import(source: Path, out: Path) -> tuple[ImportResult, Directory]:
    result = import_hsds(source, out, MAP)
    loaded = load_directory(out)
    assert loaded.problems == []
    assert loaded.directory is not None
    return result, loaded.directory


@pytest.fixture
def messy(tmp_path: Path) -> tuple[ImportResult, Directory]:
    package = write_package(tmp_path / "v1", V1_MESSY)
    return _import(package, tmp_path / "out")


def test_the_version_is_told_by_the_tables_present() -> None:
    assert detect_version({"services", "regular_schedules", "services_taxonomy"}) == "1.x"
    assert (
        detect_version({"services", "schedules", "taxonomy_terms", "service_attributes"}) == "2.0"
    )
    assert detect_version({"services", "attributes", "addresses", "taxonomies"}) == "3.0"


def test_a_messy_1x_export_imports_into_files_that_validate(
    messy: tuple[ImportResult, Directory],
) -> None:
    result, directory = messy
    assert result.report.version == "1.x tabular data package"
    assert {s.id for s in directory.services} == {"101", "102", "103", "201", "204"}
    assert result.report.imported["services"] == 5
    assert result.report.imported["organizations"] == 2


def test_source_ids_are_kept_and_each_file_records_its_source(
    messy: tuple[ImportResult, Directory], tmp_path: Path
) -> None:
    _, directory = messy
    assert {o.id for o in directory.organizations} == {"10", "20"}
    text = (tmp_path / "out" / "organizations" / "harbor-light-mission-10.yaml").read_text()
    assert "source:\n  format: HSDS 1.x\n  name: v1\n  title: Test 211 export\n" in text
    assert 'organization_id: "10"' in text


def test_messy_values_are_repaired_and_counted(messy: tuple[ImportResult, Directory]) -> None:
    result, directory = messy
    by_id = {s.id: s for s in directory.services}
    shelter = by_id["101"]
    assert shelter.organization.name == "Harbor Light Mission"
    assert shelter.description == "Beds for adults."  # literal \n and ###MON### gone
    assert shelter.organization.description == "Shelter and meals. Since 1950."
    assert shelter.organization.url == "http://www.example.org"
    # overnight 7pm-7am on Monday and Tuesday, as two rows each
    assert [(s.weekdays, s.opens_at, s.closes_at) for s in shelter.schedules] == [
        ((0, 1), "19:00", "24:00"),
        ((1, 2), "00:00", "07:00"),
    ]
    assert shelter.languages == ("en", "es")
    assert shelter.serves == ("veterans",)
    kitchen = by_id["102"]
    assert [(s.weekdays, s.opens_at, s.closes_at) for s in kitchen.schedules] == [
        ((0, 4), "09:00", "17:00")  # "9:00"-"5:00" read as 09:00-17:00
    ]
    assert kitchen.phones[0].number == "(510) 555-0112"
    assert kitchen.phones[0].description == "option 2"
    assert kitchen.locations[0].latitude is not None  # ZIP+4 without dash, ZIP centre
    clinic = by_id["201"]
    assert [p.number for p in clinic.phones] == ["5105550113 x12"]  # the junk number is gone
    assert clinic.accepts_records == "yes"
    assert clinic.schedules == ()  # Wednesday could not be read: hours unknown
    assert clinic.text("hours_notes") == "Wednesdays, call first"
    assert clinic.text("eligibility_description") == "Adults with a conviction in Alameda County."
    assert clinic.locations[0].postal_code == ""  # a Canadian postcode is left out
    assert clinic.locations[0].name == "400 E 12th St"
    repairs = result.report.repairs
    for kind in (
        "empty service status taken as active",
        "literal \\n turned into line breaks",
        "spaces around a value trimmed",
        "times like 9:00am written as 09:00",
        "overnight hours split into two rows (19:00-24:00, 00:00-07:00)",
        "closing times without am/pm read as afternoon (5:00 -> 17:00)",
        "locations without coordinates placed at their ZIP's centre",
        "coordinates out of range or 0,0 left out",
        "mis-decoded punctuation repaired (GÇÖ -> ’)",
        "services filed under a parent service: moved to its organization",
    ):
        assert repairs[kind] >= 1, kind


def test_every_skipped_row_is_listed_with_file_row_and_reason(
    messy: tuple[ImportResult, Directory],
) -> None:
    result, _ = messy
    lines = result.report.skip_lines()
    for expected in (
        "skipped services.csv:6: service is inactive",
        "skipped services.csv:7: organization not found: no organization '99'",
        "skipped services.csv:9: service id used twice: id '101'",
        "skipped services_at_location.csv:7: service not found: no service '999'",
        "skipped physical_addresses.csv:6: location not found: no location '777'",
        "skipped phones.csv:6: service not found: no service '555'",
        "skipped regular_schedules.csv:6: hours unreadable, so the service's hours are left "
        "unknown: day 'Wednesday', opens '', closes '3:00pm'",
        "skipped regular_schedules.csv:7: service not found: no service '404'",
        "skipped services_taxonomy.csv:7: taxonomy term not found: no term 'ZZ-0000'",
        "skipped eligibility.csv:3: service_id is empty",
    ):
        assert f"  {expected}" in lines, expected
    assert len(result.report.skips) == 10


def test_a_site_named_by_place_alone_gets_its_program_name(
    messy: tuple[ImportResult, Directory],
) -> None:
    _, directory = messy
    site = next(s for s in directory.services if s.id == "103")
    assert site.name == "NIGHT SHELTER - WEST OAKLAND"
    assert site.organization.id == "10"  # filed under service 101, which belongs to 10


def test_services_that_map_to_no_category_are_imported_and_searchable(
    messy: tuple[ImportResult, Directory], tmp_path: Path
) -> None:
    result, directory = messy
    knitting = next(s for s in directory.services if s.id == "204")
    assert knitting.categories == ()
    assert "Arts and Crafts Instruction" in knitting.keywords  # the term names feed search
    assert result.report.imported["services without a category"] == 2  # 204 and site 103
    vocabulary, _ = load_vocabulary(tmp_path / "out", {c.slug for c in directory.categories})
    engine = SearchEngine(directory, vocabulary)
    # asked for in a text: bare words no vocabulary knows ("knitting quilting") read as
    # chatter to the reader's decider since round 12 of the search (docs/search.md)
    assert [h.service.id for h in engine.search("i want to learn quilting").hits] == ["204"]
    assert engine.search("shelter").hits[0].service.id in {"101", "103"}


def test_hsds_2_tables_import(tmp_path: Path) -> None:
    result, directory = _import(write_package(tmp_path / "v2", V2), tmp_path / "out")
    assert result.report.version == "2.0 tabular data package"
    (pantry,) = directory.services
    assert pantry.id == "s1"
    assert pantry.categories == ("food",)  # Open Eligibility "Food Pantry", by name
    assert [(s.weekdays, s.opens_at, s.closes_at) for s in pantry.schedules] == [
        ((1, 3), "10:00", "14:00")
    ]
    assert pantry.locations[0].postal_code == "94601"


def test_a_zip_with_tables_in_a_subfolder_imports(tmp_path: Path) -> None:
    package = write_package(tmp_path / "pkg", V2, subfolder="data")
    archive = shutil.make_archive(str(tmp_path / "pkg"), "zip", package)
    result, directory = _import(Path(archive), tmp_path / "out")
    assert [s.id for s in directory.services] == ["s1"]
    assert result.report.skips == []


def test_hsds_3_json_imports_from_a_file_or_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "json"
    folder.mkdir()
    (folder / "services.json").write_text(json.dumps([V3_SERVICE]), encoding="utf-8")
    (folder / "page.json").write_text(json.dumps({"contents": [V3_SERVICE]}), encoding="utf-8")
    for source, out in ((folder / "services.json", "one"), (folder, "folder")):
        result, directory = _import(source, tmp_path / out)
        (jobs,) = directory.services
        assert jobs.id == V3_SERVICE["id"]
        assert jobs.categories == ("jobs",)
        assert jobs.accepts_records == "yes"
        assert jobs.languages == ("es",)
        assert jobs.contact_phones()[0].number == "510-555-0130"  # the organization's
        assert [(s.weekdays, s.opens_at) for s in jobs.schedules] == [((0, 1, 2, 3, 4), "09:00")]
    assert "service id unusable or used twice" in {s.reason for s in result.report.skips}


def test_the_official_hsds_3_examples_import(tmp_path: Path) -> None:
    examples = SHARED / "data" / "hsds3-examples"
    if not examples.exists():
        pytest.skip("../shared/data/hsds3-examples is not beside this checkout")
    for source in (examples / "csv", examples / "json"):
        _, directory = _import(source, tmp_path / source.name)
        assert [s.name for s in directory.services] == ["Community Counselling"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("not a zip", "is not a readable .zip file"),
    ],
)
def test_unreadable_sources_stop_with_one_plain_reason(
    tmp_path: Path, content: str | None, message: str
) -> None:
    source = tmp_path / "input.zip"
    if content is not None:
        source.write_text(content)
    with pytest.raises(HsdsError, match=message):
        import_hsds(source, tmp_path / "out", MAP)


def test_a_package_without_services_is_refused(tmp_path: Path) -> None:
    package = write_package(tmp_path / "p", {"organizations": V2["organizations"]})
    with pytest.raises(HsdsError, match=r"no services table"):
        import_hsds(package, tmp_path / "out", MAP)


def test_curated_files_are_never_overwritten(tmp_path: Path, tiny_directory: Path) -> None:
    package = write_package(tmp_path / "v2", V2)
    with pytest.raises(HsdsError, match="holds curated files"):
        import_hsds(package, tiny_directory, MAP)
    assert (tiny_directory / "organizations" / "alpha.yaml").exists()


def test_a_second_import_replaces_the_first(tmp_path: Path) -> None:
    _import(write_package(tmp_path / "v1", V1_MESSY), tmp_path / "out")
    _, directory = _import(write_package(tmp_path / "v2", V2), tmp_path / "out")
    assert [s.id for s in directory.services] == ["s1"]
    assert len(list((tmp_path / "out" / "organizations").iterdir())) == 1


def test_cli_import_prints_counts_and_skips_then_search_reports_source_ids(
    run_cli: Run, tmp_path: Path
) -> None:
    package = write_package(tmp_path / "v1", V1_MESSY)
    out = tmp_path / "imported"
    result = run_cli("directory", "import-hsds", str(package), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "imported 5 services" in result.stdout
    assert "skipped services.csv:7: organization not found: no organization '99'" in result.stdout
    assert f"Checked {out}: 5 services valid" in result.stdout
    env = {"HOMEWARD_DIRECTORY": str(out)}
    assert run_cli("directory", "load", env=env).returncode == 0
    found = run_cli("search", "expungement", "--json", env=env)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["results"][0]["id"] == "201"


def test_cli_import_of_nothing_says_why_without_a_traceback(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("directory", "import-hsds", str(tmp_path / "none"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("homeward: ")
    assert "Traceback" not in result.stderr


def test_a_broken_taxonomy_map_in_the_directory_folder_stops_the_import(
    run_cli: Run, tmp_path: Path, tiny_directory: Path
) -> None:
    (tiny_directory / "taxonomy").mkdir()
    write_yaml(tiny_directory / "taxonomy" / "hsds-map.yaml", "airs:\n  BD: [snacks]\n")
    package = write_package(tmp_path / "v2", V2)
    env = {"HOMEWARD_DIRECTORY": str(tiny_directory)}
    result = run_cli(
        "directory", "import-hsds", str(package), "--out", str(tmp_path / "o"), env=env
    )
    assert result.returncode == 2
    assert "hsds-map.yaml:2: airs.BD: not a category: snacks" in result.stderr


def test_a_second_organization_with_the_same_id_once_rewritten_is_skipped_with_its_services(
    tmp_path: Path,
) -> None:
    tables = {
        "organizations": [
            {"id": "Org A", "name": "First", "description": ""},
            {"id": "org-a", "name": "Second", "description": ""},
        ],
        "services": [
            {"id": "s1", "organization_id": "Org A", "name": "Food Pantry", "status": ""},
            {"id": "s2", "organization_id": "org-a", "name": "Clothes Closet", "status": ""},
        ],
    }
    result, directory = _import(write_package(tmp_path / "p", tables), tmp_path / "out")
    assert [s.id for s in directory.services] == ["s1"]
    assert directory.organizations[0].id == "org-a"
    lines = result.report.skip_lines()
    assert "  skipped organizations.csv:3: organization id unusable or used twice: 'org-a'" in lines
    assert "  skipped services.csv:3: its organization was left out: 'org-a'" in lines
