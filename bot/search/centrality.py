"""How squarely each service sits in each category, from the curators' own words.

A query such as "benefits" or "comida" names a category and little else, so
hundreds of services tie on it. The vocabulary already says which words mean
"benefits" to texters (food stamps, SSI, welfare...); a service whose name or
keywords (an imported service's taxonomy terms) use several of them is a
central answer, one that only touches the category is not. This ranks the
first above the second among equals, in curated and imported directories
alike.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from bot.search.index import SearchIndex
from bot.search.vocabulary import Vocabulary

STRONG_FIELD = 2.5  # name (3.0) and keywords (2.5): what the service says it is
MIN_TERM_WEIGHT = 0.6  # weak vocabulary words ("books") say little about the category


def _strong_services(index: SearchIndex, stem: str) -> npt.NDArray[np.int32] | None:
    postings = index.postings.get(stem)
    if postings is None:
        return None
    df = len(postings.services)
    idf = math.log(1.0 + (index.size - df + 0.5) / (df + 0.5))
    field = postings.weights / np.float32(idf) if idf > 0 else postings.weights
    return postings.services[field >= STRONG_FIELD - 1e-3]


def category_centrality(
    index: SearchIndex, vocabulary: Vocabulary
) -> dict[str, npt.NDArray[np.float32]]:
    """Per category, a score in [0, 1) per service: 1 - 0.5 ** (vocabulary terms it names)."""
    counts = {slug: np.zeros(index.size, dtype=np.float32) for slug in index.category_slugs}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for term in vocabulary.terms:
        key = (term.category, term.stems)
        if term.weight < MIN_TERM_WEIGHT or term.category not in counts or key in seen:
            continue
        seen.add(key)
        found: npt.NDArray[np.int32] | None = None
        for stem in term.stems:
            strong = _strong_services(index, stem)
            if strong is None or not len(strong):
                found = None
                break
            found = strong if found is None else np.intersect1d(found, strong)
        if found is not None and len(found):
            counts[term.category][found] += 1.0
    return {slug: (1.0 - np.power(0.5, c)).astype(np.float32) for slug, c in counts.items()}
