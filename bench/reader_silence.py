"""Choose when the search reader overrules the chatter gate (``Blend.none_sure`` and
``Blend.need_sure`` of bot.search.prior) by cross-validation.

Run:
    .venv/bin/python bench/reader_silence.py [--cache FILE] [--sure 0.6,0.7,0.8]
        [--need 0.5,0.6,2.0]

On the reader's own training texts only (search/reading_corpus/*.tsv and the
vocabulary's strong terms, ``bot.search.reader_train.training_texts``): each text
is read by a reader fitted without it (five folds), searched once on the sample
directory with no silencing, and then decided with each pair of thresholds: a
labelled text is right when it is answered and its first result has one of its
categories, a chatter text when it is not answered. Printed per corpus file, and
the sum (labelled right minus chatter answered) that the thresholds were chosen
by. The holdout, the shared dev set and the blind sets never enter: these are
figures on training texts, to compare thresholds, not an unseen measure.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


import out_of_fold  # noqa: E402

from bot.directory.loader import load_directory  # noqa: E402
from bot.search.engine import SearchEngine  # noqa: E402
from bot.search.prior import Blend, reads_need  # noqa: E402
from bot.search.reader import NONE  # noqa: E402
from bot.search.reader_train import training_texts  # noqa: E402
from bot.search.reading_corpus import corpus_files  # noqa: E402
from bot.search.vocabulary import load_vocabulary  # noqa: E402


def sources(folder: Path) -> dict[str, str]:
    """Each corpus text's file (the first that holds it); vocabulary terms are "vocabulary"."""
    out: dict[str, str] = {}
    for path in corpus_files(folder):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out.setdefault(line.split("\t")[0].strip(), path.stem)
    return out


def floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, help="file of out-of-fold probabilities to reuse")
    parser.add_argument("--sure", type=floats, default=floats("0.6,0.7,0.75,0.8,0.9,2.0"))
    parser.add_argument("--need", type=floats, default=floats("0.5,0.6,0.7,2.0"))
    parser.add_argument("--fill", type=floats, default=floats("0.6"))
    args = parser.parse_args()
    folder = REPO / "resources_directory"
    texts, _, _ = training_texts(folder)
    table = out_of_fold.readings(texts, args.cache)
    loaded = load_directory(folder)
    assert loaded.directory is not None
    vocabulary, _ = load_vocabulary(folder, {c.slug for c in loaded.directory.categories})
    engine = SearchEngine(loaded.directory, vocabulary)
    engine.reader = out_of_fold.Known(table)
    source = sources(folder)
    print(f"{len(texts)} texts: {sum(t.label == NONE for t in texts)} chatter (sample directory)")
    print("| fill | none_sure | need_sure | labelled right | chatter answered | score | per file |")
    print("|---|---|---|---|---|---|---|")
    for fill in args.fill:
        # every text answered here, then decided by each pair of thresholds below
        engine.blend = Blend(none_least=2.0, none_sure=2.0, need_sure=0.0, fill=fill)
        rows = []
        for t in texts:
            result = engine.search(t.text, limit=1)
            first = set(result.hits[0].service.categories) if result.hits else set()
            parsed = engine.parser.parse(t.text)
            name = source.get(t.text, "vocabulary")
            rows.append((t, name, parsed, engine.need.read(parsed), first))
        for sure in args.sure:
            for need in args.need:
                print(f"| {fill} | {sure} | {need} | " + judged(rows, table, sure, need))
                sys.stdout.flush()


def judged(rows: list[Any], table: dict[str, dict[str, float]], sure: float, need: float) -> str:
    """One row of the table: right, answered, score and per file, for one pair."""
    blend = Blend(none_sure=sure, need_sure=need)
    good: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    right = answered = 0
    for t, name, parsed, gate, first in rows:
        heard = reads_need(parsed, gate, table[t.text], blend)
        sizes[name] += 1
        if t.label == NONE:
            answered += heard and bool(first)
            good[name] += not (heard and first)
        elif heard and first & set(t.categories):
            right += 1
            good[name] += 1
    files = " ".join(f"{n} {good[n]}/{sizes[n]}" for n in sorted(sizes))
    return f"{right} | {answered} | {right - answered} | {files} |"


if __name__ == "__main__":
    main()
