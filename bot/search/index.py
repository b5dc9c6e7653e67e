"""The in-memory index: postings of word stems, categories and coordinates.

Built once per directory version from the loaded directory, and saved as a
file that every worker maps (``bot.search.snapshot``). Postings are NumPy
arrays so scoring 100,000 services stays within milliseconds: a query touches
only the postings of its words and does arithmetic on whole arrays. All the
postings live in two flat arrays, so the saved index maps them as they are.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from bot.directory.model import SERVES_VALUES, Directory, Service
from bot.search.soundalike import encode_table
from bot.search.text import stem, words

# How much a word counts by where it appears: a word in the name says more
# about a service than the same word deep in its description.
FIELD_WEIGHTS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("name", 3.0, ("en", "es")),
    ("keywords", 2.5, ("en", "es")),
    ("category", 1.5, ("en", "es")),
    ("organization", 1.2, ("en", "es")),
    ("description", 1.0, ("en",)),
    ("description_es", 1.0, ("es",)),
    ("details", 0.4, ("en",)),
    ("details_es", 0.4, ("es",)),
)

_HEAVIEST_FIRST = sorted(FIELD_WEIGHTS, key=lambda entry: -entry[1])

# The end of a web address in a name ("ANNUALCREDITREPORT.COM") is not a word; left
# in, Spanish "comida" (stem "com") would match it.
_DOMAIN_END_RE = re.compile(r"\.(com|org|net|gov|edu|info|us)\b", re.IGNORECASE)

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]


@dataclass
class Postings:
    """Which services hold a stem, with the weight (field weight x idf) for each."""

    services: IntArray
    weights: FloatArray


class PostingsTable(Mapping[str, Postings]):
    """Every stem's postings as slices of two flat arrays (services, weights).

    ``starts[n]:starts[n + 1]`` is the slice of the n-th key. The arrays may be
    mapped from a file, shared by every worker; a lookup makes two views.
    """

    def __init__(
        self,
        keys: list[str],
        starts: npt.NDArray[np.int64],
        services: IntArray,
        weights: FloatArray,
    ) -> None:
        self.keys_in_order = keys
        self.slots = {key: n for n, key in enumerate(keys)}
        self.starts = starts
        self.services = services
        self.weights = weights

    def __getitem__(self, key: str) -> Postings:
        n = self.slots[key]
        start, end = int(self.starts[n]), int(self.starts[n + 1])
        return Postings(self.services[start:end], self.weights[start:end])

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_in_order)

    def __len__(self) -> int:
        return len(self.keys_in_order)


@dataclass
class SearchIndex:
    """Everything a query needs, built from one directory version."""

    directory: Directory
    services: Sequence[Service]
    category_slugs: tuple[str, ...]
    category_mask: npt.NDArray[np.int32]
    primary_category: IntArray
    # How unsure each service's categories are (0: curated or from a taxonomy;
    # up to 1: guessed from words that barely name them). See category_doubt().
    category_doubt: FloatArray
    record_quality: FloatArray
    assured_day: IntArray
    national: npt.NDArray[np.bool_]
    group_mask: npt.NDArray[np.int32]
    restricted: npt.NDArray[np.bool_]
    phone_only: npt.NDArray[np.bool_]
    location_service: IntArray
    location_lat: npt.NDArray[np.float64]
    location_lon: npt.NDArray[np.float64]
    postings: PostingsTable
    surface_df: Counter[str]
    language_words: dict[str, set[str]] = field(default_factory=dict)
    places: dict[tuple[str, ...], tuple[float, float]] = field(default_factory=dict)
    languages: dict[str, npt.NDArray[np.bool_]] = field(default_factory=dict)
    # The directory's words by phonetic key, for sound-alike spellings (bot.search.soundalike)
    sound_table: npt.NDArray[np.uint8] = field(default_factory=lambda: np.zeros(0, np.uint8))

    quality: FloatArray = field(init=False)
    positions: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.quality = quality_on(self.record_quality, self.assured_day, utc_today())
        ids = getattr(self.services, "ids", None) or [s.id for s in self.services]
        self.positions = {service_id: n for n, service_id in enumerate(ids)}

    def service(self, service_id: str) -> Service | None:
        """The service with this id, or None (an id from an older version)."""
        n = self.positions.get(service_id)
        return None if n is None else self.services[n]

    @property
    def size(self) -> int:
        """Number of services."""
        return len(self.services)

    def category_bit(self, slug: str) -> int:
        """The bit of a category in ``category_mask`` (0 when unknown)."""
        return 1 << self.category_slugs.index(slug) if slug in self.category_slugs else 0


def _service_fields(service: Service, directory: Directory) -> dict[str, str]:
    categories = [directory.category(c) for c in service.categories]
    details = [service.text(n) for n in ("eligibility_description", "notes")]
    details_es = [service.text(n, "es") for n in ("eligibility_description", "notes")]
    return {
        "name": service.name,
        "keywords": " ".join(service.keywords),
        "category": " ".join(" ".join(c.names.values()) for c in categories if c),
        "organization": service.organization.name,
        "description": service.description or service.organization.description,
        "description_es": service.description_es or service.organization.description_es,
        "details": " ".join(details + list(service.what_to_bring)),
        "details_es": " ".join(d for d in details_es if d not in details),
    }


def build_index(directory: Directory) -> SearchIndex:
    """Index every service of a directory."""
    slugs = tuple(c.slug for c in directory.categories)
    owners, lats, lons = _location_arrays(directory)
    raw: dict[str, dict[int, float]] = defaultdict(dict)
    surface_df: Counter[str] = Counter()
    language_words: dict[str, set[str]] = defaultdict(set)
    for i, service in enumerate(directory.services):
        texts = _service_fields(service, directory)
        seen: set[str] = set()
        best: dict[str, float] = {}
        for name, weight, langs in _HEAVIEST_FIRST:
            # A service's weight for a stem is that of the heaviest field holding it.
            field_words = set(words(_DOMAIN_END_RE.sub(" ", texts[name])))
            if len(langs) == 1:
                language_words[langs[0]].update(field_words)
            seen.update(field_words)
            for word in field_words:
                for key in _stems(word, langs):
                    best.setdefault(key, weight)
        for key, weight in best.items():
            raw[key][i] = weight
        surface_df.update(seen)
    return SearchIndex(
        directory=directory,
        services=directory.services,
        category_slugs=slugs,
        category_mask=np.array([_mask(s, slugs) for s in directory.services], dtype=np.int32),
        primary_category=np.array(
            [
                slugs.index(s.categories[0]) if s.categories and s.categories[0] in slugs else -1
                for s in directory.services
            ],
            dtype=np.int32,
        ),
        category_doubt=np.array([category_doubt(s) for s in directory.services], dtype=np.float32),
        record_quality=np.array(
            [RECORDS_QUALITY.get(s.accepts_records, 0.0) for s in directory.services],
            dtype=np.float32,
        ),
        assured_day=np.array(
            [s.assured_date.toordinal() if s.assured_date else 0 for s in directory.services],
            dtype=np.int32,
        ),
        national=np.array(
            [s.service_area == "national" for s in directory.services], dtype=np.bool_
        ),
        group_mask=np.array([group_bits(s.serves) for s in directory.services], dtype=np.int32),
        restricted=np.array([_restricted(s) for s in directory.services], dtype=np.bool_),
        postings=_finish_postings(raw, len(directory.services)),
        surface_df=surface_df,
        language_words=dict(language_words),
        places=_city_places(directory),
        languages=_language_masks(directory),
        phone_only=np.array([not s.locations for s in directory.services], dtype=np.bool_),
        location_service=owners,
        location_lat=lats,
        location_lon=lons,
        sound_table=encode_table(surface_df),
    )


@lru_cache(maxsize=262144)
def _stems(word: str, languages: tuple[str, ...]) -> frozenset[str]:
    """The word's stems in each of ``languages`` (one when they agree)."""
    return frozenset(stem(word, language) for language in languages)


