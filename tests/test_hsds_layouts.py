"""Every HSDS generation imports: 1.0 (the draft and ohana-api's layout), 1.1, 1.2, 2.0, 3.0.

The same fictional directory written in each generation's tables comes back
the same; the generation is told by columns, not only by table names; and a
package in ohana-api's San Mateo layout (tests/data/hsds-ohana-layout, our own
fictional rows) keeps its organizations, keywords, taxonomy terms and
addresses, with every row left out printed as ``file:row: reason``.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.directory.hsds.importer import ImportResult, NothingImported, import_hsds
from bot.directory.hsds.layout import detect_layout
from bot.directory.loader import load_directory
from bot.directory.model import Directory
from tests.hsds_helpers import MAP
from tests.hsds_layouts import LAYOUTS, write_layout

Run = Callable[..., subprocess.CompletedProcess[str]]
OHANA = Path(__file__).parent / "data" / "hsds-ohana-layout"
VERSIONS = {
    "1.0-draft": "1.0",
    "1.0-ohana": "1.0",
    "1.1": "1.x",
    "1.2": "1.x",
    "2.0": "2.0",
    "3.0": "3.0",
    "3.0-json": "3.0",
}


def _import(source: Path, out: Path) -> tuple[ImportResult, Directory]:
    result = import_hsds(source, out, MAP)
    loaded = load_directory(out)
    assert loaded.problems == []
    assert loaded.directory is not None
    return result, loaded.directory


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_generation_gives_the_same_directory(tmp_path: Path, layout: str) -> None:
    result, directory = _import(write_layout(layout, tmp_path / "pkg"), tmp_path / "out")
    assert result.report.version.split()[0] == VERSIONS[layout]
    assert result.report.skips == []
    by_id = {s.id: s for s in directory.services}
    assert sorted(by_id) == ["s1", "s2", "s3"]
    assert [by_id[i].categories for i in ("s1", "s2", "s3")] == [
        ("housing",),
        ("food",),
        ("legal",),
    ]
    assert by_id["s3"].organization.name == "Eastlake Legal Aid"
    assert by_id["s1"].locations[0].postal_code == "94607"
    assert by_id["s1"].locations[0].address_1 == "100 Harbor Way"
    assert by_id["s2"].contact_phones()[0].number == "510-555-0142"
    assert [(s.weekdays, s.opens_at, s.closes_at) for s in by_id["s1"].schedules] == [
        ((0, 1, 2, 3, 4), "18:00", "22:00")
    ]
    assert "Homeless Shelter" in by_id["s1"].keywords
    assert by_id["s1"].languages == ("es",)


def test_the_generation_is_told_by_columns_not_only_by_table_names() -> None:
    # ohana-api's 1.0 addresses.csv is keyed by location, like 3.0's, but has no address_type
    ohana = {"services": {"id", "location_id", "keywords"}, "addresses": {"location_id"}}
    assert detect_layout(ohana, set(ohana)).version == "1.0"
    typed = {"services": {"id", "organization_id"}, "addresses": {"location_id", "address_type"}}
    assert detect_layout(typed, set(typed)).version == "3.0"
    assert detect_layout({"services": {"id"}, "schedules": {"byday"}}, set()).version == "2.0"
    assert detect_layout({"services": {"id"}, "regular_schedules": set()}, set()).version == "1.x"


@pytest.fixture(scope="module")
def ohana(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportResult, Directory]:
    return _import(OHANA, tmp_path_factory.mktemp("ohana") / "out")


def test_ohana_layout_reaches_each_organization_through_the_location(
    ohana: tuple[ImportResult, Directory],
) -> None:
    result, directory = ohana
    assert result.report.version == "1.0 tabular data package"
    assert "location_id" in result.report.evidence
    by_id = {s.id: s for s in directory.services}
    assert sorted(by_id, key=int) == ["1", "2", "3", "4", "5", "6", "7", "8", "11"]
    assert by_id["7"].organization.name == "Second Wind Mission"
    assert by_id["11"].organization.name == "Example Agency"


def test_ohana_layout_keeps_keywords_terms_addresses_and_inline_lists(
    ohana: tuple[ImportResult, Directory],
) -> None:
    _, directory = ohana
    by_id = {s.id: s for s in directory.services}
    photos = by_id["11"]
    assert {"Salud", "Medicina"} <= set(photos.keywords)
    assert {"Food Pantry", "Translation & Interpretation"} <= set(photos.keywords)
    assert photos.categories == ("food", "legal")  # taxonomy names through the map
    assert photos.locations[0].address_1 == "149 Example Street"
    assert photos.locations[0].postal_code == "94103"
    assert photos.languages == ("es",)
    assert photos.what_to_bring == ("Government-issued picture identification",)
    assert "Homeless Shelter" in by_id["6"].keywords
    assert by_id["6"].locations[0].city == "Redwood City"
    assert by_id["1"].languages == ("es", "tl")  # the location's languages
    assert by_id["8"].locations[0].address_1 == "PO Box 555"  # postal, for want of physical
    numbers = {p.number for p in photos.contact_phones()}
    assert "650 555-0112" in numbers  # an "sms" phone, as a text line
    assert "Older adults age 55 or over" in by_id["1"].text("eligibility_description")


def test_ohana_layout_lists_every_row_left_out(ohana: tuple[ImportResult, Directory]) -> None:
    lines = ohana[0].report.skip_lines()
    assert lines == [
        "  skipped addresses.csv:5: location not found: no location '99'",
        "  skipped phones.csv:11: phone of a contact person (contacts are not read)",
        "  skipped services.csv:10: service is defunct",
        "  skipped services.csv:11: service is inactive",
        "  skipped services.csv:13: location not found: no location '42'",
        "  skipped services.csv:13: service without an organization_id",
    ]


def test_a_package_that_loses_every_service_names_the_reason(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(OHANA, package)
    path = package / "locations.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[k for k in rows[0] if k != "organization_id"])
        writer.writeheader()
        writer.writerows({k: v for k, v in row.items() if k != "organization_id"} for row in rows)
    with pytest.raises(NothingImported) as caught:
        import_hsds(package, tmp_path / "out", MAP)
    message = str(caught.value)
    assert "all 12 were left out" in message
    assert "12 service without an organization_id" in message
    lines = caught.value.report.skip_lines()
    assert (
        "  skipped services.csv:2-12: service without an organization_id, 11 rows" in lines
    )  # consecutive rows with one reason share a line
    assert not (tmp_path / "out").exists()


def test_cli_prints_every_skipped_row_even_when_nothing_imports(
    run_cli: Run, tmp_path: Path
) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(OHANA, package)
    (package / "locations.csv").write_text("id,name\n", encoding="utf-8")
    result = run_cli("directory", "import-hsds", str(package), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "skipped services.csv:2: location not found: no location '1'" in result.stdout
    assert "skipped services.csv:3: location not found: no location '2'" in result.stdout
    assert "skipped services.csv:13: service without an organization_id" in result.stdout
    assert "holds no service that could be imported: all 12 were left out" in result.stderr
    assert "Traceback" not in result.stderr
