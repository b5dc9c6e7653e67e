"""The curator's search vocabulary: category words, synonyms, stop words, places.

All of it is data in ``resources_directory/vocabulary/<lang>.yaml`` and
``places.yaml``, so a curator teaches search a new word without a release; the
texter's situation words are beside them in ``vocabulary/situations/``
(``bot.search.situations``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.directory.loader import parse_file, shared_file
from bot.directory.model import SERVES_VALUES, Directory
from bot.directory.problems import Problem
from bot.directory.yamlfile import LineDict, LineList
from bot.search.cues import load_cues
from bot.search.facilities import Facilities, load_facilities
from bot.search.plans import load_plans
from bot.search.reader import Reader
from bot.search.reader_check import check_reader, load_reader
from bot.search.situation_file import Known, load_situations, situation_files
from bot.search.situations import Situations
from bot.search.text import stem, words

NEED_WORDS_FILE = "need_words.yaml"


@dataclass(frozen=True)
class Term:
    """A word or phrase that signals a category, in one language."""

    language: str
    words: tuple[str, ...]
    stems: tuple[str, ...]
    category: str
    weight: float


@dataclass(frozen=True)
class Place:
    """A named place (neighbourhood, city) texters use instead of a ZIP."""

    words: tuple[str, ...]
    latitude: float
    longitude: float
    label: str = ""  # the name shown to texters ("West Oakland" for "west side" too)


@dataclass
class Vocabulary:
    """Everything the query parser knows about words."""

    terms: list[Term] = field(default_factory=list)
    stop_words: dict[str, set[str]] = field(default_factory=dict)
    tonight: set[tuple[str, ...]] = field(default_factory=set)  # services open tonight first
    night_needs: set[str] = field(default_factory=set)  # ... for these (none listed: any need)
    synonyms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    places: list[Place] = field(default_factory=list)
    groups: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    situations: Situations = field(default_factory=Situations)
    facilities: Facilities = field(default_factory=Facilities)  # custody places: never a place
    # Words and phrases that say a text asks for something (need_words.yaml, read by
    # bot.search.need), as folded word tuples.
    need_words: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    # The learned reading of the need (search/reader.npz), weighed beside the vocabulary's
    # (bot.search.prior); None without a reader file.
    reader: Reader | None = None

    def known_words(self) -> set[str]:
        """Every surface word the vocabulary holds, in any language."""
        known = {w for t in self.terms for w in t.words}
        for stops in self.stop_words.values():
            known |= stops
        known |= {w for p in self.places for w in p.words}
        return known | self.situations.words() | self.facilities.words()

    def language_words(self, language: str) -> set[str]:
        """Surface words of one language's terms, situation terms and stop words."""
        own = {w for t in self.terms if t.language == language for w in t.words}
        own |= self.situations.language_words(language)
        return own | self.stop_words.get(language, set())


def language_files(folder: Path) -> list[Path]:
    """The per-language vocabulary files of a directory folder, or the repository's."""
    own = sorted((folder / "vocabulary").glob("*.yaml"))
    return own or sorted(shared_file(folder, "vocabulary").glob("*.yaml"))


def vocabulary_files(folder: Path) -> list[Path]:
    """Every vocabulary file in use: the language files, then the situation files
    beside them (the set whose digest says when search must be opened again)."""
    languages = language_files(folder)
    return languages + (situation_files(languages[0].parent) if languages else [])


def load_vocabulary(folder: Path, categories: set[str]) -> tuple[Vocabulary, list[Problem]]:
    """Read all vocabulary files and places; problems are reported, never raised."""
    vocabulary = Vocabulary()
    problems: list[Problem] = []
    languages = language_files(folder)
    for path in languages:
        data = parse_file(path, problems)
        if data is not None:
            _read_language(path, data, categories, vocabulary, problems)
    places_path = shared_file(folder, "places.yaml")
    if places_path.exists():
        data = parse_file(places_path, problems)
        if data is not None:
            _read_places(places_path, data, vocabulary, problems)
    need_path = shared_file(folder, NEED_WORDS_FILE)
    if need_path.exists():
        vocabulary.need_words = read_need_words(need_path, problems)
    vocabulary.facilities, found = load_facilities(folder, {p.words for p in vocabulary.places})
    problems += found
    if languages:
        need_words: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for term in vocabulary.terms:
            need_words[term.language].add(term.words)
        known = Known(categories, need_words, set(vocabulary.facilities.by_words))
        vocabulary.situations, found = load_situations(situation_files(languages[0].parent), known)
        problems += found
    vocabulary.reader = load_reader(folder)[0]  # a bad file: check_vocabulary reports it
    return vocabulary, problems


