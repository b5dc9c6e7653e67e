"""The search reader's labelled texts (``search/reading_corpus/*.tsv``).

One text per line: ``text<TAB>categories<TAB>lang``; categories are the right
answers (comma separated category slugs, or ``none`` for chatter), the first
is the class the reader learns (one row per text: a text that names two needs
teaches its first). The schema (``bot.directory.curated_files.READING_CORPUS``)
checks every row; the digest of the files says which corpus a reader file
learned from (``bot.search.reader_check``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.directory.curated_files import READING_CORPUS, curated_paths
from bot.directory.curated_schema import check_file
from bot.directory.problems import Problem
from bot.search.linear import corpus_digest

CORPUS_FILES = "search/reading_corpus/*.tsv"


@dataclass(frozen=True)
class Labelled:
    """One labelled text."""

    text: str
    categories: tuple[str, ...]  # the right answers; ("none",) for chatter
    lang: str

    @property
    def label(self) -> str:
        """The class the reader learns: the first category."""
        return self.categories[0]


def corpus_files(folder: Path) -> list[Path]:
    """The corpus files of a directory folder (or the repository's)."""
    return curated_paths(folder, CORPUS_FILES)


def read_corpus(folder: Path) -> tuple[list[Labelled], list[Problem], str]:
    """Every labelled text of the folder's corpus, the problems, and the corpus digest."""
    texts: list[Labelled] = []
    problems: list[Problem] = []
    paths = corpus_files(folder)
    for path in paths:
        found = check_file(path, READING_CORPUS)
        problems += found
        if found:
            continue
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            if line.strip() and not line.startswith("#"):
                text, categories, lang = (cell.strip() for cell in line.split("\t"))
                texts.append(Labelled(text, tuple(c.strip() for c in categories.split(",")), lang))
    return texts, problems, corpus_digest(paths)
