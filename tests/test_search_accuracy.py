"""Accuracy of the search on labelled texts; a failure lists the misses.

The dev set lives in ../shared (present in CI; skipped in a user's clone). The
extra and holdout sets in tests/data were written by people who never saw the
vocabulary or the code, so they guard against tuning to the dev lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.search.engine import SearchEngine
from bot.search.evaluation import Accuracy, LabelledQuery, judge, read_queries
from tests.conftest import SHARED
from tests.conversation_helpers import TUESDAY_11AM

DEV_SET = SHARED / "eval" / "queries.dev.tsv"
EXTRA_SET = Path(__file__).parent / "data" / "queries.extra.tsv"
HOLDOUT_SET = Path(__file__).parent / "data" / "queries.holdout.tsv"
# Issue 21's own reentry texts (situation beside need, someone inside, sound-alikes,
# a need and its cause): written by the builder and tuned on, so a floor against
# regressions, not an unseen figure (docs/search.md has the blind set's).
REENTRY_SET = Path(__file__).parent / "data" / "queries.reentry.dev.tsv"
NONSENSE = Path(__file__).parent / "data" / "nonsense.txt"
# Issue 21's blind sets, written by people who never saw the code. The first was
# measured blind three times, then studied (its misses read) from round 2 on; the
# second was measured once unseen (round 3) and studied in round 4, the third measured
# once unseen (round 4) and studied in round 5: floors against regressions. The fourth
# was copied unread once round 5's code was final and measured once (docs/search.md):
# its floor is that unseen figure; since round 6 the search reader is trained on it.
STUDIED_BLIND = Path(__file__).parent / "data" / "queries.reentry.frozen.tsv"
STUDIED_BLIND2 = Path(__file__).parent / "data" / "queries.reentry2.frozen.tsv"
STUDIED_BLIND3 = Path(__file__).parent / "data" / "queries.reentry3.frozen.tsv"
BLIND_CHATTER = Path(__file__).parent / "data" / "chatter.reentry.frozen.tsv"
STUDIED_CHATTER2 = Path(__file__).parent / "data" / "chatter.reentry2.frozen.tsv"
STUDIED_CHATTER3 = Path(__file__).parent / "data" / "chatter.reentry3.frozen.tsv"
UNSEEN_BLIND = Path(__file__).parent / "data" / "queries.reentry4.frozen.tsv"
UNSEEN_CHATTER = Path(__file__).parent / "data" / "chatter.reentry4.frozen.tsv"
# The fifth: copied unread once round 6's code (the search reader) was final, measured
# once (docs/search.md); never trained on nor read, but round 7 checked the thresholds
# it chose by cross-validation on its figures, so it is no longer unseen.
UNSEEN_BLIND5 = Path(__file__).parent / "data" / "queries.reentry5.frozen.tsv"
UNSEEN_CHATTER5 = Path(__file__).parent / "data" / "chatter.reentry5.frozen.tsv"
# Rounds 7 to 10 (docs/search.md, "Chatter and the reader"): each round's blind sets (a
# reentry set, its chatter, and a second writer's chatter and short needs) were copied
# unread once the round's code was final and measured once; the sixth to eighth were
# then learned by the search reader; the ninth is the latest unseen measure.
DATA = Path(__file__).parent / "data"
SIXTH, SIXTH_SHORT = DATA / "queries.reentry6.frozen.tsv", DATA / "queries.short6.frozen.tsv"
SEVENTH, SEVENTH_SHORT = DATA / "queries.reentry7.frozen.tsv", DATA / "queries.short7.frozen.tsv"
EIGHTH, EIGHTH_SHORT = DATA / "queries.reentry8.frozen.tsv", DATA / "queries.short8.frozen.tsv"
NINTH, NINTH_SHORT = DATA / "queries.reentry9.frozen.tsv", DATA / "queries.short9.frozen.tsv"
TENTH, TENTH_SHORT = DATA / "queries.reentry10.frozen.tsv", DATA / "queries.short10.frozen.tsv"
ELEVENTH = DATA / "queries.reentry11.frozen.tsv"
ELEVENTH_SHORT = DATA / "queries.short11.frozen.tsv"
TWELFTH, TWELFTH_SHORT = DATA / "queries.reentry12.frozen.tsv", DATA / "queries.short12.frozen.tsv"
THIRTEENTH = DATA / "queries.reentry13.frozen.tsv"
THIRTEENTH_SHORT = DATA / "queries.short13.frozen.tsv"
FOURTEENTH = DATA / "queries.reentry14.frozen.tsv"
FOURTEENTH_SHORT = DATA / "queries.short14.frozen.tsv"
FIFTEENTH = DATA / "queries.reentry15.frozen.tsv"
FIFTEENTH_SHORT = DATA / "queries.short15.frozen.tsv"
SIXTEENTH = DATA / "queries.reentry16.frozen.tsv"
SIXTEENTH_SHORT = DATA / "queries.short16.frozen.tsv"
SEVENTEENTH = DATA / "queries.reentry17.frozen.tsv"
SEVENTEENTH_SHORT = DATA / "queries.short17.frozen.tsv"
EIGHTEENTH = DATA / "queries.reentry18.frozen.tsv"
EIGHTEENTH_SHORT = DATA / "queries.short18.frozen.tsv"
NINETEENTH = DATA / "queries.reentry19.frozen.tsv"
NINETEENTH_SHORT = DATA / "queries.short19.frozen.tsv"
TWENTIETH = DATA / "queries.reentry20.frozen.tsv"
TWENTIETH_SHORT = DATA / "queries.short20.frozen.tsv"
TWENTY_FIRST = DATA / "queries.reentry21.frozen.tsv"
TWENTY_FIRST_SHORT = DATA / "queries.short21.frozen.tsv"
TWENTY_SECOND = DATA / "queries.reentry22.frozen.tsv"
TWENTY_SECOND_SHORT = DATA / "queries.short22.frozen.tsv"
TWENTY_THIRD = DATA / "queries.reentry23.frozen.tsv"
TWENTY_THIRD_SHORT = DATA / "queries.short23.frozen.tsv"
TWENTY_FOURTH = DATA / "queries.reentry24.frozen.tsv"
TWENTY_FOURTH_SHORT = DATA / "queries.short24.frozen.tsv"
TWENTY_FIFTH = DATA / "queries.reentry25.frozen.tsv"
TWENTY_FIFTH_SHORT = DATA / "queries.short25.frozen.tsv"
TWENTY_SIXTH = DATA / "queries.reentry26.frozen.tsv"
TWENTY_SIXTH_SHORT = DATA / "queries.short26.frozen.tsv"
TWENTY_SEVENTH = DATA / "queries.reentry27.frozen.tsv"
TWENTY_SEVENTH_SHORT = DATA / "queries.short27.frozen.tsv"
TWENTY_EIGHTH = DATA / "queries.reentry28.frozen.tsv"
TWENTY_EIGHTH_SHORT = DATA / "queries.short28.frozen.tsv"
TWENTY_NINTH = DATA / "queries.reentry29.frozen.tsv"
TWENTY_NINTH_SHORT = DATA / "queries.short29.frozen.tsv"
THIRTIETH = DATA / "queries.reentry30.frozen.tsv"
THIRTIETH_SHORT = DATA / "queries.short30.frozen.tsv"
THIRTY_FIRST = DATA / "queries.reentry31.frozen.tsv"
THIRTY_FIRST_SHORT = DATA / "queries.short31.frozen.tsv"
THIRTY_SECOND = DATA / "queries.reentry32.frozen.tsv"
THIRTY_SECOND_SHORT = DATA / "queries.short32.frozen.tsv"
THIRTY_THIRD = DATA / "queries.reentry33.frozen.tsv"
THIRTY_THIRD_SHORT = DATA / "queries.short33.frozen.tsv"
THIRTY_FOURTH = DATA / "queries.reentry34.frozen.tsv"
THIRTY_FOURTH_SHORT = DATA / "queries.short34.frozen.tsv"
THIRTY_FIFTH = DATA / "queries.reentry35.frozen.tsv"
THIRTY_FIFTH_SHORT = DATA / "queries.short35.frozen.tsv"
THIRTY_SIXTH = DATA / "queries.reentry36.frozen.tsv"
THIRTY_SIXTH_SHORT = DATA / "queries.short36.frozen.tsv"
THIRTY_SEVENTH = DATA / "queries.reentry37.frozen.tsv"
THIRTY_SEVENTH_SHORT = DATA / "queries.short37.frozen.tsv"
THIRTY_EIGHTH = DATA / "queries.reentry38.frozen.tsv"
THIRTY_EIGHTH_SHORT = DATA / "queries.short38.frozen.tsv"
THIRTY_NINTH = DATA / "queries.reentry39.frozen.tsv"
THIRTY_NINTH_SHORT = DATA / "queries.short39.frozen.tsv"
FORTIETH = DATA / "queries.reentry40.frozen.tsv"
FORTIETH_SHORT = DATA / "queries.short40.frozen.tsv"
FORTY_FIRST = DATA / "queries.reentry41.frozen.tsv"
FORTY_FIRST_SHORT = DATA / "queries.short41.frozen.tsv"
FORTY_SECOND = DATA / "queries.reentry42.frozen.tsv"
FORTY_SECOND_SHORT = DATA / "queries.short42.frozen.tsv"
FORTY_THIRD = DATA / "queries.reentry43.frozen.tsv"
FORTY_THIRD_SHORT = DATA / "queries.short43.frozen.tsv"
FORTY_FOURTH = DATA / "queries.reentry44.frozen.tsv"
FORTY_FOURTH_SHORT = DATA / "queries.short44.frozen.tsv"
# Rounds 41 to 44's pairs, written from a new brief (docs/search.md, "Rounds 41 and 42"):
# harder than the sets before them, on chatter above all.
FORTY_FIFTH = DATA / "queries.reentry45.frozen.tsv"
FORTY_FIFTH_SHORT = DATA / "queries.short45.frozen.tsv"
FORTY_SIXTH = DATA / "queries.reentry46.frozen.tsv"
FORTY_SIXTH_SHORT = DATA / "queries.short46.frozen.tsv"
FORTY_SEVENTH = DATA / "queries.reentry47.frozen.tsv"
FORTY_SEVENTH_SHORT = DATA / "queries.short47.frozen.tsv"
FORTY_EIGHTH = DATA / "queries.reentry48.frozen.tsv"
FORTY_EIGHTH_SHORT = DATA / "queries.short48.frozen.tsv"
FORTY_NINTH = DATA / "queries.reentry49.frozen.tsv"
FORTY_NINTH_SHORT = DATA / "queries.short49.frozen.tsv"
FIFTIETH = DATA / "queries.reentry50.frozen.tsv"
FIFTIETH_SHORT = DATA / "queries.short50.frozen.tsv"
FIFTY_FIRST = DATA / "queries.reentry51.frozen.tsv"
FIFTY_FIRST_SHORT = DATA / "queries.short51.frozen.tsv"
FIFTY_SECOND = DATA / "queries.reentry52.frozen.tsv"
FIFTY_SECOND_SHORT = DATA / "queries.short52.frozen.tsv"
FIFTY_THIRD = DATA / "queries.reentry53.frozen.tsv"
FIFTY_THIRD_SHORT = DATA / "queries.short53.frozen.tsv"
FIFTY_FOURTH = DATA / "queries.reentry54.frozen.tsv"
FIFTY_FOURTH_SHORT = DATA / "queries.short54.frozen.tsv"
FIFTY_FIFTH = DATA / "queries.reentry55.frozen.tsv"
FIFTY_FIFTH_SHORT = DATA / "queries.short55.frozen.tsv"
FIFTY_SIXTH = DATA / "queries.reentry56.frozen.tsv"
FIFTY_SIXTH_SHORT = DATA / "queries.short56.frozen.tsv"
FIFTY_SEVENTH = DATA / "queries.reentry57.frozen.tsv"
FIFTY_SEVENTH_SHORT = DATA / "queries.short57.frozen.tsv"
FIFTY_EIGHTH = DATA / "queries.reentry58.frozen.tsv"
FIFTY_EIGHTH_SHORT = DATA / "queries.short58.frozen.tsv"
FIFTY_NINTH = DATA / "queries.reentry59.frozen.tsv"
FIFTY_NINTH_SHORT = DATA / "queries.short59.frozen.tsv"
SIXTIETH = DATA / "queries.reentry60.frozen.tsv"
SIXTIETH_SHORT = DATA / "queries.short60.frozen.tsv"
SIXTY_FIRST = DATA / "queries.reentry61.frozen.tsv"
SIXTY_FIRST_SHORT = DATA / "queries.short61.frozen.tsv"
SIXTY_SECOND = DATA / "queries.reentry62.frozen.tsv"
SIXTY_SECOND_SHORT = DATA / "queries.short62.frozen.tsv"
SIXTY_THIRD = DATA / "queries.reentry63.frozen.tsv"
SIXTY_THIRD_SHORT = DATA / "queries.short63.frozen.tsv"


def _measure(engine: SearchEngine, path: Path) -> Accuracy:
    """One set's accuracy at a fixed time: "bed tonight" puts what is open tonight first,
    so on the clock a floor could move with the hour the tests run at."""

    def rank(query: LabelledQuery) -> list[list[str]]:
        hits = engine.search(query.text, limit=3, now=TUESDAY_11AM).hits
        return [list(h.service.categories) for h in hits]

    accuracy = judge(read_queries(path), rank)
    return accuracy


@pytest.mark.skipif(not DEV_SET.exists(), reason="../shared/eval is not beside this checkout")
def test_dev_set_first_result_is_right_for_90_percent(engine: SearchEngine) -> None:
    accuracy = _measure(engine, DEV_SET)
    assert accuracy.top1_rate >= 0.90, accuracy.report(DEV_SET.name)
    assert accuracy.top3_rate >= 0.97, accuracy.report(DEV_SET.name)


@pytest.mark.parametrize("path", [EXTRA_SET, HOLDOUT_SET], ids=["extra", "holdout"])
def test_independently_written_sets_meet_the_targets(engine: SearchEngine, path: Path) -> None:
    accuracy = _measure(engine, path)
    assert accuracy.top1_rate >= 0.90, accuracy.report(path.name)
    assert accuracy.top3_rate >= 0.95, accuracy.report(path.name)


def test_nonsense_and_off_topic_texts_get_no_results(engine: SearchEngine) -> None:
    texts = [t for t in NONSENSE.read_text(encoding="utf-8").splitlines() if t.strip()]
    noisy = [t for t in texts if engine.search(t).hits]
    assert len(noisy) <= len(texts) // 20, f"{len(noisy)} of {len(texts)} got results: {noisy}"


def test_reentry_texts_find_the_need_not_the_situation(engine: SearchEngine) -> None:
    accuracy = _measure(engine, REENTRY_SET)
    assert accuracy.total > 200
    assert accuracy.top1_rate >= 0.97, accuracy.report(REENTRY_SET.name)
    assert accuracy.top3_rate >= 0.97, accuracy.report(REENTRY_SET.name)


# Each blind reentry set: its size and the floors it keeps (top-1, top-3).
BLIND_FLOORS = {
    # studied since round 2: 97.9% / 98.4% measured
    STUDIED_BLIND: (381, 0.97, 0.98),
    # unseen in round 3 (93.6% top-1); its misses read in round 4: 96.6% / 97.5%
    STUDIED_BLIND2: (440, 0.96, 0.97),
    # unseen in round 4 (93.3% / 93.6%), studied in round 5: 98.1% top-1
    STUDIED_BLIND3: (420, 0.97, 0.97),
    # unseen in round 5 (93.2% / 93.9%; goal 95% not met); the reader trains on it since:
    # 95.6% / 96.1% in round 7
    UNSEEN_BLIND: (457, 0.955, 0.96),
    # unseen in round 6: 95.6% / 97.0% on the sample directory; round 7: 97.2% / 98.4%
    UNSEEN_BLIND5: (434, 0.97, 0.98),
    # unseen in round 7: 92.9% / 94.3%; learned since round 8: 97.0% / 97.9% in round 10
    SIXTH: (435, 0.965, 0.975),
    SIXTH_SHORT: (210, 0.985, 0.985),  # unseen: 97.6%; learned: 99.0%
    # unseen in round 8: 96.8% / 97.5%; learned since round 9: 97.7% / 97.9%
    SEVENTH: (440, 0.97, 0.975),
    SEVENTH_SHORT: (206, 0.985, 0.985),  # unseen: 98.5%; learned: 99.0%
    # unseen in round 9: 96.1% / 96.8%; learned in round 10: 97.7% / 98.4%
    EIGHTH: (433, 0.97, 0.98),
    EIGHTH_SHORT: (204, 0.99, 0.99),  # unseen: 96.6%; learned: 100%
    # unseen in round 10: 96.0% / 97.1%; learned since round 11: 97.8% / 98.4% in round 12
    NINTH: (450, 0.97, 0.98),
    NINTH_SHORT: (211, 0.99, 0.99),  # unseen: 98.1%; learned: 99.5% in round 12
    # unseen in round 11 (its first part): 93.0% / 93.4%; learned since round 12: 96.1% /
    # 96.4% in round 13
    TENTH: (440, 0.955, 0.96),
    TENTH_SHORT: (210, 0.96, 0.96),  # unseen: 93.8%; learned: 96.2%
    # unseen in round 11: 91.9% / 92.8%; learned since round 12: 94.9% / 95.8% in round 13
    ELEVENTH: (432, 0.945, 0.955),
    ELEVENTH_SHORT: (217, 0.98, 0.98),  # unseen: 90.3%; learned: 98.2%
    # unseen in round 12: 94.7% / 95.4%; learned since round 13: 97.0% / 97.2%
    TWELFTH: (433, 0.965, 0.97),
    TWELFTH_SHORT: (236, 0.94, 0.95),  # unseen: 91.5%; learned: 94.9% in round 14
    # unseen in round 13: 95.4% / 96.6%; learned in round 14: 97.0% / 97.7%
    THIRTEENTH: (435, 0.965, 0.97),
    THIRTEENTH_SHORT: (229, 0.975, 0.98),  # unseen: 92.6%; learned: 98.3%
    # unseen in round 14: 95.7% / 96.9%; never learned
    FOURTEENTH: (447, 0.955, 0.965),
    FOURTEENTH_SHORT: (210, 0.98, 0.98),  # unseen: 98.1%
    # unseen in round 15 (round 14's code): 97.3% / 98.0%; learned: 99.1% / 99.6%
    FIFTEENTH: (441, 0.985, 0.99),
    FIFTEENTH_SHORT: (221, 0.97, 0.975),  # unseen: 95.5%; learned: 97.7%
    # unseen in round 15 (its code): 98.2% / 98.7%; learned: 98.9% / 99.3%
    SIXTEENTH: (451, 0.98, 0.985),
    SIXTEENTH_SHORT: (238, 0.98, 0.985),  # unseen: 97.9%; learned: 98.7%
    # unseen in round 16 (round 15's code): 95.7% / 96.2%; learned: 98.0% / 98.2%
    SEVENTEENTH: (443, 0.975, 0.975),
    SEVENTEENTH_SHORT: (215, 0.945, 0.945),  # unseen: 94.0%; learned: 95.3%, 94.9% in round 17
    # unseen in round 16: 96.6% / 97.1%; learned in round 17: 97.7% / 98.0%
    EIGHTEENTH: (441, 0.97, 0.975),
    EIGHTEENTH_SHORT: (245, 0.97, 0.975),  # unseen: 96.7%; learned: 97.6%
    # unseen in round 17: 96.6% / 97.0%; learned in round 18: 98.9% / 99.3%
    NINETEENTH: (437, 0.98, 0.985),
    NINETEENTH_SHORT: (213, 0.99, 0.99),  # unseen: 98.1%; learned: 99.5%
    # unseen in round 18 (round 17's code): 95.5% / 96.2%; learned: 97.5% / 97.7%
    TWENTIETH: (442, 0.97, 0.97),
    TWENTIETH_SHORT: (231, 0.97, 0.97),  # unseen: 96.5%; learned: 97.4%
    # unseen in round 18 (its code): 96.5% / 97.4%; learned in round 19: 97.8% / 98.7%
    TWENTY_FIRST: (454, 0.97, 0.98),
    TWENTY_FIRST_SHORT: (252, 0.97, 0.975),  # unseen: 96.0%; learned: 98.0%
    # unseen in round 19 (its code): 95.6% / 96.6%; learned in round 20: 97.2% / 98.2%
    TWENTY_SECOND: (436, 0.965, 0.975),
    TWENTY_SECOND_SHORT: (204, 0.99, 0.99),  # unseen: 99.0%; learned: 100%
    # unseen in round 20 (its code): 96.8% / 96.8%; learned in round 21: 97.7% / 97.7%
    TWENTY_THIRD: (434, 0.97, 0.97),
    TWENTY_THIRD_SHORT: (214, 0.95, 0.95),  # unseen: 94.4%; learned: 96.7%; 95.3% since round 35
    # unseen in round 21 (its code): 95.9% / 96.1%; learned in round 22: 97.7% / 97.7%
    TWENTY_FOURTH: (439, 0.97, 0.97),
    TWENTY_FOURTH_SHORT: (224, 0.99, 0.99),  # unseen: 99.6%; learned: 100%
    # unseen in round 22 (its code): 95.5% / 96.6%; learned in round 23: 97.7% / 98.6%
    TWENTY_FIFTH: (443, 0.97, 0.98),
    TWENTY_FIFTH_SHORT: (217, 0.98, 0.98),  # unseen: 97.7%; learned: 98.6%
    # unseen in round 23 (its code): 97.0% / 97.7%; learned in round 24: 98.4% / 98.4%
    TWENTY_SIXTH: (430, 0.975, 0.975),
    TWENTY_SIXTH_SHORT: (224, 0.98, 0.98),  # unseen: 98.2%; learned: 98.7%
    # unseen in round 24 (its code): 96.4% / 97.1%; learned in round 25: 97.3% / 97.8%
    TWENTY_SEVENTH: (450, 0.965, 0.97),
    TWENTY_SEVENTH_SHORT: (220, 0.955, 0.96),  # unseen: 94.5%; learned: 96.4%
    # unseen in round 25 (its code): 97.5% / 98.2%; learned in round 26: 98.0% / 98.7%
    TWENTY_EIGHTH: (445, 0.975, 0.98),
    TWENTY_EIGHTH_SHORT: (207, 0.99, 0.99),  # unseen: 100%; learned: 100%
    # unseen in round 26 (its code): 94.3% / 95.2%; learned in round 27: 97.0% / 97.7%
    TWENTY_NINTH: (437, 0.965, 0.97),
    TWENTY_NINTH_SHORT: (205, 0.96, 0.96),  # unseen: 95.1%; learned: 96.6%
    # unseen in round 27 (its code): 97.7% / 98.0%; learned in round 28: 99.1% / 99.1%
    THIRTIETH: (443, 0.985, 0.985),
    THIRTIETH_SHORT: (240, 0.97, 0.97),  # unseen: 93.8%; learned: 97.5%
    # unseen in round 28 (its code): 97.7% / 97.9%; learned in round 29: 99.1% / 99.1%
    THIRTY_FIRST: (433, 0.985, 0.985),
    THIRTY_FIRST_SHORT: (229, 0.99, 0.99),  # unseen: 99.6%; learned: 99.6%
    # unseen in round 29 (its code): 96.6% / 97.5%; learned in round 30: 97.3% / 98.2%
    THIRTY_SECOND: (442, 0.965, 0.975),
    THIRTY_SECOND_SHORT: (221, 0.965, 0.97),  # unseen: 97.3%; learned: 97.3%
    # unseen in round 30 (its code): 93.3% / 94.0%; learned in round 31: 96.6% / 97.0%
    THIRTY_THIRD: (436, 0.96, 0.965),
    THIRTY_THIRD_SHORT: (219, 0.99, 0.99),  # unseen: 98.2%; learned: 99.5%
    # unseen in round 31 (its code): 96.2% / 96.6%; learned in round 32: 98.7% / 98.9%
    THIRTY_FOURTH: (445, 0.98, 0.98),
    THIRTY_FOURTH_SHORT: (273, 0.975, 0.975),  # unseen: 95.2%; learned: 98.2%
    # unseen in round 32 (its code): 96.8% / 97.1%; learned in round 33: 97.7% / 98.0%
    THIRTY_FIFTH: (443, 0.97, 0.975),
    THIRTY_FIFTH_SHORT: (232, 0.965, 0.97),  # unseen: 96.6%; learned: 97.0%
    # unseen in round 33 (its code): 97.0% / 97.7%; learned in round 35: 97.7% / 98.1%
    THIRTY_SIXTH: (431, 0.97, 0.975),
    THIRTY_SIXTH_SHORT: (221, 0.99, 0.99),  # unseen: 100%
    # unseen in round 34 (its code): 96.2% / 96.2%; learned in round 35: 97.3% / 97.6%
    THIRTY_SEVENTH: (449, 0.965, 0.97),
    THIRTY_SEVENTH_SHORT: (231, 0.985, 0.99),  # unseen: 98.3%; learned: 99.1%
    # unseen in round 35 (its code): 96.8% / 97.1%; not learned
    THIRTY_EIGHTH: (442, 0.96, 0.965),
    THIRTY_EIGHTH_SHORT: (267, 0.96, 0.965),  # unseen: 96.6%
    THIRTY_NINTH: (431, 0.96, 0.965),  # unseen in round 36: 95.4%
    THIRTY_NINTH_SHORT: (237, 0.985, 0.99),  # unseen: 99.2%
    FORTIETH: (433, 0.975, 0.98),  # unseen in round 36: 95.8%
    FORTIETH_SHORT: (223, 0.985, 0.985),  # unseen: 97.3%
    FORTY_FIRST: (432, 0.985, 0.99),  # unseen in round 37: 97.7%
    FORTY_FIRST_SHORT: (249, 0.99, 0.99),  # unseen: 99.6%
    FORTY_SECOND: (490, 0.975, 0.985),  # unseen in round 38: 97.3%; learned since
    FORTY_SECOND_SHORT: (205, 0.995, 0.995),  # unseen: 100%; learned since
    # unseen in round 39 (the shipped code): 96.9% / 96.9%; learned in round 41: 98.8% / 98.8%
    FORTY_THIRD: (425, 0.98, 0.98),
    FORTY_THIRD_SHORT: (220, 0.985, 0.985),  # unseen: 98.6%; learned: 99.1%
    # unseen in round 40 (the shipped code): 94.2% / 95.3%; learned in round 41: 95.3% / 96.3%;
    # 94.9% after round 47's retrain (two texts near a tie between two categories)
    FORTY_FOURTH: (429, 0.945, 0.96),
    FORTY_FOURTH_SHORT: (206, 0.99, 0.99),  # unseen: 99.0%; learned: 99.5%
    # unseen in round 41 (its code): 91.4% / 91.4%; learned in round 43: 94.7% (its labels
    # differ most from the directory's: sober living as housing)
    FORTY_FIFTH: (451, 0.945, 0.945),
    FORTY_FIFTH_SHORT: (241, 0.98, 0.98),  # unseen: 98.3%; learned: 98.3%
    # unseen in round 42 (its code): 92.4% / 92.1%; learned in round 43: 95.5%
    FORTY_SIXTH: (445, 0.95, 0.95),
    FORTY_SIXTH_SHORT: (226, 0.99, 0.99),  # unseen: 98.7%; learned: 99.1%
    # unseen in round 43 (its code): 91.1% / 90.7%; learned in round 46: 94.6%
    FORTY_SEVENTH: (462, 0.94, 0.95),
    FORTY_SEVENTH_SHORT: (212, 0.985, 0.985),  # unseen: 98.6%; learned: 98.6%
    # unseen in round 44 (its code): 93.0% / 92.7%; learned in round 46: 95.6%
    FORTY_EIGHTH: (455, 0.95, 0.96),
    FORTY_EIGHTH_SHORT: (229, 0.985, 0.985),  # unseen: 97.8%; learned: 98.7%
    # unseen after round 44 (the code as it landed, 395a250): 91.0% / 90.3%; learned in
    # round 46: 94.3%
    FORTY_NINTH: (454, 0.94, 0.945),
    FORTY_NINTH_SHORT: (222, 0.99, 0.99),  # unseen: 98.6%; learned: 99.1%
    # unseen in round 46 on the last stop's code (498fddc): 94.5% / 93.2%; learned: 96.7%
    FIFTIETH: (453, 0.96, 0.965),
    FIFTIETH_SHORT: (225, 0.995, 0.995),  # unseen: 99.6%; learned: 100%
    # unseen in round 46 (its code, 45b825c): 93.8% / 93.1% (94.0% / 93.3% on 498fddc);
    # learned in round 47: 96.2%
    FIFTY_FIRST: (449, 0.955, 0.97),
    FIFTY_FIRST_SHORT: (218, 0.995, 0.995),  # unseen: 99.5%; learned: 100%
    # unseen after round 46 (the code as it lands, 73628e8): 92.8% / 91.7% (92.4% / 91.5% on
    # 498fddc); learned in round 47: 96.1%
    FIFTY_SECOND: (458, 0.955, 0.96),
    FIFTY_SECOND_SHORT: (210, 0.98, 0.99),  # unseen: 97.6%; learned: 98.6%
    # unseen in round 47 on the last stop's code (7917e3c): 90.4% / 89.5%; learned: 95.4%
    FIFTY_THIRD: (458, 0.95, 0.96),
    FIFTY_THIRD_SHORT: (222, 0.995, 0.995),  # unseen: 99.1%; learned: 100%
    # unseen after round 47 (the code as it lands): 96.1% / 95.7% (93.8% / 92.9% on
    # 7917e3c); learned in round 48: 99.8%
    FIFTY_FOURTH: (467, 0.985, 0.99),
    FIFTY_FOURTH_SHORT: (218, 0.99, 0.995),  # unseen: 99.5%; learned: 100%
    # written while round 47 was checked, measured once on the code as it lands: 95.1% /
    # 94.9% (93.8% / 91.7% on 7917e3c); learned in round 48: 100%
    FIFTY_FIFTH: (468, 0.985, 0.99),
    FIFTY_FIFTH_SHORT: (231, 0.98, 0.985),  # unseen: 98.3%; learned: 99.1%
    # unseen in round 48 on the last stop's code (4795cb8): 92.7% / 92.5%; learned: 99.3%
    FIFTY_SIXTH: (455, 0.985, 0.99),
    FIFTY_SIXTH_SHORT: (226, 0.99, 0.995),  # unseen: 99.1%; learned: 100%
    # unseen after round 48 (the code as it lands): 96.9% / 97.4% (94.5% / 94.1% on
    # 4795cb8); not learned
    FIFTY_SEVENTH: (456, 0.96, 0.965),
    FIFTY_SEVENTH_SHORT: (215, 0.99, 0.99),  # unseen: 99.5%; not learned
    # unseen after round 48, measured in the same run: 98.5% / 98.7% (97.0% / 96.7% on
    # 4795cb8); not learned
    FIFTY_EIGHTH: (461, 0.975, 0.98),
    FIFTY_EIGHTH_SHORT: (216, 0.995, 0.995),  # unseen: 100%; not learned
    # unseen in round 49 on the last stop's code (35a2dce): 97.8% / 97.1%; its misses
    # studied, not learned: 98.9%
    FIFTY_NINTH: (454, 0.985, 0.99),
    FIFTY_NINTH_SHORT: (211, 0.995, 0.995),  # unseen: 99.5%; not learned
    # unseen in round 49 (measured once, before its last two changes): 96.7% / 96.9%;
    # studied, not learned: 96.9%
    SIXTIETH: (448, 0.965, 0.975),
    SIXTIETH_SHORT: (213, 0.995, 0.995),  # unseen: 99.5%; not learned
    # written while round 49 was checked, measured once on its code as it stood: 93.9% /
    # 94.6% (the same on 35a2dce); studied, not learned: 94.3%
    SIXTY_FIRST: (459, 0.94, 0.945),
    SIXTY_FIRST_SHORT: (220, 0.995, 0.995),  # unseen: 99.5%; not learned
    # unseen in round 50 on the last stop's code (052fd16): 95.9% / 96.8%; studied, not
    # learned: 96.5%
    SIXTY_SECOND: (462, 0.96, 0.965),
    SIXTY_SECOND_SHORT: (225, 0.995, 0.995),  # unseen: 100%; not learned
    # written during round 50, measured once on its code as it stood: 96.3% / 95.7% (the
    # same on 052fd16); studied, not learned: 96.7%
    SIXTY_THIRD: (460, 0.96, 0.965),
    SIXTY_THIRD_SHORT: (212, 0.995, 0.995),  # unseen: 99.5%; not learned
}


@pytest.mark.parametrize("path", list(BLIND_FLOORS), ids=lambda p: p.name)
def test_each_blind_reentry_set_keeps_its_floor(engine: SearchEngine, path: Path) -> None:
    size, top1, top3 = BLIND_FLOORS[path]
    accuracy = _measure(engine, path)
    assert accuracy.total == size
    assert accuracy.top1_rate >= top1, accuracy.report(path.name)
    assert accuracy.top3_rate >= top3, accuracy.report(path.name)


def _chatter(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    texts = [line.split("\t")[0].strip() for line in lines if line.strip()]
    return [t for t in texts if not t.startswith("#") and t.casefold() != "text"]


def test_the_first_blind_chatter_set_gets_no_results(engine: SearchEngine) -> None:
    texts = _chatter(BLIND_CHATTER)
    assert len(texts) == 135
    assert [t for t in texts if engine.search(t).hits] == []


def test_the_second_blind_chatter_set_studied_gets_no_results(engine: SearchEngine) -> None:
    """Unseen in round 3 (2 of 133 got results), studied in rounds 4 and 5: none."""
    texts = _chatter(STUDIED_CHATTER2)
    assert len(texts) == 133
    assert [t for t in texts if engine.search(t).hits] == []


def test_the_third_chatter_set_studied_gets_no_results(engine: SearchEngine) -> None:
    """Unseen in round 4 (7 of 142 got results), studied in round 5 (5 of 142); the
    reader learned it in round 6 and overrules the gate when sure since round 7: none."""
    texts = _chatter(STUDIED_CHATTER3)
    assert len(texts) == 142
    assert [t for t in texts if engine.search(t).hits] == []


def test_the_fourth_chatter_set_gets_no_results(engine: SearchEngine) -> None:
    """Measured once unseen in round 5: 12 of 160 got results; learned by the reader in
    round 6 (11), none since round 7."""
    texts = _chatter(UNSEEN_CHATTER)
    assert len(texts) == 160
    assert [t for t in texts if engine.search(t).hits] == []


def test_the_fifth_chatter_set_keeps_its_measured_floor(engine: SearchEngine) -> None:
    """Measured once unseen in round 6: 8 of 151 texts got results; round 7 checked its
    thresholds on it: 2 of 151, 1 from round 9, 2 in round 12 ("never mind i figured it
    out", "palabras al azar: mango nube bicicleta"), none in round 13, 1 since round
    14's retraining (the random words: "bicicleta" reads transportation 0.66)."""
    texts = _chatter(UNSEEN_CHATTER5)
    assert len(texts) == 151
    assert sum(1 for t in texts if engine.search(t).hits) <= 1


# Rounds 7 to 20's chatter: its size, and the texts answered now (measured unseen:
# in the comment; the goal is none).
CHATTER_FLOORS = {
    DATA / "chatter.reentry6.frozen.tsv": (204, 0),  # unseen in round 7: 4; learned since
    DATA / "chatter.test6.frozen.tsv": (384, 0),  # unseen in round 7: 9; learned since
    DATA / "chatter.reentry7.frozen.tsv": (208, 0),  # unseen in round 8: 4; learned since
    DATA / "chatter.test7.frozen.tsv": (521, 0),  # unseen in round 8: 8; learned since
    DATA / "chatter.reentry8.frozen.tsv": (210, 0),  # unseen in round 9: 0; learned since
    DATA / "chatter.test8.frozen.tsv": (632, 1),  # unseen in round 9: 10; learned since
    DATA / "chatter.reentry9.frozen.tsv": (204, 0),  # unseen in round 10: 1; learned since
    DATA / "chatter.test9.frozen.tsv": (357, 0),  # unseen in round 10: 3; learned since
    DATA / "chatter.reentry10.frozen.tsv": (220, 1),  # unseen in round 11: 6; learned since
    DATA / "chatter.test10.frozen.tsv": (417, 0),  # unseen in round 11: 11; learned since
    DATA / "chatter.reentry11.frozen.tsv": (213, 0),  # unseen in round 11: 2; learned since
    DATA / "chatter.test11.frozen.tsv": (392, 0),  # unseen in round 11: 5; learned since
    DATA / "chatter.reentry12.frozen.tsv": (201, 0),  # unseen in round 12: 2; learned since
    DATA / "chatter.test12.frozen.tsv": (394, 0),  # unseen in round 12: 5; learned since
    DATA / "chatter.reentry13.frozen.tsv": (210, 0),  # unseen in round 13: 2; learned since
    DATA / "chatter.test13.frozen.tsv": (386, 0),  # unseen in round 13: 2; learned since
    DATA / "chatter.reentry14.frozen.tsv": (201, 0),  # unseen in round 14: 0
    DATA / "chatter.test14.frozen.tsv": (332, 3),  # unseen in round 14: 5; 2 to 4 since
    DATA / "chatter.reentry15.frozen.tsv": (212, 0),  # unseen in round 15: 4; learned since
    DATA / "chatter.test15.frozen.tsv": (436, 0),  # unseen in round 15: 5; learned since
    DATA / "chatter.reentry16.frozen.tsv": (222, 0),  # unseen in round 15: 2; learned since
    DATA / "chatter.test16.frozen.tsv": (399, 0),  # unseen in round 15: 0; learned since
    DATA / "chatter.reentry17.frozen.tsv": (204, 0),  # unseen in round 16: 4; learned since
    DATA / "chatter.test17.frozen.tsv": (352, 0),  # unseen in round 16: 2; learned since
    DATA / "chatter.reentry18.frozen.tsv": (220, 0),  # unseen in round 16: 1; learned since
    DATA / "chatter.test18.frozen.tsv": (422, 0),  # unseen in round 16: 4; learned since
    DATA / "chatter.reentry19.frozen.tsv": (224, 0),  # unseen in round 17: 0; learned since
    DATA / "chatter.test19.frozen.tsv": (355, 0),  # unseen in round 17: 3; learned since
    DATA / "chatter.reentry20.frozen.tsv": (213, 0),  # unseen in round 18: 4; learned since
    DATA / "chatter.test20.frozen.tsv": (517, 0),  # unseen in round 18: 7; learned since
    DATA / "chatter.reentry21.frozen.tsv": (208, 0),  # unseen in round 18: 0; learned since
    DATA / "chatter.test21.frozen.tsv": (350, 0),  # unseen in round 18: 0; learned since
    DATA / "chatter.reentry22.frozen.tsv": (210, 0),  # unseen in round 19: 1; learned since
    DATA / "chatter.test22.frozen.tsv": (347, 0),  # unseen in round 19: 1; learned since
    DATA / "chatter.reentry23.frozen.tsv": (201, 0),  # unseen in round 20: 1; learned since
    DATA / "chatter.test23.frozen.tsv": (333, 0),  # unseen in round 20: 2; learned since
    DATA / "chatter.reentry24.frozen.tsv": (210, 0),  # unseen in round 21: 3; learned since
    DATA / "chatter.test24.frozen.tsv": (323, 0),  # unseen in round 21: 1; learned since
    DATA / "chatter.reentry25.frozen.tsv": (238, 0),  # unseen in round 22: 2; learned since
    DATA / "chatter.test25.frozen.tsv": (374, 0),  # unseen in round 22: 0; learned since
    DATA / "chatter.reentry26.frozen.tsv": (216, 0),  # unseen in round 23: 0; learned since
    DATA / "chatter.test26.frozen.tsv": (414, 0),  # unseen in round 23: 2; learned since
    DATA / "chatter.reentry27.frozen.tsv": (202, 0),  # unseen in round 24: 0; learned since
    DATA / "chatter.test27.frozen.tsv": (319, 0),  # unseen in round 24: 4; learned since
    DATA / "chatter.reentry28.frozen.tsv": (206, 0),  # unseen in round 25: 2; learned since
    DATA / "chatter.test28.frozen.tsv": (358, 0),  # unseen in round 25: 2; learned since
    DATA / "chatter.reentry29.frozen.tsv": (221, 0),  # unseen in round 26: 3; learned since
    DATA / "chatter.test29.frozen.tsv": (424, 0),  # unseen in round 26: 1; learned since
    DATA / "chatter.reentry30.frozen.tsv": (220, 0),  # unseen in round 27: 0; learned since
    DATA / "chatter.test30.frozen.tsv": (402, 0),  # unseen in round 27: 1; learned since
    DATA / "chatter.reentry31.frozen.tsv": (208, 1),  # unseen in round 28: 1; learned since
    DATA / "chatter.test31.frozen.tsv": (402, 0),  # unseen in round 28: 2; learned since
    DATA / "chatter.reentry32.frozen.tsv": (221, 1),  # unseen in round 29: 2; learned since
    DATA / "chatter.test32.frozen.tsv": (344, 0),  # unseen in round 29: 0; learned since
    DATA / "chatter.reentry33.frozen.tsv": (204, 0),  # unseen in round 30: 0; learned since
    DATA / "chatter.test33.frozen.tsv": (400, 1),  # unseen in round 30: 3; learned since
    DATA / "chatter.reentry34.frozen.tsv": (211, 0),  # unseen in round 31: 1; learned since
    DATA / "chatter.test34.frozen.tsv": (592, 1),  # unseen in round 31: 5; learned since
    DATA / "chatter.reentry35.frozen.tsv": (220, 0),  # unseen in round 32: 2; learned since
    DATA / "chatter.test35.frozen.tsv": (350, 1),  # unseen in round 32: 3; learned since
    DATA / "chatter.reentry36.frozen.tsv": (210, 0),  # unseen in round 33: 0; learned since
    DATA / "chatter.test36.frozen.tsv": (441, 1),  # unseen in round 33: 3; learned since
    DATA / "chatter.reentry37.frozen.tsv": (222, 0),  # unseen in round 34: 0; learned since
    DATA / "chatter.test37.frozen.tsv": (416, 1),  # unseen in round 34: 2; learned since
    DATA / "chatter.reentry38.frozen.tsv": (207, 1),  # unseen in round 35: 2; learned since
    DATA / "chatter.test38.frozen.tsv": (441, 1),  # unseen in round 35: 1; learned since
    DATA / "chatter.reentry39.frozen.tsv": (204, 1),  # unseen in round 36: 3; learned since
    DATA / "chatter.test39.frozen.tsv": (555, 1),  # unseen in round 36: 4; learned since
    DATA / "chatter.reentry40.frozen.tsv": (210, 1),  # unseen in round 36: 0; learned since
    DATA / "chatter.test40.frozen.tsv": (348, 1),  # unseen in round 36: 1; learned since
    DATA / "chatter.reentry41.frozen.tsv": (201, 1),  # unseen in round 37: 1; learned since
    DATA / "chatter.test41.frozen.tsv": (438, 1),  # unseen in round 37: 4; learned since
    DATA / "chatter.reentry42.frozen.tsv": (210, 1),  # unseen in round 38: 1; learned since
    DATA / "chatter.test42.frozen.tsv": (440, 1),  # unseen in round 38: 0; learned since
    DATA / "chatter.reentry43.frozen.tsv": (205, 0),  # unseen in round 39: 0; learned since
    DATA / "chatter.test43.frozen.tsv": (365, 0),  # unseen in round 39: 1; learned since
    DATA / "chatter.reentry44.frozen.tsv": (207, 0),  # unseen in round 40: 0; learned since
    DATA / "chatter.test44.frozen.tsv": (337, 0),  # unseen in round 40: 1; learned since
    DATA / "chatter.reentry45.frozen.tsv": (205, 0),  # unseen in round 41: 18; learned since
    DATA / "chatter.test45.frozen.tsv": (535, 1),  # unseen in round 41: 16; learned since
    DATA / "chatter.reentry46.frozen.tsv": (205, 1),  # unseen in round 42: 11; learned since
    DATA / "chatter.test46.frozen.tsv": (533, 0),  # unseen in round 42: 11; learned since
    DATA / "chatter.reentry47.frozen.tsv": (205, 0),  # unseen in round 43: 5; learned since
    DATA / "chatter.test47.frozen.tsv": (540, 1),  # unseen in round 43: 19; learned since
    DATA / "chatter.reentry48.frozen.tsv": (206, 0),  # unseen in round 44: 6; learned since
    DATA / "chatter.test48.frozen.tsv": (472, 1),  # unseen in round 44: 18; learned since
    DATA / "chatter.reentry49.frozen.tsv": (205, 0),  # unseen after round 44: 8; learned since
    DATA / "chatter.test49.frozen.tsv": (500, 1),  # unseen after round 44: 15; learned since
    DATA / "chatter.reentry50.frozen.tsv": (206, 0),  # unseen in round 46: 9; learned since
    DATA / "chatter.test50.frozen.tsv": (514, 1),  # unseen in round 46: 15; learned since
    DATA / "chatter.reentry51.frozen.tsv": (206, 1),  # unseen in round 46: 4; learned since
    DATA / "chatter.test51.frozen.tsv": (525, 1),  # unseen in round 46: 14; learned since
    DATA / "chatter.reentry52.frozen.tsv": (205, 1),  # unseen after round 46: 5; learned since
    DATA / "chatter.test52.frozen.tsv": (514, 1),  # unseen after round 46: 8; learned since
    DATA / "chatter.reentry53.frozen.tsv": (205, 1),  # unseen in round 47: 5; learned since
    DATA / "chatter.test53.frozen.tsv": (530, 1),  # unseen in round 47: 10; learned since
    DATA / "chatter.reentry54.frozen.tsv": (206, 1),  # unseen after round 47: 5; learned since
    DATA / "chatter.test54.frozen.tsv": (536, 1),  # unseen after round 47: 4; learned since
    DATA / "chatter.reentry55.frozen.tsv": (205, 1),  # unseen after round 47: 4; learned since
    DATA / "chatter.test55.frozen.tsv": (523, 1),  # unseen after round 47: 8; learned since
    DATA / "chatter.reentry56.frozen.tsv": (205, 1),  # unseen in round 48: 4; learned since
    DATA / "chatter.test56.frozen.tsv": (514, 2),  # unseen in round 48: 10; learned since
    DATA / "chatter.reentry57.frozen.tsv": (207, 1),  # unseen after round 48: 1; not learned
    DATA / "chatter.test57.frozen.tsv": (475, 3),  # unseen after round 48: 3; not learned
    DATA / "chatter.reentry58.frozen.tsv": (206, 1),  # unseen after round 48: 1; not learned
    DATA / "chatter.test58.frozen.tsv": (512, 10),  # unseen after round 48: 10; not learned
    DATA / "chatter.reentry59.frozen.tsv": (205, 3),  # unseen in round 49: 4; not learned
    DATA / "chatter.test59.frozen.tsv": (530, 12),  # unseen in round 49: 16; not learned
    DATA / "chatter.reentry60.frozen.tsv": (204, 2),  # unseen in round 49: 2; not learned
    DATA / "chatter.test60.frozen.tsv": (523, 5),  # unseen in round 49: 5; not learned
    DATA / "chatter.reentry61.frozen.tsv": (205, 3),  # unseen in round 49: 3; not learned
    DATA / "chatter.test61.frozen.tsv": (530, 3),  # unseen in round 49: 3; not learned
    DATA / "chatter.reentry62.frozen.tsv": (203, 0),  # unseen in round 50: 3; not learned
    DATA / "chatter.test62.frozen.tsv": (536, 1),  # unseen in round 50: 3; not learned
    DATA / "chatter.reentry63.frozen.tsv": (209, 3),  # unseen in round 50: 3; not learned
    DATA / "chatter.test63.frozen.tsv": (525, 5),  # unseen in round 50: 5; not learned
}


@pytest.mark.parametrize("path", list(CHATTER_FLOORS), ids=lambda p: p.name)
def test_each_later_chatter_set_keeps_its_floor(engine: SearchEngine, path: Path) -> None:
    size, most = CHATTER_FLOORS[path]
    texts = _chatter(path)
    assert len(texts) == size
    assert sum(1 for t in texts if engine.search(t).hits) <= most
