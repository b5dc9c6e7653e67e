"""Is there a need at all? Chatter gets "I can help you find...", not a list of services.

On a directory of 4,000 services nearly any sentence shares a word with some
description: "what is the capital of france" finds a French consulate, "the
cat is sleeping on the couch" finds a shelter through "sleeping" and "couch".
Search alone cannot tell; this module decides before it, from the parsed text
(the vocabulary phrases the reading matched, ``ParsedQuery.matched``):

- a text whose every word the vocabulary explains is a need, however short
  ("food", "bed", "ged", "id", "familia", "on parole", "santa rita"); so is one
  with a strong vocabulary word (weight 0.8 or more) and no more everyday words
  than vocabulary words ("hiv testing", "bus ticket");
- a strong word that only needs use, not everyday talk ("securus", "jpay",
  "dmv", "commissary", "insulin": not an everyday word of either language), is
  a need among any words ("securus calls are too expensive");
- the texter's situation (someone inside, just released, on parole, a custody
  place named) beside a need word is a need ("what are the visiting rules at
  folsom"): chatter does not talk of jail and commissary;
- a strong need word beside the texter speaking of themselves ("im so depressed
  all the time", "me duele la cabeza"), with no more everyday words than
  vocabulary words, is a need;
- a text that names a category only weakly ("sleeping", "couch", "home"), or
  among as many everyday words ("my mom is cooking dinner"), is a need only
  with a word or phrase that asks or says why ("where can I sleep tonight",
  "how do i", "necesito", "released"): ``need_words.yaml``;
- words that only name a person ("my son", "mama") say who, not what: they
  are set aside ("mi mama esta cocinando" is chatter);
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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.search.frequency import is_common
from bot.search.query import ParsedQuery
from bot.search.text import stem, words
from bot.search.vocabulary import Vocabulary

STRONG = 0.8  # a vocabulary word this strong names a need on its own ("bed" 0.9, "food" 1.0)
NEED_MIN = 0.45  # a need word beside the texter's situation ("visiting" 0.6 at "folsom")
PERSON_MAX = 0.45  # a word this weak that only names a person ("my son") says who
# Everyday words beside vocabulary words: ten per million words or more ("cat", "party",
# "birthday"), not slang ("yall", "thru", "nothin") that real needs are written in.
TOPIC_ZIPF = 4.0
# Everyday words without any vocabulary word: once per million words ("dinosaurs", "pancakes").
EVERYDAY_ZIPF = 3.0
LONGEST_ASK = 4  # words in the longest asking phrase of need_words.yaml
# A need phrase of two words or more that are not small words ("public defender", "food
# stamps", "court date"), this strong, names a need among any talk: chatter does not
# say them ("his public defender never calls back").
PHRASE_MIN = 0.9
OBJECT_WORDS = frozenset({"me", "myself"})  # self words that are not the subject
EXPLAINED = "the vocabulary explains every word"  # a reason of NeedReading
NOTHING_TO_READ = "nothing to read: left to search"  # a reason of NeedReading
NOTED = "a note to oneself or a reminder, asking for nothing"  # never overruled
NOTE_START = 3  # a note's cue opens the text: within its first words


def strongest_need_word(parsed: ParsedQuery) -> float:
    """The weight of the strongest vocabulary term read, less the situation's own terms
    ("on parole" says who the texter is, not what they need)."""
    situated = set(parsed.situation_spans)
    return max((w for span, w in parsed.matched if span not in situated), default=0.0)


@dataclass(frozen=True)
class NeedReading:
    """Whether a text asks for something, and why (for tests and ``search --json``)."""

    need: bool
    reason: str


class NeedGate:
    """Tells needs from chatter for one vocabulary."""

    def __init__(self, vocabulary: Vocabulary, correct: Callable[[str], str | None]) -> None:
        listed = vocabulary.need_words
        self.need_words: set[tuple[str, ...]] = set().union(*listed.values()) if listed else set()
        # a need that is itself a question ("what are my rights", "is that legal") asks
        self.need_words |= vocabulary.situations.questions
        self.group_stems = set().union(*vocabulary.groups.values()) if vocabulary.groups else set()
        self.languages = sorted({t.language for t in vocabulary.terms}) or ["en"]
        self.people = vocabulary.situations.others_words
        # "i", "im", "yo", "tengo": the texter as the subject ("me" is also "to me":
        # "me corte el pelo" says what happened, not a need)
        self.selves = vocabulary.situations.self_words - OBJECT_WORDS
        self.possessives = vocabulary.situations.possessives
        self.correct = correct  # the search's typo fixer: "wher" asks like "where"
        listed_stops = vocabulary.stop_words
        self.small_words: set[str] = set().union(*listed_stops.values()) if listed_stops else set()
        self.notes = vocabulary.situations.notes
        # what a note may not hold: a want, or a lack of two words or more ("no tengo";
        # not "no" alone, which "no se me olvide" opens with)
        lacks = {lack for lack in vocabulary.situations.lacks if len(lack) > 1}
        self.wants = vocabulary.situations.wants | lacks

    def asks(self, text: str) -> bool:
        """Whether a text asks or says why, with a word or phrase of ``need_words.yaml``
        ("need food in 94607", "necesito", "where can i"): the conversation answers such a
        text while a request for a person waits, and leaves a story ("i used to work in a
        kitchen") to the navigator."""
        raw = words(text)
        return self._asks(raw) or self._asks([self.correct(w) or w for w in raw])

    def read(self, parsed: ParsedQuery) -> NeedReading:
        """The decision for one parsed text."""
        raw = words(parsed.text)
        if self._noted(raw):
            return NeedReading(False, NOTED)
        asks = self._asks(raw) or self._asks([self.correct(w) or w for w in raw])
        situated = set(parsed.situation_spans)
        found = [m for m in parsed.matched if not self._person(m, situated)]
        people = {w for m in parsed.matched if self._person(m, situated) for w in m[0]}
        content = [w for w in parsed.content if w not in people]
        if not found:
            fixed = [self.correct(w) or w for w in raw]
            asked = self._asks_for(raw, content) or self._asks_for(fixed, content)
            # "happy bday to my lil sister": a person named says who, not what
            talk = [w for w in content if w not in self.people] or content
            return self._unknown_words(talk, asks and asked)
        covered = {w for span, _ in found for w in span}
        needs = [m for m in found if m[0] not in situated]
        strongest = max((weight for _, weight in needs), default=0.0)
        named = len({w for w in content if w in covered})
        everyday = [w for w in content if w not in covered and self._everyday(w, TOPIC_ZIPF)]
        if not everyday:
            return NeedReading(True, EXPLAINED)
        terse = len(raw) - parsed.letters_joined - len(parsed.content) <= 1
        if strongest >= STRONG and (len(everyday) < named or (len(everyday) == named and terse)):
            return NeedReading(True, "the vocabulary names a need")
        if (
            strongest >= STRONG
            and len(everyday) <= named
            and any(w in self.selves for w in raw)
            and any(w >= STRONG and not self._owned(span, raw) for span, w in needs)
        ):
            # "im so deprest all the time", "me duele la cabeza": the texter says how they
            # are (not what they have: "i love my new apartment")
            return NeedReading(True, "the texter names a need of their own")
        if any(weight >= STRONG and self._rare(span) for span, weight in needs):
            return NeedReading(True, "a word only needs use")
        if any(weight >= PHRASE_MIN and self._phrase(span) for span, weight in needs):
            return NeedReading(True, "a phrase only needs use")
        if len(needs) < len(found) and (strongest >= NEED_MIN or asks):
            return NeedReading(True, "the texter's situation, and a need or a question")
        if asks:
            return NeedReading(True, "it asks, and names a category")
        return NeedReading(False, "a category word among other talk, asking for nothing")

    def _noted(self, raw: list[str]) -> bool:
        """A note to oneself or a reminder ("note to self: pay the rent on the 1st",
        "recordatorio: pagar la luz"): its cue opens the text and nothing in it is
        wanted or lacked ("reminder: i need a ride to court" still asks)."""
        opening = any(
            tuple(raw[start : start + len(note)]) == note
            for note in self.notes
            for start in range(NOTE_START)
        )
        if not opening:
            return False  # most texts: the wants are not looked for
        return not any(
            tuple(raw[start : start + len(want)]) == want
            for want in self.wants
            for start in range(len(raw))
        )

    def _unknown_words(self, content: list[str], asks: bool) -> NeedReading:
        """No vocabulary phrase: left to search unless every word is everyday talk."""
        everyday = [w for w in content if self._everyday(w, EVERYDAY_ZIPF)]
        if len(everyday) < len(content) or (asks and content):
            return NeedReading(True, "words the vocabulary does not know: left to search")
        if not content:
            return NeedReading(True, NOTHING_TO_READ)
        return NeedReading(False, "everyday words, no need named")

    def _asks_for(self, seq: list[str], content: list[str]) -> bool:
        """An ask before a word it can ask for: "where can i get a haircut" asks for the
        haircut; in "warriors looking good this year" or "the sunset was beautiful
        tonight" the asking word ("looking", "tonight") comes after the talk."""
        wanted = set(content)
        for start in range(len(seq)):
            for length in range(1, min(LONGEST_ASK, len(seq) - start) + 1):
                if tuple(seq[start : start + length]) in self.need_words:
                    after = seq[start + length :]
                    return any(w in wanted or self.correct(w) in wanted for w in after)
        return False

    def _asks(self, seq: Sequence[str | None]) -> bool:
        """Whether a word or phrase of need_words.yaml is in the words."""
        for start in range(len(seq)):
            for length in range(1, min(LONGEST_ASK, len(seq) - start) + 1):
                if tuple(seq[start : start + length]) in self.need_words:
                    return True
        return False

    def _person(self, found: tuple[tuple[str, ...], float], situated: set[tuple[str, ...]]) -> bool:
        """A weak phrase that only names a person ("my son", "hija"): who, not what."""
        span, weight = found
        return (
            span not in situated
            and weight <= PERSON_MAX
            and any(w in self.people for w in span)
            and all(w in self.people or w in self.possessives for w in span)
        )

    def _owned(self, span: tuple[str, ...], raw: list[str]) -> bool:
        """The span follows a possessive or an article ("my new apartment", "a car"):
        a thing someone has, not how the texter is."""
        for start in range(len(raw) - len(span) + 1):
            if tuple(raw[start : start + len(span)]) == span:
                return any(w in self.possessives for w in raw[max(0, start - 2) : start])
        return False

    def _phrase(self, phrase: tuple[str, ...]) -> bool:
        """Two words or more of the phrase are not small words ("public defender")."""
        return sum(1 for w in phrase if w not in self.small_words) >= 2

    def _rare(self, phrase: tuple[str, ...]) -> bool:
        """No word of the phrase is an everyday word of any language ("securus", "dmv")."""
        return not any(is_common(w, lang, TOPIC_ZIPF) for w in phrase for lang in self.languages)

    def _everyday(self, word: str, zipf: float) -> bool:
        if word.isdigit() or any(stem(word, lang) in self.group_stems for lang in self.languages):
            return False
        return any(is_common(word, lang, zipf) for lang in self.languages)
