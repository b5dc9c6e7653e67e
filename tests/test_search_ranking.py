"""Among equals, search prefers services squarely in the asked category, and the
texter's own words beat mere nearness."""

from __future__ import annotations

from pathlib import Path

from bot.directory.loader import load_directory
from bot.search.engine import SearchEngine
from bot.search.vocabulary import load_vocabulary
from tests.conftest import write_yaml

MONEY = """
    id: money
    name: Money Help Collective
    fictional: true
    locations:
      - id: money-near
        name: West Oakland office
        address_1: 1000 Mandela Pkwy
        city: Oakland
        state_province: CA
        postal_code: "94607"
        latitude: 37.8071
        longitude: -122.2851
      - id: money-far
        name: East Oakland office
        address_1: 9000 International Blvd
        city: Oakland
        state_province: CA
        postal_code: "94603"
        latitude: 37.7400
        longitude: -122.1700
    services:
      - id: credit-class
        name: Credit Counseling Class
        categories: [benefits]
        description: Learn to read your credit report.
        locations: [money-near]
      - id: aid-office
        name: County Aid Office
        categories: [benefits]
        description: Apply here.
        keywords: [food stamps, ssi, cash aid, welfare]
        locations: [money-far]
      - id: phones
        name: Lifeline Program
        categories: [benefits]
        description: Discounted service for people with low income.
        locations: [money-far]
"""


def _engine(folder: Path) -> SearchEngine:
    result = load_directory(folder)
    assert result.directory is not None, result.problems
    vocabulary, _ = load_vocabulary(folder, {c.slug for c in result.directory.categories})
    return SearchEngine(result.directory, vocabulary)


def test_a_service_named_for_the_category_comes_before_one_that_only_touches_it(
    tiny_directory: Path,
) -> None:
    write_yaml(tiny_directory / "organizations" / "money.yaml", MONEY)
    engine = _engine(tiny_directory)
    # Spanish: no English word of either service matches, only the category does.
    assert engine.search("beneficios").hits[0].service.id == "aid-office"
    assert engine.centrality["benefits"].max() > 0


def test_the_texters_words_beat_a_nearer_service_of_the_same_category(
    tiny_directory: Path,
) -> None:
    write_yaml(tiny_directory / "organizations" / "money.yaml", MONEY)
    engine = _engine(tiny_directory)
    hits = engine.search("lifeline phone 94607").hits
    assert hits[0].service.id == "phones"
    assert (hits[0].distance_miles or 0) > 5
    # with no words to match, the nearest one still comes first
    assert engine.search("benefits 94607").hits[0].service.id == "credit-class"


RECOVERY = """
    id: recovery
    name: Recovery Homes Collective
    fictional: true
    locations:
      - id: recovery-office
        name: Main office
        address_1: 1000 Mandela Pkwy
        city: Oakland
        state_province: CA
        postal_code: "94607"
        latitude: 37.8071
        longitude: -122.2851
    services:
      - id: recovery-talk
        name: Recovery Circle
        categories: [substance_use]
        description: A place for people in recovery.
        locations: [recovery-office]
      - id: recovery-place
        name: Recovery Place
        categories: [substance_use, housing]
        description: A place for people in recovery.
        locations: [recovery-office]
      - id: mens-home
        name: Men's Sober Living Home
        categories: [housing, substance_use]
        description: A sober living home for men in recovery.
        serves: [men]
        locations: [recovery-office]
      - id: veterans-home
        name: Veterans Sober Living Home
        categories: [housing, substance_use]
        description: A sober living home for veterans in recovery.
        serves: [veterans]
        locations: [recovery-office]
"""


def test_a_mens_service_sinks_less_than_a_veterans_one_when_the_text_names_no_one(
    tiny_directory: Path,
) -> None:
    """About half of texters fit a men's or a women's service; few fit a veterans' one.
    "sober living" finds the men's sober living home first, the veterans' one after the
    open services."""
    write_yaml(tiny_directory / "organizations" / "recovery.yaml", RECOVERY)
    ids = [h.service.id for h in _engine(tiny_directory).search("sober living", limit=10).hits]
    assert ids[0] == "mens-home"
    assert ids.index("veterans-home") > ids.index("recovery-place")
    # a veteran who says so finds theirs first
    said = _engine(tiny_directory).search("sober living for a veteran", limit=3).hits
    assert said[0].service.id == "veterans-home"


def test_a_service_that_meets_more_of_the_needs_read_comes_before_an_equal_one(
    tiny_directory: Path,
) -> None:
    """Two services alike in words; sober living reads as housing and recovery, and the
    one filed under both comes first, though the other is listed first."""
    write_yaml(tiny_directory / "organizations" / "recovery.yaml", RECOVERY)
    ids = [h.service.id for h in _engine(tiny_directory).search("sober living", limit=10).hits]
    assert ids.index("recovery-place") < ids.index("recovery-talk")
