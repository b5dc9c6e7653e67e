"""Need or chatter, decided by a small learned model over everything already read.

The chatter gate (``bot.search.need``) reads a text through the vocabulary; the
reader (``bot.search.reader``) reads it whole. Two fixed thresholds used to say
when the reader overrules the gate (``bot.search.prior.reads_need``): "none" at
0.7 or more silenced any text, under it the gate decided. The decider learns the
weighing instead, from the reader's own training texts, each read by a reader
that never saw it (``bot.search.decider_train``): a logistic regression over the
reader's probabilities, the gate's decision and reason, the strongest need word,
the categories read, the text's length (standardised) and the strongest need the
text asks for after "i need", "necesito", "help me find" (``ParsedQuery.asked``: a
story before "... but i need my diabetes checked" read as chatter to the reader).
What it learned is mostly a lower bar for "none" (a text the reader gives 0.65 of "none" is silenced
whatever the vocabulary read: "we had tacos for dinner" and "food bank near me"
alike), raised a little by the reader's reading of mental health, family or
housing and by a longer text. On those texts it answers fewer chatter texts than
the thresholds did, and more needs (``docs/search.md``). Products of the features
scored better in cross-validation but worse on texts outside it ("hay pase de bus
gratis" silenced): a plain weighing extrapolates safely. Its weight on the number
of categories read is negative (chatter the vocabulary reads whole is common in
the training texts). Four kinds of text are answered apart, where a plain weighing
misreads them: a text whose words are all one situation's (``situation_alone``), a
few need words alone (``need_named_alone``), small words the reader reads surely
(``read_by_the_reader_alone``), and any text the reader reads surely (``read_surely``).

It is saved inside the reader's file (the JSON header of ``search/reader.npz``,
key ``decider``), so it always matches the reader it was trained with; a reader
file without one falls back to the thresholds. Answering a text uses numpy only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.search.need import EXPLAINED, NOTHING_TO_READ, STRONG, NeedReading, strongest_need_word
from bot.search.query import ParsedQuery
from bot.search.reader import NONE, surest_need
from bot.search.text import words

VERSION = 3  # of the features below: a decider of another version is not used
LONG_TEXT = 20  # words: a longer text reads as long as this one
SHORT_TEXT = 2  # words: "ok lol", "food stamps"
SITUATION_WORDS = 3  # a situation named alone is a need up to this length ("just got out")
NONE_SURE = 0.65  # the reader's "none" that silences even a short text of need words
READER_SURE = 0.7  # a category the reader reads surely where the vocabulary read nothing
READER_NONE = 0.3  # ... and at most this much "none"
SURE_NEED = 0.9  # a category the reader is sure of (``read_surely``) ...
SURE_NONE = 0.05  # ... with at most this much "none"
# The features after the reader's probabilities, in order (the file keeps the names).
FEATURES = (
    "reader's surest category",
    "gate hears a need",
    "strongest need word",
    "a strong need word",
    "strongest category read",
    "categories read, summed",
    "categories read",
    "length",
    "short text",
    "content words",
    "situation named",
    "strongest need asked for",
)


def raw_features(
    parsed: ParsedQuery,
    gate: NeedReading,
    probabilities: Mapping[str, float],
    classes: Sequence[str],
    reasons: Sequence[str],
) -> np.ndarray:
    """One text's features: the reader's probability of each class, ``FEATURES``,
    and which of the gate's ``reasons`` it gave (a reason unknown to the model: none)."""
    strongest = strongest_need_word(parsed)
    categories = parsed.categories
    length = len(words(parsed.text))
    values = [probabilities.get(c, 0.0) for c in classes]
    values += [
        surest_need(probabilities),
        float(gate.need),
        strongest,
        float(strongest >= STRONG),
        max(categories.values(), default=0.0),
        sum(categories.values()),
        float(len(categories)),
        min(length, LONG_TEXT) / LONG_TEXT,
        float(length <= SHORT_TEXT),
        len(parsed.content) / 10,
        float(bool(parsed.situations)),
        parsed.asked,
    ]
    values += [float(gate.reason == r) for r in reasons]
    return np.asarray(values, dtype=np.float64)


