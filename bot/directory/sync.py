"""Keep the database's copy of the directory in step with the files.

Every process that serves the directory (``bot.runtime``) calls
``refresh_directory`` and then ``read_loaded``: on a fresh checkout that loads
the files into the new database; when the files changed since the last load, or
``HOMEWARD_DIRECTORY`` names another folder, it loads them again. The database
always follows the configured folder. ``homeward directory load`` calls
``load_into_database``. The rows are written and read by ``bot.directory.store``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Engine

from bot.directory.loader import (
    RUNTIME_FILES,
    RUNTIME_GROUPS,
    fingerprint,
    in_group,
    load_directory,
    runtime_files,
)
from bot.directory.model import Directory
from bot.directory.problems import DirectoryUnavailable, Problem
from bot.directory.store import (
    directory_state,
    lock_for_load,
    read_directory,
    save_directory,
)
from bot.storage.curated import read_curated_files, save_curated_files
from bot.storage.db import read_scope, session_scope
from bot.storage.models import DirectoryState

log = logging.getLogger(__name__)


@dataclass
class LoadOutcome:
    """What a load did: the new version, or the problems that stopped it."""

    version: int | None
    services: int = 0
    problems: list[Problem] = field(default_factory=list)


Check = Callable[[Path, Directory], list[Problem]]


def load_into_database(
    engine: Engine, folder: Path, check: Check | None = None, *, only_if_changed: bool = False
) -> LoadOutcome:
    """Validate ``folder`` and replace the loaded directory with it, all or nothing.

    ``check`` adds problems from files beside the directory (the search vocabulary),
    so a broken vocabulary stops the load as a broken organization file does.
    ``only_if_changed`` skips the load when, once the load lock is held, these
    very files turn out to be loaded already (another worker just did it).
    """
    result = load_directory(folder)
    if result.directory is None:
        return LoadOutcome(None, problems=result.problems)
    extra = check(folder, result.directory) if check else []
    if extra:
        return LoadOutcome(None, problems=sorted(extra))
    stamp, source = fingerprint(folder), str(folder.resolve())
    with session_scope(engine) as session:
        state = lock_for_load(session)
        if only_if_changed and state and (state.fingerprint, state.source) == (stamp, source):
            return LoadOutcome(state.version, len(result.directory.services))
        version = save_directory(session, result.directory, fingerprint=stamp, source=source)
        save_curated_files(session, runtime_files(folder))
    log.info("directory version %s loaded: %d services", version, len(result.directory.services))
    return LoadOutcome(version, len(result.directory.services))


def refresh_directory(engine: Engine, folder: Path, check: Check | None = None) -> list[Problem]:
    """Load ``folder`` when the database holds nothing, other files, or older files.

    Returns the problems that kept newer files from loading; raises
    DirectoryUnavailable when nothing is loaded and the files cannot be.
    """
    with read_scope(engine) as session:
        state = directory_state(session)
        needs_load = (
            state is None
            or state.source != str(folder.resolve())
            or state.fingerprint != fingerprint(folder)
        )
    if not needs_load:
        return []
    outcome = load_into_database(engine, folder, check, only_if_changed=True)
    if outcome.version is None and state is None:
        raise DirectoryUnavailable(outcome.problems)
    return outcome.problems


class Stamp(NamedTuple):
    """Which load the database holds: its version, the files' fingerprint, and when.

    Together they name one load of one database: a saved search index is
    filed under them (``bot.runtime``).
    """

    version: int
    fingerprint: str
    loaded_at: str


class Loaded(NamedTuple):
    """The loaded directory and the stamp of its load, read from one snapshot."""

    directory: Directory
    stamp: Stamp


def read_loaded(engine: Engine) -> Loaded | None:
    """The loaded directory and its stamp, read from one snapshot (None: nothing loaded)."""
    with read_scope(engine) as session:
        state = directory_state(session)
        directory = read_directory(session)
        if state is None or directory is None:
            return None
        return Loaded(directory, _stamp(state))


def loaded_version(engine: Engine) -> int:
    """The version number of the loaded directory (0 when none)."""
    with read_scope(engine) as session:
        state = directory_state(session)
        return state.version if state else 0


def loaded_stamp(engine: Engine) -> Stamp | None:
    """The stamp of the loaded directory (None: nothing loaded)."""
    with read_scope(engine) as session:
        state = directory_state(session)
        return _stamp(state) if state else None


def _stamp(state: DirectoryState) -> Stamp:
    moment = state.loaded_at
    return Stamp(state.version, state.fingerprint, moment.isoformat() if moment else "")


def loaded_runtime_files(
    engine: Engine, folder: Path, names: Collection[str] | None = None
) -> dict[str, bytes]:
    """The curated files of the loaded version, as loaded (the last good ones).

    ``names`` picks some of them (a name of RUNTIME_GROUPS picks the group's
    files); None: all. A database loaded before files were stored with the
    load (or a file added to RUNTIME_FILES since) reads that file, or that
    group, from the folder instead; a group with any stored file is never
    mixed with files from the folder.
    """
    wanted = set(names) if names is not None else {*RUNTIME_FILES, *RUNTIME_GROUPS}
    with read_scope(engine) as session:
        stored = read_curated_files(
            session, sorted(wanted - set(RUNTIME_GROUPS)), sorted(wanted & set(RUNTIME_GROUPS))
        )
    have = set(stored) | {in_group(name) for name in stored}
    if wanted - have:
        for name, body in runtime_files(folder).items():
            if name in wanted - have or in_group(name) in wanted - have:
                stored[name] = body
    return stored


def loaded_categories(engine: Engine) -> set[str]:
    """The category slugs of the loaded directory (empty when none)."""
    with read_scope(engine) as session:
        state = directory_state(session)
        return {c["slug"] for c in state.categories} if state else set()
