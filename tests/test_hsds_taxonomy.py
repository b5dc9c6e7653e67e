"""The taxonomy map: AIRS codes by prefix, other taxonomies by name, all from data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory.hsds.records import RawTerm
from bot.directory.hsds.taxonomy import TaxonomyMap, airs_prefixes, load_map
from bot.directory.model import CATEGORY_SLUGS
from bot.settings import REPO_ROOT
from tests.conftest import write_yaml

SHIPPED = REPO_ROOT / "resources_directory" / "taxonomy" / "hsds-map.yaml"


@pytest.fixture(scope="module")
def shipped() -> TaxonomyMap:
    found, problems = load_map(SHIPPED, set(CATEGORY_SLUGS))
    assert problems == []
    return found


def airs(code: str, name: str = "") -> RawTerm:
    return RawTerm(code, name, "AIRS")


def test_prefixes_are_cut_at_dashes_and_dots_down_to_the_letter() -> None:
    assert airs_prefixes("BH-1800.8500-185") == [
        "BH-1800.8500-185",
        "BH-1800.8500",
        "BH-1800",
        "BH",
        "B",
    ]


@pytest.mark.parametrize(
    ("code", "categories"),
    [
        ("BH-1800.8500", ("housing",)),  # homeless shelter
        ("BD-1800.2000-640", ("food",)),  # ongoing emergency food
        ("RX-8450.1150-180", ("substance_use",)),
        ("RF-3300", ("mental_health",)),
        ("RF-2000", ("mental_health", "family")),  # family counseling
        ("NL-6000.2000", ("benefits", "food")),  # SNAP
        ("DF-7000.1200", ("id_documents",)),  # birth certificates
        ("FT-2800.1500", ("legal",)),  # expungement
        ("ND-6500.1950", ("jobs",)),  # ex-offender employment
        ("BT-8750.1400", ()),  # consulates are not rides
        ("YN-9000", ()),  # veterans: who, not what
    ],
)
def test_airs_codes_take_the_longest_listed_prefix(
    shipped: TaxonomyMap, code: str, categories: tuple[str, ...]
) -> None:
    assert shipped.term_categories(airs(code)) == categories


def test_other_taxonomies_match_by_name_then_by_parent(shipped: TaxonomyMap) -> None:
    assert shipped.term_categories(RawTerm("101", "Food Pantry", "Open Eligibility")) == ("food",)
    assert shipped.term_categories(RawTerm("", "Addiction & Recovery")) == ("substance_use",)
    child = RawTerm("x1", "Night Bus Vouchers", "Our 211", parents=("Bus Passes",))
    assert shipped.term_categories(child) == ("transportation",)
    assert shipped.term_categories(RawTerm("", "Knitting")) is None


def test_a_service_gets_every_category_the_one_most_terms_name_first(
    shipped: TaxonomyMap,
) -> None:
    terms = [airs("RX-8450.8000"), airs("RF-3300"), airs("RF-2500"), airs("YB-0500")]
    assert shipped.categories(terms) == ("mental_health", "substance_use")
    assert shipped.categories([airs("YB-0500"), airs("TJ-3000")]) == ()


def test_target_populations_say_who_a_service_is_for(shipped: TaxonomyMap) -> None:
    assert shipped.serves([airs("YN-9000"), airs("RF-3300")]) == ("veterans",)
    assert shipped.serves([airs("YB-9500.1500-630")]) == ("youth",)
    # adults in general, or three groups and more: open to everyone
    assert shipped.serves([airs("YB-8000"), airs("YB-0500")]) == ()
    assert shipped.serves([airs("YS-2000.9500"), airs("YN"), airs("YB-8000")]) == ()


def test_reentry_codes_mean_records_are_welcome(shipped: TaxonomyMap) -> None:
    assert shipped.accepts_records([airs("FF-1900")])
    assert shipped.accepts_records([airs("YJ-2030")])
    assert shipped.accepts_records([RawTerm("", "Formerly Incarcerated")])
    assert not shipped.accepts_records([airs("BD-1800")])


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("English", "en"),
        ("Spanish (limited)", "es"),
        ("Creole", "ht"),
        ("Haitian Creole", "ht"),
        ("spa", "es"),
        ("fr", "fr"),
        ("other languages available upon request", None),
    ],
)
def test_language_names_and_codes_become_two_letter_codes(
    shipped: TaxonomyMap, written: str, code: str | None
) -> None:
    assert shipped.language(written) == code


def test_a_broken_map_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path / "map.yaml",
        """
        airs:
          BD: [food, snacks]
          BH: housing
        serves:
          airs:
            YN: sailors
        """,
    )
    _, problems = load_map(path, set(CATEGORY_SLUGS))
    assert [str(p) for p in problems] == [
        f"{path}:2: airs.BD: not a category: snacks",
        f"{path}:3: airs.BH: must be a list of categories ([] for none)",
        f"{path}:6: serves.airs.YN: 'sailors' is not one of "
        "('everyone', 'men', 'women', 'families', 'youth', 'veterans', 'seniors', 'lgbtq')",
    ]
