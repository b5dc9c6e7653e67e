"""Choose the weights of the search reader's blend (bot.search.prior.Blend) by cross-validation.

Run:
    .venv/bin/python bench/reader_blend.py [--cache FILE]

On the reader's own training texts only (search/reading_corpus/*.tsv; the
reader also learns the vocabulary's strong terms, never judged here): each
text is read by a reader fitted without it (five folds,
``bot.search.reader_train.cross_validated``), then searched on the sample
directory with every blend of a small grid. A labelled text is right when its
first result has one of its categories; a chatter text when it gets no result.
The holdout, the shared dev set and the blind sets never enter: the figures
printed are on training texts (tuned data), to compare blends, not an unseen
measure.
"""

from __future__ import annotations

import argparse
import itertools
import sys
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
from bot.search.vocabulary import load_vocabulary  # noqa: E402

WEIGHTS = (0.0, 0.3, 0.6, 1.0, 1.5, 2.5, 5.0)
LEASTS = (0.35, 0.5, 0.6, 0.7, 0.8, 0.9)
NONE_LEASTS = (0.4, 0.5, 0.6, 0.7, 0.9, 1.01)
# The labelled set the vocabulary was never tuned on (measured once, round 5 of issue 21):
# on the others the vocabulary was tuned, and its figures there flatter it against the reader.
LEAST_STUDIED = "reentry4.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, help="file of out-of-fold probabilities to reuse")
    args = parser.parse_args()
    folder = REPO / "resources_directory"
    learned, corpus, _ = training_texts(folder)
    texts = learned[:corpus]  # judged on the corpus; the vocabulary's terms are only learned
    table = out_of_fold.readings(learned, args.cache)
    loaded = load_directory(folder)
    assert loaded.directory is not None
    categories = {c.slug for c in loaded.directory.categories}
    vocabulary, _ = load_vocabulary(folder, categories)
    engine = SearchEngine(loaded.directory, vocabulary)
    engine.reader = out_of_fold.Known(table)
    labelled = [t for t in texts if t.label != NONE]
    chatter = [t for t in texts if t.label == NONE]
    fresh_path = folder / "search" / "reading_corpus" / LEAST_STUDIED
    fresh = {line.split("\t")[0].strip() for line in fresh_path.read_text().splitlines()[1:]}
    parsed: dict[str, Any] = {}
    readings: dict[str, Any] = {}
    print(f"{len(labelled)} labelled texts, {len(chatter)} chatter (sample directory)")
    print(
        f"| weight | least | none at | labelled top-1 | {LEAST_STUDIED} top-1 | chatter answered | score |"
    )
    print("|---|---|---|---|---|---|---|")
    best: tuple[int, Blend] | None = None
    for weight, least in itertools.product(WEIGHTS, LEASTS):
        if weight == 0 and least != LEASTS[0]:
            continue
        # every text answered here; silenced below by each blend with the sure-none and
        # sure-need thresholds bench/reader_silence.py chose (Blend's defaults)
        engine.blend = Blend(weight, least, 2.0, none_sure=2.0, need_sure=0.0)
        first: dict[str, list[str] | None] = {}
        for t in texts:
            result = engine.search(t.text, limit=1)
            first[t.text] = list(result.hits[0].service.categories) if result.hits else None
        if not parsed:  # read once the engine has searched (its tables are warm)
            parsed = {t.text: engine.parser.parse(t.text) for t in texts}
            readings = {t.text: engine.need.read(parsed[t.text]) for t in texts}
        for none_least in NONE_LEASTS:
            blend = Blend(weight, least, none_least)
            quiet = {
                t.text: not reads_need(parsed[t.text], readings[t.text], table[t.text], blend)
                for t in texts
            }
            good = [
                not quiet[t.text]
                and bool(first[t.text])
                and bool(set(first[t.text] or ()) & set(t.categories))
                for t in labelled
            ]
            right = sum(good)
            fresh_right = sum(g for g, t in zip(good, labelled, strict=True) if t.text in fresh)
            fresh_n = sum(1 for t in labelled if t.text in fresh)
            answered = sum(1 for t in chatter if not quiet[t.text] and first[t.text])
            score = right + len(chatter) - answered
            print(
                f"| {weight} | {least} | {none_least} | {right / len(labelled):.1%} | "
                f"{fresh_right / fresh_n:.1%} | "
                f"{answered} of {len(chatter)} | {score} |"
            )
            if best is None or score > best[0]:
                best = (score, blend)
        sys.stdout.flush()
    print(f"best: {best}")


if __name__ == "__main__":
    main()
