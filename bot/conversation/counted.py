"""What one answered text adds to the partner report, beyond what the transcript keeps.

Two things only the core knows when it answers: how many SMS segments the
replies cost, and whether a search went unmet: it found nothing, or nothing
within ``UNMET_MILES`` of the texter's place (a phone line or website with no
address is not "near"). ``bot.storage.usage`` counts them; no words go there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.conversation.gsm import segments
from bot.conversation.message import Intent, Point, Reply, Turn
from bot.conversation.view import DirectoryView

UNMET_MILES = 10.0
SEARCHES = (Intent.SEARCH, Intent.CATEGORY)


def sms_segments(channel: str, replies: Sequence[Reply]) -> int:
    """The segments the replies take on SMS (WhatsApp and Telegram are not billed by them)."""
    return sum(segments(reply.text) for reply in replies) if channel == "sms" else 0


def unmet(
    view: DirectoryView, turn: Turn, results: Sequence[str], point: Point | None, when: dt.datetime
) -> str:
    """ "none" (a search found nothing), "far" (nothing within 10 miles), or "" (met, or not
    a search, or no place known to measure from).

    ``results`` are the ids the search kept (every page, not only the one shown).
    """
    if turn.intent not in SEARCHES:
        return ""
    if not turn.shown:
        return "none"
    if point is None:
        return ""
    services = [s for s in (view.search.index.service(i) for i in results) if s is not None]
    hits = view.search.hits_for(services, point, when)
    near = any(h.distance_miles is not None and h.distance_miles <= UNMET_MILES for h in hits)
    return "" if near else "far"
