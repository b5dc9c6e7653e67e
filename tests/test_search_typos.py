"""Typo tolerance measured over the whole vocabulary, not a few chosen words."""

from __future__ import annotations

import random

from bot.search.engine import SearchEngine


def test_a_dropped_letter_in_a_need_word_still_finds_its_category(engine: SearchEngine) -> None:
    rng = random.Random(2026)
    terms = [
        t
        for t in engine.vocabulary.terms
        if len(t.words) == 1 and len(t.words[0]) >= 6 and t.weight >= 0.8
    ]
    found = tried = 0
    missed = []
    for term in terms:
        word = term.words[0]
        cut = rng.randrange(1, len(word) - 1)
        typo = word[:cut] + word[cut + 1 :]
        if typo in engine.parser.lexicon:
            continue  # the typo is itself a known word ("diner"): nothing to correct
        tried += 1
        if term.category in engine.search(typo).categories:
            found += 1
        else:
            missed.append((word, typo))
    assert tried > 200
    assert found / tried >= 0.95, f"typos recovered: {found} of {tried}; missed: {missed}"


def test_common_real_words_are_never_bent_into_need_words(engine: SearchEngine) -> None:
    for word in ("cool", "guitar", "joke", "better", "moon", "haha", "jaja", "chiste"):
        assert engine.parser.lexicon.correct(word) in (None, word), word


def test_a_short_words_first_letter_changes_only_for_a_letter_said_alike(
    engine: SearchEngine,
) -> None:
    correct = engine.parser.lexicon.correct
    assert correct("wepa") != "depa"  # a Puerto Rican cheer, not a flat
    assert correct("idoc") != "doc"  # Illinois' prison system, not a doctor
    assert correct("kash") == "cash"  # k and c are said alike
    assert not engine.search("wepa").hits
    first = engine.search("been out of the idoc 6 weeks, need a place for me and my son", limit=1)
    assert "housing" in first.hits[0].service.categories
