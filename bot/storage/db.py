"""Engines and sessions, created from the one settings object.

Two databases are supported: the embedded SQLite default and PostgreSQL
(``postgresql+psycopg://``). The code above this module is the same for both;
the differences live here:

- Write transactions (``session_scope``) are serial where it matters. PostgreSQL
  locks rows (``SELECT ... FOR UPDATE``) and unique keys; SQLite has one writer,
  so its write transactions start with ``BEGIN IMMEDIATE``: a transaction that
  reads a contact and then writes it can never interleave with another writer
  (pysqlite's default deferred BEGIN would read outside any transaction).
- Read-only snapshots (``read_scope``) see one committed state from their first
  statement to the last: ``REPEATABLE READ`` on PostgreSQL, a deferred ``BEGIN``
  (a WAL snapshot) on SQLite. Reading the whole directory needs that, or a load
  committing in the middle could mix two versions.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import schema, vault

T = TypeVar("T")
READ_ONLY = "homeward_read_only"  # execution option: a snapshot, not a write transaction
SUPPORTED = ("sqlite", "postgresql")
# Per worker process: a webhook holds one connection for its one transaction,
# and a worker runs at most 12 at once (bot/web/app.py), plus its outbox and
# directory threads. More connections would only queue inside PostgreSQL.
POOL_SIZE = 12
POOL_OVERFLOW = 8
POOL_TIMEOUT = 30


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened or created; the message is one plain line."""


def make_engine(url: str, keys: Sequence[str] = ()) -> Engine:
    """An engine for the URL, with its vault attached.

    SQLite files and their folder are created when missing. Without ``keys``
    the database is sealed with a local key made beside it (the embedded
    default needs no setup); `homeward serve` outside development refuses
    that before it gets here.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise DatabaseUnavailable(
            f"{backend} is not supported; use sqlite:///FILE or postgresql+psycopg://..."
        )
    try:
        keys = tuple(keys) or (vault.local_key(url),)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"cannot keep a local key at {vault.local_key_path(url)}: {exc.strerror}"
        ) from exc
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            try:
                _private_file(Path(database).expanduser())
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"cannot create {Path(database).parent}: {exc.strerror}"
                ) from exc
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        if schema.current_revision(engine) != schema.head_revision():
            _upgrade_sqlite(engine, keys)
    else:
        # No ping before each use (a round trip per transaction): a connection the
        # server dropped fails its first statement instead, and run_transaction
        # runs that work again on a fresh one.
        engine = create_engine(
            url,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_timeout=POOL_TIMEOUT,
        )
        if schema.current_revision(engine) != schema.head_revision():
            engine.dispose()
            raise DatabaseUnavailable(
                "the database schema is not current: run `homeward db upgrade`"
            )
    try:
        with engine.begin() as connection:
            vault.attach(engine, vault.open_vault(connection, keys))
    except vault.KeyProblem as exc:
        raise DatabaseUnavailable(str(exc)) from exc
    return engine


def _upgrade_sqlite(engine: Engine, keys: Sequence[str]) -> None:
    """The embedded default migrates itself, so a fresh checkout needs no step."""
    try:
        schema.upgrade(engine, keys)
    except OperationalError as exc:
        if "already exists" in str(exc):
            raise DatabaseUnavailable(
                "this SQLite file was made before migrations existed; move it aside "
                "(for example `rm -r var/`) and run again"
            ) from exc
        raise


PRIVATE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")


def _private_file(path: Path) -> None:
    """The database file (and its WAL and shared-memory files) readable by its owner only.

    It holds password hashes, the audit log and sealed texts. SQLite makes the
    -wal and -shm files with the database file's mode, so a file made 0600
    here keeps them 0600 too; files an older version left 0644 are narrowed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    for candidate in (path, *(path.with_name(path.name + end) for end in SIDE_FILES)):
        try:
            if candidate.stat().st_mode & 0o077:
                candidate.chmod(PRIVATE)
        except FileNotFoundError:
            continue


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    """WAL lets readers and one writer work at once; foreign keys keep rows whole.

    ``isolation_level = None`` stops pysqlite from opening transactions on its
    own; ``_sqlite_begin`` opens them instead, the way each caller needs.
    ``secure_delete`` overwrites deleted rows with zeros, so an erased texter's
    sealed words do not linger in free pages of the file.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def checkpoint(engine: Engine) -> None:
    """After an erasure on SQLite: copy the WAL into the file and empty it.

    Until a checkpoint, the WAL still holds the pages as they were before the
    erasure. ``TRUNCATE`` writes them back (zeroed, with ``secure_delete``) and
    cuts the WAL to nothing. A reader in the middle of a snapshot can hold it
    back; the next erasure or SQLite's own automatic checkpoint finishes it.
    Nothing to do on PostgreSQL.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]


