"""Numbered lists offered for a situation: the first-week plan and what families need.

"just got out" gets a short plan (ID, benefits, the parole check-in, a bed,
food); "my son is in santa rita" gets what families need (visits, money on the
books, calls, letters, the release, support groups, kids). Each item is a
label, a search with its category, and maybe a short how-to note, so a curator
changes the lists in ``plans.yaml`` without a release. The shape is in
docs/directory-format.md; a file with any problem is reported whole and not
used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.directory.filecheck import FieldReader
from bot.directory.loader import parse_file, shared_file
from bot.directory.problems import Problem, ProblemLog
from bot.directory.yamlfile import LineDict, LineList
from bot.search.text import stem, words

FILE = "plans.yaml"
PLANS = ("release", "family")
LANGUAGES = ("en", "es")
AUDIENCES = ("self", "family")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELDS = {
    "release": {"key", "label", "search", "category", "note", "audience"},
    "family": {"key", "label", "search", "category", "note", "cues", "opens"},
}


@dataclass(frozen=True)
class PlanItem:
    """One numbered item: what it is called, what it searches, and its how-to."""

    key: str
    label: dict[str, str]
    search: str = ""
    category: str | None = None
    note: dict[str, str] = field(default_factory=dict)
    audience: str | None = None  # release plan: only for the texter (self) or family
    cues: frozenset[tuple[str, ...]] = frozenset()
    opens: str | None = None  # family list: this item shows another plan

    def name(self, language: str) -> str:
        """The label in a language (English when it has none)."""
        return self.label.get(language) or self.label["en"]

    def how_to(self, language: str) -> str:
        """The note in a language, or nothing."""
        return self.note.get(language) or self.note.get("en", "")


@dataclass(frozen=True)
class Plans:
    """The release plan and the family list of one deployment."""

    release: tuple[PlanItem, ...] = ()
    family: tuple[PlanItem, ...] = ()

    def items(self, plan: str, family: bool = False) -> tuple[PlanItem, ...]:
        """A plan's items as shown: the release plan differs for a family member."""
        if plan == "family":
            return self.family
        wanted = "family" if family else "self"
        return tuple(i for i in self.release if i.audience in (None, wanted))

    def family_topic(self, seq: list[str]) -> PlanItem | None:
        """The family item a text asks about by its cues ("books" -> money), if one.

        Words match a cue when spelled alike or with the same stem in English or
        Spanish ("visito" is "visitar"); the longest cue found wins.
        """
        keys = [_keys(w) for w in seq]
        best: tuple[int, PlanItem] | None = None
        for item in self.family:
            for cue in item.cues:
                n = len(cue)
                wanted = [_keys(w) for w in cue]
                hit = any(
                    all(keys[i + k] & wanted[k] for k in range(n)) for i in range(len(seq) - n + 1)
                )
                if hit and (best is None or n > best[0]):
                    best = (n, item)
        return best[1] if best else None


def _keys(word: str) -> frozenset[str]:
    return frozenset((word, stem(word, "en"), stem(word, "es")))


def load_plans(folder: Path, categories: set[str]) -> tuple[Plans, list[Problem]]:
    """The folder's plans file (or the repository's); empty plans when there is none."""
    path = shared_file(folder, FILE)
    if not path.exists():
        return Plans(), []
    problems: list[Problem] = []
    data = parse_file(path, problems)
    if data is None:
        return Plans(), problems
    log = ProblemLog(path)
    plans = _PlanReader(log, categories).read(data)
    if log.problems:
        return Plans(), sorted(log.problems)
    return plans, []


class _PlanReader(FieldReader):
    """Reads both lists, noting every problem with its line."""

    def __init__(self, log: ProblemLog, categories: set[str]) -> None:
        super().__init__(log)
        self.categories = categories

    def read(self, data: Any) -> Plans:
        if not isinstance(data, LineDict):
            self.log.add(getattr(data, "line", 1), "(file)", "must map release and family to lists")
            return Plans()
        self._unknown(data, set(PLANS), "")
        lists = {plan: self._list_of(data, plan) for plan in PLANS}
        return Plans(lists["release"], lists["family"])

    def _list_of(self, data: LineDict, plan: str) -> tuple[PlanItem, ...]:
        items = data.get(plan)
        if not isinstance(items, LineList) or not items:
            self.log.at(data, plan, plan, "must be a list of items")
            return ()
        out: list[PlanItem] = []
        for i, item in enumerate(items):
            path = f"{plan}[{i}]"
            if not isinstance(item, LineDict):
                self.log.at(items, i, path, "must be a mapping with key, label and search")
                continue
            read = self._item(plan, item, path)
            if any(read.key == other.key for other in out):
                self.log.at(item, "key", f"{path}.key", f"'{read.key}' is listed twice")
            out.append(read)
        return tuple(out)

    def _item(self, plan: str, item: LineDict, path: str) -> PlanItem:
        self._unknown(item, _FIELDS[plan], f"{path}.")
        key = str(item.get("key", ""))
        if not _KEY_RE.match(key):
            self.log.at(item, "key", f"{path}.key", "needs lowercase letters, digits or _")
        opens = self._opens(item, path)
        search = self._text(item, "search", f"{path}.search", required=opens is None)
        category = self._category(item, path, required=opens is None)
        audience = item.get("audience")
        if audience is not None and audience not in AUDIENCES:
            self.log.at(item, "audience", f"{path}.audience", "must be self or family")
        return PlanItem(
            key,
            self._languages(item, "label", path, required=True),
            search,
            category,
            self._languages(item, "note", path, required=False),
            str(audience) if audience in AUDIENCES else None,
            self._cues(item, path),
            opens,
        )

    def _opens(self, item: LineDict, path: str) -> str | None:
        opens = item.get("opens")
        if opens is None:
            return None
        if opens != "release":
            self.log.at(item, "opens", f"{path}.opens", "can only be release")
            return None
        return "release"

    def _category(self, item: LineDict, path: str, *, required: bool) -> str | None:
        slug = item.get("category")
        if slug is None:
            if required:
                self.log.at(item, "category", f"{path}.category", "is missing")
            return None
        if slug not in self.categories:
            self.log.at(item, "category", f"{path}.category", f"'{slug}' is not a category")
            return None
        return str(slug)

    def _languages(self, item: LineDict, key: str, path: str, *, required: bool) -> dict[str, str]:
        value = item.get(key)
        if value is None:
            if required:
                self.log.at(item, key, f"{path}.{key}", "is missing")
            return {}
        if not isinstance(value, LineDict):
            self.log.at(item, key, f"{path}.{key}", "must give en and es")
            return {}
        self._unknown(value, set(LANGUAGES), f"{path}.{key}.")
        out = {}
        for language in LANGUAGES:
            out[language] = self._text(value, language, f"{path}.{key}.{language}", required=True)
        return out if all(out.values()) else {}

    def _cues(self, item: LineDict, path: str) -> frozenset[tuple[str, ...]]:
        value = item.get("cues")
        if value is None:
            return frozenset()
        if not isinstance(value, LineDict):
            self.log.at(item, "cues", f"{path}.cues", "must map en and es to lists of phrases")
            return frozenset()
        self._unknown(value, set(LANGUAGES), f"{path}.cues.")
        found = set()
        for language in LANGUAGES:
            for phrase in self._strings(value, language, f"{path}.cues.{language}"):
                found.add(tuple(words(phrase)))
        return frozenset(f for f in found if f)
