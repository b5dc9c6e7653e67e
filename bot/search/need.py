"""Is there a need at all? Chatter gets "I can help you find...", not a list of services.

On a directory of 4,000 services nearly any sentence shares a word with some
description: "what is the capital of france" finds a French consulate, "the
cat is sleeping on the couch" finds a shelter through "sleeping" and "couch".
Search alone cannot tell; this module decides before it, from the parsed text:

- a text whose every word the vocabulary explains is a need, however short
  ("food", "bed", "ged", "id", "familia"); so is one with a strong vocabulary
  word (weight 0.8 or more) and no more everyday words than vocabulary words
  ("hiv testing", "bus ticket");
- a text that names a category only weakly ("sleeping", "couch", "home"), or
  among as many everyday words ("my mom is cooking dinner"), is a need only
  with a word that asks or says why ("where can I sleep tonight",
  "necesito", "released"): ``need_words.yaml``;
- a text the vocabulary does not know at all is left to search (a service's
  name, "vita tax", a typo) unless it is only everyday words
  ("purple elephant", "who won the game").

Everyday words are common words (the offline wordfreq lists) that are not
vocabulary, place or group words: beside vocabulary words only frequent ones
count (Zipf 4: "cat", "party"), since needs are often written in slang
("yall got lawyers"); a text with no vocabulary word is chatter when all its
words are common (Zipf 3: "dinosaurs are cool").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.search.frequency import is_common
from bot.search.query import ParsedQuery
from bot.search.text import stem, words
from bot.search.vocabulary import Vocabulary

STRONG = 0.8  # a vocabulary word this strong names a need on its own ("bed" 0.9, "food" 1.0)
# Everyday words beside vocabulary words: ten per million words or more ("cat", "party",
# "birthday"), not slang ("yall", "thru", "nothin") that real needs are written in.
TOPIC_ZIPF = 4.0
# Everyday words without any vocabulary word: once per million words ("dinosaurs", "pancakes").
EVERYDAY_ZIPF = 3.0


@dataclass(frozen=True)
class NeedReading:
    """Whether a text asks for something, and why (for tests and ``search --json``)."""

    need: bool
    reason: str


class NeedGate:
    """Tells needs from chatter for one vocabulary."""

    def __init__(self, vocabulary: Vocabulary, correct: Callable[[str], str | None]) -> None:
        listed = vocabulary.need_words
        self.need_words = set().union(*listed.values()) if listed else set()
        self.group_stems = set().union(*vocabulary.groups.values()) if vocabulary.groups else set()
        self.languages = sorted({t.language for t in vocabulary.terms}) or ["en"]
        self.correct = correct  # the search's typo fixer: "wher" asks like "where"

    def read(self, parsed: ParsedQuery) -> NeedReading:
        """The decision for one parsed text."""
        raw = words(parsed.text)
        asks = any(w in self.need_words or self.correct(w) in self.need_words for w in raw)
        covered = {w for span, _ in parsed.matched for w in span}
        strongest = max((weight for _, weight in parsed.matched), default=0.0)
        named = len({w for w in parsed.content if w in covered})
        if parsed.matched:
            everyday = [
                w for w in parsed.content if w not in covered and self._everyday(w, TOPIC_ZIPF)
            ]
            if not everyday:
                return NeedReading(True, "the vocabulary explains every word")
            terse = len(words(parsed.text)) - len(parsed.content) <= 1
            if strongest >= STRONG and (
                len(everyday) < named or (len(everyday) == named and terse)
            ):
                return NeedReading(True, "the vocabulary names a need")
            if asks:
                return NeedReading(True, "it asks, and names a category")
            return NeedReading(False, "a category word among other talk, asking for nothing")
        everyday = [w for w in parsed.content if self._everyday(w, EVERYDAY_ZIPF)]
        if len(everyday) < len(parsed.content) or (asks and parsed.content):
            return NeedReading(True, "words the vocabulary does not know: left to search")
        if not parsed.content:
            return NeedReading(True, "nothing to read: left to search")
        return NeedReading(False, "everyday words, no need named")

    def _everyday(self, word: str, zipf: float) -> bool:
        if word.isdigit() or any(stem(word, lang) in self.group_stems for lang in self.languages):
            return False
        return any(is_common(word, lang, zipf) for lang in self.languages)
