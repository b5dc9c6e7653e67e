"""The need-or-chatter decider: learned beside the reader, kept in the reader's file,
checked on load, and replaced by the blend's thresholds when a file has none."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from bot.search.decider import decider_of, learned_decider
from bot.search.decider_train import THRESHOLDS, choose_threshold
from bot.search.engine import SearchEngine
from bot.search.prior import Blend, reads_need
from bot.search.reader import Reader, read_reader, reader_bytes
from bot.search.reader_check import check_reader
from tests.conftest import SAMPLE_DIRECTORY


def test_the_shipped_reader_keeps_a_decider_that_the_search_uses(engine: SearchEngine) -> None:
    assert engine.decider is not None
    assert engine.decider.threshold in THRESHOLDS
    reader = engine.reader
    assert isinstance(reader, Reader)
    saved = reader.meta["decider"]
    assert saved["figures"]["cross_validated_chatter_answered"] < 0.05
    assert saved["figures"]["cross_validated_needs_answered"] > 0.9


def test_the_decider_silences_news_the_thresholds_answered(engine: SearchEngine) -> None:
    """News the vocabulary reads whole, which the reader is fairly (not surely) sure is
    chatter: the thresholds answered it (none under 0.7), the decider does not."""
    assert engine.decider is not None
    parsed = engine.parser.parse("we had tacos for dinner")
    gate = engine.need.read(parsed)
    reading = {"none": 0.66, "food": 0.34}
    assert reads_need(parsed, gate, reading, Blend())
    assert not engine.decider.hears_need(parsed, gate, reading)
    assert engine.decider.hears_need(parsed, gate, {"none": 0.05, "food": 0.95})


def test_a_short_text_that_exclaims_is_left_to_the_decider(engine: SearchEngine) -> None:
    """ "ya sali" alone is a situation, answered with a plan; "YA SALI!!!" is joy, and the
    decider, which weighs the reader's sure "none", decides it (round 49)."""
    assert engine.decider is not None
    reading = {"none": 0.99, "housing": 0.01}
    for text, answered in (("ya sali", True), ("YA SALI!!!", False), ("IM HOME!!!", False)):
        parsed = engine.parser.parse(text)
        gate = engine.need.read(parsed)
        assert engine.decider.hears_need(parsed, gate, reading) is answered, text
    for text in ("bed!!", "HELP!! need a bed tonight", "necesito comida!"):
        result = engine.search(text)
        assert result.hits, text
        assert not result.chatter, text


def test_a_text_the_reader_is_sure_of_is_answered_however_long(engine: SearchEngine) -> None:
    """A long text with many needs named weighs against a need in the decider; when the
    reader is sure (0.9 or more of a need, 0.05 or less of none) it is answered, and a
    reader that is not sure leaves it to the decider (round 49)."""
    assert engine.decider is not None
    text = (
        "restitution plus child support plus court fees all come out of my paycheck, i"
        " barely have anything left, can a lawyer help get the fees waived"
    )
    parsed = engine.parser.parse(text)
    gate = engine.need.read(parsed)
    assert engine.decider.probability(parsed, gate, {"none": 0.0, "legal": 1.0}) < 0.85
    assert engine.decider.hears_need(parsed, gate, {"none": 0.0, "legal": 1.0})
    assert not engine.decider.hears_need(parsed, gate, {"none": 0.4, "legal": 0.6})


def test_the_decider_keeps_short_needs_and_typos(engine: SearchEngine) -> None:
    for text in ("food", "scool", "dntist", "jbo", "necesito un doctr", "hosing tonite 94607"):
        result = engine.search(text)
        assert not result.chatter, text
        assert result.hits, text
    for text in ("holi", "ok", "lol", "we had tacos for dinner lol"):
        assert engine.search(text).chatter, text


def _rewritten(folder: Path, decider: object) -> Path:
    """The folder's reader file again, with ``decider`` in its header."""
    path = folder / "search" / "reader.npz"
    reader = read_reader(path)
    names = sorted(reader.index, key=reader.index.__getitem__)
    meta = {k: v for k, v in reader.meta.items() if k not in ("format", "classes")}
    meta["decider"] = decider
    path.write_bytes(
        reader_bytes(
            list(reader.classes), names, reader.idf, reader.weights, reader.intercept, meta
        )
    )
    return path


