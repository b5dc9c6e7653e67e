"""Wiring shared by every command: settings -> database -> directory -> search."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import Engine

import bot.directory.model as model_module
import bot.directory.store as store_module
import bot.search.centrality as centrality_module
import bot.search.index as index_module
import bot.search.snapshot as snapshot_module
import bot.search.soundalike as soundalike_module
import bot.search.sounds as sounds_module
import bot.search.text as text_module
import bot.search.vocabulary as vocabulary_module
from bot.directory.loader import files_digest
from bot.directory.problems import DirectoryUnavailable, Problem
from bot.directory.sync import (
    Stamp,
    loaded_categories,
    loaded_runtime_files,
    loaded_stamp,
    read_loaded,
    refresh_directory,
)
from bot.safety.files import check_files as check_files
from bot.search.engine import SearchEngine
from bot.search.snapshot import SnapshotError, load_snapshot, save_snapshot
from bot.search.vocabulary import Vocabulary, load_vocabulary
from bot.search.vocabulary import check_vocabulary as check_vocabulary
from bot.settings import Settings
from bot.storage.db import make_engine

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What a running command holds: settings, database engine, search engine."""

    settings: Settings
    engine: Engine
    search: SearchEngine
    problems: list[Problem] = field(default_factory=list)


def open_runtime(settings: Settings, *, refresh: bool = True) -> Runtime:
    """Open the database, bring the directory up to date, and open the index.

    ``refresh=False`` skips comparing the files with the loaded directory: the
    workers of `homeward serve`, whose parent has just done it (on 100,000
    services hashing the files takes 2-4 s per process).
    Raises DirectoryUnavailable when nothing is loaded and the files are invalid.
    """
    engine = make_engine(settings.database_url, settings.secret_keys)
    problems = refresh_directory(engine, settings.directory, check_files) if refresh else []
    search, vocab_problems = build_search(engine, settings)
    return Runtime(settings, engine, search, problems or vocab_problems)


def build_search(engine: Engine, settings: Settings) -> tuple[SearchEngine, list[Problem]]:
    """A search engine over the directory the database holds now, tagged with its version.

    Each worker process calls this at start and again whenever the version in
    the database changes (``bot.web.watch``); the vocabulary and places are
    the copies stored with that load (a file broken since never reaches it).
    The index of one load is built once and saved in ``settings.index_folder``
    (``bot.search.snapshot``): the first process that needs it builds it under
    a file lock while the others wait, then each maps the file. An engine
    already opened in this process for the same load and vocabulary files is
    used again: it is only read once built.
    """
    stamp = loaded_stamp(engine)
    if stamp is None:
        raise DirectoryUnavailable([])
    # The vocabulary and places stored with the load (the last good ones), not the folder's.
    files = loaded_runtime_files(engine, settings.directory, SEARCH_FILES)
    vocabulary_key = bytes_digest(files)
    if (stamp, vocabulary_key) in _BUILT:
        search, problems = _BUILT[(stamp, vocabulary_key)]
        return search, list(problems)
    categories = loaded_categories(engine)
    vocabulary, problems = load_vocabulary(
        stored_copies(settings.index_folder, files, vocabulary_key), categories
    )
    search = _open_or_build(engine, settings.index_folder, stamp, vocabulary, vocabulary_key)
    _BUILT[(stamp, vocabulary_key)] = (search, list(problems))
    while len(_BUILT) > KEEP_BUILT:
        del _BUILT[next(iter(_BUILT))]
    return search, problems


# The runtime files the search reads (bot.directory.loader.RUNTIME_FILES, RUNTIME_GROUPS).
SEARCH_FILES = (
    "vocabulary",
    "vocabulary/situations",
    "places.yaml",
    "facilities.yaml",
    "need_words.yaml",
    "search/reader.npz",
)


def stored_copies(index_folder: Path, files: dict[str, bytes], key: str) -> Path:
    """A folder holding the stored copies of the search's files, laid out as a directory folder.

    The vocabulary reader takes a folder (the checks and the tests give it the
    curator's); the running search gives it this one, written once per set of
    stored files beside the saved indexes, so what it reads is what the last
    good load stored, never a file edited since.
    """
    folder = index_folder / f"files-{key[:20]}"
    if folder.is_dir():
        return folder
    index_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".files-", dir=index_folder))
    for name, body in files.items():
        target = building / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    try:
        building.rename(folder)
    except OSError:  # another process wrote the same files first
        shutil.rmtree(building, ignore_errors=True)
    return folder


