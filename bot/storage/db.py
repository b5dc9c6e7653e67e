"""Engines and sessions, created from the one settings object."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import schema, vault


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
    try:
        keys = tuple(keys) or (vault.local_key(url),)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"cannot keep a local key at {vault.local_key_path(url)}: {exc.strerror}"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"cannot create {Path(database).parent}: {exc.strerror}"
                ) from exc
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        _upgrade_sqlite(engine, keys)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        if schema.current_revision(engine) != schema.head_revision():
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


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """WAL lets readers and one writer work at once; foreign keys keep rows whole."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back on error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory.begin() as session:
        yield session
