"""Accuracy of the search on labelled texts; a failure lists the misses.

The dev set lives in ../shared (present in CI; skipped in a user's clone). The
extra and holdout sets in tests/data were written by people who never saw the
vocabulary or the code, so they guard against tuning to the dev lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.search.engine import SearchEngine
from bot.search.evaluation import Accuracy, LabelledQuery, judge, read_queries
from tests.conftest import SHARED

DEV_SET = SHARED / "eval" / "queries.dev.tsv"
EXTRA_SET = Path(__file__).parent / "data" / "queries.extra.tsv"
HOLDOUT_SET = Path(__file__).parent / "data" / "queries.holdout.tsv"
# Issue 21's own reentry texts (situation beside need, someone inside, sound-alikes,
# a need and its cause): written by the builder and tuned on, so a floor against
# regressions, not an unseen figure (docs/search.md has the blind set's).
REENTRY_SET = Path(__file__).parent / "data" / "queries.reentry.dev.tsv"
NONSENSE = Path(__file__).parent / "data" / "nonsense.txt"


def _measure(engine: SearchEngine, path: Path) -> Accuracy:
    def rank(query: LabelledQuery) -> list[list[str]]:
        return [list(h.service.categories) for h in engine.search(query.text, limit=3).hits]

    accuracy = judge(read_queries(path), rank)
    return accuracy


@pytest.mark.skipif(not DEV_SET.exists(), reason="../shared/eval is not beside this checkout")
def test_dev_set_first_result_is_right_for_90_percent(engine: SearchEngine) -> None:
    accuracy = _measure(engine, DEV_SET)
    assert accuracy.top1_rate >= 0.90, accuracy.report(DEV_SET.name)
    assert accuracy.top3_rate >= 0.97, accuracy.report(DEV_SET.name)


@pytest.mark.parametrize("path", [EXTRA_SET, HOLDOUT_SET], ids=["extra", "holdout"])
def test_independently_written_sets_meet_the_targets(engine: SearchEngine, path: Path) -> None:
    accuracy = _measure(engine, path)
    assert accuracy.top1_rate >= 0.90, accuracy.report(path.name)
    assert accuracy.top3_rate >= 0.95, accuracy.report(path.name)


def test_nonsense_and_off_topic_texts_get_no_results(engine: SearchEngine) -> None:
    texts = [t for t in NONSENSE.read_text(encoding="utf-8").splitlines() if t.strip()]
    noisy = [t for t in texts if engine.search(t).hits]
    assert len(noisy) <= len(texts) // 20, f"{len(noisy)} of {len(texts)} got results: {noisy}"


def test_reentry_texts_find_the_need_not_the_situation(engine: SearchEngine) -> None:
    accuracy = _measure(engine, REENTRY_SET)
    assert accuracy.total > 200
    assert accuracy.top1_rate >= 0.97, accuracy.report(REENTRY_SET.name)
    assert accuracy.top3_rate >= 0.97, accuracy.report(REENTRY_SET.name)
