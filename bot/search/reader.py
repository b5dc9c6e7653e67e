"""A learned reading of the need: a linear text classifier scored with numpy only.

The vocabulary reads a text through curated phrases; the misses of every blind
set are a long tail of phrasings no list holds. The reader learns from the
labelled texts of ``search/reading_corpus/*.tsv`` (``homeward directory
train-reader``, scikit-learn, ``bot.search.reader_train``) which category a
text asks for, or ``none`` (chatter), and ``bot.search.prior`` weighs it beside
the vocabulary's reading, never instead of it.

The model, its features and its file are the crisis model's kind
(``bot.search.linear``): words, word pairs, letter groups inside each word (typos
and by-ear spellings: "grosherys", "deprest") and across two words, scored with
numpy; ``search/reader.npz`` holds plain arrays and the digest of the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from bot.search.linear import (
    NONE,
    LinearFileError,
    LinearModel,
    linear_bytes,
    read_linear,
    text_features,
)
from bot.search.text import words

READER_FILE = "search/reader.npz"
MAX_CHARS = 1000  # of one text: the rest says nothing more about its need
_REPEATS = re.compile(r"(.)\1{2,}")

__all__ = [
    "NONE",
    "READER_FILE",
    "Reader",
    "ReaderFileError",
    "features",
    "no_surer",
    "read_reader",
    "reader_bytes",
]


class ReaderFileError(LinearFileError):
    """The reader file cannot be read or does not fit this code."""


def tokens(text: str) -> list[str]:
    """Folded words with stretched letters cut to two ("pleeease" -> "pleease")."""
    return [_REPEATS.sub(r"\1\1", w) for w in words(text[:MAX_CHARS])]


def features(text: str) -> list[str]:
    """Every feature of a text, repeated as often as it occurs."""
    return text_features(tokens(text))


class Reader(LinearModel):
    """Class probabilities for a text: the categories and ``none``."""

    def probabilities(self, text: str) -> dict[str, float]:
        """Each class's probability for the text (they add up to 1)."""
        return self.scores(features(text))


def read_reader(source: Path | bytes) -> Reader:
    """The reader saved in a file (or its bytes); ReaderFileError says what is wrong."""
    return read_linear(
        source, Reader, ReaderFileError, what="reader", retrain="homeward directory train-reader"
    )


def surest_need(probabilities: Mapping[str, float]) -> float:
    """The reader's probability of its likeliest category that is not "none"."""
    return max((p for c, p in probabilities.items() if c != NONE), default=0.0)


def no_surer(part: dict[str, float], whole: dict[str, float]) -> dict[str, float]:
    """The reading of a part of a text, no surer a need than the whole text's: what is
    left once a need said to be met is dropped keeps its categories, under the whole's
    "none" when that is higher ("i got my license back, now i sleep like a baby" is news;
    "now i sleep like a baby" alone reads as trouble sleeping). Used only when what is
    left asks for nothing ("... but i still need furniture" keeps its own reading)."""
    idle, part_idle = whole.get(NONE, 0.0), part.get(NONE, 0.0)
    if idle <= part_idle:
        return part
    scale = (1.0 - idle) / (1.0 - part_idle)
    return {c: idle if c == NONE else p * scale for c, p in part.items()}


reader_bytes = linear_bytes  # the file read_reader reads