def _read_language(
    path: Path, data: Any, categories: set[str], vocabulary: Vocabulary, problems: list[Problem]
) -> None:
    if not isinstance(data, LineDict) or not isinstance(data.get("language"), str):
        problems.append(Problem(str(path), 1, "language", "needs a language code and categories"))
        return
    language = str(data["language"])
    stops = data.get("stop_words") or []
    if not isinstance(stops, list):
        problems.append(
            Problem(str(path), data.lines.get("stop_words", 1), "stop_words", "must be a list")
        )
        stops = []
    vocabulary.stop_words.setdefault(language, set()).update(
        w for s in stops for w in words(str(s))
    )
    vocabulary.tonight.update(tuple(words(str(t))) for t in data.get("tonight") or [])
    vocabulary.tonight.discard(())
    nights = data.get("night_needs") or []  # a slug that is no category: the schema says so
    vocabulary.night_needs.update(str(s) for s in nights if str(s) in categories)
    cats = data.get("categories")
    if not isinstance(cats, LineDict):
        problems.append(
            Problem(str(path), data.line, "categories", "must map categories to lists of terms")
        )
        return
    for slug, items in cats.items():
        if slug not in categories:
            problems.append(
                Problem(str(path), cats.lines[slug], f"categories.{slug}", "is not a category")
            )
            continue
        _read_terms(path, language, slug, items, vocabulary, problems)
    _read_groups(path, language, data, vocabulary, problems)
    groups = data.get("synonyms") or LineList()
    if not isinstance(groups, LineList):
        problems.append(
            Problem(str(path), data.lines.get("synonyms", 1), "synonyms", "must be a list")
        )
        return
    for i, group in enumerate(groups):
        if not isinstance(group, LineList) or not all(isinstance(g, str) for g in group):
            problems.append(
                Problem(str(path), groups.lines[i], f"synonyms[{i}]", "must be a list of words")
            )
            continue
        _add_synonyms(language, [str(g) for g in group], vocabulary)


def _read_terms(
    path: Path,
    language: str,
    slug: str,
    items: Any,
    vocabulary: Vocabulary,
    problems: list[Problem],
) -> None:
    if not isinstance(items, LineList):
        problems.append(
            Problem(str(path), getattr(items, "line", 1), f"categories.{slug}", "must be a list")
        )
        return
    for i, item in enumerate(items):
        text, weight = (
            (item.get("term"), item.get("weight", 1.0)) if isinstance(item, dict) else (item, 1.0)
        )
        surface = tuple(words(str(text or "")))
        if not surface or not isinstance(weight, int | float) or not 0 < weight <= 1:
            problems.append(
                Problem(
                    str(path),
                    items.lines[i],
                    f"categories.{slug}[{i}]",
                    "needs a term and a weight between 0 and 1",
                )
            )
            continue
        stems = tuple(stem(w, language) for w in surface)
        vocabulary.terms.append(Term(language, surface, stems, slug, float(weight)))


def _read_groups(
    path: Path, language: str, data: LineDict, vocabulary: Vocabulary, problems: list[Problem]
) -> None:
    """Words naming who a text is about, per ``serves`` group, as stems."""
    groups = data.get("groups") or LineDict()
    if not isinstance(groups, LineDict):
        problems.append(
            Problem(str(path), data.lines.get("groups", 1), "groups", "must map groups to words")
        )
        return
    for slug, items in groups.items():
        if slug not in SERVES_VALUES or not isinstance(items, list):
            problems.append(
                Problem(
                    str(path),
                    groups.lines[slug],
                    f"groups.{slug}",
                    "is not a group with a list of words",
                )
            )
            continue
        vocabulary.groups[slug] |= {stem(w, language) for item in items for w in words(str(item))}


def _add_synonyms(language: str, group: list[str], vocabulary: Vocabulary) -> None:
    """Link the group's one-word members; phrases in a group are there for people."""
    singles = {stem(w[0], language) for w in (words(g) for g in group) if len(w) == 1}
    for key in singles:
        vocabulary.synonyms[key] |= singles - {key}


def _read_places(path: Path, data: Any, vocabulary: Vocabulary, problems: list[Problem]) -> None:
    items = data.get("places") if isinstance(data, LineDict) else None
    if not isinstance(items, LineList):
        problems.append(Problem(str(path), 1, "places", "must be a list of places"))
        return
    for i, item in enumerate(items):
        lat, lon = (
            (item.get("latitude"), item.get("longitude"))
            if isinstance(item, dict)
            else (None, None)
        )
        if (
            not isinstance(lat, int | float)
            or not isinstance(lon, int | float)
            or not item.get("name")
        ):
            problems.append(
                Problem(
                    str(path), items.lines[i], f"places[{i}]", "needs name, latitude and longitude"
                )
            )
            continue
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            problems.append(
                Problem(str(path), items.lines[i], f"places[{i}].aliases", "must be a list")
            )
            continue
        for name in [item["name"], *aliases]:
            vocabulary.places.append(
                Place(tuple(words(str(name))), float(lat), float(lon), str(item["name"]))
            )


def read_need_words(path: Path, problems: list[Problem]) -> dict[str, set[tuple[str, ...]]]:
    """``need_words.yaml``: words and phrases per language; problems say
    ``file:line: field: problem``."""
    data = parse_file(path, problems)
    if data is None:
        return {}
    listed = data.get("need_words") if isinstance(data, LineDict) else None
    if not isinstance(listed, LineDict):
        problems.append(Problem(str(path), 1, "need_words", "must map languages to word lists"))
        return {}
    out: dict[str, set[tuple[str, ...]]] = {}
    for lang, items in listed.items():
        if not isinstance(items, LineList) or not all(isinstance(i, str) for i in items):
            line = listed.lines.get(lang, listed.line)
            problems.append(
                Problem(str(path), line, f"need_words.{lang}", "must be a list of words")
            )
            continue
        out[str(lang)] = {tuple(words(str(item))) for item in items} - {()}
    return out


def check_vocabulary(folder: Path, directory: Directory) -> list[Problem]:
    """Problems in the vocabulary, places and facilities files that go with a directory,
    and in the conversation's context and plans files (all are checked on every load)."""
    categories = {c.slug for c in directory.categories}
    problems = load_vocabulary(folder, categories)[1]
    problems += check_reader(folder)
    return problems + load_cues(folder)[1] + load_plans(folder, categories)[1]
