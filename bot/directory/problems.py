"""Problems found in directory files, reported all at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.directory.yamlfile import line_of


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is and what is wrong, in the curator's words."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class DirectoryUnavailable(RuntimeError):
    """Nothing is loaded and the files cannot be loaded.

    Defined here, beside Problem, so the command line can report it without
    importing the database code.
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"the directory has {len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ProblemLog:
    """Collects problems for one file, so a checker never stops at the first."""

    path: Path
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int, field_path: str, message: str) -> None:
        """Record a problem at a line."""
        self.problems.append(Problem(str(self.path), line, field_path, message))

    def at(self, container: Any, key: str | int, field_path: str, message: str) -> None:
        """Record a problem at the line where ``key`` is written in ``container``."""
        self.add(line_of(container, key), field_path, message)
