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

import numpy as np

from bot.search.reader import NONE, READER_FILE, features, reader_bytes
from bot.search.reading_corpus import Labelled, read_corpus

FOLDS = 5
C = 16.0  # inverse regularisation of the logistic regression
MIN_DF = 2  # a feature must occur in two texts
KEEP_WEIGHT = 0.02  # features whose weights are all smaller are dropped from the file
SEED = 21


@dataclass
class Trained:
    """What a training run made: the file's bytes and its cross-validated figures."""

    data: bytes
    examples: int
    features: int
    right: float  # cross-validated share whose most likely class is one of its answers
    none_right: float  # of the chatter texts, the share read as none


class CorpusProblems(ValueError):
    """The corpus has rows its schema refuses."""

    def __init__(self, problems: list[Any]) -> None:
        super().__init__(f"the corpus has {len(problems)} problem(s)")
        self.problems = problems


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
    names, idf, weights, intercept, classes = _fit_final(texts, docs)
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
    path = folder / READER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(trained.data)
    return path


def figures(texts: list[Labelled], probabilities: list[dict[str, float]]) -> tuple[float, float]:
    """The share of texts whose likeliest class is right, and of chatter read as none."""
    best = [max(p, key=p.__getitem__) for p in probabilities]
    right = sum(b in t.categories for b, t in zip(best, texts, strict=True)) / len(texts)
    chatter = [b for b, t in zip(best, texts, strict=True) if t.label == NONE]
    return right, sum(b == NONE for b in chatter) / max(1, len(chatter))


def _given(doc: list[str]) -> list[str]:
    """The analyzer of documents that are already lists of features."""
    return doc


def _fit(texts: list[Labelled], docs: list[list[str]], vocabulary: list[str] | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(
        analyzer=_given,
        sublinear_tf=True,
        min_df=1 if vocabulary else MIN_DF,
        vocabulary=vocabulary,
        dtype=np.float64,
    )
    matrix = vectorizer.fit_transform(docs)
    model = LogisticRegression(C=C, max_iter=3000).fit(matrix, [t.label for t in texts])
    return vectorizer, model


def cross_validated(
    texts: list[Labelled], docs: list[list[str]] | None = None
) -> list[dict[str, float]]:
    """Each text's class probabilities from a reader fitted without it."""
    from sklearn.model_selection import StratifiedKFold

    docs = docs if docs is not None else [features(t.text) for t in texts]
    labels = [t.label for t in texts]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    out: list[dict[str, float]] = [{} for _ in texts]
    for train_ids, test_ids in folds.split(np.zeros(len(texts)), labels):
        vectorizer, model = _fit([texts[i] for i in train_ids], [docs[i] for i in train_ids])
        matrix = vectorizer.transform([docs[i] for i in test_ids])
        for i, row in zip(test_ids, model.predict_proba(matrix), strict=True):
            out[i] = dict(zip(model.classes_, (float(p) for p in row), strict=True))
    return out


def _fit_final(
    texts: list[Labelled], docs: list[list[str]]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Fit on every text, keep the features that carry weight, and fit again on those.

    The second fit makes the saved reader exact: its texts are normalised over
    the kept features only, as ``Reader.probabilities`` does at run time.
    """
    vectorizer, model = _fit(texts, docs)
    keep = np.abs(model.coef_).max(axis=0) >= KEEP_WEIGHT
    kept = [str(n) for n in vectorizer.get_feature_names_out()[keep]]
    vectorizer, model = _fit(texts, docs, kept)
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    return names, vectorizer.idf_, model.coef_.T, model.intercept_, list(model.classes_)