def group_bits(groups: tuple[str, ...] | set[str]) -> int:
    """Bits of ``serves`` groups (men, women, veterans...), one per SERVES_VALUES entry."""
    return sum(1 << SERVES_VALUES.index(g) for g in set(groups) if g in SERVES_VALUES)


def _restricted(service: Service) -> bool:
    """Serves only some people: not everyone, and not simply all adults."""
    serves = set(service.serves)
    return bool(serves) and "everyone" not in serves and not {"men", "women"} <= serves


def category_doubt(service: Service) -> float:
    """What a service's categories lack of being sure: 1 - strength for categories
    guessed from its words at import (``Service.inferred_strength``), 0 otherwise."""
    if service.inferred_strength is None:
        return 0.0
    return 1.0 - min(1.0, max(0.0, service.inferred_strength))


def _mask(service: Service, slugs: tuple[str, ...]) -> int:
    return sum(1 << slugs.index(c) for c in set(service.categories) if c in slugs)


# Small tie-breakers: welcomes people with records, recently verified.
RECORDS_QUALITY = {"yes": 0.05, "case_by_case": 0.02}
RECENTLY_VERIFIED = 0.02
RECENT_DAYS = 180


def utc_today() -> dt.date:
    """Today in UTC: the day a worker judges "recently verified" by."""
    return dt.datetime.now(dt.UTC).date()


