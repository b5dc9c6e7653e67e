"""How well a service fits the text beyond its best category: whom it serves, and how
many of the needs read it meets.

Two small adjustments to a service's relevance (``bot.search.engine``):

- **Whom it serves.** A service for some people only (veterans, seniors) sinks when
  the text names none of them, and rises when it names them. A men's or a women's
  service sinks less: about half of texters fit it, and "sober living" should find the
  men's and women's sober living homes before AA meetings.
- **Needs it meets together.** A text often reads as more than one category: "sober
  living" is housing and recovery; a person inside whose hepatitis is not treated is
  read as family and legal advocacy, with health care kept at a small share. A
  service filed under several of the categories read (the sober living home; "Medical
  Care Inside - Who to Call") meets the text better than one filed under its best
  category alone, so it rises by a little per further category met, by that
  category's share. It is a tie-breaker among services of the leading category, not
  a way into the answer: a service must still be eligible by its categories or words.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from bot.search.index import SearchIndex, group_bits

GROUP_PENALTY = 1.2  # a service for some people only (veterans...) when the text names none:
# more than nearness can add (engine.NEARNESS), so it ranks below open-to-all ones of its kind
GENDER_PENALTY = 0.15  # a men's or a women's service when the text names no one (0.3 till round 48)
GROUP_BONUS = 0.3  # the text names a group the service is for
COVER = 0.1  # per further category read that a service is filed under, times its share
COVER_SHARE_MIN = 0.2  # categories read weaker than this share of the strongest do not count


def group_fit(index: SearchIndex, groups: set[str]) -> npt.NDArray[np.float64]:
    """Up for services for the people the text names, down for others' services."""
    fits = (index.group_mask & group_bits(groups)) != 0
    one_sex = (index.group_mask == group_bits({"men"})) | (
        index.group_mask == group_bits({"women"})
    )
    penalty = np.where(one_sex, GENDER_PENALTY, GROUP_PENALTY)
    return np.where(fits, GROUP_BONUS, np.where(index.restricted, -penalty, 0.0))


def cover_bonus(index: SearchIndex, categories: dict[str, float]) -> npt.NDArray[np.float64]:
    """Per service, COVER times the shares of the categories read that it is filed
    under, less the largest (its best category is already counted)."""
    strongest = max(categories.values(), default=0.0)
    total = np.zeros(index.size, dtype=np.float64)
    best = np.zeros(index.size, dtype=np.float64)
    if strongest <= 0:
        return total
    for slug, weight in categories.items():
        share = weight / strongest
        bit = index.category_bit(slug)
        if share < COVER_SHARE_MIN or not bit:
            continue
        has = np.where((index.category_mask & bit) != 0, share, 0.0)
        total += has
        best = np.maximum(best, has)
    return COVER * (total - best)
