"""`homeward directory train-reader`: refit the search's learned reader on its corpus.

Reads ``search/reading_corpus/*.tsv`` of the directory folder, measures the
reader by cross-validation (scikit-learn is imported then, and only then) and
writes ``search/reader.npz`` beside the corpus, stamped with the corpus digest
(``homeward directory validate`` reports a reader trained on another corpus).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bot.cli_common import UsageError, print_problems


def train_reader(folder: Path) -> int:
    """Fit, measure and save the reader; print its cross-validated figures."""
    if not folder.is_dir():
        raise UsageError(f"not a folder: {folder}")
    try:
        from bot.search import reader_train as training
    except ModuleNotFoundError as missing:  # scikit-learn is only needed here
        raise UsageError(f"training needs {missing.name}: pip install 'homeward[train]'") from None
    started = time.monotonic()
    try:
        trained = training.train(folder, say=lambda line: print(line, file=sys.stderr))
    except training.CorpusProblems as bad:
        print_problems(bad.problems)
        print("homeward: fix the corpus above; the reader was not changed", file=sys.stderr)
        return 1
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    path = training.save(folder, trained)
    print(
        f"Reader saved: {path} ({len(trained.data) // 1024} KiB, {trained.features} features, "
        f"{trained.examples} texts, {time.monotonic() - started:.0f} s)"
    )
    print("Cross-validated on the training corpus (tuned data, not an unseen measure):")
    print(
        f"  likeliest class right: {trained.right:.1%}; chatter read as none: "
        f"{trained.none_right:.1%}"
    )
    return 0
