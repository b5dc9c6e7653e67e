"""Schemas for curated files: which keys a file may have, which it must have, of what shape.

A curator who renames ``stop:`` to ``stopp:`` in ``commands.yaml`` must hear
about it, not find out when STOP stops working. A schema is a tree of shapes
(``Keys`` for a mapping with known keys, ``MapOf`` for a mapping with free keys,
``ListOf``, ``Text``, ``Number``, ``Flag``, ``Choice``, ``AnyOf``); ``check``
walks a parsed file (with lines, ``bot.directory.yamlfile``) and reports every
problem as ``file:line: key: problem``, with a spelling hint for a near miss.
Tables (``Table``: tab-separated files with a header) are checked per row.

The schemas of the repository's files are declared in
``bot.directory.curated_files``; this module is only the mechanism.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.directory.problems import Problem, ProblemLog
from bot.directory.yamlfile import LineDict, YamlFileError, line_of, load_yaml


class Shape:
    """What a value must look like."""

    expected = "a value"

    def check(self, value: Any, log: ProblemLog, line: int, path: str) -> None:
        """Log every problem of ``value`` (written at ``line``, reached by ``path``)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Shape):
    """Words: a string, or a number written as words ("988")."""

    max_length: int | None = None
    expected = "text"

    def check(self, value: Any, log: ProblemLog, line: int, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            hint = " (quote yes, no, on and off)" if isinstance(value, bool) else ""
            log.add(line, path, f"must be text{hint}")
        elif not str(value).strip():
            log.add(line, path, "is empty")
        elif self.max_length is not None and len(str(value)) > self.max_length:
            log.add(line, path, f"is longer than {self.max_length} characters")


@dataclass(frozen=True)
class Flag(Shape):
    """true or false."""

    expected = "true or false"

    def check(self, value: Any, log: ProblemLog, line: int, path: str) -> None:
        if not isinstance(value, bool):
            log.add(line, path, "must be true or false")


@dataclass(frozen=True)
class Number(Shape):
    """A number, optionally within bounds."""

    minimum: float | None = None
    maximum: float | None = None
    expected = "a number"

    def check(self, value: Any, log: ProblemLog, line: int, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            log.add(line, path, "must be a number")
        elif (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            log.add(line, path, f"must be between {self.minimum} and {self.maximum}")


@dataclass(frozen=True)
class Choice(Shape):
    """One of a fixed set of words."""

    values: tuple[str, ...]
    expected = "one of a list"

    def check(self, value: Any, log: ProblemLog, line: int, path: str) -> None:
        if isinstance(value, bool) or str(value) not in self.values:
            log.add(line, path, f"'{value}' is not one of {', '.join(self.values)}")


@dataclass(frozen=True)
class ListOf(Shape):
    """A list whose items all have one shape."""

    item: Shape
    min_items: int = 0
    expected = "a list"

    def check(self, value: Any, log: ProblemLog, line: int, path: str) -> None:
        if value is None and self.min_items == 0:
            return
        if not isinstance(value, list):
            log.add(line, path, "must be a list")
            return
        if len(value) < self.min_items:
            log.add(line, path, f"needs at least {self.min_items} item(s)")
        for i, item in enumerate(value):
            self.item.check(item, log, line_of(value, i), f"{path}[{i}]")


@dataclass(frozen=True)
class Key:
    """One key of a ``Keys`` mapping."""

    shape: Shape
    required: bool = False


@dataclass(frozen=True)
class Keys(Shape):
    """A mapping with known keys: unknown, missing and misspelt keys are problems."""

    keys: dict[str, Key]
    expected = "a mapping of keys"

    def check(self, value: Any, log: ProblemLog, line: int, path: str) -> None:
        if not isinstance(value, dict):
            log.add(line, path or "(file)", "must be a mapping of keys (key: value)")
            return
        prefix = f"{path}." if path else ""
        for key, item in value.items():
            spec = self.keys.get(str(key))
            where = line_of(value, str(key))
            if spec is None:
                log.add(where, prefix + str(key), _unknown(str(key), self.keys))
            elif item is None and not spec.required:
                continue
            else:
                spec.shape.check(item, log, where, prefix + str(key))
        for key, spec in self.keys.items():
            if spec.required and key not in value:
                log.add(getattr(value, "line", line) or line, prefix + key, "is missing")
        for key, again in getattr(value, "duplicates", []):
            log.add(again, prefix + key, "written twice; the second one would win")


@dataclass(frozen=True)
class MapOf(Shape):
    """A mapping with free keys (concept names, codes) and values of one shape."""

    value: Shape
    key: Shape = field(default_factory=Text)
    expected = "a mapping"

    def check(self, value: Any, log: ProblemLog, line: int, path: str) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            log.add(line, path, "must be a mapping (key: value)")
            return
        for key, item in value.items():
            where = line_of(value, str(key))
            self.key.check(key, log, where, f"{path}.{key}")
            self.value.check(item, log, where, f"{path}.{key}")
        for key, again in getattr(value, "duplicates", []):
            log.add(again, f"{path}.{key}", "written twice; the second one would win")


@dataclass(frozen=True)
class AnyOf(Shape):
    """The first of several shapes the value fits (a term, or a term with a weight)."""

    shapes: tuple[Shape, ...]
    expected = "one of several forms"

    def check(self, value: Any, log: ProblemLog, line: int, path: str) -> None:
        tries = []
        for shape in self.shapes:
            trial = ProblemLog(log.path)
            shape.check(value, trial, line, path)
            if not trial.problems:
                return
            tries.append(trial.problems)
        best = min(tries, key=len)  # the form it nearly fits says the most
        log.problems.extend(best)


def _unknown(key: str, known: dict[str, Key]) -> str:
    folded = {name.lower(): name for name in known}
    near = difflib.get_close_matches(key.lower(), list(folded), n=1, cutoff=0.6)
    if near:
        return f"unknown key (did you mean {folded[near[0]]}?)"
    return f"unknown key (known: {', '.join(known)})"


@dataclass(frozen=True)
class Table:
    """A tab-separated file: a header line (may start with "# "), then one row per line.

    Lines starting with "#" after the header are comments. ``row_check`` may
    add problems that span columns (a level that does not fit the kind).
    """

    columns: dict[str, Shape]
    row_check: Callable[[dict[str, str], ProblemLog, int], None] | None = None

    def check_text(self, text: str, log: ProblemLog) -> None:
        """Log every problem of the table's rows."""
        lines = text.splitlines()
        names = list(self.columns)
        header = lines[0].lstrip("#").strip().split("\t") if lines else []
        if [h.strip() for h in header] != names:
            log.add(1, "(header)", f"must be the columns {', '.join(names)} separated by tabs")
            return
        for number, raw in enumerate(lines[1:], start=2):
            if not raw.strip() or raw.startswith("#"):
                continue
            cells = raw.split("\t")
            if len(cells) != len(names):
                log.add(number, "(row)", f"has {len(cells)} columns, needs {len(names)} (tabs)")
                continue
            row = dict(zip(names, (c.strip() for c in cells), strict=True))
            for name, shape in self.columns.items():
                shape.check(row[name], log, number, name)
            if self.row_check is not None:
                self.row_check(row, log, number)


@dataclass(frozen=True)
class CuratedFile:
    """One curated file (or a glob of them) and its schema.

    ``name`` is relative to the directory folder; a folder that lacks the file
    uses the repository's copy (``shared_file``), which is checked instead.
    ``about`` says in a few words what the file is for (docs/directory-format.md).
    """

    name: str
    schema: Shape | Table
    about: str
    binary: bool = False  # checked by its reader, not by a schema (the crisis model)


def check_file(path: Path, schema: Shape | Table) -> list[Problem]:
    """Every problem of one file against its schema."""
    log = ProblemLog(path)
    if isinstance(schema, Table):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            log.add(1, "(file)", f"cannot be read as UTF-8 text: {exc}")
            return log.problems
        schema.check_text(text, log)
        return log.problems
    try:
        data = load_yaml(path)
    except YamlFileError as exc:
        log.add(exc.line, "(file)", str(exc))
        return log.problems
    except OSError as exc:
        log.add(1, "(file)", f"cannot be read: {exc.strerror}")
        return log.problems
    if data is None:
        data = LineDict()
        data.line, data.lines, data.duplicates = 1, {}, []
    schema.check(data, log, 1, "")
    return log.problems


__all__ = [
    "AnyOf",
    "Choice",
    "CuratedFile",
    "Flag",
    "Key",
    "Keys",
    "ListOf",
    "MapOf",
    "Number",
    "Shape",
    "Table",
    "Text",
    "check_file",
]
