"""Several needs answered in one reply: the best one or two places for each.

"need food and a bed tonight" gets a heading and the best two places for
food, then for housing, numbered on from each other so any number opens its
details, all within the channel's budget (3 SMS segments). Two each when that
fits, else one each; when even that does not fit, the caller offers a
numbered choice of the needs instead. MORE then lists more places for the
first need, numbered on; PLAN lists the needs.
"""

from __future__ import annotations

from bot.conversation import replies
from bot.conversation import thread_replies as words
from bot.conversation.finding import Finder
from bot.conversation.state import Awaiting
from bot.search.engine import SearchHit

PER_NEED = (2, 1)  # places per need, tried in this order


def show_several(finder: Finder, needs: tuple[tuple[str, str], ...]) -> bool:
    """Add one reply with the best places for every need; False when it cannot fit."""
    found: list[tuple[str, tuple[SearchHit, ...]]] = []
    for slug, text in needs:
        found.append((slug, finder.search(text, category=slug, limit=max(PER_NEED)).hits))
    if not all(hits for _, hits in found):
        return False
    draft = finder.draft
    t = draft.translator
    texter = finder.texter
    ask = finder.point() is None and not texter.asked_zip
    tail = (
        replies.ask_zip(t)
        if ask and any(h.service.locations for _, hs in found for h in hs)
        else ""
    )
    for per_need in PER_NEED:
        shown: list[SearchHit] = []
        lines: list[str] = []
        for slug, hits in found:
            category = finder.view.directory.category(slug)
            label = category.name(t.language) if category else slug
            lines.append(finder.heading(len(hits), label))
            for hit in hits[:per_need]:
                shown.append(hit)
                lines.append(replies.result_line(t, hit, len(shown), finder.when))
        text = "\n".join([*lines, words.several_footer(t), *([tail] if tail else [])])
        if draft.style.overflow(text) <= 0:
            _keep(finder, needs, shown, bool(tail))
            draft.add(text, draft.page_options(1, len(shown), False))
            return True
    return False


def _keep(
    finder: Finder, needs: tuple[tuple[str, str], ...], shown: list[SearchHit], asked: bool
) -> None:
    """What a number or MORE means next: the numbers open these places; no more pages."""
    texter = finder.texter
    ids = [h.service.id for h in shown]
    slug, text = needs[0]
    more = finder.search(text, category=slug).hits  # MORE: more of the first need
    texter.last_results = ids + [h.service.id for h in more if h.service.id not in ids]
    texter.page = 0
    finder.thread.first_page = len(shown)
    texter.awaiting = Awaiting.RESULTS
    texter.last_category, texter.last_query = needs[0]
    texter.asked_zip = texter.asked_zip or asked
    turn = finder.draft.turn
    turn.category, turn.zip_code = texter.last_category, texter.zip_code
    turn.shown = ids
