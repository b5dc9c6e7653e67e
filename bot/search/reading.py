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
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.search.situations import Situations, SituationTerm
from bot.search.text import words
from bot.search.vocabulary import Term

BREAK = "|"  # a clause boundary from punctuation; never a word
_CLAUSE_RE = re.compile(r"[.,;:!?\n()]+")
# People name their main need first ("id to get a job"): each later need counts a
# little less, which breaks ties without outvoting a stronger word.
LATER_NEED_FACTOR = 0.92
NEED_MIN = 0.45  # a need this strong leads; weaker words ("books") leave room for the situation
CAUSE_FACTOR = 0.5  # a need named as the cause, when the text asks for another
ASIDE_FACTOR = 0.7  # a need named beside one the text says it wants or lacks
LACKED, WANTED, FIRST = 1, 2, 3  # FIRST: wanted before anything else ("but first i need")
SETTLED_FACTOR = 0.3  # a need the text says is taken care of ("the housing is fine")
REQUIRED = -1  # after "do i need": a need asked as a requirement of the one after it
SELF, OTHER = 1, 2
READ_AS_KEEP = 0.35  # what a person inside's need keeps of its own category
# A person the question is about ("can someone inside get a GED"), not what it asks.
SOMEONE = frozenset({"someone", "somebody", "anyone", "anybody", "alguien"})
TOPIC_REACH = 2  # words ("my", "the") between "about" and the situation it asks about
KIN_MAX = 0.8  # the strongest need of the family around someone inside read as theirs

# The longest phrase at a position: its length, need terms, situation terms.
Matcher = Callable[[Sequence[str], int], tuple[int, list[Term], list[SituationTerm]] | None]


@dataclass
class Reading:
    """What a text asks for (categories with weights) and the situations it names."""

    categories: dict[str, float] = field(default_factory=dict)
    situations: set[str] = field(default_factory=set)


@dataclass
class _Need:
    weights: dict[str, float]
    order: int
    clause: int
    cause: bool
    asked: int = 0  # WANTED after "need", "quiero"; LACKED after "without", "no tengo"
    whose: int = 0  # SELF or OTHER: the person word nearest before it in its clause
    person: bool = False  # only names a person ("my son", "mama"): who, not what
    settled: bool = False  # said to be taken care of ("the housing is fine for now")


def clause_words(text: str) -> list[str]:
    """The folded words of a text, with BREAK between the pieces punctuation separates."""
    out: list[str] = []
    for piece in _CLAUSE_RE.split(text):
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
        length = 1 if seq[start] == BREAK else _phrase_at(seq, start, grammar.clause_breaks)
        if length and seq[start] != BREAK and _phrase_at(seq, start, grammar.purposes):
            length = 0  # "so i can": not a new clause but what the need before is for
        if length:
            if _phrase_at(seq, start, grammar.results):
                walk.told_before()  # "... and now": what came before is what happened
            listed = length == 1 and _lists_on(seq, start, grammar)
            whose = walk.whose
            walk.new_clause()
            if listed:  # "no puedo pagar el gas y la luz": still the texter's bills,
                walk.whose = whose  # asked as the one before ("need food and a place")
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
    situations = set(walk.situations)
    for slug in walk.situations:
        known = grammar.situations.get(slug)
        if known is not None:
            situations -= known.cancels - {slug}
    own = _own_clauses(seq, walk.clause_of, grammar)
    if not any(_names_other(word, grammar) for word in seq):
        own = set(walk.clause_of)  # nobody else named: the texter speaks of their own past
    current = situations & walk.current
    reached = _read_as(situations, grammar, "reached_read_as")
    # a situation named only as what happened ("when daddy comes home", "por mi hermano
    # preso"): the needs of the others named are those of the family around that person
    # (not when the texter speaks of themselves: "my girl left me when i got locked up
    # and now im alone" is the texter's own need)
    speaks_of_self = any(word in grammar.self_words for word in seq)
    kin = {} if speaks_of_self else _read_as(situations - current, grammar, "kin_read_as")
    scores = _categories(
        walk.needs, situations, current, own, grammar, (walk.reaching, reached), kin
    )
    return Reading(scores, situations)


