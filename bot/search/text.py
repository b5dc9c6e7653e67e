"""Text normalisation shared by the index and the query parser.

Texters drop accents, mix case and punctuation, and write "ID" or "id."; the
index and the query must fold text the same way or nothing matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# two single letters or more, each but the last followed by a dot: "p.o.", "i.d", "a.k.a."
_INITIALS_RE = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){1,}[^\W\d_](?![^\W_])\.?")
_STEMMERS = {
    "en": snowballstemmer.stemmer("english"),
    "es": snowballstemmer.stemmer("spanish"),
}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase without accents: "Clínica" -> "clinica"; ñ becomes n as texters write it."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of a text, apostrophes kept inside words ("don't")."""
    return [w.replace("'", "") for w in _WORD_RE.findall(joined_initials(fold(text)))]


def joined_initials(text: str) -> str:
    """Initials written with dots as one word: "my P.O." is "my PO", "D.M.V." is "DMV"
    (split at the dots, "D.M.V. near me" named no need, and the clause reading took
    every dot for the end of a clause)."""
    return _INITIALS_RE.sub(lambda m: m.group(0).replace(".", ""), text)


@lru_cache(maxsize=262144)
def stem(word: str, language: str) -> str:
    """The word's stem in a language ("housing" -> "hous", "trabajos" -> "trabaj")."""
    stemmer = _STEMMERS.get(language)
    if stemmer is None or len(word) <= 3 or word.isdigit():
        return word
    return str(stemmer.stemWord(word))


def loose_stems(phrase: Sequence[str], language: str) -> tuple[str, ...]:
    """A phrase's stems from its words' singular spellings ("actas" as "acta")."""
    return tuple(stem(singular(w), language) for w in phrase)


def singular(word: str) -> str:
    """A short Spanish or English plural without its s ("actas": "acta")."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
