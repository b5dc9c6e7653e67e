"""Typo correction that never turns one real word into another.

A word the directory or the vocabulary knows is taken as written, so "dental"
stays "dental" even though "mental" and "rental" are one letter away. Only
unknown words are corrected, to the nearest known word within one edit (two
for long words), preferring vocabulary words, then common ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

MIN_LENGTH = 4


def max_edits(word: str) -> int:
    """Edits allowed for a word of this length."""
    if len(word) < MIN_LENGTH:
        return 0
    return 1 if len(word) < 8 else 2


class Lexicon:
    """Known words, and the nearest known word for an unknown one."""

    def __init__(self, vocabulary_words: set[str], index_words: Counter[str]) -> None:
        self.vocabulary_words = vocabulary_words
        self.frequency = index_words
        self.known = vocabulary_words | set(index_words)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(self.known):
            if len(word) >= MIN_LENGTH - 1 and not word.isdigit():
                self._by_length[len(word)].append(word)
        self.correct = lru_cache(maxsize=16384)(self._correct)

    def __contains__(self, word: str) -> bool:
        return word in self.known

    def _correct(self, word: str) -> str | None:
        """The known word meant by an unknown one, or None when nothing is close."""
        if word in self.known or word.isdigit():
            return word
        limit = max_edits(word)
        if not limit:
            return None
        ranked: list[tuple[int, int, int, int, str]] = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            choices = self._by_length.get(length)
            if not choices:
                continue
            found = process.extract(
                word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=8
            )
            ranked.extend(
                (
                    int(distance),
                    0 if candidate in self.vocabulary_words else 1,
                    0 if candidate[0] == word[0] else 1,
                    -self.frequency.get(candidate, 0),
                    candidate,
                )
                for candidate, distance, _ in found
            )
        return min(ranked)[-1] if ranked else None
