"""``homeward directory train-reader``: fit the search reader on its corpus and save it.

scikit-learn is imported here only (answering a text never needs it). The
steps: read ``search/reading_corpus/*.tsv`` (checked by its schema); measure
the reader by five-fold cross-validation (each text scored by a reader that
never saw it: the figures printed are on the training texts, not an unseen
measure); fit on every text, keep the features that carry weight, and write
``search/reader.npz`` (``bot.search.reader``) with the corpus digest.

``cross_validated`` is also what ``bench/reader_blend.py`` chooses the blend
weights of ``bot.search.prior`` with: on the training texts only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.search import linear_train
from bot.search.linear_train import CorpusProblems, Fitting
from bot.search.reader import NONE, READER_FILE, features, reader_bytes
from bot.search.reading_corpus import Labelled, read_corpus

FITTING = Fitting(c=16.0, seed=21)
FOLDS = FITTING.folds

__all__ = ["CorpusProblems", "Trained", "cross_validated", "figures", "save", "train"]


@dataclass
class Trained:
    """What a training run made: the file's bytes and its cross-validated figures."""

    data: bytes
    examples: int
    features: int
    right: float  # cross-validated share whose most likely class is one of its answers
    none_right: float  # of the chatter texts, the share read as none


def train(folder: Path, say: Callable[[str], None] = print) -> Trained:
    """Fit, measure and return the reader of a folder's corpus (ValueError: a bad corpus)."""
    texts, problems, digest = read_corpus(folder)
    if problems:
        raise CorpusProblems(problems)
    labels = {t.label for t in texts}
    if len(texts) < 50 or NONE not in labels or len(labels) < 3:
        raise ValueError("the corpus needs at least 50 texts, chatter and two categories")
    docs = [features(t.text) for t in texts]
    say(f"{len(texts)} texts, {len(labels)} classes; cross-validating ({FOLDS} folds)...")
    probabilities = cross_validated(texts, docs)
    right, none_right = figures(texts, probabilities)
    labels_of = [t.label for t in texts]
    names, idf, weights, intercept, classes = linear_train.fit_final(FITTING, labels_of, docs)
    meta: dict[str, Any] = {
        "corpus_digest": digest,
        "examples": len(texts),
        "trained_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "cross_validated_right": round(right, 4),
        "cross_validated_none": round(none_right, 4),
    }
    data = reader_bytes(classes, names, idf, weights, intercept, meta)
    return Trained(data, len(texts), len(names), right, none_right)


def save(folder: Path, trained: Trained) -> Path:
    """Write the reader file into the folder's ``search/``."""
    return linear_train.save(folder, READER_FILE, trained.data)


def figures(texts: list[Labelled], probabilities: list[dict[str, float]]) -> tuple[float, float]:
    """The share of texts whose likeliest class is right, and of chatter read as none."""
    best = [max(p, key=p.__getitem__) for p in probabilities]
    right = sum(b in t.categories for b, t in zip(best, texts, strict=True)) / len(texts)
    chatter = [b for b, t in zip(best, texts, strict=True) if t.label == NONE]
    return right, sum(b == NONE for b in chatter) / max(1, len(chatter))


def _fit(texts: list[Labelled], docs: list[list[str]], vocabulary: list[str] | None = None) -> Any:
    """The fitted vectorizer and model (``bot.search.linear_train.fit``)."""
    return linear_train.fit(FITTING, [t.label for t in texts], docs, vocabulary)


def cross_validated(
    texts: list[Labelled], docs: list[list[str]] | None = None
) -> list[dict[str, float]]:
    """Each text's class probabilities from a reader fitted without it."""
    docs = docs if docs is not None else [features(t.text) for t in texts]
    labels = [t.label for t in texts]
    return linear_train.cross_validated(FITTING, labels, docs, labels)