@dataclass
class _Walk:
    """Where a reading is: the clause, whether a cause is being told, what was found."""

    needs: list[_Need] = field(default_factory=list)
    situations: set[str] = field(default_factory=set)
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

    def new_clause(self) -> None:
        self.clause += 1
        self.cause = self.cause_told = False
        self.topic_until = -1
        self.ask = 0
        self.whose = 0
        self.purpose = self.first = False

    def told_before(self) -> None:
        for need in self.needs:
            need.cause = True

    def cue(self, seq: Sequence[str], start: int, grammar: Situations) -> None:
        """Causes ("since", "lost") and topics ("about") starting here; a person named
        after a cause was told starts the main clause ("since my divorce i ...")."""
        word = seq[start]
        other = _names_other(word, grammar)
        if self.cause_told and (word in grammar.self_words or other):
            self.cause = self.cause_told = False
        if word in grammar.self_words:
            self.whose = SELF
        elif other:
            if word in grammar.possessives:  # "el": "he", or "the" before a need ("el gas")
                self.article = (start, self.whose)
            self.whose = OTHER
        if _phrase_at(seq, start, grammar.causes):
            self.cause = True
        if _phrase_at(seq, start, grammar.purposes):
            self.purpose = True
        if _phrase_at(seq, start, grammar.firsts):
            self.first = True
            for need in self.needs:  # "a counselor more than anything": said after the need
                if need.clause == self.clause:
                    need.asked = FIRST
        if _phrase_at(seq, start, grammar.reaching):
            self.reaching.add(self.clause)
        if _phrase_at(seq, start, grammar.settled):
            for need in self.needs:  # "the housing is fine": not what the text asks for
                if need.clause == self.clause:
                    need.settled = True
        required = _phrase_at(seq, start, grammar.requirements)
        if required:
            self.ask, self.skip_until = REQUIRED, start + required
        elif start < self.skip_until:
            pass
        elif want := _phrase_at(seq, start, grammar.wants):
            self.ask = WANTED
            self.topic_from, self.topic_until = start + want, start + want + TOPIC_REACH
            self.asking_until = start + want
        elif lack := _phrase_at(seq, start, grammar.lacks):
            self.ask = max(self.ask, LACKED)
            self.asking_until = max(self.asking_until, start + lack)
        topic = _phrase_at(seq, start, grammar.topics)
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
        if not best and marks and topic:
            # "questions about my parole": the situation is what the text asks about
            best, asked = _when_alone({m.situation for m in marks}, grammar), WANTED
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
            need = _Need(best, len(self.needs), self.clause, cause, asked, self.whose, person)
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


def _phrase_at(seq: Sequence[str], start: int, phrases: set[tuple[str, ...]]) -> int:
    """Length of the longest of ``phrases`` at ``start`` (0 when none)."""
    for length in range(min(4, len(seq) - start), 0, -1):
        if tuple(seq[start : start + length]) in phrases:
            return length
    return 0


def _own_clauses(seq: Sequence[str], clause_of: list[int], grammar: Situations) -> set[int]:
    """Clauses about the texter alone: a self word ("i", "me") and nobody else named."""
    selves: dict[int, bool] = defaultdict(bool)
    others: dict[int, bool] = defaultdict(bool)
    for word, clause in zip(seq, clause_of, strict=False):
        selves[clause] |= word in grammar.self_words
        others[clause] |= _names_other(word, grammar)
    return {clause for clause, has in selves.items() if has and not others[clause]}


