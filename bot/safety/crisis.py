"""Crisis detection: self-harm, overdose, violence at home, in English and Spanish.

The word lists are data (``resources_directory/safety/crisis.yaml``). A phrase
matches when its words appear in order with at most two other words between
them; a rare long word may carry one typo ("sucidal"), but a common word must be
spelled as written. Idioms ("dying to see my kids", "me muero de hambre") are
removed first, so they never fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz.distance import DamerauLevenshtein
from wordfreq import zipf_frequency

from bot.directory.loader import shared_file
from bot.search.text import words

KINDS = ("self_harm", "overdose", "violence")
# A phrase is a sequence of slots; a slot is a set of words ("kill|hurt myself|himself").
Phrase = tuple[frozenset[str], ...]
MAX_GAP = 2
FUZZY_MIN_LENGTH = 6
COMMON_ZIPF = 3.0


@dataclass(frozen=True)
class CrisisWords:
    """Phrases per kind, and idioms to remove first."""

    phrases: dict[str, tuple[Phrase, ...]]
    ignore: tuple[tuple[str, ...], ...]


def load_crisis_words(folder: Path) -> CrisisWords:
    """The crisis lists of a directory folder (or the repository's)."""
    data = (
        yaml.safe_load(shared_file(folder, "safety/crisis.yaml").read_text(encoding="utf-8")) or {}
    )
    phrases = {
        kind: tuple(_phrase(str(p)) for p in data.get(kind) or [] if words(str(p)))
        for kind in KINDS
    }
    ignore = tuple(tuple(words(str(p))) for p in data.get("ignore") or [] if words(str(p)))
    return CrisisWords(phrases, ignore)


def _phrase(text: str) -> Phrase:
    """ "kill|hurt myself" -> ({kill, hurt}, {myself})."""
    slots = []
    for part in text.split():
        options = frozenset(w for option in part.split("|") for w in words(option))
        if options:
            slots.append(options)
    return tuple(slots)


class CrisisDetector:
    """Says which crisis, if any, a text is about.

    Every message on every channel goes through ``detect`` first, so it is
    built for speed: each distinct token is compared with the list's words
    once (then remembered), and only phrases whose first word is in the text
    are tried.
    """

    def __init__(self, crisis_words: CrisisWords) -> None:
        self.words = crisis_words
        self.vocabulary = frozenset(
            word
            for phrases in crisis_words.phrases.values()
            for phrase in phrases
            for slot in phrase
            for word in slot
        )
        # first word -> (rank of the kind, phrase): phrases a token can start
        self.starts: dict[str, list[tuple[int, Phrase]]] = {}
        for rank, kind in enumerate(KINDS):
            for phrase in crisis_words.phrases[kind]:
                for word in phrase[0]:
                    self.starts.setdefault(word, []).append((rank, phrase))
        self.known = lru_cache(maxsize=65536)(self._known)

    def _known(self, token: str) -> frozenset[str]:
        """The list's words this token stands for (itself, or a one-typo spelling)."""
        return frozenset(word for word in self.vocabulary if _same(token, word))

    def detect(self, text: str) -> str | None:
        """``self_harm``, ``overdose``, ``violence`` or None."""
        tokens = _without_idioms(words(text[:2000]), self.words.ignore)
        known = [self.known(token) for token in tokens]
        best: int | None = None
        for start, meanings in enumerate(known):
            for word in meanings:
                for rank, phrase in self.starts.get(word, ()):
                    if (best is None or rank < best) and _rest(known, start + 1, phrase[1:]):
                        best = rank
        return None if best is None else KINDS[best]


def _without_idioms(tokens: list[str], idioms: tuple[tuple[str, ...], ...]) -> list[str]:
    out = list(tokens)
    for idiom in idioms:
        n = len(idiom)
        i = 0
        while i + n <= len(out):
            if tuple(out[i : i + n]) == idiom:
                del out[i : i + n]
            else:
                i += 1
    return out


def _rest(known: list[frozenset[str]], position: int, phrase: Phrase) -> bool:
    """The rest of a phrase in order, each word within MAX_GAP words of the previous one."""
    if not phrase:
        return True
    for i in range(position, min(position + MAX_GAP + 1, len(known))):
        if not phrase[0].isdisjoint(known[i]) and _rest(known, i + 1, phrase[1:]):
            return True
    return False


@lru_cache(maxsize=65536)
def _same(token: str, word: str) -> bool:
    if token == word:
        return True
    if len(word) < FUZZY_MIN_LENGTH or len(token) < FUZZY_MIN_LENGTH - 1 or _common(token):
        return False
    return bool(DamerauLevenshtein.distance(token, word, score_cutoff=1) <= 1)


@lru_cache(maxsize=65536)
def _common(token: str) -> bool:
    return any(zipf_frequency(token, lang) >= COMMON_ZIPF for lang in ("en", "es"))
