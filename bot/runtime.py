"""Wiring shared by every command: settings -> database -> directory -> search."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from bot.directory.model import Directory
from bot.directory.problems import Problem
from bot.directory.sync import current_directory, loaded_version
from bot.search.engine import SearchEngine
from bot.search.vocabulary import load_vocabulary
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
    directory, problems = current_directory(engine, settings.directory, check_vocabulary)
    vocabulary, vocab_problems = load_vocabulary(
        settings.directory, {c.slug for c in directory.categories}
    )
    search = SearchEngine(directory, vocabulary, loaded_version(engine))
    return Runtime(settings, engine, search, problems or vocab_problems)


def check_vocabulary(folder: Path, directory: Directory) -> list[Problem]:
    """Problems in the vocabulary and places files that go with a directory."""
    return load_vocabulary(folder, {c.slug for c in directory.categories})[1]
