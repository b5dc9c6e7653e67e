"""The curator's search vocabulary: category words, synonyms, stop words, places.

All of it is data in ``resources_directory/vocabulary/<lang>.yaml`` and
``places.yaml``, so a curator teaches search a new word without a release.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from bot.directory.loader import shared_file
from bot.directory.model import SERVES_VALUES, Directory
from bot.directory.problems import Problem
from bot.directory.yamlfile import LineDict, LineList, YamlFileError, parse_yaml
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
    places: list[Place] = field(default_factory=list)
    groups: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

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


VOCABULARY_FOLDER = "vocabulary"
PLACES_FILE = "places.yaml"


def vocabulary_files(folder: Path) -> list[Path]:
    """The vocabulary files of a directory folder, or the repository's defaults."""
    own = sorted((folder / "vocabulary").glob("*.yaml"))
    return own or sorted(shared_file(folder, "vocabulary").glob("*.yaml"))


def load_vocabulary(folder: Path, categories: set[str]) -> tuple[Vocabulary, list[Problem]]:
    """Read all vocabulary files and places of a folder; problems are reported, never raised."""
    paths = vocabulary_files(folder)
    places_path = shared_file(folder, PLACES_FILE)
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for path in [*paths, places_path] if places_path.exists() else paths:
        try:
            files[str(path)] = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(str(path), 1, "(file)", f"cannot be read: {exc.strerror}"))
    vocabulary, found = vocabulary_from_files(files, categories)
    return vocabulary, problems + found


def vocabulary_from_files(
    files: dict[str, bytes], categories: set[str]
) -> tuple[Vocabulary, list[Problem]]:
    """The vocabulary of files' bytes by name: ``.../vocabulary/*.yaml`` and ``places.yaml``.

    The running product reads the copies stored with the loaded directory
    (``bot.directory.sync.loaded_runtime_files``), never the folder, so a file
    broken after the last good load never reaches the search; other names are
    left alone.
    """
    vocabulary = Vocabulary()
    problems: list[Problem] = []
    languages = sorted(n for n in files if PurePath(n).parent.name == VOCABULARY_FOLDER)
    places = [n for n in files if PurePath(n).name == PLACES_FILE]
    for name in languages:
        data = _parse(name, files[name], problems)
        if data is not None:
            _read_language(name, data, categories, vocabulary, problems)
    for name in places:
        data = _parse(name, files[name], problems)
        if data is not None:
            _read_places(name, data, vocabulary, problems)
    return vocabulary, problems


def _parse(name: str, data: bytes, problems: list[Problem]) -> Any:
    try:
        return parse_yaml(data)
    except YamlFileError as exc:
        problems.append(Problem(name, exc.line, "(file)", str(exc)))
    return None


def _read_language(
    path: str, data: Any, categories: set[str], vocabulary: Vocabulary, problems: list[Problem]
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
    path: str,
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
    path: str, language: str, data: LineDict, vocabulary: Vocabulary, problems: list[Problem]
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


def _read_places(path: str, data: Any, vocabulary: Vocabulary, problems: list[Problem]) -> None:
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
            vocabulary.places.append(Place(tuple(words(str(name))), float(lat), float(lon)))


def check_vocabulary(folder: Path, directory: Directory) -> list[Problem]:
    """Problems in the vocabulary and places files that go with a directory."""
    return load_vocabulary(folder, {c.slug for c in directory.categories})[1]
