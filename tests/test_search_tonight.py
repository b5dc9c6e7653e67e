"""A need for tonight: services open tonight come first (bot.search.tonight)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from bot.search.engine import SearchEngine
from bot.search.tonight import open_tonight, says_tonight

PACIFIC = ZoneInfo("America/Los_Angeles")
TUESDAY_11AM = dt.datetime(2026, 11, 24, 11, 0, tzinfo=PACIFIC)


def test_housing_tonight_puts_a_place_open_tonight_first(engine: SearchEngine) -> None:
    plain = engine.search("housing 94607", now=TUESDAY_11AM).hits[0].service
    assert not open_tonight(plain, TUESDAY_11AM)  # an office: the test means something
    for text in ("housing tonight 94607", "hosing tonite 94607", "donde dormir esta noche"):
        first = engine.search(text, now=TUESDAY_11AM).hits[0].service
        assert open_tonight(first, TUESDAY_11AM), (text, first.name)


def test_after_midnight_tonight_is_the_night_already_begun(engine: SearchEngine) -> None:
    two_am = dt.datetime(2026, 11, 25, 2, 0, tzinfo=PACIFIC)
    first = engine.search("need a bed tonight", now=two_am).hits[0].service
    assert open_tonight(first, two_am)


def test_only_the_words_of_the_vocabulary_say_tonight(engine: SearchEngine) -> None:
    vocabulary = engine.vocabulary
    assert says_tonight(["donde", "dormir", "esta", "noche"], vocabulary, ["housing"])
    assert not says_tonight(["noche", "esta"], vocabulary, ["housing"])
    assert not says_tonight(["housing", "94607"], vocabulary, ["housing"])


def test_tonight_is_for_needs_served_at_night(engine: SearchEngine) -> None:
    """Round 50: "can I take a job that's overnight" asks about a shift. Open tonight
    first is for the vocabulary's ``night_needs`` (a bed, a meal, detox), led by the
    strongest need read; a vocabulary that lists none keeps it for any need."""
    seq = ["can", "i", "take", "a", "job", "thats", "overnight"]
    assert not says_tonight(seq, engine.vocabulary, ["jobs", "legal"])
    assert says_tonight(["bed", "overnight"], engine.vocabulary, ["housing"])
    assert says_tonight(["bed", "tonight"], engine.vocabulary, [])  # the reader alone: kept
    every_need = replace(engine.vocabulary, night_needs=set())
    assert says_tonight(seq, every_need, ["jobs"])
