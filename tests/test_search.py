"""Search behaviour on a small directory written in the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import open_runtime
from bot.search.engine import SearchEngine
from bot.settings import Settings

PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def tiny(tiny_directory: Path, database_url: str) -> SearchEngine:
    return open_runtime(
        Settings(database_url=database_url, directory=tiny_directory, log_level="WARNING")
    ).search


def _ids(engine: SearchEngine, query: str, **kwargs: object) -> list[str]:
    return [h.service.id for h in engine.search(query, **kwargs).hits]  # type: ignore[arg-type]


def test_a_misspelled_need_still_finds_the_service(tiny: SearchEngine) -> None:
    assert _ids(tiny, "hosing")[0] in {"alpha-shelter", "beta-shelter"}
    assert _ids(tiny, "sheltr")[0] in {"alpha-shelter", "beta-shelter"}


def test_dental_is_not_mistaken_for_mental_or_rental(tiny: SearchEngine) -> None:
    result = tiny.search("dental")
    assert [h.service.id for h in result.hits] == ["alpha-dental"]
    assert "mental_health" not in result.categories
    assert "housing" not in result.categories


def test_mental_finds_counseling_not_dentistry(tiny: SearchEngine) -> None:
    assert _ids(tiny, "mental health")[0] == "beta-counseling"


def test_spanish_words_find_services_and_set_the_language(tiny: SearchEngine) -> None:
    result = tiny.search("necesito un albergue")
    assert result.language == "es"
    assert result.hits[0].service.id in {"alpha-shelter", "beta-shelter"}


def test_accents_do_not_matter(tiny: SearchEngine) -> None:
    assert tiny.search("clínica dental").hits[0].service.id == "alpha-dental"
    assert tiny.search("CLINICA DENTAL").hits[0].service.id == "alpha-dental"


def test_a_zip_in_the_text_ranks_by_distance_and_reports_miles(tiny: SearchEngine) -> None:
    east = tiny.search("shelter 94603")
    assert east.zip_code == "94603"
    assert east.hits[0].service.id == "beta-shelter"
    downtown = tiny.search("shelter 94607")
    assert downtown.hits[0].service.id == "alpha-shelter"
    assert downtown.hits[0].distance_miles is not None
    assert downtown.hits[0].distance_miles < downtown.hits[1].distance_miles  # type: ignore[operator]


def test_near_accepts_a_zip_or_coordinates(tiny: SearchEngine) -> None:
    assert _ids(tiny, "shelter", near="94603")[0] == "beta-shelter"
    assert _ids(tiny, "shelter", near="37.80,-122.27")[0] == "alpha-shelter"


def test_a_neighbourhood_name_works_like_a_zip(tiny: SearchEngine) -> None:
    result = tiny.search("shelter near elmhurst")
    assert result.place == "elmhurst"
    assert result.hits[0].service.id == "beta-shelter"


def test_nonsense_returns_nothing(tiny: SearchEngine) -> None:
    for text in ("asdfgh qwerty", "purple elephant", "lol", "", "   ", "!!!"):
        assert tiny.search(text).hits == (), text


def test_category_filter_keeps_only_that_category(tiny: SearchEngine) -> None:
    assert _ids(tiny, "shelter", category="family") == ["beta-shelter"]
    assert set(_ids(tiny, "", category="housing")) == {"alpha-shelter", "beta-shelter"}


def test_language_filter_keeps_services_that_speak_it(tiny: SearchEngine) -> None:
    assert "alpha-dental" not in _ids(tiny, "clinic dental", language="es")
    assert "alpha-dental" in _ids(tiny, "clinic dental", language="en")


def test_open_now_uses_the_directory_time_zone(tiny: SearchEngine) -> None:
    tuesday_noon = dt.datetime(2026, 11, 24, 12, 0, tzinfo=PACIFIC)
    tuesday_night = dt.datetime(2026, 11, 24, 20, 0, tzinfo=PACIFIC)
    assert _ids(tiny, "emergency shelter", open_now=True, now=tuesday_noon) == ["alpha-shelter"]
    assert _ids(tiny, "emergency shelter", open_now=True, now=tuesday_night) == []
    same_moment_in_utc = tuesday_noon.astimezone(dt.UTC)
    hit = tiny.search("alpha night shelter", now=same_moment_in_utc).hits[0]
    assert hit.open_now is True


def test_stop_words_alone_find_nothing(tiny: SearchEngine) -> None:
    assert tiny.search("i need help please").hits == ()


def test_limit_and_offset_page_through_results(tiny: SearchEngine) -> None:
    everything = _ids(tiny, "shelter", limit=10)
    assert _ids(tiny, "shelter", limit=1) == everything[:1]
    assert _ids(tiny, "shelter", limit=1, offset=1) == everything[1:2]


def test_services_for_some_people_only_rank_below_general_ones(engine: SearchEngine) -> None:
    general = engine.search("shelter", limit=3).hits
    assert all(not set(h.service.serves) - {"everyone", "men", "women"} for h in general)
    veterans = engine.search("veteran housing", limit=1).hits
    assert "veterans" in veterans[0].service.serves


def test_a_bart_station_is_a_place(engine: SearchEngine) -> None:
    result = engine.search("food near macarthur bart")
    assert result.place == "macarthur bart"
    assert result.categories == ("food",)
    assert result.hits[0].distance_miles is not None


def test_crisis_words_put_the_lifeline_first(engine: SearchEngine) -> None:
    for text in ("quiero morir", "i want to kill myself"):
        assert engine.search(text).hits[0].service.organization.name.startswith("988"), text
