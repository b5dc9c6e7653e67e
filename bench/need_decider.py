"""The need-or-chatter decider (bot.search.decider) beside the thresholds it replaced.

Run:
    .venv/bin/python bench/need_decider.py [--cache FILE]

Two measures, in one run, on the sample directory:

1. On the reader's own training texts (tuned data, not an unseen measure): each
   text read by a reader that never saw it (``out_of_fold``) and decided by a
   decider that never saw it (five folds, the decider's own training code and
   threshold), against the thresholds of ``bot.search.prior.Blend``. A labelled
   text is right when it is answered and its first result has one of its
   categories; a chatter text is wrong when it gets any result.
2. On the sets the reader never learned (the holdout, the shared dev set, the
   fifth blind set): the shipped reader, with its decider and with the thresholds.
   (In round 11 the tenth set was among them too; it is learned since round 12.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import out_of_fold  # noqa: E402

from bot.directory.loader import load_directory  # noqa: E402
from bot.search import decider_train  # noqa: E402
from bot.search.decider import exclaims, situation_alone  # noqa: E402
from bot.search.engine import SearchEngine  # noqa: E402
from bot.search.evaluation import read_queries  # noqa: E402
from bot.search.prior import Blend, reads_need  # noqa: E402
from bot.search.reader import NONE  # noqa: E402
from bot.search.reader_train import training_texts  # noqa: E402
from bot.search.vocabulary import load_vocabulary  # noqa: E402

DATA = REPO / "tests" / "data"
HELD_OUT = ("queries.holdout.tsv", "queries.reentry5.frozen.tsv")
HELD_OUT_SHORT: tuple[str, ...] = ()
HELD_OUT_CHATTER = ("chatter.reentry5.frozen.tsv",)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, help="file of out-of-fold probabilities to reuse")
    args = parser.parse_args()
    folder = REPO / "resources_directory"
    loaded = load_directory(folder)
    assert loaded.directory is not None
    vocabulary, _ = load_vocabulary(folder, {c.slug for c in loaded.directory.categories})
    engine = SearchEngine(loaded.directory, vocabulary)
    shipped, decider = engine.reader, engine.decider
    assert shipped is not None
    assert decider is not None
    print(f"machine-independent counts; decider threshold {decider.threshold}")
    training(engine, folder, args.cache)
    engine.reader, engine.decider, engine.blend = shipped, decider, Blend()
    held_out(engine)


def answered_first(engine: SearchEngine, text: str) -> set[str]:
    """The first result's categories with every text answered (empty: none found)."""
    saved = engine.decider, engine.blend
    engine.decider = None
    engine.blend = Blend(none_least=2.0, none_sure=2.0, need_sure=0.0, fill=Blend().need_sure)
    result = engine.search(text, limit=1)
    engine.decider, engine.blend = saved
    return set(result.hits[0].service.categories) if result.hits else set()


def training(engine: SearchEngine, folder: Path, cache: Path | None) -> None:
    texts, _, _ = training_texts(folder)
    table = out_of_fold.readings(texts, cache)
    engine.reader = out_of_fold.Known(table)
    reading = decider_train.feature_rows(engine, texts, [table[t.text] for t in texts])
    parsed, gates = reading.parsed, reading.gates
    need = np.array([t.label != NONE for t in texts])
    scaled = (reading.rows - reading.rows.mean(axis=0)) / _scale(reading.rows)
    predicted = decider_train.five_fold(scaled, need)
    chosen = decider_train.choose_threshold(predicted, need).threshold
    firsts = [answered_first(engine, t.text) for t in texts]
    thresholds = [
        reads_need(p, g, table[t.text], Blend())
        for t, p, g in zip(texts, parsed, gates, strict=True)
    ]
    decided = [
        bool(pr >= chosen) or (situation_alone(p, g) and not exclaims(p.text))
        for pr, p, g in zip(predicted, parsed, gates, strict=True)
    ]
    print(f"\n## Training texts, out of fold ({len(texts)}: {int((~need).sum())} chatter)")
    print("| decision | labelled right | chatter answered |\n|---|---|---|")
    for name, answered in (("thresholds", thresholds), (f"decider ({chosen})", decided)):
        right = sum(
            a and bool(f & set(t.categories))
            for a, f, t in zip(answered, firsts, texts, strict=True)
            if t.label != NONE
        )
        chatter = sum(
            a and bool(f)
            for a, f, t in zip(answered, firsts, texts, strict=True)
            if t.label == NONE
        )
        print(f"| {name} | {right} of {int(need.sum())} | {chatter} of {int((~need).sum())} |")


def _scale(rows: np.ndarray) -> np.ndarray:
    """Each feature's spread, 1 where it never varies (as the decider's training scales)."""
    spread = rows.std(axis=0)
    return np.where(spread > 0, spread, 1.0)


def held_out(engine: SearchEngine) -> None:
    print("\n## Sets the reader never learned (shipped reader)")
    print("| set | thresholds | decider |\n|---|---|---|")
    decider = engine.decider
    sets = [(n, DATA / n) for n in (*HELD_OUT, *HELD_OUT_SHORT)]
    sets.append(("shared dev set", REPO.parent / "shared" / "eval" / "queries.dev.tsv"))
    for name, path in sets:
        if not path.exists():
            continue
        queries = read_queries(path)
        cells = []
        for chosen in (None, decider):
            engine.decider = chosen
            right = sum(
                bool((r := engine.search(q.text, limit=1)).hits)
                and bool(set(r.hits[0].service.categories) & q.expected)
                for q in queries
            )
            cells.append(f"{right}/{len(queries)} right")
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    for name in HELD_OUT_CHATTER:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        texts = [x.split("\t")[0] for x in lines if x.strip() and not x.startswith("#")]
        cells = []
        for chosen in (None, decider):
            engine.decider = chosen
            cells.append(f"{sum(bool(engine.search(t).hits) for t in texts)}/{len(texts)} answered")
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    engine.decider = decider


if __name__ == "__main__":
    main()
