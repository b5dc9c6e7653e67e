"""Typo correction that never turns one real word into another.

A word the directory or the vocabulary knows is taken as written, so "dental"
stays "dental" even though "mental" and "rental" are one letter away. A common
English or Spanish word that neither knows ("cool", "guitar", "jaja") is left
alone too: it is off-topic, not a typo, so "cool" never becomes "cook". Only
the rest are corrected, to the nearest known word within one edit (two for long
words), preferring vocabulary words, then common ones. Word frequencies come
from the ``wordfreq`` package's bundled lists, read offline.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.search.frequency import is_common

MIN_LENGTH = 3
# Zipf 3 is about once per million words: "guitar" (4.5) and "chiste" (4.3) are
# real words; "hosing" (2.2) and "homless" (1.2) are far more likely typos.
COMMON_ZIPF = 3.0
ACRONYM_LEAST = 4  # letters of a vowelless word that prefers an acronym as its fix
# A short word's first letter is seldom the typo: it changes only for a letter said
# alike ("kash": cash, "jed": ged, "ospital": hospital), so "wepa" is not "depa"
# and "idoc" (a prison system) is not "doc".
SHORT_WORD = 5
SAME_SOUND_FIRSTS = ("ckqsxz", "gjh", "bv", "eiy", "ou")


def max_edits(word: str) -> int:
    """Edits allowed for a word of this length."""
    if len(word) < MIN_LENGTH:
        return 0
    return 1 if len(word) < 8 else 2


class Lexicon:
    """Known words, and the nearest known word for an unknown one."""

    def __init__(
        self,
        term_words: set[str],
        other_words: set[str],
        index_words: Counter[str],
        languages: tuple[str, ...],
    ) -> None:
        self.languages = languages
        self.vocabulary_words = term_words
        self.frequency = index_words
        self.known = term_words | other_words | set(index_words)
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
        for plain in _g_dropped(word):  # "livin" is common slang, still living (round 47)
            if plain in self.known:
                return plain
        limit = max_edits(word)
        if not limit or self.is_common(word):
            return None
        if len(set(word)) == 1:
            return None  # "aaaaaa" is a scream or a mash, never "aa"
        unstretched = word
        while len(unstretched) > 2 and unstretched[-1] == unstretched[-2]:
            unstretched = unstretched[:-1]  # "hii", "okk", "yess": a last letter held down
        if unstretched != word and (unstretched in self.known or self.is_common(unstretched)):
            return unstretched if unstretched in self.known else None  # never "hiv"
        # "hermanitos" is hermanos, not a typo of "hormonas"; "payin" is paying, not "pain"
        for plain in plain_forms(word):
            if plain in self.known or self.is_common(plain):
                # a dropped g's word is that word ("depressin": depressing, read by its stem)
                return plain if plain in self.known or plain in _g_dropped(word) else None
        ranked: list[tuple[int, bool, int, int, int, int, str]] = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            choices = self._by_length.get(length)
            if len(word) == MIN_LENGTH and choices:
                # Three letters say little: only the vocabulary, same first letter.
                choices = [c for c in choices if c in self.vocabulary_words and c[0] == word[0]]
            if len(word) <= SHORT_WORD and choices:
                choices = [c for c in choices if _first_alike(word, c)]
            if not choices:
                continue
            found = process.extract(
                word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=8
            )
            ranked.extend(
                (
                    int(distance),
                    # "ptst" is PTSD, not "past": a word without a vowel is first an
                    # acronym of its length ("snd" stays send, "drg" drug: review)
                    len(word) >= ACRONYM_LEAST
                    and len(candidate) == len(word)
                    and _vowelless(candidate) != _vowelless(word),
                    0 if candidate in self.vocabulary_words else 1,
                    0 if candidate[0] == word[0] else 1,
                    0 if len(candidate) > len(word) else 1,  # dropped letters are the usual typo
                    -self.frequency.get(candidate, 0),
                    candidate,
                )
                for candidate, distance, _ in found
            )
        if ranked:
            return min(ranked)[-1]
        # "travajito": a misspelt diminutive is its misspelt word's ("travajo": trabajo)
        fixed = [self.correct(plain) for plain in undiminished(word)]
        return next((f for f in fixed if f in self.vocabulary_words), None)

    def is_common(self, word: str) -> bool:
        """True for a common word of one of the languages (not a typo)."""
        return any(is_common(word, lang, COMMON_ZIPF) for lang in self.languages)


def undiminished(word: str) -> list[str]:
    """The words a Spanish diminutive may be of: "hermanitos" hermanos, "casita" casa,
    "chiquito" chico, "amiguito" amigo, "cafecito" cafe. Empty for any other word."""
    found = _DIMINUTIVE.match(word)
    if found is None:
        return []
    stem, ending = found.group(1), found.group(2)
    out = [stem + ending]
    if stem.endswith("qu"):
        out.append(stem[:-2] + "c" + ending)
    elif stem.endswith("gu"):
        out.append(stem[:-1] + ending)
    elif stem.endswith("c"):
        out += [stem[:-1], stem[:-1] + ending]
    return out


def plain_forms(word: str) -> list[str]:
    """The words a Spanish diminutive or an English dropped g may say, or none."""
    return [*undiminished(word), *_g_dropped(word)]


def _g_dropped(word: str) -> list[str]:
    """The word a final "in" may say with its g dropped ("payin", "lookin"), or none."""
    return [word + "g"] if len(word) >= 4 and word.endswith("in") else []


_DIMINUTIVE = re.compile(r"^([a-z]{3,})it([oa]s?)$")


def _vowelless(word: str) -> bool:
    """A word of consonants only ("ptsd", "dmv"), as acronyms are."""
    return not any(letter in "aeiouy" for letter in word)


def _first_alike(word: str, candidate: str) -> bool:
    """True when a short word may be a typo of ``candidate`` by its first letter."""
    first, other = word[0], candidate[0]
    if first == other or "h" in (first, other):
        return True
    return any(first in group and other in group for group in SAME_SOUND_FIRSTS)
