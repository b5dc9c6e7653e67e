"""Clauses that tell news and ask nothing: "my medi-cal card came in the mail", "pase mi
prueba de drogas", "probation ended yesterday".

Texters write to say how things went, and such news names the very needs a search
answers (Medi-Cal, a drug test, probation). A clause with a ``news`` phrase of the
situation files and no asking phrase (a want, a lack, a question, a requirement) is left
out of what the text asks, as a need said to be met is (``said.without_met``). When no
clause of the text asks and nothing turns from the news (``news_turns``: "but", "still"),
the news is the whole text ("housing people called me back, im set"); when another clause
asks, it still does: "got hired, need work boots" asks for boots.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.search.situations import Situations, phrase_at


def without_news(
    seq: list[str], grammar: Situations, brk: str, questioned: bool = False
) -> tuple[list[str], bool]:
    """The words less each clause that tells news and asks nothing (clauses end at
    ``brk``, the punctuation mark, and at the clause breaks); whether any was left out.
    A text with a question mark (``questioned``) is never news alone: "sali con mi GED,
    como me inscribo en el colegio?" asks, though no listed phrase says so."""
    asking = grammar.wants | grammar.lacks | grammar.questions | grammar.requirements
    if not questioned and _tells_news(seq, grammar.news, asking | grammar.news_turns):
        return [], True  # news, and nothing asked anywhere in the text
    out: list[str] = []
    clause: list[str] = []
    dropped = False
    n = 0
    while n <= len(seq):
        size = 1 if n < len(seq) and seq[n] == brk else 0
        if n < len(seq) and not size:
            size = phrase_at(seq, n, grammar.clause_breaks)
        if n == len(seq) or size:
            if _tells_news(clause, grammar.news, asking):
                dropped = True
            else:
                out.extend(clause)
            clause = []
            out.extend(seq[n : n + size])
            n += size or 1
            continue
        clause.append(seq[n])
        n += 1
    while out and out[-1] == brk:
        out.pop()
    while out and out[0] == brk:
        out.pop(0)
    return out, dropped


def _tells_news(
    clause: Sequence[str], news: set[tuple[str, ...]], asking: set[tuple[str, ...]]
) -> bool:
    """A news phrase in the clause and no asking phrase."""
    starts = range(len(clause))
    return any(phrase_at(clause, n, news) for n in starts) and not any(
        phrase_at(clause, n, asking) for n in starts
    )