def _categories(
    needs: list[_Need],
    situations: set[str],
    current: set[str],
    own: set[int],
    grammar: Situations,
    reach: tuple[set[int], dict[str, dict[str, float]]] = (set(), {}),
    kin: dict[str, dict[str, float]] | None = None,
) -> dict[str, float]:
    """Each category's weight: the needs named, less for causes and asides, a person
    inside's needs as those who reach them (situations named as they are now, not as a
    cause), a need named to reach them ("what id do i need to visit") as those who help
    reach them, and the situations' own categories when no need is named."""
    reaching, reached_as = reach
    scores: dict[str, float] = defaultdict(float)
    strong = [need for need in needs if max(need.weights.values()) >= NEED_MIN]
    if strong:  # "my mom is in ccwf and they wont give her her meds": mom says who, not what
        needs = [need for need in needs if not need.person]
    # A need named outside any cause: causes then weigh less. A need the text says it
    # wants ("need", "quiero"), or else lacks ("without", "no tengo"): others weigh less.
    beside_cause = any(not need.cause for need in strong)
    top = max((need.asked for need in strong if not need.cause), default=0)
    read_as = _read_as(current, grammar)
    before: dict[int, int] = defaultdict(int)  # needs named before, per way of asking
    asides: dict[str, float] = defaultdict(float)  # needs beside the asked one: once each
    for need in needs:
        aside = False
        # a need asked for after a list of things lacked ("no money no phone... is there
        # somewhere to eat") is the first of its kind, not the last named
        factor = LATER_NEED_FACTOR ** before[need.asked]
        before[need.asked] += 1
        if need.cause and beside_cause:
            factor *= CAUSE_FACTOR
        elif need.asked < top:
            factor *= ASIDE_FACTOR
            aside = True
        if need.settled:
            factor *= SETTLED_FACTOR
        theirs = need.whose == OTHER or (need.whose != SELF and need.clause not in own)
        # A word read as the person inside's need counts once: "pregnant" (healthcare,
        # and weakly family) in jail is for the advocates its care is read as.
        # support (someone to talk to, a support group) is read as the family's; a
        # stronger, specific need ("cutting herself", "depressed") stays what it is
        support = kin if kin and max(need.weights.values()) <= KIN_MAX else {}
        mapping = {**(support or {}), **read_as} if theirs else {}
        # "can i send food", "id to visit", "quiero visitar a mi hermano. que documentos
        # necesito": reaching them, in the clause that says so or the one after it
        if need.clause in reaching or need.clause - 1 in reaching:
            mapping = {**reached_as, **mapping}
        reached = {target for slug in need.weights for target in mapping.get(slug, {})}
        for slug, weight in need.weights.items():
            targets = mapping.get(slug)
            if slug in reached and not targets:
                continue
            if targets:
                scores[slug] += weight * factor * READ_AS_KEEP
                for target, share in targets.items():
                    scores[target] += weight * factor * share
            elif aside:  # "no jacket no ride no money. where is a shelter": one lack each
                asides[slug] = max(asides[slug], weight * factor)
            else:
                scores[slug] += weight * factor
    for slug, weight in asides.items():
        scores[slug] += weight
    if max(scores.values(), default=0.0) < NEED_MIN:
        for category, weight in _when_alone(situations, grammar).items():
            scores[category] = max(scores[category], weight)
    return dict(scores)


def _when_alone(situations: set[str], grammar: Situations) -> dict[str, float]:
    """What the situations ask for when the text names no need."""
    out: dict[str, float] = {}
    for slug in sorted(situations):
        known = grammar.situations.get(slug)
        for category, weight in (known.when_alone if known else {}).items():
            out[category] = max(out.get(category, 0.0), weight)
    return out


def _read_as(
    situations: set[str], grammar: Situations, which: str = "needs_read_as"
) -> dict[str, dict[str, float]]:
    """How the situations present read a need of the person they are about (``which``:
    needs_read_as), a need named to reach that person (reached_read_as), or a need of
    the family around them (kin_read_as)."""
    out: dict[str, dict[str, float]] = {}
    for slug in sorted(situations):
        known = grammar.situations.get(slug)
        maps: dict[str, dict[str, float]] = getattr(known, which) if known else {}
        for category, targets in maps.items():
            merged = out.setdefault(category, {})
            for target, share in targets.items():
                merged[target] = max(merged.get(target, 0.0), share)
    return out
