"""A learned reading of the need: a linear text classifier scored with numpy only.

The vocabulary reads a text through curated phrases; the misses of every blind
set are a long tail of phrasings no list holds. The reader learns from the
labelled texts of ``search/reading_corpus/*.tsv`` (``homeward directory
train-reader``, scikit-learn, ``bot.search.reader_train``) which category a
text asks for, or ``none`` (chatter), and ``bot.search.prior`` weighs it beside
the vocabulary's reading, never instead of it.

Features as the crisis model's (``bot.safety.features``, not imported: search
sits below safety): words, word pairs, letter groups inside each word (typos and
by-ear spellings: "grosherys", "deprest") and across two words (split or
run-together words). The file ``search/reader.npz`` holds plain arrays (feature
names, idf, weights, intercepts) and a little JSON (classes, corpus digest):
no pickle, no scikit-learn at run time. Scoring repeats what scikit-learn's
``TfidfVectorizer(sublinear_tf=True)`` and ``LogisticRegression`` compute.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.search.text import words

FORMAT = 1
READER_FILE = "search/reader.npz"
NONE = "none"  # the class of texts that ask for nothing
MAX_CHARS = 1000  # of one text: the rest says nothing more about its need
CHAR_SIZES = (3, 4, 5)
ACROSS = 4  # letter groups spanning two words ("t ou", "d st"): "food stamps", "foodstamps"
_REPEATS = re.compile(r"(.)\1{2,}")


class ReaderFileError(ValueError):
    """The reader file cannot be read or does not fit this code."""


def tokens(text: str) -> list[str]:
    """Folded words with stretched letters cut to two ("pleeease" -> "pleease")."""
    return [_REPEATS.sub(r"\1\1", w) for w in words(text[:MAX_CHARS])]


def features(text: str) -> list[str]:
    """Every feature of a text, repeated as often as it occurs."""
    found = tokens(text)
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
class Reader:
    """Class probabilities for a text: the categories and ``none``."""

    classes: tuple[str, ...]
    index: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray  # features x classes
    intercept: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def corpus_digest(self) -> str:
        """The digest of the corpus the reader learned from (``train-reader`` stamps it)."""
        return str(self.meta.get("corpus_digest", ""))

    def probabilities(self, text: str) -> dict[str, float]:
        """Each class's probability for the text (they add up to 1)."""
        counts = Counter(features(text))
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


def read_reader(source: Path | bytes) -> Reader:
    """The reader saved in a file (or its bytes); ReaderFileError says what is wrong."""
    try:
        data = source if isinstance(source, bytes) else source.read_bytes()
        with np.load(io.BytesIO(data), allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
    except FileNotFoundError:
        raise ReaderFileError("is missing: run homeward directory train-reader") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ReaderFileError(f"is not a reader file ({exc})") from None
    try:
        meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        names = bytes(arrays["features"]).decode("utf-8").split("\n")
        classes = tuple(meta["classes"])
        idf, weights, intercept = arrays["idf"], arrays["weights"], arrays["intercept"]
    except (KeyError, ValueError, TypeError) as exc:
        raise ReaderFileError(f"is not a reader file (missing {exc})") from None
    if meta.get("format") != FORMAT:
        raise ReaderFileError(f"has format {meta.get('format')}, this code reads {FORMAT}")
    if weights.shape != (len(names), len(classes)) or idf.shape != (len(names),):
        raise ReaderFileError("has arrays of sizes that do not match")
    if intercept.shape != (len(classes),) or NONE not in classes:
        raise ReaderFileError("has classes that do not match its weights")
    index = {name: i for i, name in enumerate(names)}
    return Reader(classes, index, idf.astype(np.float32), weights, intercept, meta)


def reader_bytes(
    classes: list[str],
    names: list[str],
    idf: np.ndarray,
    weights: np.ndarray,
    intercept: np.ndarray,
    meta: dict[str, Any],
) -> bytes:
    """The file ``read_reader`` reads (weights kept as float16: half the size, same answers)."""
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
