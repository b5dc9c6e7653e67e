"""``homeward directory train-reader``: fit the search reader on its corpus and save it.

scikit-learn is imported here only (answering a text never needs it). The
steps: read ``search/reading_corpus/*.tsv`` (checked by its schema) and add
the vocabulary's strong terms as texts of their categories
(``vocabulary_texts``); measure
the reader by five-fold cross-validation (each text scored by a reader that
never saw it: the figures printed are on the training texts, not an unseen
measure); fit on every text, keep the features that carry weight, and write
``search/reader.npz`` (``bot.search.reader``) with the corpus digest.

``cross_validated`` is also what ``bench/reader_blend.py`` chooses the blend
weights of ``bot.search.prior`` with: on the training texts only. Its readings
also train the need-or-chatter decider (``bot.search.decider_train``), kept in
the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.directory.model import CATEGORY_SLUGS
from bot.search import linear_train
from bot.search.decider_train import DeciderFigures, fit_decider
from bot.search.linear_train import CorpusProblems, Fitting
from bot.search.need import STRONG
from bot.search.reader import NONE, READER_FILE, features, reader_bytes
from bot.search.reading_corpus import Labelled, read_corpus
from bot.search.vocabulary import load_vocabulary

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
    decided: DeciderFigures  # the need-or-chatter decider's (bot.search.decider_train)


def vocabulary_texts(folder: Path, classes: set[str]) -> list[Labelled]:
    """Each strong vocabulary term (weight ``STRONG`` or more) of a category among
    ``classes`` (those the corpus teaches) as a text of that category.

    The corpus's needs are texts of several words and much of its chatter is short
    ("ok", "lol", "buenas"): without these, the reader learns that a text of one
    or two words is chatter and reads "homeless", "attorney" or "documentos" as
    none. A term is learned as the vocabulary holds it at training time: a term
    added later reaches the search at once through the vocabulary, and the
    reader at its next training.
    """
    vocabulary, _ = load_vocabulary(folder, set(CATEGORY_SLUGS))
    seen: set[tuple[str, str]] = set()
    out: list[Labelled] = []
    for term in vocabulary.terms:
        text = " ".join(term.words)
        fits = term.weight >= STRONG and term.category in classes
        if fits and (text, term.category) not in seen:
            seen.add((text, term.category))
            out.append(Labelled(text, (term.category,), term.language))
    return out


def training_texts(folder: Path) -> tuple[list[Labelled], int, str]:
    """The corpus's texts followed by the vocabulary's strong terms, how many of them
    are the corpus's, and the corpus digest (CorpusProblems: a corpus file breaks its
    schema; ValueError: too small a corpus)."""
    texts, problems, digest = read_corpus(folder)
    if problems:
        raise CorpusProblems(problems)
    labels = {t.label for t in texts}
    if len(texts) < 50 or NONE not in labels or len(labels) < 3:
        raise ValueError("the corpus needs at least 50 texts, chatter and two categories")
    return texts + vocabulary_texts(folder, labels), len(texts), digest


def train(folder: Path, say: Callable[[str], None] = print) -> Trained:
    """Fit, measure and return the reader of a folder's corpus (ValueError: a bad corpus)."""
    texts, corpus, digest = training_texts(folder)
    labels = {t.label for t in texts}
    docs = [features(t.text) for t in texts]
    say(
        f"{corpus} texts and {len(texts) - corpus} vocabulary terms, {len(labels)} classes; "
        f"cross-validating ({FOLDS} folds)..."
    )
    probabilities = cross_validated(texts, docs)
    right, none_right = figures(texts[:corpus], probabilities[:corpus])
    decider, decided = fit_decider(folder, texts, probabilities, say)
    labels_of = [t.label for t in texts]
    names, idf, weights, intercept, classes = linear_train.fit_final(FITTING, labels_of, docs)
    meta: dict[str, Any] = {
        "corpus_digest": digest,
        "examples": corpus,
        "vocabulary_terms": len(texts) - corpus,
        "trained_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "cross_validated_right": round(right, 4),
        "cross_validated_none": round(none_right, 4),
        "decider": decider.meta(decided.as_dict()),
    }
    data = reader_bytes(classes, names, idf, weights, intercept, meta)
    return Trained(data, corpus, len(names), right, none_right, decided)


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
