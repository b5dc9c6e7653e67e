"""Loading the search reader with the vocabulary, and checking it fits its corpus.

A directory folder without ``search/reader.npz`` (nor the repository's) searches
with the vocabulary alone. A file that cannot be read is a problem of the
load; one trained on another corpus (a curator added texts to
``search/reading_corpus/`` and did not run ``homeward directory train-reader``)
is a problem of ``homeward directory validate``, as the crisis model's is.
"""

from __future__ import annotations

from pathlib import Path

from bot.directory.loader import shared_file
from bot.directory.problems import Problem
from bot.search.linear import corpus_digest
from bot.search.reader import READER_FILE, Reader, ReaderFileError, read_reader
from bot.search.reading_corpus import corpus_files


def load_reader(folder: Path) -> tuple[Reader | None, list[Problem]]:
    """The folder's reader (or the repository's), None when there is none."""
    path = shared_file(folder, READER_FILE)
    if not path.exists():
        return None, []
    try:
        return read_reader(path), []
    except ReaderFileError as exc:
        return None, [Problem(str(path), 1, "(file)", str(exc))]


def check_reader(folder: Path) -> list[Problem]:
    """Problems of the folder's reader: unreadable, a broken decider inside it
    (``bot.search.decider``), or trained on another corpus."""
    reader, problems = load_reader(folder)
    if reader is None or problems:
        return problems
    # imported here: the decider reads parsed queries, whose module reads the vocabulary
    from bot.search.decider import decider_of

    try:
        decider_of(reader.meta, reader.classes)
    except ValueError as exc:
        return [Problem(str(shared_file(folder, READER_FILE)), 1, "decider", str(exc))]
    if reader.corpus_digest != corpus_digest(corpus_files(folder)):
        path = shared_file(folder, READER_FILE)
        message = "was trained on another corpus: run homeward directory train-reader"
        return [Problem(str(path), 1, "corpus", message)]
    return []
