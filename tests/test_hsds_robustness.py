"""Property-based: any values in any HSDS rows never crash the import, and what
it writes always passes the validator (or nothing is written, with a reason)."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.directory.hsds.importer import import_hsds
from bot.directory.hsds.package import HsdsError
from bot.directory.hsds.textfix import clean_text
from bot.directory.hsds.values import clean_phone, clean_zip, parse_days, parse_time
from bot.directory.loader import load_directory
from tests.hsds_helpers import MAP, write_package

_runs = itertools.count()

junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "1",
            "10",
            "x",
            "9:00am",
            "Monday",
            "305-555-0101",
            "94607",
            "25.7",
            "-80.2",
            "BH-1800",
            "\\n",
            "###MON###",
            "GÇÖ",
            "0",
            "active",
            "inactive",
            "MO,TU",
            "Spanish",
        ]
    ),
)
ids = st.sampled_from(["1", "1", "2", "2", "3", "A b", "", "x/y"])


def rows(columns: list[str], least: int = 0) -> st.SearchStrategy[list[dict[str, str]]]:
    row = st.fixed_dictionaries(
        {c: (ids if c == "id" or c.endswith("_id") else junk) for c in columns}
    )
    return st.lists(row, min_size=least, max_size=4)


tables = st.fixed_dictionaries(
    {
        "organizations": rows(["id", "name", "description", "url", "email"], least=1),
        "services": rows(["id", "organization_id", "name", "description", "status"], least=1),
        "locations": rows(["id", "name", "latitude", "longitude"]),
        "services_at_location": rows(["id", "service_id", "location_id"]),
        "physical_addresses": rows(["id", "location_id", "address_1", "city", "postal_code"]),
        "phones": rows(["id", "service_id", "organization_id", "number", "extension", "type"]),
        "regular_schedules": rows(["service_id", "weekday", "opens_at", "closes_at"]),
        "taxonomy": rows(["id", "name", "parent_id"]),
        "services_taxonomy": rows(["id", "service_id", "taxonomy_id"]),
        "languages": rows(["id", "service_id", "language"]),
    }
)


@settings(max_examples=120, deadline=None)
@given(tables)
def test_any_rows_import_into_valid_files_or_stop_with_a_reason(
    package: dict[str, list[dict[str, str]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = write_package(Path(tmp) / f"p{next(_runs)}", package)
        try:
            imported = import_hsds(source, Path(tmp) / "out", MAP)
        except HsdsError as exc:
            message = str(exc)
            imported = None
        if imported is None:
            assert "holds no service that could be imported" in message
            event("nothing to import")
            return
        event("imported")
        result = load_directory(Path(tmp) / "out")
        assert result.problems == []
        assert result.directory is not None
        assert len(result.directory.services) == imported.report.imported["services"]


@given(st.text(max_size=60))
def test_value_readers_never_raise(text: str) -> None:
    parse_time(text)
    parse_days(text)
    clean_phone(text, text[:3])
    clean_zip(text)
    cleaned, _ = clean_text(text)
    assert "\\n" not in cleaned
