"""Custody places (jails, prisons, courts, parole offices) that texters name.

A custody place is never where the texter is: "got out of santa rita, staying
in east oakland" is searched near East Oakland, and "my son is in san quentin"
says someone the texter loves is inside. The query parser takes their names
out of a text before it looks for a place, so a jail never becomes the point
distances are measured from, and the conversation reads them as context.

The places are curated data, ``facilities.yaml`` in the directory folder (one
per deployment, like ``places.yaml``); the shape is in docs/directory-format.md.
A file with any problem is reported whole and not used: nothing half-loads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.directory.filecheck import FieldReader
from bot.directory.loader import parse_file, shared_file
from bot.directory.problems import Problem, ProblemLog
from bot.directory.yamlfile import LineDict, LineList
from bot.search.text import words

FILE = "facilities.yaml"
KINDS = ("jail", "prison", "juvenile", "court", "parole_office", "probation_office")
MARK = "@"  # starts the word that stands for a custody place's name; never a folded word


def mark(kind: str) -> str:
    """The word that stands for a custody place of a kind in a text read by search."""
    return f"{MARK}{kind}"


def is_mark(word: str) -> bool:
    """Whether a word stands for a custody place's name."""
    return word.startswith(MARK)


_FIELDS = {"id", "kind", "name", "name_es", "city", "aliases", "closed"}


@dataclass(frozen=True)
class Facility:
    """One custody place and the names texters give it."""

    id: str
    kind: str
    names: dict[str, str]
    city: str = ""
    aliases: tuple[tuple[str, ...], ...] = ()  # folded words of its names and aliases
    closed: bool = False

    def name(self, language: str) -> str:
        """Its name in a language, English when it has none there."""
        return self.names.get(language) or self.names["en"]


@dataclass(frozen=True)
class FacilityMention:
    """Where a text names a custody place: ``words[start:start + length]``."""

    facility: Facility
    start: int
    length: int


@dataclass
class Facilities:
    """Every custody place of a deployment, found by the folded words of its names."""

    items: tuple[Facility, ...] = ()
    by_words: dict[tuple[str, ...], Facility] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.by_words:
            self.by_words = {alias: f for f in self.items for alias in f.aliases}
        self.longest = max((len(a) for a in self.by_words), default=0)

    def words(self) -> set[str]:
        """Every word of every name (known words: the typo fixer leaves them alone)."""
        return {w for alias in self.by_words for w in alias}

    def find(self, seq: Sequence[str]) -> list[FacilityMention]:
        """Custody places named in folded words, longest names first, left to right."""
        found: list[FacilityMention] = []
        start = 0
        while start < len(seq):
            for length in range(min(self.longest, len(seq) - start), 0, -1):
                facility = self.by_words.get(tuple(seq[start : start + length]))
                if facility is not None:
                    found.append(FacilityMention(facility, start, length))
                    start += length
                    break
            else:
                start += 1
        return found

    def without(self, seq: Sequence[str]) -> tuple[list[str], list[Facility]]:
        """The words with custody places' names taken out, and the places named."""
        mentions = self.find(seq)
        taken = {i for m in mentions for i in range(m.start, m.start + m.length)}
        return [w for i, w in enumerate(seq) if i not in taken], [m.facility for m in mentions]

    def marked(
        self, seq: Sequence[str], keep: Callable[[tuple[str, ...]], bool] | None = None
    ) -> tuple[list[str], list[Facility]]:
        """The words with each custody place's name replaced by one mark of its kind
        (``mark(kind)``: "@jail"), and the places named. Search reads the mark as the
        situation that kind of place says (someone inside, on parole...), where the
        name stood, so "visiting my brother at san quentin" keeps its clause whole.
        ``keep`` tells a name to leave as words ("soledad" in a Spanish text)."""
        out: list[str] = []
        named: list[Facility] = []
        at = 0
        for mention in self.find(seq):
            name = tuple(seq[mention.start : mention.start + mention.length])
            if keep is not None and keep(name):
                continue
            out += seq[at : mention.start]
            out.append(mark(mention.facility.kind))
            named.append(mention.facility)
            at = mention.start + mention.length
        return out + list(seq[at:]), named