def _sqlite_begin(connection: Connection) -> None:
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


_SNAPSHOT: Mapping[str, Mapping[str, Any]] = {
    "sqlite": {READ_ONLY: True},
    "postgresql": {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True},
}


# One session factory per engine: each sessionmaker() makes a new Session subclass,
# and SQLAlchemy re-dispatches its class-level events to every new subclass (that
# cost a fifth of a webhook's CPU time when made per transaction).
_FACTORIES: weakref.WeakKeyDictionary[Engine, sessionmaker[Session]] = weakref.WeakKeyDictionary()


_BEFORE_COMMIT = "homeward_before_commit"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A write transaction that commits when the block ends and rolls back on error.

    Work registered with ``before_commit`` runs last, just before the commit
    (not after an error): the monthly counts are written there, so their rows
    are locked for the shortest time and always after the transaction's own.
    """
    factory = _FACTORIES.get(engine)
    if factory is None:
        factory = _FACTORIES[engine] = sessionmaker(engine, expire_on_commit=False)
    with factory.begin() as session:
        yield session
        for work in session.info.pop(_BEFORE_COMMIT, ()):
            work(session)


def before_commit(session: Session, work: Callable[[Session], None]) -> None:
    """Run ``work`` once at the end of this ``session_scope``, before it commits."""
    queued: list[Callable[[Session], None]] = session.info.setdefault(_BEFORE_COMMIT, [])
    if work not in queued:
        queued.append(work)


def run_transaction(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run ``work`` in one write transaction; once more if the connection was dead.

    After a database restart or failover the pool still holds connections the
    server closed. The first statement on one fails and SQLAlchemy throws the
    pool's old connections away; the work had committed nothing (or, if the
    connection died during COMMIT, the work's own idempotency keys say so), so
    it is run again.
    """
    for attempt in (1, 2):
        try:
            with session_scope(engine) as session:
                return work(session)
        except DBAPIError as exc:
            if attempt == 2 or not exc.connection_invalidated:
                raise
    raise AssertionError("unreachable")


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A read-only transaction that sees one committed state throughout."""
    with Session(engine, expire_on_commit=False) as session:
        session.connection(execution_options=dict(_SNAPSHOT[engine.dialect.name]))
        try:
            yield session
        finally:
            session.rollback()


def insert_new(session: Session, table: type[Any], values: dict[str, Any], keys: list[str]) -> Any:
    """``INSERT ... ON CONFLICT (keys) DO NOTHING RETURNING id``: the new row's id, or None.

    One statement on both databases. On PostgreSQL, when another transaction
    inserted the same keys and has not finished, it waits for that one: None
    then means the other one committed.
    """
    statement = _insert_statement(session.get_bind().dialect.name, table.__table__, tuple(keys))
    # Core execution on the session's connection: the ORM's bulk-insert machinery
    # costs more than the statement itself on the webhook path.
    return session.connection().execute(statement, values).scalar_one_or_none()


@lru_cache(maxsize=64)
def _insert_statement(dialect: str, table: Table, keys: tuple[str, ...]) -> Any:
    """Built once per table: building a statement costs more than running a cached one."""
    module = postgresql if dialect == "postgresql" else sqlite
    return (
        module.insert(table).on_conflict_do_nothing(index_elements=list(keys)).returning(table.c.id)
    )


def is_postgresql(session: Session) -> bool:
    """Whether the session talks to PostgreSQL (for its row and advisory locks)."""
    return session.get_bind().dialect.name == "postgresql"
