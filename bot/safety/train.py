"""``homeward safety train``: fit the crisis model on the corpus, measure it, save it.

scikit-learn is imported here only (its import alone costs about a second, and
answering a text never needs it). The steps:

1. read the corpus (``safety/corpus/*.tsv``, checked by its schema) and let
   the rules read each text: what fires, and the signals the model learns
   from beside the text's own features (``CrisisDetector.read``);
2. five-fold cross-validation: each text is scored by a model that never saw
   it, and the rules (joke markers too) run beside it, as at run time
   (``bot.safety.detector``);
3. choose the two thresholds on those scores: the lowest crisis threshold
   whose false alarms on the corpus's look-alikes stay within
   ``MAX_FALSE_ALARMS``, and a concern threshold with the same bound for any
   alarm;
4. fit on the whole corpus, keep the features that carry weight, and write
   ``safety/model.npz`` (``bot.safety.model``) with the thresholds, the corpus
   digest and the cross-validated figures.

The figures printed are cross-validated on the training corpus: tuned data,
not an unseen measure (docs/safety.md has the frozen test split's figures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.safety.corpus import Example, read_corpus
from bot.safety.crisis import CrisisDetector, load_crisis_words
from bot.safety.detector import Finding, Thresholds, joked
from bot.safety.evaluation import Scores, score_findings
from bot.safety.features import features, tokens
from bot.safety.model import MODEL_FILE, NONE, model_bytes
from bot.search import linear_train
from bot.search.linear_train import CorpusProblems, Fitting

# C: inverse regularisation of the logistic regression (chosen by cross-validation)
FITTING = Fitting(c=32.0, seed=14, balanced=True)
FOLDS = FITTING.folds
MAX_FALSE_ALARMS = 0.02  # crisis answers to the corpus's look-alikes
MAX_ANY_ALARMS = 0.035  # crisis answers or concern lines to look-alikes


@dataclass
class Trained:
    """What a training run made: the file's bytes, the thresholds and the figures."""

    data: bytes
    thresholds: Thresholds
    scores: Scores
    examples: int
    features: int


def train(folder: Path, say: Callable[[str], None] = print) -> Trained:
    """Fit, measure and return the model of a folder's corpus (ValueError: a bad corpus)."""
    examples, problems, digest = read_corpus(folder)
    if problems:
        raise CorpusProblems(problems)
    labels = sorted({e.label for e in examples})
    if len(examples) < 50 or NONE not in labels or len(labels) < 3:
        raise ValueError("the corpus needs at least 50 texts, look-alikes and two kinds")
    rules = CrisisDetector(load_crisis_words(folder))
    readings = [rules.read(e.text) for e in examples]
    seen = Seen(
        fired=[r.kind for r in readings],
        sizes=[len(tokens(e.text)) for e in examples],
        joking=[r.joking for r in readings],
        effects=rules.words.joke_effects,
        explicit=[r.explicit for r in readings],
    )
    docs = [features(e.text, r.signals) for e, r in zip(examples, readings, strict=True)]
    say(f"{len(examples)} texts, {len(labels)} classes; cross-validating ({FOLDS} folds)...")
    probabilities = _cross_validated(examples, docs)
    chosen = choose_thresholds(examples, probabilities, seen)
    scores = score_findings(examples, seen.findings(chosen, probabilities))
    labels_of = [e.label for e in examples]
    names, idf, weights, intercept, classes = linear_train.fit_final(FITTING, labels_of, docs)
    meta: dict[str, Any] = {
        "crisis_threshold": chosen.crisis,
        "concern_threshold": chosen.concern,
        "rule_floor": chosen.rule_floor,
        "corpus_digest": digest,
        "examples": len(examples),
        "trained_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "cross_validated": scores.summary(),
    }
    data = model_bytes(classes, names, idf, weights, intercept, meta)
    return Trained(data, chosen, scores, len(examples), len(names))


@dataclass
class Seen:
    """What the rules saw in each corpus text, to decide as ``Detector.check`` does.

    The kind that fired (and whether from a phrase), the text's size, a joke marker.
    """

    fired: list[str | None]
    sizes: list[int]
    joking: list[bool]
    effects: dict[str, str]
    explicit: list[bool]

    def findings(self, chosen: Thresholds, probabilities: list[dict[str, float]]) -> list[Finding]:
        """Each text's finding under these thresholds, as ``Detector.check`` decides it."""
        return [
            joked(chosen.decide(p, rule, n, sure), joke, self.effects)
            for p, rule, n, joke, sure in zip(
                probabilities, self.fired, self.sizes, self.joking, self.explicit, strict=True
            )
        ]


def save(folder: Path, trained: Trained) -> Path:
    """Write the model file into the folder's ``safety/``."""
    return linear_train.save(folder, MODEL_FILE, trained.data)


def choose_thresholds(
    examples: list[Example], probabilities: list[dict[str, float]], seen: Seen
) -> Thresholds:
    """The thresholds that get the most crisis texts right within the false-alarm bounds.

    Searched on a grid, on cross-validated scores: the crisis threshold, the
    concern threshold (never above it) and the floor under which the model
    overrules a rule (a look-alike such as "is poison control free" fires a
    phrase, but reads as a question).
    """
    looks = max(1, sum(e.kind == NONE for e in examples))
    best: tuple[float, Thresholds] | None = None
    for floor in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5):
        for crisis_t in (round(0.30 + 0.05 * i, 2) for i in range(14)):
            for concern_t in (round(0.30 + 0.05 * i, 2) for i in range(14)):
                if concern_t > crisis_t:
                    break
                chosen = Thresholds(crisis_t, concern_t, floor)
                scores = score_findings(examples, seen.findings(chosen, probabilities))
                crisis_alarms = sum(scores.false_crisis.values()) / looks
                any_alarms = crisis_alarms + sum(scores.false_concern.values()) / looks
                if crisis_alarms > MAX_FALSE_ALARMS or any_alarms > MAX_ANY_ALARMS:
                    continue
                right = scores.rate(scores.right_answer)
                if best is None or right > best[0]:
                    best = (right, chosen)
    return best[1] if best else Thresholds(0.95, 0.95, 0.5)


def _fit(
    examples: list[Example], docs: list[list[str]], vocabulary: list[str] | None = None
) -> tuple[Any, Any]:
    """The fitted vectorizer and model (``bot.search.linear_train.fit``)."""
    return linear_train.fit(FITTING, [e.label for e in examples], docs, vocabulary)


def _cross_validated(examples: list[Example], docs: list[list[str]]) -> list[dict[str, float]]:
    """Each text's class probabilities from a model fitted without it, folds stratified by
    kind and language (by kind alone where a pair has too few texts)."""
    targets = [f"{e.label}/{e.lang}" for e in examples]
    counts = {t: targets.count(t) for t in set(targets)}
    strata = [t if counts[t] >= FOLDS else e.label for t, e in zip(targets, examples, strict=True)]
    labels = [e.label for e in examples]
    return linear_train.cross_validated(FITTING, labels, docs, strata)


__all__ = ["CorpusProblems", "Trained", "choose_thresholds", "save", "train"]
