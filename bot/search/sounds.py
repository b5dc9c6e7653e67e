"""Phonetic keys: words spelled the way they sound share a key with the word meant.

Edit distance cannot reach "fud" (food), "resumay" (resume), "sertifikit"
(certificate) or "bivienda" (vivienda): they are several letters away but sound
the same. English keys are Double Metaphone's (the ``doublemetaphone`` package,
both its primary and its alternate code, so "bert" meets "birth"); Spanish,
whose spelling follows sound closely, gets its own folding below: silent h,
b = v, c/k/q/z/s before the vowels that make them sound alike, ll = y, j = g
before e and i, doubled letters once. Keys carry a language mark ("e:", "s:")
so an English key never meets a Spanish one by chance.
"""

from __future__ import annotations

import re
from functools import lru_cache

from doublemetaphone import doublemetaphone

MIN_KEY = 2  # a one-letter key ("H" for "haha") says nothing

# Spanish folding, in order, on folded text (lowercase, no accents, ñ as n).
_SPANISH_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^ps", "s"),  # psicologo = sicologo
        (r"ch", "C"),  # keep ch apart from c before the h goes
        (r"sh", "C"),  # spanglish "sh" is heard as ch ("shamba" for chamba)
        (r"h", ""),  # silent h: ospital = hospital (see spanish_keys for "trabaho")
        (r"qu(?=[ei])", "k"),
        (r"q", "k"),
        (r"c(?=[ei])", "s"),
        (r"c", "k"),
        (r"z", "s"),
        (r"x", "ks"),
        (r"gu(?=[ei])", "g"),
        (r"g(?=[ei])", "j"),
        (r"ll", "y"),
        (r"y(?![aeiou])", "i"),  # y as a vowel: "muy", "hoy"
        (r"v", "b"),
        (r"w", "u"),
        (r"rr", "r"),
        (r"(.)\1+", r"\1"),  # doubled letters once
        (r"(?<=[aeiou])d$", ""),  # ciuda(d), uste(d)
        (r"(?<=[aeiou])d(?=[oa]s?$)", ""),  # abogao, cansao
        (r"n(?=[bp])", "m"),  # imbierno, emparejar
    )
)


@lru_cache(maxsize=65536)
def english_keys(word: str) -> tuple[str, ...]:
    """Double Metaphone's codes of an English word: primary first, then the alternate.
    A final "th" is also heard as "f", as many say it ("birf", "teef", "healf")."""
    variants = [word, f"{word[:-2]}f"] if word.endswith("th") and len(word) > 3 else [word]
    keys = [k for v in variants for k in doublemetaphone(v) if len(k) >= MIN_KEY]
    return tuple(dict.fromkeys(keys))


_INNER_H = re.compile(r"(?<=[aeiou])h(?=[aeiou])")


@lru_cache(maxsize=65536)
def spanish_keys(word: str) -> tuple[str, ...]:
    """The word folded by how Spanish sounds it: "bivienda" and "vivienda" agree.

    An h between vowels is silent in Spanish ("ahora" = "aora") but is how English
    spelling writes the Spanish j ("trabaho" for trabajo): such a word gets both keys.
    """
    variants = [word]
    if _INNER_H.search(word):
        variants.append(_INNER_H.sub("j", word))
    keys = []
    for variant in variants:
        key = variant
        for pattern, replacement in _SPANISH_RULES:
            key = pattern.sub(replacement, key)
        if len(key) >= MIN_KEY:
            keys.append(key)
    return tuple(dict.fromkeys(keys))


def sound_keys(word: str) -> tuple[str, ...]:
    """All keys of a folded word, each marked with its language ("e:FT", "s:komida")."""
    if not word.isalpha():
        return ()
    english = [f"e:{key}" for key in english_keys(word)]
    return (*english, *(f"s:{key}" for key in spanish_keys(word)))


# Letters said aloud and written as heard ("dee em vee" for DMV, "jee ee dee" for
# GED), English and Spanish names; a single letter stands for itself.
LETTER_NAMES: dict[str, str] = {
    **{
        name: letter
        for letter, names in (
            ("a", "ay ei"),
            ("b", "bee bi"),
            ("c", "see cee si"),
            ("d", "dee di"),
            ("e", "ee"),
            ("f", "ef eff efe"),
            ("g", "jee gee ge yi ji"),
            ("h", "aych eych aitch hache"),
            ("i", "eye ai"),
            ("j", "jay jota"),
            ("k", "kay ka"),
            ("l", "el ell ele"),
            ("m", "em eme"),
            ("n", "en ene"),
            ("o", "oh"),
            ("p", "pee pe pi"),
            ("q", "cue queue cu"),
            ("r", "ar erre"),
            ("s", "es ess ese"),
            ("t", "tee te ti"),
            ("u", "yu"),
            ("v", "vee ve uve vi"),
            ("x", "ex equis"),
            ("y", "wy ye"),
            ("z", "zee zed zeta"),
        )
        for name in names.split()
    },
    **{letter: letter for letter in "abcdefghijklmnopqrstuvwxyz"},
}
# English letter names as a Spanish speaker writes them ("yi i di" for GED): "i" is
# also English E, heard as Spanish i. A run is read with either letter.
LETTER_ALTERNATES: dict[str, str] = {"i": "e"}


# English spelling by ear, undone before two spellings are compared ("rezoomay" and
# "resume" are far apart as letters, near once both are respelled): in order.
_RESPELL_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ph", "f"),
        (r"ck", "k"),
        (r"c(?=[aou])", "k"),
        (r"q", "k"),
        (r"z", "s"),
        (r"oo|ou", "u"),
        (r"ee|ea|ie", "i"),
        (r"(?<=.)(ay|ey|ai)$", "e"),
        (r"(?<=.)y$", "i"),
        (r"tion$|shun$|sion$", "shn"),
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=65536)
def respelled(word: str) -> str:
    """A spelling with common by-ear spellings undone, for comparing two spellings."""
    for pattern, replacement in _RESPELL_RULES:
        word = pattern.sub(replacement, word)
    return word