def bytes_digest(files: dict[str, bytes]) -> str:
    """A digest of files' names and bytes (the search's vocabulary key)."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


# Engines opened in this process: (load stamp, vocabulary files' digest) -> engine.
_BUILT: dict[tuple[Stamp, str], tuple[SearchEngine, list[Problem]]] = {}
KEEP_BUILT = 4
# How long a process waits for another to finish building an index before building
# its own anyway (a stuck builder must not keep every worker from starting).
BUILD_WAIT_SECONDS = 600.0


def _open_or_build(
    engine: Engine, folder: Path, stamp: Stamp, vocabulary: Vocabulary, vocabulary_key: str
) -> SearchEngine:
    path = folder / index_file_name(stamp, vocabulary_key)
    opened = _open_saved(path, stamp, vocabulary)
    if opened is not None:
        return opened
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        with FileLock(str(path) + ".lock", timeout=BUILD_WAIT_SECONDS):
            opened = _open_saved(path, stamp, vocabulary)  # built while we waited
            if opened is not None:
                return opened
            return _build_and_save(engine, path, stamp, vocabulary)
    except Timeout:
        log.warning("waited %.0f s for another process's index build; building", BUILD_WAIT_SECONDS)
        return _build_and_save(engine, path, stamp, vocabulary)


def _open_saved(path: Path, stamp: Stamp, vocabulary: Vocabulary) -> SearchEngine | None:
    try:
        index, centrality = load_snapshot(path)
    except FileNotFoundError:
        return None
    except (SnapshotError, OSError) as unreadable:
        log.warning("rebuilding the search index: %s", unreadable)
        return None
    return SearchEngine(index.directory, vocabulary, stamp.version, prebuilt=(index, centrality))


def _build_and_save(
    engine: Engine, path: Path, stamp: Stamp, vocabulary: Vocabulary
) -> SearchEngine:
    started = time.monotonic()
    loaded = read_loaded(engine)
    if loaded is None:
        raise DirectoryUnavailable([])
    search = SearchEngine(loaded.directory, vocabulary, loaded.stamp.version)
    log.info(
        "built the search index of directory version %s: %d services in %.1f s",
        loaded.stamp.version,
        search.index.size,
        time.monotonic() - started,
    )
    if loaded.stamp != stamp:  # another load landed meanwhile: this engine is not that file's
        return search
    try:
        save_snapshot(path, search.index, search.centrality)
        _remove_older(path)
    except OSError as unwritable:
        log.warning("could not save the search index (each process builds its own): %s", unwritable)
    return search


def index_file_name(stamp: Stamp, vocabulary_key: str) -> str:
    """The file of one load's index: the version to read, a digest to match exactly.

    The digest covers the load (fingerprint, time), the vocabulary files and
    the source of the code that shapes an index, so a changed ranking rule
    never opens an index built by the code before it.
    """
    digest = hashlib.sha256(
        "\0".join((stamp.fingerprint, stamp.loaded_at, vocabulary_key, _code_digest())).encode()
    ).hexdigest()[:20]
    return f"index-v{stamp.version}-{digest}.bin"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    return files_digest([Path(module.__file__ or "") for module in INDEX_CODE])


# The modules whose code decides what an index holds.
INDEX_CODE = (
    index_module,
    centrality_module,
    snapshot_module,
    soundalike_module,
    sounds_module,
    text_module,
    vocabulary_module,
    model_module,
    store_module,
)
KEEP_FILES = 3


def _remove_older(path: Path) -> None:
    """Keep the newest few index files: a worker may still map an older one."""
    files = sorted(path.parent.glob("index-v*.bin"), key=lambda p: p.stat().st_mtime)
    for old in files[:-KEEP_FILES]:
        old.unlink(missing_ok=True)
        Path(str(old) + ".lock").unlink(missing_ok=True)
    copies = sorted(path.parent.glob("files-*"), key=lambda p: p.stat().st_mtime)
    for old in copies[:-KEEP_FILES]:
        shutil.rmtree(old, ignore_errors=True)
