"""The labelled crisis corpus (``safety/corpus/*.tsv``): what the model learns from.

One text per line: ``text<TAB>kind<TAB>level<TAB>lang``; kind is a crisis kind
or ``none`` (a look-alike), level ``crisis``, ``concern`` (self_harm only) or
``none``, lang ``en``, ``es`` or ``mixed``. The schema
(``bot.directory.curated_files.CRISIS_CORPUS``) checks every row; this module
reads the rows and names the class each one teaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.directory.curated_files import CRISIS_CORPUS, curated_paths
from bot.directory.curated_schema import check_file
from bot.directory.problems import Problem
from bot.safety.model import CONCERN, NONE
from bot.search.linear import corpus_digest

CORPUS_FILES = "safety/corpus/*.tsv"


@dataclass(frozen=True)
class Example:
    """One labelled text."""

    text: str
    kind: str  # a crisis kind or "none"
    level: str  # "crisis", "concern" or "none"
    lang: str

    @property
    def label(self) -> str:
        """The model's class: the kind, "concern" or "none"."""
        return CONCERN if self.level == CONCERN else self.kind


def corpus_files(folder: Path) -> list[Path]:
    """The corpus files of a directory folder (or the repository's)."""
    return curated_paths(folder, CORPUS_FILES)


def read_table(path: Path) -> tuple[list[Example], list[Problem]]:
    """The rows of one labelled file (the corpus, or a test set of the same columns)."""
    problems = check_file(path, CRISIS_CORPUS)
    if problems:
        return [], problems
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            text, kind, level, lang = (cell.strip() for cell in line.split("\t"))
            rows.append(Example(text, kind, level, lang))
    return rows, []


def read_corpus(folder: Path) -> tuple[list[Example], list[Problem], str]:
    """Every example of the folder's corpus, the problems, and the corpus digest."""
    examples: list[Example] = []
    problems: list[Problem] = []
    for path in corpus_files(folder):
        rows, found = read_table(path)
        examples += rows
        problems += found
    return examples, problems, corpus_digest(corpus_files(folder))


__all__ = ["NONE", "Example", "corpus_digest", "corpus_files", "read_corpus", "read_table"]