@dataclass(frozen=True)
class Decider:
    """Tells a need from chatter (see the module's docstring)."""

    classes: tuple[str, ...]
    reasons: tuple[str, ...]
    center: np.ndarray  # of the features, to standardise them
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def probability(
        self, parsed: ParsedQuery, gate: NeedReading, probabilities: Mapping[str, float]
    ) -> float:
        """The probability that the text asks for a service."""
        x = raw_features(parsed, gate, probabilities, self.classes, self.reasons)
        return self.probability_of(x[None, :])[0]

    def probability_of(self, rows: np.ndarray) -> list[float]:
        """The probability of a need for rows of features."""
        logits = ((rows - self.center) / self.scale) @ self.coef + self.intercept
        return [float(v) for v in 1.0 / (1.0 + np.exp(-logits))]

    def hears_need(
        self, parsed: ParsedQuery, gate: NeedReading, probabilities: Mapping[str, float]
    ) -> bool:
        """Whether the text is answered with services: always when it names only the
        texter's situation ("just got out", "on parole": what a plan starts from, though
        "just got out of church" taught the reader that those words are chatter), unless
        it exclaims (``exclaims``), when the decider weighs it as any other text."""
        if not exclaims(parsed.text):
            if situation_alone(parsed, gate) or need_named_alone(parsed, gate, probabilities):
                return True
            if read_by_the_reader_alone(parsed, gate, probabilities):
                return True
            if read_surely(probabilities):
                return True
        return self.probability(parsed, gate, probabilities) >= self.threshold

    def meta(self, figures: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON the reader's file keeps it as (``decider_of`` reads it back)."""
        return {
            "version": VERSION,
            "features": [*self.classes, *FEATURES, *(f"gate: {r}" for r in self.reasons)],
            "classes": list(self.classes),
            "reasons": list(self.reasons),
            "center": self.center.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "figures": dict(figures),
        }


def exclaims(text: str) -> bool:
    """Whether the text has an exclamation mark: news and joy ("YA SALI!!!", "IM
    HOME!!!"), not a request. Of the reader's corpus (round 48), 816 chatter texts have
    one and 21 needs, and each of those asks in a clause after it ("got hired!! but need
    a bus pass"), which the decider reads. The three short-text rules below, which answer
    a text whatever the decider makes of it, leave such a text to the decider."""
    return "!" in text


def situation_alone(parsed: ParsedQuery, gate: NeedReading) -> bool:
    """A short text (``SITUATION_WORDS``) of a situation's words alone, read whole
    ("just got out"; not "been out 2 years today and never looking back", nor a number
    pair such as "2+2", which a term's number slots would read as "did 2 years")."""
    situated = set(parsed.situation_spans)
    spans = [span for span, _ in parsed.matched]
    worded = all(any(not w.isdigit() for w in span) for span in spans)
    short = len(words(parsed.text)) <= SITUATION_WORDS
    return gate.reason == EXPLAINED and short and bool(spans) and worded and situated >= set(spans)


def need_named_alone(
    parsed: ParsedQuery, gate: NeedReading, probabilities: Mapping[str, float]
) -> bool:
    """A short text (``SITUATION_WORDS``, or a single content word among small ones: "ok
    thanks. need food in 94607 for now") that the vocabulary explains whole, with a
    strong need word, and that the reader does not hold for sure to be chatter
    (``NONE_SURE``): "me despidieron hoy", "lunch for today". The decider weighs the
    reader's "none" far above the vocabulary, and the reader, which learned thousands
    of short everyday texts, is split on these ("me despidieron hoy" read 0.51 "none"),
    and a retrain moved them either side of the threshold. Over every labelled and
    chatter text of round 46 (63,000 and 54,500) it answers three texts the decider
    silenced ("lunch for today", "breakfast this morning" twice) and no chatter; at 0.7 it
    also answered "got custody back" (0.69), news. A single content word adds no text of
    those files either way (two would answer "my wife is pregnant!!")."""
    short = len(words(parsed.text)) <= SITUATION_WORDS or len(parsed.content) <= 1
    unsure = probabilities.get(NONE, 0.0) < NONE_SURE
    strong = strongest_need_word(parsed) >= STRONG
    return gate.reason == EXPLAINED and short and strong and unsure


def read_by_the_reader_alone(
    parsed: ParsedQuery, gate: NeedReading, probabilities: Mapping[str, float]
) -> bool:
    """A text of more than ``SITUATION_WORDS`` words, all small ones that the vocabulary
    has nothing to read in, which the reader reads surely as one category
    (``READER_SURE``) and not as chatter (``READER_NONE``): "no se donde tienen a mi
    hijo", "they moved my son, cant find where". The decider learned a large weight
    against the gate's "nothing to read", which is mostly "ok" and "lol", and silenced
    these though the reader is sure. A shorter text ("asap", "tonite") is shorthand,
    whatever the reader makes of it. Over every labelled and chatter text of round 46
    (63,000 and 54,500) this answers fourteen labelled texts the decider silenced
    (eleven distinct) and no chatter."""
    surest = surest_need(probabilities)
    unsure_of_none = probabilities.get(NONE, 0.0) < READER_NONE
    worded = len(words(parsed.text)) > SITUATION_WORDS
    return gate.reason == NOTHING_TO_READ and worded and surest >= READER_SURE and unsure_of_none


def read_surely(probabilities: Mapping[str, float]) -> bool:
    """The reader is sure of a need (``SURE_NEED``) and all but sure it is not chatter
    (``SURE_NONE``), whatever the vocabulary read. The decider's weights on a long text
    and on many categories read silenced such texts ("i owe restitution ... plus child
    support plus court fees ... can a lawyer help me get the fees reduced": legal 1.0,
    none 0.0, and 0.67 from the decider). Over every labelled and chatter text of round
    49 (sets 1 to 60) this answers five labelled texts the decider silenced, two of them
    in sets no reader had learned, and no chatter."""
    return probabilities.get(NONE, 0.0) <= SURE_NONE and surest_need(probabilities) >= SURE_NEED


def decider_of(meta: Mapping[str, Any], reader_classes: Sequence[str]) -> Decider | None:
    """The decider a reader file keeps, None when it keeps none (or one of another
    version of the features: the thresholds decide until it is retrained);
    ValueError when it is there but broken."""
    saved = meta.get("decider")
    if not isinstance(saved, dict) or saved.get("version") != VERSION:
        return None
    try:
        classes = tuple(str(c) for c in saved["classes"])
        reasons = tuple(str(r) for r in saved["reasons"])
        center, scale, coef = (
            np.asarray(saved[k], dtype=np.float64) for k in ("center", "scale", "coef")
        )
        intercept, threshold = float(saved["intercept"]), float(saved["threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"has a broken decider ({exc})") from None
    width = len(classes) + len(FEATURES) + len(reasons)
    if set(classes) != set(reader_classes):
        raise ValueError("has a decider that does not fit its reader")
    if {center.shape, scale.shape, coef.shape} != {(width,)}:
        raise ValueError("has a decider of sizes that do not match")
    if not np.all(scale > 0):
        raise ValueError("has a decider with a scale of zero")
    return Decider(classes, reasons, center, scale, coef, intercept, threshold)


def learned_decider(reader: Any) -> Decider | None:
    """The decider a reader keeps (``homeward directory validate`` reports a broken
    one, ``bot.search.reader_check``), None when there is none or it is broken."""
    meta = getattr(reader, "meta", None)
    if not isinstance(meta, dict):
        return None
    try:
        return decider_of(meta, getattr(reader, "classes", ()))
    except ValueError:
        return None
