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

import numpy as np

from bot.safety.corpus import Example, read_corpus
from bot.safety.crisis import CrisisDetector, load_crisis_words
from bot.safety.detector import Finding, Thresholds, joked
from bot.safety.evaluation import Scores, score_findings
from bot.safety.features import features, tokens
from bot.safety.model import MODEL_FILE, NONE, model_bytes

FOLDS = 5
C = 32.0  # inverse regularisation of the logistic regression (chosen by cross-validation)
MIN_DF = 2  # a feature must occur in two texts
MAX_FALSE_ALARMS = 0.02  # crisis answers to the corpus's look-alikes
MAX_ANY_ALARMS = 0.035  # crisis answers or concern lines to look-alikes
KEEP_WEIGHT = 0.02  # features whose weights are all smaller are dropped from the file
SEED = 14


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
    names, idf, weights, intercept, classes = _fit_final(examples, docs)
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


class CorpusProblems(ValueError):
    """The corpus has rows its schema refuses."""

    def __init__(self, problems: list[Any]) -> None:
        super().__init__(f"the corpus has {len(problems)} problem(s)")
        self.problems = problems


def save(folder: Path, trained: Trained) -> Path:
    """Write the model file into the folder's ``safety/``."""
    path = folder / MODEL_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(trained.data)
    return path


def _given(doc: list[str]) -> list[str]:
    """The analyzer of documents that are already lists of features."""
    return doc


def _vectorizer(vocabulary: list[str] | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=_given,
        sublinear_tf=True,
        min_df=1 if vocabulary else MIN_DF,
        vocabulary=vocabulary,
        dtype=np.float64,
    )


def _classifier() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=3000, class_weight="balanced")


def _fit(
    examples: list[Example], docs: list[list[str]], vocabulary: list[str] | None = None
) -> tuple[Any, Any]:
    vectorizer = _vectorizer(vocabulary)
    matrix = vectorizer.fit_transform(docs)
    model = _classifier().fit(matrix, [e.label for e in examples])
    return vectorizer, model


def _cross_validated(examples: list[Example], docs: list[list[str]]) -> list[dict[str, float]]:
    """Each text's class probabilities from a model fitted without it."""
    from sklearn.model_selection import StratifiedKFold

    targets = [f"{e.label}/{e.lang}" for e in examples]
    counts = {t: targets.count(t) for t in set(targets)}
    strata = [t if counts[t] >= FOLDS else e.label for t, e in zip(targets, examples, strict=True)]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    out: list[dict[str, float]] = [{} for _ in examples]
    for train_ids, test_ids in folds.split(np.zeros(len(examples)), strata):
        vectorizer, model = _fit([examples[i] for i in train_ids], [docs[i] for i in train_ids])
        matrix = vectorizer.transform([docs[i] for i in test_ids])
        for i, row in zip(test_ids, model.predict_proba(matrix), strict=True):
            out[i] = dict(zip(model.classes_, (float(p) for p in row), strict=True))
    return out


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


def _fit_final(
    examples: list[Example], docs: list[list[str]]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Fit on every text, keep the features that carry weight, and fit again on those.

    The second fit makes the saved model exact: its texts are normalised over
    the kept features only, as ``CrisisModel.probabilities`` does at run time.
    Returns the feature names, their idf, weights (features x classes),
    intercepts and classes.
    """
    vectorizer, model = _fit(examples, docs)
    keep = np.abs(model.coef_).max(axis=0) >= KEEP_WEIGHT
    kept = [str(n) for n in vectorizer.get_feature_names_out()[keep]]
    vectorizer, model = _fit(examples, docs, kept)
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    return names, vectorizer.idf_, model.coef_.T, model.intercept_, list(model.classes_)
