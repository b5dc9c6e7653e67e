"""The curator's search vocabulary: category words, synonyms, stop words, places.

All of it is data in ``resources_directory/vocabulary/<lang>.yaml`` and
``places.yaml``, so a curator teaches search a new word without a release.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.directory.loader import shared_file
from bot.directory.problems import Problem
from bot.directory.yamlfile import LineDict, LineList, YamlFileError, load_yaml
from bot.search.text import stem, words


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


@dataclass
class Vocabulary:
    """Everything the query parser knows about words."""

    terms: list[Term] = field(default_factory=list)
    stop_words: dict[str, set[str]] = field(default_factory=dict)
    synonyms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    phrase_synonyms: dict[tuple[str, ...], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )
    places: list[Place] = field(default_factory=list)

    def known_words(self) -> set[str]:
        """Every surface word the vocabulary holds, in any language."""
        known = {w for t in self.terms for w in t.words}
        for stops in self.stop_words.values():
            known |= stops
        known |= {w for p in self.places for w in p.words}
        return known

    def language_words(self, language: str) -> set[str]:
        """Surface words of one language's terms and stop words."""
        own = {w for t in self.terms if t.language == language for w in t.words}
        return own | self.stop_words.get(language, set())


def vocabulary_files(folder: Path) -> list[Path]:
    """The vocabulary files of a directory folder, or the repository's defaults."""
    own = sorted((folder / "vocabulary").glob("*.yaml"))
    return own or sorted(shared_file(folder, "vocabulary").glob("*.yaml"))


def load_vocabulary(folder: Path, categories: set[str]) -> tuple[Vocabulary, list[Problem]]:
    """Read all vocabulary files and places; problems are reported, never raised."""
    vocabulary = Vocabulary()
    problems: list[Problem] = []
    for path in vocabulary_files(folder):
        data = _parse(path, problems)
        if data is not None:
            _read_language(path, data, categories, vocabulary, problems)
    places_path = shared_file(folder, "places.yaml")
    if places_path.exists():
        data = _parse(places_path, problems)
        if data is not None:
            _read_places(places_path, data, vocabulary, problems)
    return vocabulary, problems


def _parse(path: Path, problems: list[Problem]) -> Any:
    try:
        return load_yaml(path)
    except YamlFileError as exc:
        problems.append(Problem(str(path), exc.line, "(file)", str(exc)))
    return None


def _read_language(
    path: Path, data: Any, categories: set[str], vocabulary: Vocabulary, problems: list[Problem]
) -> None:
    if not isinstance(data, LineDict) or not isinstance(data.get("language"), str):
        problems.append(Problem(str(path), 1, "language", "needs a language code and categories"))
        return
    language = str(data["language"])
    stops = data.get("stop_words") or []
    vocabulary.stop_words.setdefault(language, set()).update(
        w for s in stops for w in words(str(s))
    )
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
    for i, group in enumerate(data.get("synonyms") or []):
        if not isinstance(group, LineList):
            problems.append(
                Problem(str(path), data.line, f"synonyms[{i}]", "must be a list of words")
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


def _add_synonyms(language: str, group: list[str], vocabulary: Vocabulary) -> None:
    stems = [tuple(stem(w, language) for w in words(g)) for g in group]
    singles = {s[0] for s in stems if len(s) == 1}
    for s in stems:
        if len(s) == 1:
            vocabulary.synonyms[s[0]] |= singles - {s[0]}
        elif s:
            vocabulary.phrase_synonyms[s] |= singles


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
        for name in [item["name"], *(item.get("aliases") or [])]:
            vocabulary.places.append(Place(tuple(words(str(name))), float(lat), float(lon)))
