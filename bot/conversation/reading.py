"""Reading a texter's words as the conversation needs them, beyond one search.

Search ranks services for a text; the conversation also needs to know what
else the text says: each need it names, in order ("need food and a bed
tonight" is food, then housing), the texter's situation (just released, a
family member of someone inside, overwhelmed), a family topic ("his books" is
money and commissary), and whether the text is only a place. All of it comes
from the search's own parser and the curated cues and plans, never from
words written into this code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.search.cues import NEAR_WORDS, Context, Cues, merge, read_context
from bot.search.plans import PlanItem, Plans
from bot.search.query import ParsedQuery, QueryParser
from bot.search.text import stem, words

# A sentence ends at punctuation: who a sentence is about is read within it.
_SENTENCE_BREAK = re.compile(r"[,;.!?\n]")
# A clause ends at punctuation or a joining word; each clause may name one need.
_CLAUSE_BREAK = re.compile(
    r"[,;.!?\n&+/]|\b(?:and|also|plus|then|n|y|e|tambien|ademas|luego)\b", re.IGNORECASE
)
NEED_MIN = 0.75  # a clause names a need when a need phrase or its category is this strong
LONG_TEXT = 280  # characters: a text this long with many needs is offered a person first


@dataclass(frozen=True)
class Reading:
    """What one text says to the conversation."""

    text: str
    parsed: ParsedQuery
    context: Context
    needs: tuple[tuple[str, str], ...]  # (category, the clause that asked), in text order
    topic: PlanItem | None  # a family item the text names ("books" -> money)
    situation: bool = False  # a clause naming only the situation was set aside (parole...)

    @property
    def other_needs(self) -> set[str]:
        """Needs other than family help."""
        return {slug for slug, _ in self.needs} - {"family"}

    @property
    def beside_situation(self) -> bool:
        """The text tells the texter's situation too: a release, someone inside, or a
        clause set aside as the situation (a need named beside it leads)."""
        context = self.context
        return self.situation or context.release or context.inside or context.relative

    @property
    def place_only(self) -> bool:
        """Only a place ("fruitvale", "im in east oakland", "94601"): no need, no situation."""
        parsed = self.parsed
        return (
            bool(parsed.place or parsed.zip_code)
            and not parsed.categories
            and not parsed.facilities
            and not self.context.release
            and not self.context.relative
        )

    @property
    def long_or_distressed(self) -> bool:
        """A long text, or one that says the texter is overwhelmed."""
        return self.context.distress or len(self.text) >= LONG_TEXT

    @property
    def family(self) -> bool:
        """Written on behalf of someone inside or just out, asking for family help only.

        A relative plus a custody cue, or a family topic ("visit", "his books")
        beside a custody cue or place; a need of another kind ("where can she
        stay") is answered as that need instead.
        """
        about_inside = self.context.family or (self.context.inside and self.topic is not None)
        if about_inside and self.topic is not None and self.topic.opens is None:
            return True  # "money on his books": the money words are the topic's, not a need
        named_alone = bool(self.parsed.facilities) and not self.context.released
        return (about_inside or named_alone) and not self.other_needs

    @property
    def wants_plan(self) -> bool:
        """Release day with no need named: "just got out", "my brother gets out tomorrow"."""
        if not self.context.release or self.needs:
            return False
        return self.topic is None or self.topic.opens == "release"


def read_text(text: str, parser: QueryParser, cues: Cues, plans: Plans) -> Reading:
    """Everything the conversation reads in one text."""
    clauses = [c for c in _CLAUSE_BREAK.split(text) if c and c.strip()]
    contexts = []
    topic_words: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text):
        seq = parser.corrected_words(sentence)
        places = [(m.start, m.start + m.length) for m in parser.facilities.find(seq)]
        contexts.append(read_context(cues, seq, places))
        topic_words += [*_without_the_one_held(cues, seq, places), ""]
    context = merge(contexts)
    said = [c for c in clauses if not _overwhelmed(c, parser, cues)]
    needs, supervised, situational = _needs(said, parser, cues)
    named = [n for n in needs if n not in situational]
    # A need named anywhere leads, and a situation alone ("just got out", "my son is in
    # santa rita") gets the plan or the family list; one the conversation has no answer
    # of its own for ("my record", "on parole") is the help the search finds for it, and
    # beside another need it is one more need when the texter asks for it ("need help
    # cleaning up my record and i want to finish my GED").
    own_answer = context.release or context.inside or context.relative
    asked = [n for n in situational if not own_answer and _asks(n[1], parser)]
    set_aside = [n for n in situational if n not in asked]
    if named or own_answer:
        needs = [n for n in needs if n in named or n in asked]
    else:
        set_aside = []
    situation = [n for n in needs if n in supervised]
    kept = [n for n in needs if n not in supervised]
    if not (context.release or kept):  # "on parole, need help with my conditions": a need
        kept, situation = needs, []
    parsed = parser.parse(text)
    # "i have a job and a room but my anxiety is bad": what the texter has is not a need
    # of its own (bot.search.reading settles it), so only mental health is offered
    kept = [n for n in kept if n[0] not in parsed.settled] or kept
    return Reading(
        text=text,
        parsed=parsed,
        context=context,
        needs=tuple(kept),
        topic=plans.family_topic(topic_words),
        situation=bool(situation or set_aside),
    )


Needs = list[tuple[str, str]]


def _needs(clauses: list[str], parser: QueryParser, cues: Cues) -> tuple[Needs, Needs, Needs]:
    """Each category a clause of the text names strongly, first clause first; those
    that are legal help asked in words of parole or probation; and those the clause
    names only by the texter's situation.

    A clause that only says who the need is for ("me and my kids") is not a
    need: the search reads it as the people a service must serve. The caller
    leaves out clauses that say the texter is overwhelmed ("im stressed out"):
    they are offered a person instead. "released from san quentin on parole"
    names parole as the texter's situation; the caller decides (beside a
    release or another need, it is context; alone, it is a need).
    """
    found: Needs = []
    supervised: Needs = []
    situational: Needs = []
    for clause in clauses:
        parsed = parser.parse(clause)
        named = _named(parsed, parser)
        if named is None or _only_people(parsed, parser):
            continue
        slug = max(parsed.categories.items(), key=lambda kv: kv[1])[0]
        earlier = next((n for n in situational if n[0] == slug), None)
        if earlier is not None and named == NEED:
            # "i just got out ... i need a lawyer for my old case": the need asked for
            # replaces the same help read from the situation, which may be set aside.
            found.remove(earlier)
            situational.remove(earlier)
            if earlier in supervised:
                supervised.remove(earlier)
        if slug not in {s for s, _ in found}:
            found.append((slug, clause.strip()))
            if slug == "legal" and cues.has("supervision", parser.corrected_words(clause)):
                supervised.append(found[-1])
            if named == SITUATION:
                situational.append(found[-1])
    return found, supervised, situational


NEED, SITUATION = "need", "situation"


def _named(parsed: ParsedQuery, parser: QueryParser) -> str | None:
    """Whether a clause names a need (NEED), only the texter's situation (SITUATION),
    or nothing strongly (None).

    The search reads a clause that names only a situation ("just got out", "my
    son is in santa rita", "my record") as the help that situation calls for
    (legal help, family services): right for ``homeward search``, while the
    conversation answers the first two with the first-week plan or the family
    list (``read_text`` decides). A clause names a need when a need phrase of
    the vocabulary in it (not a situation phrase) is strong on its own ("where
    can she stay"), or when its strongest category reaches NEED_MIN and is not
    just what its situations call for when alone ("need NA meetings": two weaker
    words of one need). The category is the one the search's reading puts
    first, so a need named anywhere in the clause leads, as in search.
    """
    if not parsed.categories:
        return None
    named = [w for phrase, w in parsed.matched if phrase not in parser.situation_phrases]
    if max(named, default=0.0) >= NEED_MIN:
        return NEED
    slug, weight = max(parsed.categories.items(), key=lambda kv: kv[1])
    if weight < NEED_MIN:
        return None
    return SITUATION if slug in _when_alone(parsed, parser) else NEED


def _asks(clause: str, parser: QueryParser) -> bool:
    """Whether a clause says the texter wants something ("need", "help with": the
    situation files' ``wants``)."""
    seq = parser.corrected_words(clause)
    wants = parser.vocabulary.situations.wants
    return any(
        tuple(seq[start : start + n]) in wants
        for n in range(1, 5)
        for start in range(len(seq) - n + 1)
    )


def _when_alone(parsed: ParsedQuery, parser: QueryParser) -> set[str]:
    """The categories the clause's situations call for when it names no need."""
    known = parser.vocabulary.situations.situations
    return {c for s in parsed.situations if s in known for c in known[s].when_alone}


def _without_the_one_held(cues: Cues, seq: list[str], places: list[tuple[int, int]]) -> list[str]:
    """A sentence's words with the relative who is held or getting out blanked
    ("mi hijo" in "mi hijo esta preso"), for reading the family topic: the person
    inside is never the topic, so "hijo" is not "hijos" (help for kids with a
    parent inside) by its stem."""
    held = [*places]
    for kind in ("custody", "inside", "released", "release_soon"):
        held += cues.spans(kind, seq)
    out = list(seq)
    for start, end in cues.spans("relatives", seq):
        if any(0 <= held_start - end <= NEAR_WORDS for held_start, _ in held):
            out[start:end] = [""] * (end - start)
    return out


def _overwhelmed(clause: str, parser: QueryParser, cues: Cues) -> bool:
    return cues.has("distress", parser.corrected_words(clause))


def _only_people(parsed: ParsedQuery, parser: QueryParser) -> bool:
    """Whether every content word of a clause names a group of people ("kids", "mom")."""
    stems = set().union(*parser.vocabulary.groups.values()) if parser.vocabulary.groups else set()
    content = [w for w in parsed.content if w]
    return bool(content) and all(
        any(stem(w, lang) in stems for lang in parser.term_languages) for w in content
    )


def without_place(text: str, parsed: ParsedQuery) -> str:
    """The text with its ZIP and place taken out, to search it again somewhere else."""
    seq = words(text)
    if parsed.zip_code in seq:
        seq.remove(parsed.zip_code)
    name = tuple((parsed.place or "").split())
    for start in range(len(seq) - len(name) + 1) if name else ():
        if tuple(seq[start : start + len(name)]) == name:
            del seq[start : start + len(name)]
            break
    return " ".join(seq)
