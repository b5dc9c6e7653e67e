"""Wiring shared by every command: settings -> database -> directory -> search."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from bot.directory.loader import files_digest, shared_file
from bot.directory.model import Directory
from bot.directory.problems import DirectoryUnavailable, Problem
from bot.directory.sync import loaded_fingerprint, read_loaded, refresh_directory
from bot.search.engine import SearchEngine
from bot.search.vocabulary import Vocabulary, load_vocabulary, vocabulary_files
from bot.settings import Settings
from bot.storage.db import make_engine


@dataclass
class Runtime:
    """What a running command holds: settings, database engine, search engine."""

    settings: Settings
    engine: Engine
    search: SearchEngine
    problems: list[Problem] = field(default_factory=list)


def open_runtime(settings: Settings) -> Runtime:
    """Open the database, bring the directory up to date, and build the index.

    Raises DirectoryUnavailable when nothing is loaded and the files are invalid.
    """
    engine = make_engine(settings.database_url, settings.secret_keys)
    problems = refresh_directory(engine, settings.directory, check_vocabulary)
    search, vocab_problems = build_search(engine, settings)
    return Runtime(settings, engine, search, problems or vocab_problems)


def build_search(engine: Engine, settings: Settings) -> tuple[SearchEngine, list[Problem]]:
    """A search engine over the directory the database holds now, tagged with its version.

    Each worker process calls this at start and again whenever the version in
    the database changes (``bot.web.watch``); the vocabulary comes from the
    configured folder's files. An engine already built in this process from the
    same directory files (by fingerprint) and the same vocabulary files is used
    again rather than built twice: it is only read once built.
    """
    state = loaded_fingerprint(engine)
    vocabulary_key = files_digest(
        [*vocabulary_files(settings.directory), shared_file(settings.directory, "places.yaml")]
    )
    if state is not None and (*state, vocabulary_key) in _BUILT:
        search, problems = _BUILT[(*state, vocabulary_key)]
        return search, list(problems)
    loaded = read_loaded(engine)
    if loaded is None:
        raise DirectoryUnavailable([])
    vocabulary, problems = _vocabulary(settings.directory, loaded.directory)
    search = SearchEngine(loaded.directory, vocabulary, loaded.version)
    _BUILT[(loaded.version, loaded.fingerprint, vocabulary_key)] = (search, list(problems))
    while len(_BUILT) > KEEP_BUILT:
        del _BUILT[next(iter(_BUILT))]
    return search, problems


# Engines built in this process: (version, files' fingerprint, vocabulary's) -> engine.
_BUILT: dict[tuple[int, str, str], tuple[SearchEngine, list[Problem]]] = {}
KEEP_BUILT = 4


def _vocabulary(folder: Path, directory: Directory) -> tuple[Vocabulary, list[Problem]]:
    return load_vocabulary(folder, {c.slug for c in directory.categories})


def check_vocabulary(folder: Path, directory: Directory) -> list[Problem]:
    """Problems in the vocabulary and places files that go with a directory."""
    return _vocabulary(folder, directory)[1]
