"""What a text says that is not asked: asides, news, needs said to be met, and hosts.

"voice to text sorry" says how the text was written; "my medi-cal card came in the
mail" tells news; "i dont need a ride anymore" says a need is met; "staying with my
mom" names a host, not whom a service is for. Each is left out before the reading
(``bot.search.reading``) looks for needs, so none of them is read as one.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.search.news import without_news
from bot.search.reading import BREAK
from bot.search.situations import Situations, phrase_at

HOST_REACH = 3  # words after "staying with" that name the host ("my little sister")
MET_REACH = 6  # words after "i dont need" that it may say are met ("a ride to court anymore")


def without_asides(seq: list[str], asides: set[tuple[str, ...]]) -> list[str]:
    """The words without the phrases that only say how the text was written ("voice to
    text sorry", "perdon la ortografia"): they name no need, and "voice" there is not
    "hearing voices"."""
    out: list[str] = []
    n = 0
    while n < len(seq):
        size = phrase_at(seq, n, asides)
        if not size:
            out.append(seq[n])
        n += size or 1
    return out


def without_said(
    seq: list[str],
    grammar: Situations,
    correct: Callable[[str], str | None],
    questioned: bool = False,
) -> tuple[list[str], bool]:
    """The words without asides and needs said to be met; whether a need was (its text
    is then what the reader reads: "i dont need a ride anymore, thanks" asks nothing).
    ``correct`` fixes a typo for finding the cues ("ya no nesesito"). ``questioned``:
    the text has a question mark, so it is not news alone (``news.without_news``)."""
    told, news = without_news(without_asides(seq, grammar.asides), grammar, BREAK, questioned)
    kept, met = without_met(told, grammar, correct)
    return kept, met or news


def without_met(
    seq: list[str], grammar: Situations, correct: Callable[[str], str | None]
) -> tuple[list[str], bool]:
    """The words without a need the texter says is met or not wanted ("i dont need a
    ride anymore", "ya no necesito trabajo"): the cue and up to ``MET_REACH`` words after
    it, to the clause's end or to a word that turns to what is wanted ("i dont need
    money, just a bed": the bed stays). Also whether any was left out. The cues are
    found on the words with typos fixed; the words kept are as written."""
    ends = grammar.clause_breaks | grammar.wants | grammar.lacks | grammar.met_ends | grammar.met
    fixed = [w if w == BREAK else correct(w) or w for w in seq]
    return _without_cued(seq, fixed, grammar.met, ends, MET_REACH)


def without_hosts(seq: list[str], grammar: Situations) -> list[str]:
    """The words less the person the texter stays with ("staying with my mom", "en casa
    de mi tia"), up to ``HOST_REACH`` words after the cue and within the clause: a host,
    not whom a service is for ("Women's Job Club" came first for "im staying at my moms
    house and need a job")."""
    return _without_cued(seq, seq, grammar.hosts, grammar.clause_breaks, HOST_REACH)[0]


def _without_cued(
    seq: list[str],
    found_in: list[str],
    cues: set[tuple[str, ...]],
    ends: set[tuple[str, ...]],
    reach: int,
) -> tuple[list[str], bool]:
    """``seq`` less each cue (found on ``found_in``, the same words or typo-fixed) and up
    to ``reach`` words after it, to the clause's end or an ``ends`` phrase; whether any
    cue was found."""
    out: list[str] = []
    n, dropped = 0, False
    while n < len(seq):
        size = phrase_at(found_in, n, cues)
        if not size:
            out.append(seq[n])
            n += 1
            continue
        dropped, n = True, n + size
        stop = min(len(seq), n + reach)
        while n < stop and seq[n] != BREAK and not phrase_at(found_in, n, ends):
            n += 1
    return out, dropped
