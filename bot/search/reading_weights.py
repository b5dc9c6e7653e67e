"""Weighing the needs a reading found (``bot.search.reading``): which leads.

A need named as the cause of another weighs less ("lost my job and now I'm behind on
rent" asks about rent), and so does one named beside a need the text says it wants or
lacks; each later need counts a little less; a need of a person who is inside is read
as the categories that can meet it there; and a situation named alone asks for its
own categories.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot.search.situations import Situations

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
KIN_MAX = 0.8  # the strongest need of the family around someone inside read as theirs


@dataclass
class Need:
    """A need a reading found: its categories, where it was, how it was asked."""

    weights: dict[str, float]
    order: int
    clause: int
    cause: bool
    asked: int = 0  # WANTED after "need", "quiero"; LACKED after "without", "no tengo"
    whose: int = 0  # SELF or OTHER: the person word nearest before it in its clause
    person: bool = False  # only names a person ("my son", "mama"): who, not what
    settled: bool = False  # said to be taken care of ("the housing is fine for now")
    had: bool = False  # after "got my", "ya tengo mi" (``reading._had_before``)
    # asked as a topic ("questions about my parole"), not wanted: "a movie about a prison
    # break" is one too, so the decider is not told it was asked for
    topic: bool = False


def categories(
    needs: list[Need],
    situations: set[str],
    current: set[str],
    own: set[int],
    grammar: Situations,
    reach: tuple[set[int], dict[str, dict[str, float]]] = (set(), {}),
    kin: dict[str, dict[str, float]] | None = None,
    others: bool = False,
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
    read_as_now = read_as(current, grammar)
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
        mapping = {**(support or {}), **read_as_now} if theirs else {}
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
            elif aside or need.settled:  # "no jacket no ride no money. where is a shelter":
                # one lack each; "we eat at the soup kitchen ... but the motel money runs
                # out": what the texter has counts once, however many words name it
                asides[slug] = max(asides[slug], weight * factor)
            else:
                scores[slug] += weight * factor
    for slug, weight in asides.items():
        scores[slug] += weight
    if max(scores.values(), default=0.0) < NEED_MIN:
        for category, weight in when_alone(situations, grammar, others).items():
            scores[category] = max(scores[category], weight)
    return dict(scores)


def when_alone(situations: set[str], grammar: Situations, others: bool = False) -> dict[str, float]:
    """What the situations ask for when the text names no need (``others``: when it
    speaks only of someone else, a situation's ``others_alone`` if it has one)."""
    out: dict[str, float] = {}
    for slug in sorted(situations):
        known = grammar.situations.get(slug)
        if known is None:
            continue
        weights = (known.others_alone or known.when_alone) if others else known.when_alone
        for category, weight in weights.items():
            out[category] = max(out.get(category, 0.0), weight)
    return out


def read_as(
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
