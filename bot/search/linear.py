"""A linear text classifier at run time, numpy only: the crisis model's and the reader's.

Both are fitted with scikit-learn at training time (``homeward safety train``,
``homeward directory train-reader``) and saved as plain arrays (feature names,
their idf, one weight per feature and class, the intercepts) and a little JSON
(classes, the digest of the corpus learned from, anything else the model keeps):
no pickle, so any numpy reads them and answering a text never imports
scikit-learn (its import alone costs about a second). Scoring repeats what
scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` and ``LogisticRegression``
compute.

The features are words, word pairs, letter groups inside each word (typos and
by-ear spellings: "sucidal", "grosherys") and letter groups across two words
(split or run-together words: "kill my self", "foodstamps"). Each model folds
its own text into tokens and may add features of its own (the crisis rules'
signals). This module sits in the search layer because search, below safety,
uses it too.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import math
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

FORMAT = 1
NONE = "none"  # the class of texts that are none of the others
CHAR_SIZES = (3, 4, 5)
ACROSS = 4  # letter groups that span two words ("l my", "t ou")


def corpus_digest(paths: Sequence[Path]) -> str:
    """A digest of the corpus files' names and bytes: a model records the corpus it
    learned, and a check reports a model trained on another one."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class LinearFileError(ValueError):
    """A model file cannot be read or does not fit this code."""


def text_features(found: Sequence[str]) -> list[str]:
    """Every feature of a text's tokens, repeated as often as it occurs."""
    out = [f"w {t}" for t in found]
    out += [f"b {a} {b}" for a, b in itertools.pairwise(found)]
    for token in found:
        padded = f"<{token}>"
        for size in CHAR_SIZES:
            out += [f"c {padded[i : i + size]}" for i in range(len(padded) - size + 1)]
    joined = f" {' '.join(found)} "
    out += [
        f"x {joined[i : i + ACROSS]}"
        for i in range(len(joined) - ACROSS + 1)
        if " " in joined[i + 1 : i + ACROSS - 1]
    ]
    return out


@dataclass(frozen=True)
class LinearModel:
    """Class probabilities for a text's features."""

    classes: tuple[str, ...]
    index: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray  # features x classes
    intercept: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def corpus_digest(self) -> str:
        """The digest of the corpus the model learned from (its training stamps it)."""
        return str(self.meta.get("corpus_digest", ""))

    def scores(self, features: Iterable[str]) -> dict[str, float]:
        """Each class's probability for these features (they add up to 1)."""
        counts = Counter(features)
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


Model = TypeVar("Model", bound=LinearModel)


def read_linear(
    source: Path | bytes,
    kind: type[Model],
    error: type[LinearFileError],
    *,
    what: str,
    retrain: str,
) -> Model:
    """The model saved in a file (or its bytes), as ``kind``; ``error`` says what is
    wrong ("is missing: run RETRAIN", "is not a WHAT file", sizes that do not match)."""
    try:
        data = source if isinstance(source, bytes) else source.read_bytes()
        with np.load(io.BytesIO(data), allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
    except FileNotFoundError:
        raise error(f"is missing: run {retrain}") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise error(f"is not a {what} file ({exc})") from None
    try:
        meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        names = bytes(arrays["features"]).decode("utf-8").split("\n")
        classes = tuple(meta["classes"])
        idf, weights, intercept = arrays["idf"], arrays["weights"], arrays["intercept"]
    except (KeyError, ValueError, TypeError) as exc:
        raise error(f"is not a {what} file (missing {exc})") from None
    if meta.get("format") != FORMAT:
        raise error(f"has format {meta.get('format')}, this code reads {FORMAT}")
    if weights.shape != (len(names), len(classes)) or idf.shape != (len(names),):
        raise error("has arrays of sizes that do not match")
    if intercept.shape != (len(classes),) or NONE not in classes:
        raise error("has classes that do not match its weights")
    index = {name: i for i, name in enumerate(names)}
    return kind(classes, index, idf.astype(np.float32), weights, intercept, meta)


def linear_bytes(
    classes: list[str],
    names: list[str],
    idf: np.ndarray,
    weights: np.ndarray,
    intercept: np.ndarray,
    meta: dict[str, Any],
) -> bytes:
    """The file ``read_linear`` reads (weights kept as float16: half the size, same answers)."""
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