def test_a_broken_decider_is_reported_and_the_thresholds_decide(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE_DIRECTORY / "search", tmp_path / "search")
    saved = dict(read_reader(tmp_path / "search" / "reader.npz").meta["decider"])
    saved["coef"] = saved["coef"][:-1]
    path = _rewritten(tmp_path, saved)
    assert [str(p) for p in check_reader(tmp_path)] == [
        f"{path}:1: decider: has a decider of sizes that do not match"
    ]
    assert learned_decider(read_reader(path)) is None


def test_a_decider_of_other_features_is_not_used_until_retrained(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE_DIRECTORY / "search", tmp_path / "search")
    saved = dict(read_reader(tmp_path / "search" / "reader.npz").meta["decider"])
    saved["version"] = 1
    path = _rewritten(tmp_path, saved)
    reader = read_reader(path)
    assert decider_of(reader.meta, reader.classes) is None
    assert check_reader(tmp_path) == []


def test_the_threshold_is_the_lowest_that_costs_clearly_no_more_than_the_best() -> None:
    """A chatter text answered costs three needs unanswered: fifty chatter texts at 0.62
    cost far more than chance, so the threshold is above them (the lowest such)."""
    need = np.array([True] * 500 + [False] * 50)
    predicted = np.array([0.9] * 500 + [0.62] * 50)
    chosen = choose_threshold(predicted, need)
    assert chosen.threshold == 0.65
    assert chosen.needs_answered == 1.0
    assert chosen.chatter_answered == 0.0


def test_a_difference_within_the_noise_keeps_the_needs_answered() -> None:
    """Four needs and two chatter texts at 0.72 cost a little (4 - 3 x 2), less than the
    noise of so few texts: the lowest threshold is kept and the needs are answered."""
    need = np.array([True] * 500 + [True] * 4 + [False] * 2)
    predicted = np.array([0.9] * 500 + [0.72] * 6)
    chosen = choose_threshold(predicted, need)
    assert chosen.threshold == THRESHOLDS[0]
    assert chosen.needs_answered == 1.0
    assert chosen.chatter_answered == 1.0


def test_a_situation_named_alone_is_answered_but_news_of_it_is_not(engine: SearchEngine) -> None:
    """ "just got out" starts a plan; the reader alone had learned those words from
    "just got out of church"."""
    for text in ("just got out", "acabo de salir", "on parole"):
        assert "legal" in engine.search(text).categories, text
    for text in ("been out 2 years today and never looking back", "whats 2+2"):
        assert engine.search(text).chatter, text


def test_a_few_need_words_alone_are_answered_unless_the_reader_is_sure_of_chatter(
    engine: SearchEngine,
) -> None:
    """Three words or fewer, every one explained by the vocabulary and one a strong need
    word: the decider weighs the reader's "none" above the vocabulary and once silenced
    "me despidieron hoy"; such a text is answered unless the reader is sure (0.65)."""
    for text, category in (("desayuno para hoy", "food"), ("me despidieron ayer", "jobs")):
        result = engine.search(text)
        assert result.hits, text
        assert category in result.hits[0].service.categories, text
    for text in ("ok lol", "asap", "gracias"):
        assert not engine.search(text).hits, text


def test_small_words_the_reader_reads_surely_are_answered_but_shorthand_is_not(
    engine: SearchEngine,
) -> None:
    """A text of small words only (the vocabulary has nothing to read) that the reader
    reads surely as one need: its large weight against "nothing to read" made the
    decider silence it. One to three such words are shorthand ("asap", "tonite")."""
    result = engine.search("how can i help my dad who is doing 10 years")
    assert result.hits
    assert "family" in result.hits[0].service.categories
    for text in ("asap", "tonite", "ok ok", "yes please"):
        assert not engine.search(text).hits, text
