"""A multinomial naive Bayes over word counts, learned from one directory at import time.

Small on purpose: a few thousand services, a few thousand stems, twelve
categories; it is taught and used once per import and never saved, so a
directory's model always matches its words. (scikit-learn's MultinomialNB does
the same sums; this avoids a large dependency for thirty lines.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

SMOOTHING = 0.5


class NaiveBayes:
    """Categories from word counts: learn examples, ``finish``, then ask."""

    def __init__(self, categories: Sequence[str]) -> None:
        self.categories = tuple(categories)
        self._examples: list[tuple[Counter[str], dict[int, float]]] = []
        self.vocabulary: dict[str, int] = {}
        self.log_prior: npt.NDArray[np.float64] = np.zeros(0)
        self.log_likelihood: npt.NDArray[np.float64] = np.zeros((0, 0))

    @property
    def trained(self) -> bool:
        """Whether at least two categories had examples."""
        return len(self.log_prior) > 0

    def learn(self, features: Counter[str], labels: Mapping[str, float]) -> None:
        """One example, with a weight per label (a sure label 1.0; a guess spreads it)."""
        weights = {
            self.categories.index(label): weight
            for label, weight in labels.items()
            if label in self.categories and weight > 0
        }
        if weights:
            self._examples.append((features, weights))

    def finish(self) -> None:
        """Turn the examples into log probabilities."""
        labels = {label for _, weights in self._examples for label in weights}
        if len(labels) < 2:
            return
        for features, _ in self._examples:
            for word in features:
                self.vocabulary.setdefault(word, len(self.vocabulary))
        counts = np.zeros((len(self.categories), len(self.vocabulary)))
        docs = np.zeros(len(self.categories))
        for features, weights in self._examples:
            columns = np.array([self.vocabulary[w] for w in features])
            values = np.array(list(features.values()), dtype=np.float64)
            for label, weight in weights.items():
                docs[label] += weight
                counts[label, columns] += weight * values
        smoothed = counts + SMOOTHING
        self.log_likelihood = np.log(smoothed / smoothed.sum(axis=1, keepdims=True))
        self.log_prior = np.log((docs + 1) / (docs.sum() + len(self.categories)))

    def probabilities(self, features: Counter[str]) -> dict[str, float]:
        """The posterior of each category for these word counts."""
        known = [(self.vocabulary[w], c) for w, c in features.items() if w in self.vocabulary]
        if not known:
            return {}
        columns = np.array([i for i, _ in known])
        weights = np.array([c for _, c in known], dtype=np.float64)
        scores = self.log_prior + self.log_likelihood[:, columns] @ weights
        scores -= scores.max()
        posterior = np.exp(scores)
        posterior /= posterior.sum()
        return {slug: float(p) for slug, p in zip(self.categories, posterior, strict=True)}
