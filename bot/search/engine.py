"""The one search engine every channel uses: parse, score, filter, rank.

A service's score adds three things. Category intent: the query's vocabulary
words name categories, and services in them score highest (more when it is
their main category). Text match: the query's words found in the service's
name, keywords and description, weighted by rarity. Nearness: with a ZIP,
place or point, closer services rise. Queries with no category intent and
few matching words return nothing rather than noise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from bot.directory.model import Directory, Location, Service
from bot.search.centrality import category_centrality
from bot.search.decider import learned_decider
from bot.search.fit import cover_bonus, group_fit
from bot.search.frequency import is_common
from bot.search.geo import Point, miles_to, nearest_location, parse_near
from bot.search.hours import is_open
from bot.search.index import SearchIndex, build_index
from bot.search.need import NOTED, NeedGate, NeedReading
from bot.search.prior import Blend, NeedReader, blend_categories, reads_need
from bot.search.query import ParsedQuery, QueryParser
from bot.search.reader import NONE, no_surer
from bot.search.text import words
from bot.search.tonight import says_tonight, tonight_first
from bot.search.vocabulary import Vocabulary

CATEGORY_MAIN = 2.0  # service's first category is one the query asks for
CATEGORY_OTHER = 1.6  # one of its other categories is
INTENT_SHARE = 0.5  # categories below this share of the strongest are dropped
INTENT_MIN = 0.45  # weak words ("cuenta", "books") support a need but never name one alone
COMMON_ZIPF = 5.0  # words this common ("time", "tiempo") never justify results alone
SYNONYM_FACTOR = 0.6
TEXT_ONLY_MIN = 0.25  # text match a service outside the asked categories needs
COVERAGE_MIN = 0.6  # share of words that must match when no category is named
SPECIFIC_SHARE = 0.15  # a word found in more services than this says little alone
NEARNESS = 1.0  # weight of nearness; halves every ~2 miles
NEARNESS_MILES = 3.0
NO_LOCATION_NEARNESS = 0.15  # phone-only services when a place is known
NATIONAL_PENALTY = 0.05
WORDS_MATTER = 0.25  # a text match this good somewhere makes nearness favour matching services
CENTRAL = 0.3  # a service whose name and keywords use the category's words, among equals
# A category guessed from a service's words ranks lower by how unsure the guess is
# (index.category_doubt, 0..1, times this): a guess its words barely say (doubt
# 0.5) falls below a sure service's other category, yet keeps some category score
# (DOUBT_FLOOR of it), so it stays in the answer after the sure entries of its kind.
# Chosen on the extra set (Miami without its taxonomy): 1.2 to 2.4 within a query.
DOUBT = 1.6
DOUBT_FLOOR = 0.25


@dataclass(frozen=True)
class SearchHit:
    """One ranked service."""

    service: Service
    score: float
    distance_miles: float | None
    location: Location | None
    open_now: bool | None


@dataclass(frozen=True)
class SearchResult:
    """The ranked services for a query, and how the query was understood."""

    query: str
    language: str
    categories: tuple[str, ...]
    hits: tuple[SearchHit, ...]
    point: Point | None
    zip_code: str | None
    place: str | None
    total: int
    place_name: str | None = None  # the place named in the text, as texters see it
    facilities: tuple[str, ...] = ()  # custody places named: context, never the point
    chatter: bool = False  # the text asks for nothing (bot.search.need): no results on purpose
    # the vocabulary read no need and the learned reader's categories alone were searched
    # ("can i bring my grandkids"): a guess, which the conversation may answer otherwise
    reader_only: bool = False


class SearchEngine:
    """Answers queries from an in-memory index of one directory version."""

    def __init__(
        self,
        directory: Directory,
        vocabulary: Vocabulary,
        version: int = 0,
        *,
        prebuilt: tuple[SearchIndex, dict[str, npt.NDArray[np.float32]]] | None = None,
    ) -> None:
        """Index ``directory``, or use ``prebuilt`` (an index and its centrality
        built from it before, as ``bot.search.snapshot`` saves them)."""
        self.version = version
        self.vocabulary = vocabulary
        if prebuilt is None:
            self.index: SearchIndex = build_index(directory)
            self.centrality = category_centrality(self.index, vocabulary)
        else:
            self.index, self.centrality = prebuilt
        self.parser = QueryParser(vocabulary, self.index)
        self.need = NeedGate(vocabulary, self.parser.lexicon.correct)
        self.reader: NeedReader | None = vocabulary.reader  # the learned prior, if any
        self.decider = learned_decider(vocabulary.reader)  # None: the blend's thresholds decide
        self.blend = Blend()
        self.timezone = ZoneInfo(directory.info.timezone)

    def search(
        self,
        query: str,
        *,
        near: str | Point | None = None,
        language: str | None = None,
        limit: int = 5,
        offset: int = 0,
        open_now: bool = False,
        category: str | None = None,
        now: dt.datetime | None = None,
    ) -> SearchResult:
        """Ranked services for a query, best first."""
        parsed = self.parser.parse(query, language)
        point = parsed.point or (parse_near(near) if isinstance(near, str) else near)
        learned = self._read(query if parsed.unmet is None else parsed.unmet, parsed.content)
        if learned is not None and parsed.unmet is not None and not parsed.asked and self.reader:
            learned = no_surer(learned, self.reader.probabilities(query))  # a need said met
        gate = self.need.read(parsed)
        if category is None and not self._is_need(parsed, gate, learned):
            return SearchResult(
                query,
                parsed.language,
                (),
                (),
                point,
                parsed.zip_code,
                parsed.place,
                0,
                place_name=parsed.place_name,
                facilities=tuple(parsed.facilities),
                chatter=True,
            )
        read = _intent(parsed)
        if learned is not None:
            # a need the reader heard where the gate heard chatter is read as sure as it was
            blend = self.blend if gate.need else replace(self.blend, fill=self.blend.need_sure)
            heard = INTENT_MIN if self.decider and parsed.content and not category else 0.0
            parsed.categories = blend_categories(
                parsed.categories, learned, blend, heard, parsed.told
            )
        intent = _intent(parsed)
        scores, text = self._relevance(parsed, intent, category)
        distances = self._distances(point)
        if distances is not None:
            scores = self._add_nearness(scores, distances, text)
        if language:
            mask = self.index.languages.get(language)
            if mask is not None:
                scores = np.where(mask, scores, 0.0)
        when = (now or dt.datetime.now(self.timezone)).astimezone(self.timezone)
        if says_tonight(words(query), self.vocabulary, intent):  # a bed tonight, not Tuesday
            scores = tonight_first(scores, self.index.services, when, offset + limit)
        ranked = self._rank(scores, limit, offset, open_now, when)
        hits = tuple(self._hit(i, float(scores[i]), distances, point, when) for i in ranked)
        return SearchResult(
            query=query,
            language=parsed.language,
            categories=tuple(intent),
            hits=hits,
            point=point,
            zip_code=parsed.zip_code,
            place=parsed.place,
            total=int(np.count_nonzero(scores > 0)),
            place_name=parsed.place_name,
            facilities=tuple(parsed.facilities),
            reader_only=bool(intent) and not read,
            chatter=not hits and _names_nothing(parsed),
        )

    def _read(self, query: str, heard: list[str]) -> dict[str, float] | None:
        """The reader's probabilities for the text, or its words typo-fixed (or its one word
        as heard) when those read less like chatter: "jbo" is "job" (not "holi": "hole")."""
        if self.reader is None:
            return None
        learned = self.reader.probabilities(query)
        written = words(query)
        fixed = self.parser.corrected_words(query)
        terms = self.parser.sounds.single_terms
        if not any(new != old and new in terms for new, old in zip(fixed, written, strict=False)):
            if len(heard) != 1 or heard[0] not in terms or heard[0] in written:
                return learned
            fixed = heard
        again = self.reader.probabilities(" ".join(fixed))
        return again if again.get(NONE, 0.0) < learned.get(NONE, 0.0) else learned

    def _is_need(
        self, parsed: ParsedQuery, gate: NeedReading, learned: dict[str, float] | None
    ) -> bool:
        """The decider's answer (``bot.search.decider``), else the gate's (``reads_need``);
        a note to oneself is never a need, whatever the reader heard in it."""
        if gate.reason == NOTED:
            return False
        if learned is None or self.decider is None:
            return gate.need if learned is None else reads_need(parsed, gate, learned, self.blend)
        return self.decider.hears_need(parsed, gate, learned)

    def hits_for(
        self, services: list[Service], point: Point | None, when: dt.datetime
    ) -> list[SearchHit]:
        """Known services as hits again (a later page, a details request)."""
        out = []
        for service in services:
            location = nearest_location(service.locations, point)
            distance = None
            if point is not None and location is not None and location.latitude is not None:
                lats = np.array([location.latitude], dtype=np.float64)
                lons = np.array([location.longitude], dtype=np.float64)
                distance = round(float(miles_to(point, lats, lons)[0]), 1)
            out.append(
                SearchHit(service, 0.0, distance, location, is_open(service.schedules, when))
            )
        return out

    def _relevance(
        self, parsed: ParsedQuery, intent: dict[str, float], category: str | None
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Each service's relevance (0 when not eligible), and its text match alone."""
        index = self.index
        text, coverage, specific = self._text_scores(parsed)
        cat_scores = np.zeros(index.size, dtype=np.float64)
        for slug, share in intent.items():
            bit = index.category_bit(slug)
            main = index.primary_category == index.category_slugs.index(slug)
            has = (index.category_mask & bit) != 0
            step = np.where(main, CATEGORY_MAIN, np.where(has, CATEGORY_OTHER, 0.0))
            step = np.maximum(step - DOUBT * index.category_doubt, DOUBT_FLOOR * step)
            central = np.where(has, CENTRAL * self.centrality[slug], 0.0)
            cat_scores = np.maximum(cat_scores, (step + central) * share)
        if intent:
            eligible = (cat_scores > 0) | (text >= TEXT_ONLY_MIN)
        elif parsed.content and coverage >= COVERAGE_MIN and specific:
            eligible = text > 0
        elif category and not parsed.content:
            eligible = np.ones(index.size, dtype=np.bool_)
        else:
            eligible = np.zeros(index.size, dtype=np.bool_)
        if category:
            eligible &= (index.category_mask & index.category_bit(category)) != 0
        relevance = (
            cat_scores
            + text
            + index.quality
            + group_fit(index, parsed.groups)
            + (cover_bonus(index, parsed.categories) if intent else 0.0)
            - np.where(index.national, NATIONAL_PENALTY, 0.0)
            + 0.01
        )
        return np.where(eligible, relevance, 0.0), text

    def _text_scores(self, parsed: ParsedQuery) -> tuple[npt.NDArray[np.float64], float, bool]:
        """Text match in [0, 1] per service, the share of words found, and whether
        one of them is specific (found in few services, unlike "time" or "free")."""
        index = self.index
        total = np.zeros(index.size, dtype=np.float64)
        best_sum, matched, specific = 0.0, 0, False
        specific_limit = max(3.0, SPECIFIC_SHARE * index.size)
        for word in parsed.content:
            scores = np.zeros(index.size, dtype=np.float32)
            for key in parsed.keys(word):
                self._apply(scores, key, 1.0)
                for synonym in self.vocabulary.synonyms.get(key, ()):
                    self._apply(scores, synonym, SYNONYM_FACTOR)
            best = float(scores.max()) if index.size else 0.0
            if best > 0:
                matched += 1
                rare = int(np.count_nonzero(scores)) <= specific_limit
                specific = specific or (rare and not self._very_common(word))
                best_sum += best
                total += scores
        if best_sum > 0:
            total /= best_sum + 0.5 * (len(parsed.content) - matched) * (best_sum / matched)
        coverage = matched / len(parsed.content) if parsed.content else 0.0
        return total, coverage, specific

    def _very_common(self, word: str) -> bool:
        return any(is_common(word, lang, COMMON_ZIPF) for lang in self.parser.term_languages)

    def _apply(self, scores: npt.NDArray[np.float32], key: str, factor: float) -> None:
        postings = self.index.postings.get(key)
        if postings is not None:
            current = scores[postings.services]
            scores[postings.services] = np.maximum(current, postings.weights * np.float32(factor))

    def _distances(self, point: Point | None) -> npt.NDArray[np.float64] | None:
        if point is None:
            return None
        index = self.index
        distances = np.full(index.size, np.inf)
        if len(index.location_service):
            np.minimum.at(
                distances,
                index.location_service,
                miles_to(point, index.location_lat, index.location_lon),
            )
        return distances

    def _add_nearness(
        self,
        scores: npt.NDArray[np.float64],
        distances: npt.NDArray[np.float64],
        text: npt.NDArray[np.float64],
    ) -> npt.NDArray[np.float64]:
        """Closer services rise. When some services match the texter's own words
        ("lifeline phone"), nearness counts fully for those and half for services
        that only share the category: the nearest tax clinic is not a phone program."""
        located = np.where(
            self.index.phone_only, NO_LOCATION_NEARNESS, 0.0
        )  # phone-only services serve anywhere; a place without a point is unknown
        nearness = np.where(
            np.isinf(distances),
            located,
            NEARNESS * np.exp(-np.minimum(distances, 1e6) / NEARNESS_MILES),
        )
        best = float(text.max()) if len(text) else 0.0
        if best >= WORDS_MATTER:
            nearness = nearness * (0.5 + 0.5 * np.minimum(text / best, 1.0))
        return np.where(scores > 0, scores + nearness, 0.0)

    def _rank(
        self,
        scores: npt.NDArray[np.float64],
        limit: int,
        offset: int,
        open_now: bool,
        when: dt.datetime,
    ) -> list[int]:
        candidates = np.flatnonzero(scores > 0)
        wanted = offset + limit
        if not open_now and len(candidates) > 4 * wanted:
            top = np.argpartition(-scores[candidates], wanted)[:wanted]
            candidates = candidates[top]
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
        if not open_now:
            return [int(i) for i in order[offset:wanted]]
        # Best first, only as far as needed: a service's hours are read when it is
        # reached, so a saved index decodes a few services, not every candidate.
        found: list[int] = []
        for i in order:
            if is_open(self.index.services[int(i)].schedules, when):
                found.append(int(i))
                if len(found) == wanted:
                    break
        return found[offset:]

    def _hit(
        self,
        i: int,
        score: float,
        distances: npt.NDArray[np.float64] | None,
        point: Point | None,
        when: dt.datetime,
    ) -> SearchHit:
        service = self.index.services[i]
        location = nearest_location(service.locations, point)
        distance = None
        if distances is not None and np.isfinite(distances[i]):
            distance = round(float(distances[i]), 1)
        return SearchHit(
            service, round(score, 3), distance, location, is_open(service.schedules, when)
        )


def _intent(parsed: ParsedQuery) -> dict[str, float]:
    """Categories the query asks for, each with its share of the strongest."""
    strongest = max(parsed.categories.values(), default=0.0)
    if strongest < INTENT_MIN:
        return {}
    ranked = sorted(parsed.categories.items(), key=lambda kv: -kv[1])
    return {
        slug: weight / strongest for slug, weight in ranked if weight / strongest >= INTENT_SHARE
    }


def _names_nothing(parsed: ParsedQuery) -> bool:
    """No word to search and no place ("i need help", "sale"): it asked for nothing."""
    return not parsed.content and not (parsed.zip_code or parsed.place or parsed.facilities)
