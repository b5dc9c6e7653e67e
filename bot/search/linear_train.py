"""Fitting a ``bot.search.linear`` model with scikit-learn: the crisis model's and the reader's.

Imported only by the two training commands (``homeward safety train``,
``homeward directory train-reader``): scikit-learn is imported inside these
functions, and answering a text never needs it. Each trainer says how it fits
(``Fitting``: regularisation, class balance, folds, seed); the steps are the
same: TF-IDF over features already listed per text, a logistic regression,
cross-validated probabilities, and a final fit on the features that carry weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Fitting:
    """How a model is fitted."""

    c: float  # inverse regularisation of the logistic regression
    seed: int  # of the cross-validation folds
    balanced: bool = False  # weigh each class as much as the others (the crisis kinds)
    folds: int = 5
    min_df: int = 2  # a feature must occur in this many texts
    keep_weight: float = 0.02  # features whose weights are all smaller are dropped


class CorpusProblems(ValueError):
    """The corpus has rows its schema refuses."""

    def __init__(self, problems: list[Any]) -> None:
        super().__init__(f"the corpus has {len(problems)} problem(s)")
        self.problems = problems


def fit(
    fitting: Fitting,
    labels: Sequence[str],
    docs: Sequence[list[str]],
    vocabulary: list[str] | None = None,
) -> tuple[Any, Any]:
    """The fitted vectorizer and logistic regression (on ``vocabulary`` only, if given)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(
        analyzer=_given,
        sublinear_tf=True,
        min_df=1 if vocabulary else fitting.min_df,
        vocabulary=vocabulary,
        dtype=np.float64,
    )
    matrix = vectorizer.fit_transform(docs)
    weighting = "balanced" if fitting.balanced else None
    model = LogisticRegression(C=fitting.c, max_iter=3000, class_weight=weighting)
    return vectorizer, model.fit(matrix, list(labels))


def cross_validated(
    fitting: Fitting, labels: Sequence[str], docs: Sequence[list[str]], strata: Sequence[str]
) -> list[dict[str, float]]:
    """Each text's class probabilities from a model fitted without it (folds by ``strata``)."""
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(n_splits=fitting.folds, shuffle=True, random_state=fitting.seed)
    out: list[dict[str, float]] = [{} for _ in labels]
    for train_ids, test_ids in folds.split(np.zeros(len(labels)), list(strata)):
        vectorizer, model = fit(
            fitting, [labels[i] for i in train_ids], [docs[i] for i in train_ids]
        )
        matrix = vectorizer.transform([docs[i] for i in test_ids])
        for i, row in zip(test_ids, model.predict_proba(matrix), strict=True):
            out[i] = dict(zip(model.classes_, (float(p) for p in row), strict=True))
    return out


def fit_final(
    fitting: Fitting, labels: Sequence[str], docs: Sequence[list[str]]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Fit on every text, keep the features that carry weight, and fit again on those.

    The second fit makes the saved model exact: its texts are normalised over
    the kept features only, as ``LinearModel.scores`` does at run time.
    Returns the feature names, their idf, weights (features x classes),
    intercepts and classes.
    """
    vectorizer, model = fit(fitting, labels, docs)
    keep = np.abs(model.coef_).max(axis=0) >= fitting.keep_weight
    kept = [str(n) for n in vectorizer.get_feature_names_out()[keep]]
    vectorizer, model = fit(fitting, labels, docs, kept)
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    return names, vectorizer.idf_, model.coef_.T, model.intercept_, list(model.classes_)


def save(folder: Path, relative: str, data: bytes) -> Path:
    """Write a model file into the folder (``safety/model.npz``, ``search/reader.npz``)."""
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _given(doc: list[str]) -> list[str]:
    """The analyzer of documents that are already lists of features."""
    return doc
