"""The trained crisis model at run time: a linear model over text features, numpy only.

``homeward safety train`` fits it with scikit-learn and writes
``safety/model.npz``: the feature names, their idf weights, one weight per
feature and class, the intercepts and a little JSON (classes, decision
thresholds, the digest of the corpus it learned from). Plain arrays, no pickle,
so any numpy reads it and no scikit-learn is imported to answer a text (its
import alone costs about a second). Scoring repeats what scikit-learn's
``TfidfVectorizer(sublinear_tf=True)`` and ``LogisticRegression`` compute.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.safety.features import features

FORMAT = 1
MODEL_FILE = "safety/model.npz"
NONE = "none"
CONCERN = "concern"  # the class of hopeless or unclear self-harm texts


class ModelFileError(ValueError):
    """The model file cannot be read or does not fit this code."""


@dataclass(frozen=True)
class CrisisModel:
    """Class probabilities for a text."""

    classes: tuple[str, ...]
    index: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray  # features x classes
    intercept: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def crisis_threshold(self) -> float:
        """The least probability of a crisis class that makes a text a crisis."""
        return float(self.meta.get("crisis_threshold", 0.5))

    @property
    def concern_threshold(self) -> float:
        """The least probability of concern (or weak self-harm) that makes a text a concern."""
        return float(self.meta.get("concern_threshold", 0.5))

    @property
    def rule_floor(self) -> float:
        """The score under which the model overrules a rule (a look-alike that fires a phrase)."""
        return float(self.meta.get("rule_floor", 0.0))

    @property
    def corpus_digest(self) -> str:
        """The digest of the corpus the model learned from (``safety train`` stamps it)."""
        return str(self.meta.get("corpus_digest", ""))

    def probabilities(self, text: str, signals: Sequence[str] = ()) -> dict[str, float]:
        """Each class's probability for the text and the rules' signals (they add up to 1)."""
        counts = Counter(features(text, signals))
        rows = [(self.index[f], n) for f, n in counts.items() if f in self.index]
        logits = self.intercept.astype(np.float64)
        if rows:
            ids = np.fromiter((i for i, _ in rows), dtype=np.int64, count=len(rows))
            tf = np.fromiter((1.0 + math.log(n) for _, n in rows), dtype=np.float64)
            values = tf * self.idf[ids]
            norm = float(np.sqrt(values @ values))
            if norm:
                logits = logits + (values / norm) @ self.weights[ids].astype(np.float64)
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        return dict(zip(self.classes, (float(p) for p in probs), strict=True))


def read_model(source: Path | bytes) -> CrisisModel:
    """The model saved in a file (or its bytes); ModelFileError says what is wrong with it."""
    try:
        data = source if isinstance(source, bytes) else source.read_bytes()
        with np.load(io.BytesIO(data), allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
    except FileNotFoundError:
        raise ModelFileError("is missing: run homeward safety train") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"is not a model file ({exc})") from None
    try:
        meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        names = bytes(arrays["features"]).decode("utf-8").split("\n")
        classes = tuple(meta["classes"])
        idf, weights, intercept = arrays["idf"], arrays["weights"], arrays["intercept"]
    except (KeyError, ValueError, TypeError) as exc:
        raise ModelFileError(f"is not a model file (missing {exc})") from None
    if meta.get("format") != FORMAT:
        raise ModelFileError(f"has format {meta.get('format')}, this code reads {FORMAT}")
    if weights.shape != (len(names), len(classes)) or idf.shape != (len(names),):
        raise ModelFileError("has arrays of sizes that do not match")
    if intercept.shape != (len(classes),) or NONE not in classes:
        raise ModelFileError("has classes that do not match its weights")
    index = {name: i for i, name in enumerate(names)}
    return CrisisModel(classes, index, idf.astype(np.float32), weights, intercept, meta)


def model_bytes(
    classes: list[str],
    names: list[str],
    idf: np.ndarray,
    weights: np.ndarray,
    intercept: np.ndarray,
    meta: dict[str, Any],
) -> bytes:
    """The file ``read_model`` reads (weights kept as float16: half the size, same answers)."""
    header = {**meta, "format": FORMAT, "classes": classes}
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        meta=np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        features=np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
        idf=idf.astype(np.float32),
        weights=weights.astype(np.float16),
        intercept=intercept.astype(np.float32),
    )
    return buffer.getvalue()
