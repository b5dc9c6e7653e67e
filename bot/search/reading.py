"""Reading a text as a caseworker would: the need, apart from the texter's situation.

"My PO says I need a job" names a situation (parole) and a need (a job): the need
leads, anywhere in the text. Situation words (``bot.search.situations``) weigh the
ranking only when the text names no need ("on parole" alone is a parole question).
Within the needs, one named as the cause of another weighs less: "lost my job and
now I'm behind on rent" asks about rent; and one named beside a need the text says
it wants or lacks weighs less too ("no tengo trabajo por mis antecedentes, quiero
limpiar mi record" asks to clear the record). And a need of a person who is inside ("my
son in county isn't getting his meds") is read as the categories that can meet it
there (a family or legal advocate), unless the clause is about the texter alone.

The text arrives as folded words with ``BREAK`` where punctuation ended a clause.
This module walks the text and finds the needs; ``bot.search.reading_weights``
weighs them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.search.reading_weights import (
    FIRST,
    LACKED,
    NEED_MIN,
    OTHER,
    REQUIRED,
    SELF,
    WANTED,
    Need,
    categories,
    read_as,
    when_alone,
)
from bot.search.situations import Situations, SituationTerm, phrase_at
from bot.search.text import joined_initials, words
from bot.search.vocabulary import Term

BREAK = "|"  # a clause boundary from punctuation; never a word
_CLAUSE_RE = re.compile(r"[.,;:!?\n()]+")
# A person the question is about ("can someone inside get a GED"), not what it asks.
SOMEONE = frozenset({"someone", "somebody", "anyone", "anybody", "alguien"})
TOPIC_REACH = 2  # words ("my", "the") between "about" and the situation it asks about

# The longest phrase at a position: its length, need terms, situation terms.
Matcher = Callable[[Sequence[str], int], tuple[int, list[Term], list[SituationTerm]] | None]


@dataclass
class Reading:
    """What a text asks for (categories with weights) and the situations it names."""

    categories: dict[str, float] = field(default_factory=dict)
    situations: set[str] = field(default_factory=set)
    # the strongest need asked for ("i need my diabetes checked"), not told as a cause
    asked: float = 0.0
    settled: set[str] = field(default_factory=set)  # named only as had: "i have a job, but"
    told: set[str] = field(default_factory=set)  # had before a need asked (``_had_before``)


def clause_words(text: str) -> list[str]:
    """The folded words of a text, with BREAK between the pieces punctuation separates."""
    out: list[str] = []
    for piece in _CLAUSE_RE.split(joined_initials(text)):
        found = words(piece)
        if found:
            if out:
                out.append(BREAK)
            out.extend(found)
    return out


def read(seq: Sequence[str], match: Matcher, grammar: Situations) -> Reading:
    """The needs and situations of a text (corrected words, BREAK between clauses)."""
    walk = _Walk()
    start = 0
    while start < len(seq):
        length = 1 if seq[start] == BREAK else phrase_at(seq, start, grammar.clause_breaks)
        if length and seq[start] != BREAK and phrase_at(seq, start, grammar.purposes):
            length = 0  # "so i can": not a new clause but what the need before is for
        if length and seq[start] != BREAK and start + length >= len(seq):
            length = 0  # "i need a job now": the text's last word, not a clause of its own
        if length:
            if phrase_at(seq, start, grammar.results):
                walk.told_before()  # "... and now": what came before is what happened
            elif phrase_at(seq, start, grammar.contrasts) and not any(n.asked for n in walk.needs):
                walk.contrast_at = len(walk.needs)  # "i have a job and a room, but ..."
            listed = length == 1 and _lists_on(seq, start, grammar)
            whose, had = walk.whose, walk.had
            walk.new_clause()
            if listed:  # "no puedo pagar el gas y la luz": still the texter's bills, asked
                walk.whose, walk.had = whose, had  # as the one before ("need food and a place")
                walk.ask = WANTED if walk.asked_until[1] == WANTED else walk.ask
            walk.clause_of.extend([walk.clause] * length)
            start += length
            continue
        walk.cue(seq, start, grammar)
        matched = match(seq, start)
        step = 1  # with no term here, a cue's own words may name the cause: "got evicted"
        if matched is not None:
            step, terms, marks = matched
            topic = walk.topic_from <= start < walk.topic_until
            walk.take(seq[start : start + step], terms, marks, grammar, topic, start + step)
        walk.clause_of.extend([walk.clause] * step)
        start += step
    # "i have a job, but my anxiety": had, when a need follows; not an occasion's clause
    after = walk.needs[walk.contrast_at :]
    if any(max(n.weights.values()) >= NEED_MIN and n.clause not in walk.occasions for n in after):
        for need in walk.needs[: walk.contrast_at]:
            need.settled = need.settled or need.clause not in walk.occasions
    situations = set(walk.situations)
    for slug in walk.situations:
        known = grammar.situations.get(slug)
        if known is not None:
            situations -= known.cancels - {slug}
    own = _own_clauses(seq, walk.clause_of, grammar)
    if not any(_names_other(word, grammar) for word in seq):
        own = set(walk.clause_of)  # nobody else named: the texter speaks of their own past
    current = situations & walk.current
    reached = read_as(situations, grammar, "reached_read_as")
    # a situation named only as what happened ("when daddy comes home", "por mi hermano
    # preso"): the needs of the others named are those of the family around that person
    # (not when the texter speaks of themselves: "my girl left me when i got locked up
    # and now im alone" is the texter's own need)
    speaks_of_self = any(word in grammar.self_words for word in seq)
    kin = {} if speaks_of_self else read_as(situations - current, grammar, "kin_read_as")
    # the texter speaks of someone else in the situation: that person is named before it
    # ("my father needs help, he just got out"; not "just got out, my sister said yall help")
    named = next((n for n, word in enumerate(seq) if _names_other(word, grammar)), len(seq))
    about_others = not speaks_of_self and named < walk.situated_at
    told = _had_before(walk.needs)
    scores = categories(
        walk.needs, situations, current, own, grammar, (walk.reaching, reached), kin, about_others
    )
    asked = [
        w
        for n in walk.needs
        if n.asked >= WANTED and not (n.cause or n.person or n.topic)
        for w in n.weights.values()
    ]
    held = {slug for n in walk.needs if n.settled for slug in n.weights}
    held -= {slug for n in walk.needs if not n.settled for slug in n.weights}
    return Reading(scores, situations, max(asked, default=0.0), held, told)


def _had_before(needs: list[Need]) -> set[str]:
    """The categories named only as what the texter has ("got my ID and my social", "ya
    tengo mi ID y mi seguro social") when a later clause asks for a need of its own ("now
    i need to find work"): those needs are settled, and the reader, which reads the text
    whole and read the papers (ID 0.93), does not lift them (``prior.blend_categories``).
    Without a need asked after, they stay what they were: "got my eviction notice, what
    do i do" asks about the eviction."""
    had = [n for n in needs if n.had and not n.person]
    asked = [
        n
        for n in needs
        if n.asked >= WANTED
        and not (n.had or n.cause or n.person or n.topic)
        and max(n.weights.values()) >= NEED_MIN
        and any(n.clause > h.clause for h in had)
    ]
    told = {s for n in had for s in n.weights} - {s for n in asked for s in n.weights}
    if not asked or not told:
        return set()
    for need in had:
        need.settled = True
    return told


@dataclass
class _Walk:
    """Where a reading is: the clause, whether a cause is being told, what was found."""

    needs: list[Need] = field(default_factory=list)
    situations: set[str] = field(default_factory=set)
    situated_at: int = -1  # where the first situation term starts
    current: set[str] = field(default_factory=set)  # named outside a cause: how things are now
    skip_until: int = 0  # inside a requirement phrase ("do i need"): its "need" is not a want
    clause_of: list[int] = field(default_factory=list)
    clause: int = 0
    cause: bool = False
    cause_told: bool = False  # the cause has named something: a new subject ends it
    topic_from: int = 0  # "about my parole": the situation after a topic word is asked
    topic_until: int = -1
    ask: int = 0  # the next need is wanted or lacked
    asking_until: int = 0  # the asking phrase's own words ("cant pay"): no need of their own
    article: tuple[int, int] = (-2, 0)  # where a word that is "he" or "the" was, whose before
    asked_until: tuple[int, int] = (-1, 0)  # where the last need asked for ended, and how
    purpose: bool = False  # after "so i can", "para poder": what the need is for
    first: bool = False  # the clause says its need comes first ("but first", "primero")
    whose: int = 0  # the last person word of the clause: SELF ("i", "puedo") or OTHER ("his")
    reaching: set[int] = field(default_factory=set)  # clauses that reach a person ("visit")
    contrast_at: int = 0  # needs before a "but" with nothing asked: how things are
    had: bool = False  # after "got my", "ya tengo mi": what the texter has, in this clause
    occasions: set[int] = field(default_factory=set)  # clauses naming an event ("interview")

    def new_clause(self) -> None:
        self.clause += 1
        self.cause = self.cause_told = False
        self.topic_until = -1
        self.ask = 0
        self.whose = 0
        self.purpose = self.first = self.had = False

    def told_before(self) -> None:
        for need in self.needs:
            need.cause = True

    def cue(self, seq: Sequence[str], start: int, grammar: Situations) -> None:
        """Causes ("since", "lost") and topics ("about") starting here; a person named
        after a cause was told starts the main clause ("since my divorce i ...")."""
        word = seq[start]
        if word in grammar.occasions:
            self.occasions.add(self.clause)
        other = _names_other(word, grammar)
        if self.cause_told and (word in grammar.self_words or other):
            self.cause = self.cause_told = False
        if word in grammar.self_words:
            self.whose = SELF
        elif other:
            if word in grammar.possessives:  # "el": "he", or "the" before a need ("el gas")
                self.article = (start, self.whose)
            self.whose = OTHER
        if phrase_at(seq, start, grammar.causes):
            self.cause = True
        if phrase_at(seq, start, grammar.purposes):
            self.purpose = True
        if phrase_at(seq, start, grammar.had):
            self.had = True
        if phrase_at(seq, start, grammar.firsts):
            self.first = True
            for need in self.needs:  # "a counselor more than anything": said after the need
                if need.clause == self.clause:
                    need.asked = FIRST
        if phrase_at(seq, start, grammar.reaching):
            self.reaching.add(self.clause)
        if phrase_at(seq, start, grammar.settled):
            for need in self.needs:  # "the housing is fine": not what the text asks for
                if need.clause == self.clause:
                    need.settled = True
        required = phrase_at(seq, start, grammar.requirements)
        if required:
            self.ask, self.skip_until = REQUIRED, start + required
        elif start < self.skip_until:
            pass
        elif want := phrase_at(seq, start, grammar.wants):
            self.ask = WANTED
            self.topic_from, self.topic_until = start + want, start + want + TOPIC_REACH
            self.asking_until = start + want
        elif lack := phrase_at(seq, start, grammar.lacks):
            self.ask = max(self.ask, LACKED)
            self.asking_until = max(self.asking_until, start + lack)
        topic = phrase_at(seq, start, grammar.topics)
        if topic:  # a phrase starting with the topic word ("about to get out") is no topic
            self.topic_from = start + topic
            self.topic_until = start + topic + TOPIC_REACH

    def take(
        self,
        span: Sequence[str],
        terms: list[Term],
        marks: list[SituationTerm],
        grammar: Situations,
        topic: bool,
        end: int,
    ) -> None:
        """Need terms and situation terms found on ``span`` (``topic``: after "about");
        ``end`` is where the span ends."""
        self.situations |= {m.situation for m in marks}
        if marks and self.situated_at < 0:
            self.situated_at = end - len(span)
        if terms and end - len(span) - 1 <= self.article[0] < end:
            self.whose = self.article[1]  # "pagar el gas": "el" was "the", not "he"
        for word in span[1:]:  # "no puedo dormir", "my son": a person word inside the phrase
            if word in grammar.self_words:
                self.whose = SELF
            elif _names_other(word, grammar):
                self.whose = OTHER
        if end <= self.asking_until:
            terms = []  # "cant pay my rent": "pay" (wages) is part of the asking, rent is asked
        if not self.cause:  # "started using after her dad got locked up": he is inside, not her
            self.current |= {m.situation for m in marks}
        best: dict[str, float] = {}
        for term in terms:
            best[term.category] = max(best.get(term.category, 0.0), term.weight)
        asked = self.ask
        if end - len(span) == self.asked_until[0]:  # "need a family lawyer": both are asked
            asked = max(asked, self.asked_until[1])
        if tuple(span) in grammar.questions:  # "is that even legal": the question is the need
            asked = WANTED
        topical = not best and bool(marks) and topic
        if topical:
            # "questions about my parole": the situation is what the text asks about
            best, asked = when_alone({m.situation for m in marks}, grammar), WANTED
        # "can someone inside get a GED": a phrase that begins inside the asking phrase
        # is who the question is about, its subject; what follows is asked
        begun = self.asking_until - (end - len(span))  # words of the span in the asking
        subject = (
            0 < begun < len(span)
            and asked == WANTED
            and all(w in SOMEONE or _names_other(w, grammar) for w in span[:begun])
        )
        if best:
            person = subject or (max(best.values()) <= NEED_MIN and _names_a_person(span, grammar))
            if subject:
                asked = 0
            if self.first and not person:
                asked = FIRST
            cause = self.cause or self.purpose
            need = Need(
                best, len(self.needs), self.clause, cause, asked, self.whose, person, topic=topical
            )
            need.had = self.had
            self.needs.append(need)
            if not person:  # after a requirement ("do i need id"), what it is for is asked
                self.ask = WANTED if asked == REQUIRED else 0
                self.asked_until = (end, asked if asked > 0 else 0)
                self.topic_until = -1  # "need housing, just got out": the need was named
        self.cause_told = self.cause


def _lists_on(seq: Sequence[str], start: int, grammar: Situations) -> bool:
    """A word break ("and", "y") before an article or possessive ("y la luz") adds one
    more thing to the list, said by the same person."""
    return (
        seq[start] != BREAK
        and start + 1 < len(seq)
        and seq[start + 1] in grammar.possessives
        and seq[start + 1] not in grammar.others_words
    )


def _names_other(word: str, grammar: Situations) -> bool:
    """Someone else: "his", "my son", or written possessive without the apostrophe
    ("my husbands records", "sons")."""
    return word in grammar.others_words or (
        len(word) > 3 and word.endswith("s") and word[:-1] in grammar.others_words
    )


def _names_a_person(span: Sequence[str], grammar: Situations) -> bool:
    """Only a person ("my son", "mama"): weak words that say who, not what."""
    return any(_names_other(w, grammar) for w in span) and all(
        _names_other(w, grammar) or w in grammar.possessives for w in span
    )


def _own_clauses(seq: Sequence[str], clause_of: list[int], grammar: Situations) -> set[int]:
    """Clauses about the texter alone: a self word ("i", "me") and nobody else named."""
    selves: dict[int, bool] = defaultdict(bool)
    others: dict[int, bool] = defaultdict(bool)
    for word, clause in zip(seq, clause_of, strict=False):
        selves[clause] |= word in grammar.self_words
        others[clause] |= _names_other(word, grammar)
    return {clause for clause, has in selves.items() if has and not others[clause]}
