"""A need for tonight: the services open tonight come first.

"housing tonight 94607", "donde dormir esta noche": a texter who says tonight needs
a place that is open tonight (a night shelter from 7 pm), not an office that opens
on Tuesday at 10 am, even when the office's name says "housing" more plainly. The
words that say it are data (``tonight`` in the vocabulary files); the hours are the
directory's own. A service whose hours are unknown keeps its place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt

from bot.directory.model import Service
from bot.search.hours import is_open
from bot.search.vocabulary import Vocabulary

TONIGHT_BOOST = 1.5  # a service open tonight, beside one that is not
EVENING = (dt.time(19, 0), dt.time(22, 0))  # open at either of these (or later, from now)
NIGHT_ENDS = 6  # before this hour "tonight" is the night already begun


def says_tonight(seq: Sequence[str], vocabulary: Vocabulary, intent: Collection[str]) -> bool:
    """Whether the folded words hold one of the vocabulary's ``tonight`` phrases
    ("tonight", "esta noche") and the need leading the ``intent`` (its categories, the
    strongest first) is one served at night (``night_needs``: a bed, a meal, detox; any,
    when none are listed). "can I take a job that's overnight" asks about a shift: open
    tonight first was noise there (a jobs service open all night led around 1 am)."""
    nights = vocabulary.night_needs
    if nights and intent and next(iter(intent)) not in nights:
        return False
    return any(
        tuple(seq[start : start + len(phrase)]) == phrase
        for phrase in vocabulary.tonight
        for start in range(len(seq) - len(phrase) + 1)
    )


def open_tonight(service: Service, when: dt.datetime) -> bool:
    """Open at some point of tonight, from ``when`` on."""
    if when.hour < NIGHT_ENDS:
        return bool(is_open(service.schedules, when))
    moments = [max(when, dt.datetime.combine(when.date(), t, when.tzinfo)) for t in EVENING]
    return any(is_open(service.schedules, moment) for moment in moments)


def tonight_first(
    scores: npt.NDArray[np.float64],
    services: Sequence[Service],
    when: dt.datetime,
    wanted: int,
) -> npt.NDArray[np.float64]:
    """The scores with each service open tonight raised by ``TONIGHT_BOOST``, among
    those the raise could bring into the first ``wanted``: only their hours are read
    (a saved index decodes a service when it is read, not every candidate)."""
    out = scores.copy()
    candidates = np.flatnonzero(scores > 0)
    if not len(candidates):
        return out
    ranked = np.sort(scores[candidates])[::-1]
    reach = ranked[min(wanted, len(ranked)) - 1] / TONIGHT_BOOST
    for i in candidates[scores[candidates] >= reach]:
        if open_tonight(services[int(i)], when):
            out[i] *= TONIGHT_BOOST
    return out
