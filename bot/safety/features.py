"""The features the crisis model reads: words, word pairs and letter groups.

Training (``bot.safety.train``, with scikit-learn) and scoring at run time
(``bot.safety.model``, numpy only) call this one function, so the two can never
disagree about what a text looks like. Letter groups inside each word let the
model read typos and slang it has not seen spelled that way ("sucidal",
"unalivin", "od'd"), and groups across two words read split or run-together
words ("kill my self", "killmyself"); word pairs let it read short phrases
("no despertar"). The rules' signals (concepts present, phrase kinds) come last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.search.linear import text_features
from bot.search.text import words

MAX_CHARS = 2000  # of one text; the rest says nothing more about a crisis
_REPEATS = re.compile(r"(.)\1{2,}")
# Laughing emoji read as the word "lol": "my mom gonna kill me \U0001f602" is a joke marker
# (safety/crisis.yaml ``jokes``) as "lol" is. Other emoji are dropped with punctuation.
LAUGHING = "\U0001f602\U0001f923\U0001f480\U0001f639\U0001f606\U0001f605\u2620"
_LAUGHING = re.compile(f"[{LAUGHING}]")


def tokens(text: str) -> list[str]:
    """Folded words with stretched letters cut to two ("pleeease" -> "pleease")."""
    text = _LAUGHING.sub(" lol ", text[:MAX_CHARS])
    return [_REPEATS.sub(r"\1\1", w) for w in words(text)]


def features(text: str, signals: Sequence[str] = ()) -> list[str]:
    """Every feature of a text, repeated as often as it occurs, and the rules' signals.

    ``signals`` are what the rules saw (``CrisisDetector.read``: "k intent",
    "p violence"): curated groups of words the model weighs like any feature.
    """
    return text_features(tokens(text)) + list(signals)
