"""Keep the database's copy of the directory in step with the files.

Every command that needs the directory calls ``current_directory``: on a fresh
checkout it creates the database and loads the files; when the files changed
since the last load, or ``HOMEWARD_DIRECTORY`` names another folder, it loads
them again. The database always follows the configured folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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


Check = Callable[[Path, Directory], list[Problem]]


def load_into_database(engine: Engine, folder: Path, check: Check | None = None) -> LoadOutcome:
    """Validate ``folder`` and replace the loaded directory with it, all or nothing.

    ``check`` adds problems from files beside the directory (the search vocabulary),
    so a broken vocabulary stops the load as a broken organization file does.
    """
    result = load_directory(folder)
    if result.directory is None:
        return LoadOutcome(None, problems=result.problems)
    extra = check(folder, result.directory) if check else []
    if extra:
        return LoadOutcome(None, problems=sorted(extra))
    with session_scope(engine) as session:
        version = save_directory(
            session, result.directory, fingerprint=fingerprint(folder), source=str(folder.resolve())
        )
    log.info("directory version %s loaded: %d services", version, len(result.directory.services))
    return LoadOutcome(version, len(result.directory.services))


def current_directory(
    engine: Engine, folder: Path, check: Check | None = None
) -> tuple[Directory, list[Problem]]:
    """The loaded directory, loading or refreshing it from ``folder`` when needed.

    Returns the directory and any problems that kept newer files from loading
    (the previous version is then kept and still served).
    """
    with session_scope(engine) as session:
        state = directory_state(session)
        needs_load = (
            state is None
            or state.source != str(folder.resolve())
            or state.fingerprint != fingerprint(folder)
        )
    problems: list[Problem] = []
    if needs_load:
        outcome = load_into_database(engine, folder, check)
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
