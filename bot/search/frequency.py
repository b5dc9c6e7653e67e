"""Whether a word is common in English or Spanish ("time", "tiempo"), offline.

Every use asks one thing: is the word's Zipf frequency in wordfreq's bundled
lists at least some threshold (3, about once per million words, or more)?
For words of letters the answer needs only the words at or above 3, with
their frequencies, kept in ``bot/data/common_words.json.gz``: read in a few
milliseconds, where importing wordfreq and loading its lists took a worker
about 1.1 s. Tokens with digits ("24", "5th") go to wordfreq itself, which
estimates numbers by rule rather than by list. The file is made with
``python -m bot.search.frequency``; a test checks it against wordfreq.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

from bot.search.text import fold

LISTED_ZIPF = 3.0  # the file lists every word of letters this common or more
LANGUAGES = ("en", "es")
COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "common_words.json.gz"


def is_common(word: str, language: str, threshold: float) -> bool:
    """Whether ``word``'s Zipf frequency in ``language`` is ``threshold`` or more (>= 3)."""
    if threshold < LISTED_ZIPF:
        raise ValueError(f"the common-words file lists words down to {LISTED_ZIPF} only")
    if word.isalpha() and word.isascii() and language in LANGUAGES:
        return _common_words()[language].get(word.lower(), 0.0) >= threshold
    return zipf(word, language) >= threshold


def only_common_in(word: str, language: str, other: str, threshold: float) -> bool:
    """Whether ``word`` is common in ``language`` and not in ``other``: English "cover"
    is not Spanish, though its Spanish stem is that of "covid"."""
    return is_common(word, language, threshold) and not is_common(word, other, threshold)


@lru_cache(maxsize=1)
def _common_words() -> dict[str, dict[str, float]]:
    listed: dict[str, dict[str, float]] = json.loads(gzip.decompress(COMMON_FILE.read_bytes()))
    return {language: listed[language] for language in LANGUAGES}


def zipf(word: str, language: str) -> float:
    """The word's Zipf frequency: 3 is about once per million words, 0 unknown."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


def common_from_wordfreq(language: str) -> dict[str, float]:
    """The words of letters at or above LISTED_ZIPF and their Zipf frequency, from
    wordfreq (slow: for making and checking the file). A word with accents is listed
    as texters write it and search reads it, folded ("niños" as "ninos", "comió" as
    "comio"), with the higher frequency when two fold alike; the words search reads
    are always folded, so unfolded ones are never asked about."""
    from wordfreq import iter_wordlist

    found: dict[str, float] = {}
    for word in iter_wordlist(language):  # most frequent first
        value = zipf(word, language)
        if value < LISTED_ZIPF - 0.5:
            break
        folded = fold(word)
        if value >= LISTED_ZIPF and folded.isalpha() and folded.isascii():
            found[folded] = max(found.get(folded, 0.0), value)
    return dict(sorted(found.items()))


if __name__ == "__main__":
    table = {language: common_from_wordfreq(language) for language in LANGUAGES}
    text = json.dumps(table, separators=(",", ":")) + "\n"
    COMMON_FILE.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"{', '.join(f'{k}: {len(v)}' for k, v in table.items())} words written to {COMMON_FILE}")
