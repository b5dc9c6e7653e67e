"""How common a word is in English or Spanish, from wordfreq's bundled lists (offline).

Imported on first use, not with the search engine: wordfreq and its text tools
take about 0.3 s to import, which commands that never rank a query (``directory
load``, ``stats``, the server's preparation) should not pay.
"""

from __future__ import annotations


def zipf(word: str, language: str) -> float:
    """The word's Zipf frequency: 3 is about once per million words, 0 unknown."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))