def load_facilities(
    folder: Path, places: set[tuple[str, ...]] | None = None
) -> tuple[Facilities, list[Problem]]:
    """The folder's facilities file (or the repository's); empty when there is none.

    ``places`` (the folded names of places.yaml) lets the check report a name
    listed both as a place and as a custody place.
    """
    path = shared_file(folder, FILE)
    if not path.exists():
        return Facilities(), []
    problems: list[Problem] = []
    data = parse_file(path, problems)
    if data is None:
        return Facilities(), problems
    log = ProblemLog(path)
    items = _FacilityReader(log, places or set()).read(data)
    if log.problems:
        return Facilities(), sorted(log.problems)
    return Facilities(items), []


class _FacilityReader(FieldReader):
    """Reads ``facilities:``, noting every problem with its line."""

    def __init__(self, log: ProblemLog, places: set[tuple[str, ...]]) -> None:
        super().__init__(log)
        self.places = places
        self.seen_ids: set[str] = set()
        self.seen_names: dict[tuple[str, ...], str] = {}

    def read(self, data: Any) -> tuple[Facility, ...]:
        items = data.get("facilities") if isinstance(data, LineDict) else None
        if not isinstance(items, LineList):
            self.log.add(getattr(data, "line", 1), "facilities", "must be a list of places")
            return ()
        self._unknown(data, {"facilities"}, "")
        out = []
        for i, item in enumerate(items):
            path = f"facilities[{i}]"
            if not isinstance(item, LineDict):
                self.log.at(items, i, path, "must be a mapping with id, kind and name")
                continue
            facility = self._facility(item, path)
            if facility is not None:
                out.append(facility)
        return tuple(out)

    def _facility(self, item: LineDict, path: str) -> Facility | None:
        self._unknown(item, _FIELDS, f"{path}.")
        ident = self._id(item, f"{path}.id")
        if ident and ident in self.seen_ids:
            self.log.at(item, "id", f"{path}.id", f"'{ident}' is listed twice")
        self.seen_ids.add(ident)
        kind = self._choice(item, "kind", f"{path}.kind", KINDS, "")
        if "kind" not in item:
            self.log.at(item, "kind", f"{path}.kind", "is missing")
        names = {"en": self._text(item, "name", f"{path}.name", required=True)}
        if spanish := self._text(item, "name_es", f"{path}.name_es"):
            names["es"] = spanish
        closed = item.get("closed", False)
        if not isinstance(closed, bool):
            self.log.at(item, "closed", f"{path}.closed", "must be true or false")
        aliases = self._aliases(item, path, [names["en"], *self._strings(item, "aliases", path)])
        if not ident or not kind or not names["en"]:
            return None
        return Facility(
            ident,
            kind,
            names,
            self._text(item, "city", f"{path}.city"),
            aliases,
            closed is True,
        )

    def _aliases(self, item: LineDict, path: str, names: list[str]) -> tuple[tuple[str, ...], ...]:
        out: list[tuple[str, ...]] = []
        for name in [*names, *[n for key in ("name_es",) if (n := item.get(key))]]:
            folded = tuple(words(str(name)))
            if not folded or folded in out:
                continue
            where = "name" if name in (item.get("name"), item.get("name_es")) else "aliases"
            if folded in self.places:
                self.log.at(
                    item, where, f"{path}.{where}", f"'{name}' is also a place in places.yaml"
                )
            elif folded in self.seen_names:
                other = self.seen_names[folded]
                self.log.at(item, where, f"{path}.{where}", f"'{name}' is also a name of {other}")
            self.seen_names[folded] = str(item.get("id"))
            out.append(folded)
        return tuple(out)
