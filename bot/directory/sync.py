"""Keep the database's copy of the directory in step with the files.

Every command that needs the directory calls ``current_directory``: on a fresh
checkout it creates the database and loads the files; when the files changed
since the last load (same folder, different fingerprint) it loads them again.
A directory loaded on purpose from another folder is left alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from bot.directory.loader import fingerprint, load_directory
from bot.directory.model import Directory
from bot.directory.problems import Problem
from bot.storage.db import session_scope
from bot.storage.directory_store import directory_state, read_directory, save_directory

log = logging.getLogger(__name__)


class DirectoryUnavailable(RuntimeError):
    """Nothing is loaded and the files cannot be loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"the directory has {len(problems)} problem(s)")
        self.problems = problems


@dataclass
class LoadOutcome:
    """What a load did: the new version, or the problems that stopped it."""

    version: int | None
    services: int = 0
    problems: list[Problem] = field(default_factory=list)


def load_into_database(engine: Engine, folder: Path) -> LoadOutcome:
    """Validate ``folder`` and replace the loaded directory with it, all or nothing."""
    result = load_directory(folder)
    if result.directory is None:
        return LoadOutcome(None, problems=result.problems)
    with session_scope(engine) as session:
        version = save_directory(
            session, result.directory, fingerprint=fingerprint(folder), source=str(folder.resolve())
        )
    log.info("directory version %s loaded: %d services", version, len(result.directory.services))
    return LoadOutcome(version, len(result.directory.services))


def current_directory(engine: Engine, folder: Path) -> tuple[Directory, list[Problem]]:
    """The loaded directory, loading or refreshing it from ``folder`` when needed.

    Returns the directory and any problems that kept newer files from loading
    (the previous version is then kept and still served).
    """
    with session_scope(engine) as session:
        state = directory_state(session)
        needs_load = state is None or (
            state.source == str(folder.resolve()) and state.fingerprint != fingerprint(folder)
        )
    problems: list[Problem] = []
    if needs_load:
        outcome = load_into_database(engine, folder)
        problems = outcome.problems
        if outcome.version is None and state is None:
            raise DirectoryUnavailable(problems)
    with session_scope(engine) as session:
        directory = read_directory(session)
    if directory is None:
        raise DirectoryUnavailable(problems)
    return directory, problems


def loaded_version(engine: Engine) -> int:
    """The version number of the loaded directory (0 when none)."""
    with session_scope(engine) as session:
        state = directory_state(session)
        return state.version if state else 0
