"""The texter's situation, as curated data: words that say what happened, not what is needed.

"Paroled last week from Folsom, where can I sleep" asks for a bed: parole and
Folsom are the texter's situation. The files ``vocabulary/situations/<lang>.yaml``
list such words by situation (just released, on parole or probation, someone
inside, a facility named, a record), each with the categories it points to
when the text names no need, and, for a person inside, how a need of theirs is
met ("not getting his insulin" in jail is for a family or legal advocate, not a
clinic). They also list the words that open a cause ("because", "since",
"after") and end a clause ("and", "but"), so "lost my job and now I'm behind on
rent" reads as rent. This module holds what the files say, as read;
``bot.search.situation_file`` reads and checks them. Read by ``bot.search.reading``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.search.text import stem


@dataclass(frozen=True)
class SituationTerm:
    """A word or phrase that says a texter's situation, in one language."""

    language: str
    words: tuple[str, ...]
    stems: tuple[str, ...]
    situation: str


@dataclass(frozen=True)
class Situation:
    """What one situation means for ranking."""

    slug: str
    when_alone: dict[str, float]
    needs_read_as: dict[str, dict[str, float]]
    cancels: frozenset[str]
    facility_kinds: frozenset[str] = frozenset()  # custody places of these kinds say it
    # A need named in a clause that reaches the person ("what id do i need to visit",
    # "can i send food"), whoever's it is, read as other categories: family help.
    reached_read_as: dict[str, dict[str, float]] = field(default_factory=dict)
    # A need of someone else than the texter in a text that names the situation only as
    # what happened ("the kids keep asking when daddy comes home, someone to talk to"):
    # the family around the person, read as other categories.
    kin_read_as: dict[str, dict[str, float]] = field(default_factory=dict)
    # What the text asks for when it names no need and speaks only of someone else
    # ("my father needs help, he just got out": his family asks), else when_alone.
    others_alone: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Place:
    """Where in a file something is: for problems found later."""

    path: str
    line: int
    field: str


@dataclass
class Situations:
    """Every language's situation words, and the small grammar of causes and clauses."""

    situations: dict[str, Situation] = field(default_factory=dict)
    terms: list[SituationTerm] = field(default_factory=list)
    clause_breaks: set[tuple[str, ...]] = field(default_factory=set)
    results: set[tuple[str, ...]] = field(default_factory=set)
    contrasts: set[tuple[str, ...]] = field(default_factory=set)  # "i have a job, but ..."
    causes: set[tuple[str, ...]] = field(default_factory=set)
    topics: set[tuple[str, ...]] = field(default_factory=set)
    wants: set[tuple[str, ...]] = field(default_factory=set)
    lacks: set[tuple[str, ...]] = field(default_factory=set)
    questions: set[tuple[str, ...]] = field(
        default_factory=set
    )  # a need that asks: "is that legal"
    requirements: set[tuple[str, ...]] = field(default_factory=set)  # "do i need" X to Y
    purposes: set[tuple[str, ...]] = field(default_factory=set)  # X "so i can" Y: Y is what for
    firsts: set[tuple[str, ...]] = field(default_factory=set)  # "but first", "more than anything"
    settled: set[tuple[str, ...]] = field(default_factory=set)  # "the housing is fine"
    had: set[tuple[str, ...]] = field(default_factory=set)  # "got my ID ..., now i need": told
    reaching: set[tuple[str, ...]] = field(default_factory=set)  # "visit", "send": reach them
    notes: set[tuple[str, ...]] = field(default_factory=set)  # "note to self": asks nothing
    asides: set[tuple[str, ...]] = field(default_factory=set)  # "voice to text": how it was sent
    met: set[tuple[str, ...]] = field(default_factory=set)  # "i dont need": the need after is met
    met_ends: set[tuple[str, ...]] = field(default_factory=set)  # "just": what follows is wanted
    news: set[tuple[str, ...]] = field(default_factory=set)  # "came in the mail": told, not asked
    news_turns: set[tuple[str, ...]] = field(default_factory=set)  # "but": news turns to a need
    hosts: set[tuple[str, ...]] = field(default_factory=set)  # "staying with": whom, not for whom
    numbers: set[str] = field(default_factory=set)  # words a number in a term stands for
    self_words: set[str] = field(default_factory=set)
    others_words: set[str] = field(default_factory=set)
    possessives: set[str] = field(default_factory=set)  # "my son": a person, with others_words
    facility_words: set[str] = field(default_factory=set)
    occasions: set[str] = field(default_factory=set)  # "interview": what a need is for
    # (facility kind, situation, where) as read, to check each kind says one situation
    claims: list[tuple[str, str, Place]] = field(default_factory=list)

    def words(self) -> set[str]:
        """Every surface word the situation files hold (known words: never "corrected")."""
        known = {w for t in self.terms for w in t.words}
        phrase_lists = (self.clause_breaks, self.results, self.contrasts, self.causes, self.topics)
        asking = (self.wants, self.lacks, self.questions, self.requirements)
        order = (self.purposes, self.firsts, self.settled, self.reaching, self.notes, self.asides)
        told = (self.had, self.met, self.met_ends, self.news, self.news_turns, self.hosts)
        for phrases in (*phrase_lists, *asking, *order, *told):
            known |= {w for phrase in phrases for w in phrase}
        people = self.self_words | self.others_words | self.possessives
        return known | people | self.facility_words | self.numbers | self.occasions

    def language_words(self, language: str) -> set[str]:
        """Surface words of one language's situation terms (they tell the language)."""
        return {w for t in self.terms if t.language == language for w in t.words}

    def places_left(self, read: set[str]) -> set[str]:
        """The custody place words ("jail", "prison") a text uses only for where the
        texter was: a situation read ends another ("released" ends "inside"; the reading
        has already dropped the one ended). "they let me out of the county jail at 2am,
        where do i go" asks for a bed; searched, "jail" found the services for people
        inside."""
        ends = any(known.cancels for s in read if (known := self.situations.get(s)))
        return self.facility_words if ends else set()

    def for_facility(self, kind: str) -> str | None:
        """The situation a custody place of this kind says ("jail": someone inside)."""
        for slug, situation in self.situations.items():
            if kind in situation.facility_kinds:
                return slug
        return None


# The longest phrase of a grammar list (wants, notes, asides...) that a text is read for;
# a longer one is a problem of its file (bot.search.situation_file), never silently unread.
LONGEST_GRAMMAR_PHRASE = 6
NUMBER = "#"  # a number in a situation term ("did 3 years") stands for any number


def phrase_at(seq: Sequence[str], start: int, phrases: set[tuple[str, ...]]) -> int:
    """Length of the longest of ``phrases`` at ``start`` (0 when none): how the grammar's
    lists are found in a text (``bot.search.reading``, ``bot.search.news``)."""
    for length in range(min(LONGEST_GRAMMAR_PHRASE, len(seq) - start), 0, -1):
        if tuple(seq[start : start + length]) in phrases:
            return length
    return 0


def situation_stems(
    phrase: Sequence[str], language: str, numbers: set[str] | frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The stems a situation term is found by: a number (digits, or one of ``numbers``
    such as "three", "tres") is NUMBER, so "did 3 years" is also "did twelve years"."""
    return tuple(NUMBER if w.isdigit() or w in numbers else stem(w, language) for w in phrase)
