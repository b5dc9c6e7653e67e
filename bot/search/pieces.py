"""Pieces of one word, and one word of two: the spellings a texter splits or runs together.

"ex pun jment" is expungement, "gen ral asistance" general assistance, "pay role"
parole; "foodpantree" is food pantry. Typo correction and sound-alikes
(``bot.search.soundalike``) read one word at a time; this joins or cuts first, with
guards so that real words are not run together into something else ("to rain" is
not "train", "ano bisiesto" not "ansiedad").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz.distance import Indel, Levenshtein

from bot.search.soundalike import MIN_JOINED, MIN_RESPELLED, SoundAlike, alike, collapsed
from bot.search.sounds import respelled, sound_keys

MIN_EXACT_JOINED = 5  # a term spelled exactly by two pieces may be shorter ("de tox")
MIN_REAL_PIECES = 0.85  # two real words joined ("pay role") are spelled nearly as the term


def joined(
    sounds: SoundAlike,
    seq: Sequence[str],
    lost: Sequence[bool],
    correct: Callable[[str], str | None] | None = None,
) -> list[str]:
    """Pieces of one word as that word, when it is a one-word term as written or by
    sound ("ex punjment", "ex pun jment" -> expungement), or the first word of a
    two-word term the next word completes ("gen ral asistance" -> general
    assistance). ``lost`` marks the words nothing else can read (unknown, not common,
    no typo or sound-alike of their own): one piece must be one, so "to rain" never
    becomes "train"; or two pieces that are not small words, not both vocabulary
    words, whose whole is spelled nearly as the term ("pay role" -> parole). The
    whole is always spelled much like its term ("ano bisiesto" is not "ansiedad")."""
    out: list[str] = []
    n = 0
    while n < len(seq):
        found = None
        for size in (3, 2):
            pieces = seq[n : n + size]
            if len(pieces) < size:
                continue
            if tuple(pieces) in sounds.phrases:
                continue  # "medi cal", "video visits": a vocabulary phrase as written
            if any(lost[n : n + size]) or (
                size == 2
                and not all(p in sounds.single_terms for p in pieces)
                and not any(p in sounds.stop_words or p.isdigit() for p in pieces)
            ):
                found = _joined_term(sounds, "".join(pieces), seq[n + size : n + size + 1], correct)
                if found is not None and not any(lost[n : n + size]):
                    found = found if _strict(found[0], "".join(pieces)) else None
            if found is not None:
                out.extend(found)
                n += size + len(found) - 1
                break
        else:
            out.append(seq[n])
            n += 1
    return out


def _joined_term(
    sounds: SoundAlike,
    whole: str,
    after: Sequence[str],
    correct: Callable[[str], str | None] | None,
) -> list[str] | None:
    """The term the joined pieces make: one word, or a phrase's first word with the
    word after them as its second."""
    if whole in sounds.single_terms and len(whole) >= MIN_EXACT_JOINED:
        return [whole]  # "de tox", "re hab": the term itself, spelled in two
    if not whole.isalpha() or len(whole) < MIN_JOINED:
        return None
    found = _whole(sounds, whole)
    if found is not None and _alike_strict(whole, found):
        return [found]
    if not after or correct is None:
        return None
    first = whole if whole in sounds.first_words else correct(whole) or sounds.word(whole)
    second = after[0] if (first, after[0]) in sounds.phrases else correct(after[0])
    if first is None or (first, second) not in sounds.phrases or not _alike_strict(whole, first):
        return None
    return [first, second] if second is not None else None


def split(sounds: SoundAlike, word: str, correct: Callable[[str], str | None]) -> list[str] | None:
    """An unknown word that is a vocabulary phrase of two words written as one,
    the second spelled by ear or with a typo: "foodpantree" -> food pantry."""
    if len(word) < MIN_JOINED + 1 or not word.isalpha():
        return None
    for cut in range(3, len(word) - 2):
        first, rest = word[:cut], word[cut:]
        if first not in sounds.first_words:
            continue
        second = rest if (first, rest) in sounds.phrases else correct(rest) or sounds.word(rest)
        if second is None or (first, second) not in sounds.phrases:
            second = _second(sounds, first, rest)
        if second is not None and (first, second) in sounds.phrases:
            return [first, second]
    return None


def _second(sounds: SoundAlike, first: str, rest: str) -> str | None:
    """The phrase's second word that ``rest`` sounds like with one sound lost
    ("stamz": stamps): the phrase's first word, written as said, holds the match."""
    keys = [collapsed(k) for k in sound_keys(rest)]
    near = {
        second
        for one, second in sounds.phrases
        if one == first
        and alike(rest, second)
        and any(
            Levenshtein.distance(key, collapsed(other), score_cutoff=1) <= 1
            for key in keys
            for other in sound_keys(second)
            if key[:2] == other[:2]
        )
    }
    return sounds.nearest(rest, near)


def _whole(sounds: SoundAlike, whole: str) -> str | None:
    if whole in sounds.single_terms:
        return whole
    found = sounds.word(whole)
    return found if found in sounds.single_terms else None


def _alike_strict(word: str, other: str) -> bool:
    """Spelled much the same once by-ear spellings are undone: for pieces joined into a
    word, which could otherwise make almost anything."""
    return Indel.normalized_similarity(respelled(word), respelled(other)) >= MIN_RESPELLED


def _strict(term: str, whole: str) -> bool:
    """Pieces that are each real words ("pay role") make a term only spelled nearly as it."""
    return Indel.normalized_similarity(whole, term) >= MIN_REAL_PIECES
