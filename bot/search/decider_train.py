"""Fitting the need-or-chatter decider (``bot.search.decider``); scikit-learn, training only.

The decider learns from the reader's training texts as a reader that never saw
them reads them (the five-fold readings ``reader_train`` measures with), so it
learns how far to trust the reader on new texts, not on texts it remembers. Each
text is parsed and gated on the folder's own directory and vocabulary, as the
search would. The threshold is chosen on five-fold predictions of the decider
itself. The score of a threshold is the needs it answers minus ``CHATTER_COST``
times the chatter it answers (the issue asks that chatter get nothing, while short
needs keep their answers). That score is flat near its top, so the best threshold
moved between 0.75, 0.8 and 0.85 from one retrain to the next while the scores
differed by less than their noise; the threshold chosen is the lowest whose score
is within one standard error of the best one (the error of the difference, over
the texts the two thresholds answer differently): where the difference is noise, a
need keeps its answer. Every figure is on training texts: tuned data, not an unseen
measure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.preprocessing import StandardScaler

from bot.directory.loader import DEFAULT_DIRECTORY, load_directory
from bot.search.decider import Decider, raw_features
from bot.search.engine import SearchEngine
from bot.search.need import NeedReading
from bot.search.query import ParsedQuery
from bot.search.reader import NONE
from bot.search.reading_corpus import Labelled
from bot.search.vocabulary import load_vocabulary

C = 1.0  # regularisation (0.3 and 1 answer alike in cross-validation)
CHATTER_COST = 3.0  # a chatter text answered costs as much as three needs left unanswered
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(13))  # 0.3 to 0.9
FOLDS = 5
SEED = 21


@dataclass(frozen=True)
class DeciderFigures:
    """Five-fold figures of the chosen threshold, on the training texts."""

    threshold: float
    needs_answered: float  # share of the labelled texts answered
    chatter_answered: float  # share of the chatter texts answered

    def as_dict(self) -> dict[str, float]:
        """For the reader file's header."""
        return {
            "threshold": self.threshold,
            "cross_validated_needs_answered": round(self.needs_answered, 4),
            "cross_validated_chatter_answered": round(self.chatter_answered, 4),
        }


def fit_decider(
    folder: Path,
    texts: Sequence[Labelled],
    readings: Sequence[dict[str, float]],
    say: Callable[[str], None] = print,
) -> tuple[Decider, DeciderFigures]:
    """The decider for a folder's texts and their out-of-fold readings."""
    # the folder's directory, or the sample one for a folder that only holds a corpus
    loaded = load_directory(folder if (folder / "directory.yaml").exists() else DEFAULT_DIRECTORY)
    if loaded.directory is None:
        raise ValueError("the decider is trained on the folder's directory, which does not load")
    vocabulary, _ = load_vocabulary(folder, {c.slug for c in loaded.directory.categories})
    engine = SearchEngine(loaded.directory, vocabulary)
    reading = feature_rows(engine, texts, readings)
    need = np.array([t.label != NONE for t in texts])
    say(f"decider: {len(texts)} texts, {reading.rows.shape[1]} features; cross-validating...")
    scaler = StandardScaler().fit(reading.rows)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    inputs = (reading.rows - scaler.mean_) / scale
    predicted = five_fold(inputs, need)
    figures = choose_threshold(predicted, need)
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(inputs, need)
    decider = Decider(
        reading.classes,
        reading.reasons,
        scaler.mean_,
        scale,
        model.coef_[0].astype(np.float64),
        float(model.intercept_[0]),
        figures.threshold,
    )
    return decider, figures


@dataclass(frozen=True)
class FeatureRows:
    """Each text's features, and what they were read with."""

    rows: np.ndarray
    classes: tuple[str, ...]
    reasons: tuple[str, ...]
    parsed: list[ParsedQuery]
    gates: list[NeedReading]


def feature_rows(
    engine: SearchEngine, texts: Sequence[Labelled], readings: Sequence[dict[str, float]]
) -> FeatureRows:
    """The texts parsed and gated as the search would, as rows of decider features
    (also what ``bench/need_decider.py`` measures with)."""
    classes = tuple(sorted({c for reading in readings for c in reading}))
    parsed = [engine.parser.parse(t.text) for t in texts]
    gates = [engine.need.read(p) for p in parsed]
    reasons = tuple(sorted({g.reason for g in gates}))
    rows = np.vstack(
        [
            raw_features(p, g, r, classes, reasons)
            for p, g, r in zip(parsed, gates, readings, strict=True)
        ]
    )
    return FeatureRows(rows, classes, reasons, parsed, gates)


def five_fold(inputs: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Each row's probability of a need from a decider fitted without it."""
    model = LogisticRegression(C=C, max_iter=5000)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    predicted: np.ndarray = cross_val_predict(
        model, inputs, need, cv=folds, method="predict_proba"
    )[:, 1]
    return predicted


def choose_threshold(predicted: np.ndarray, need: np.ndarray) -> DeciderFigures:
    """The lowest threshold of ``THRESHOLDS`` whose score (needs answered minus
    ``CHATTER_COST`` times chatter answered) is within one standard error of the best."""
    value = np.where(need, 1.0, -CHATTER_COST)  # what answering each text is worth

    def gains(threshold: float) -> np.ndarray:
        return np.where(predicted >= threshold, value, 0.0)

    best = max(THRESHOLDS, key=lambda t: float(gains(t).sum()))
    top = gains(best)

    def near_best(threshold: float) -> bool:
        difference = top - gains(threshold)
        error = float(np.sqrt(len(difference) * difference.var()))
        return float(difference.sum()) <= error

    chosen = min(t for t in THRESHOLDS if near_best(t))
    answered = predicted >= chosen
    return DeciderFigures(
        chosen,
        float((answered & need).sum() / max(1, need.sum())),
        float((answered & ~need).sum() / max(1, (~need).sum())),
    )
