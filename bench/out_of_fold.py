"""Out-of-fold readings of the search reader's training texts, for the benches that
choose its blend (reader_blend.py, reader_silence.py): each text read by a reader
fitted without it (five folds, ``bot.search.reader_train.cross_validated``),
computed once and kept in a cache file if one is given."""

from __future__ import annotations

import json
import time
from pathlib import Path

from bot.search.reader import NONE
from bot.search.reader_train import cross_validated
from bot.search.reading_corpus import Labelled


class Known:
    """Out-of-fold probabilities looked up by text (the reader that never saw it). A
    text not in the table (the search's second reading, with typos fixed) reads as
    chatter, so that reading never wins here: these figures leave it out."""

    def __init__(self, table: dict[str, dict[str, float]]) -> None:
        self.table = table

    def probabilities(self, text: str) -> dict[str, float]:
        return self.table.get(text, {NONE: 1.0})


def readings(texts: list[Labelled], cache: Path | None) -> dict[str, dict[str, float]]:
    """Each text's out-of-fold probabilities, from the cache when it exists."""
    if cache is not None and cache.exists():
        table: dict[str, dict[str, float]] = json.loads(cache.read_text())
        return table
    started = time.perf_counter()
    table = dict(zip((t.text for t in texts), cross_validated(texts), strict=True))
    print(f"out-of-fold readings: {time.perf_counter() - started:.0f} s")
    if cache is not None:
        cache.write_text(json.dumps(table))
    return table