def quality_on(record_quality: FloatArray, assured_day: IntArray, today: dt.date) -> FloatArray:
    """Each service's tie-breaker on ``today``: computed when an index is opened,
    not saved, so a saved index does not keep the day it was built on."""
    recent = (assured_day > 0) & (today.toordinal() - assured_day <= RECENT_DAYS)
    return (record_quality + np.where(recent, RECENTLY_VERIFIED, 0.0)).astype(np.float32)


def _finish_postings(raw: dict[str, dict[int, float]], total: int) -> PostingsTable:
    keys = list(raw)
    starts = np.zeros(len(keys) + 1, dtype=np.int64)
    starts[1:] = np.cumsum([len(raw[key]) for key in keys])
    services = np.empty(int(starts[-1]), dtype=np.int32)
    weights = np.empty(int(starts[-1]), dtype=np.float32)
    for n, key in enumerate(keys):
        postings = raw[key]
        df = len(postings)
        idf = math.log(1.0 + (total - df + 0.5) / (df + 0.5))
        start, end = int(starts[n]), int(starts[n + 1])
        services[start:end] = np.fromiter(postings.keys(), dtype=np.int32, count=df)
        weights[start:end] = np.fromiter(
            postings.values(), dtype=np.float32, count=df
        ) * np.float32(idf)
    return PostingsTable(keys, starts, services, weights)


def _location_arrays(
    directory: Directory,
) -> tuple[IntArray, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    owners, lats, lons = [], [], []
    for i, service in enumerate(directory.services):
        for location in service.locations:
            if location.latitude is not None and location.longitude is not None:
                owners.append(i)
                lats.append(location.latitude)
                lons.append(location.longitude)
    return (
        np.array(owners, dtype=np.int32),
        np.array(lats, dtype=np.float64),
        np.array(lons, dtype=np.float64),
    )


def _city_places(directory: Directory) -> dict[tuple[str, ...], tuple[float, float]]:
    """Each city of the directory's locations, at the mean of its locations."""
    points: dict[tuple[str, ...], list[tuple[float, float]]] = defaultdict(list)
    for service in directory.services:
        for loc in service.locations:
            if loc.city and loc.latitude is not None and loc.longitude is not None:
                points[tuple(words(loc.city))].append((loc.latitude, loc.longitude))
    return {
        name: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        for name, pts in points.items()
        if name
    }


def _language_masks(directory: Directory) -> dict[str, npt.NDArray[np.bool_]]:
    """Per language, which services offer it (services listing none count as all)."""
    codes = {code for s in directory.services for code in s.languages} | {"en", "es"}
    return {
        code: np.array(
            [not s.languages or code in s.languages for s in directory.services], dtype=np.bool_
        )
        for code in codes
    }
