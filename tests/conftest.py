"""Shared fixtures: real SQLite files or a real PostgreSQL server, real YAML folders, the CLI.

The suite runs on one database per run: ``pytest`` (SQLite files) or
``pytest --database postgresql`` (a PostgreSQL server started from the
machine's binaries as an unprivileged user; see tests/postgres_server.py).
`make test` runs both. Tests about one database itself carry ``sqlite_only``
or ``postgresql_only`` with a reason and are skipped on the other run.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.pool import NullPool, Pool

from bot.directory.sync import refresh_directory
from bot.runtime import Runtime, check_vocabulary, open_runtime
from bot.search.engine import SearchEngine
from bot.settings import REPO_ROOT, Settings
from bot.storage import schema
from bot.storage.db import make_engine
from tests.postgres_server import PostgresServer, running_server

pytest_plugins = ["tests.twilio_mock", "tests.fake_telegram"]

SAMPLE_DIRECTORY = REPO_ROOT / "resources_directory"
SHARED = REPO_ROOT.parent / "shared"
HOMEWARD = Path(sys.executable).with_name("homeward")
BACKENDS = ("sqlite", "postgresql")
TEMPLATE = "homeward_template"  # migrated, empty
SEEDED = "homeward_seeded"  # migrated, with the sample directory loaded
Run = Callable[..., subprocess.CompletedProcess[str]]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=BACKENDS,
        default=os.environ.get("HOMEWARD_TEST_DATABASE", "sqlite"),
        help="database the tests run on: sqlite files, or a PostgreSQL server the tests "
        "start (default: $HOMEWARD_TEST_DATABASE or sqlite)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"homeward database: {config.getoption('--database')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    backend = config.getoption("--database")
    other = "postgresql_only" if backend == "sqlite" else "sqlite_only"
    for item in items:
        marker = item.get_closest_marker(other)
        if marker is not None:
            reason = marker.args[0] if marker.args else other.replace("_", " ")
            item.add_marker(pytest.mark.skip(reason=f"{other.replace('_', ' ')}: {reason}"))
        elif backend == "postgresql" and not _reaches_the_server(item):
            # Every way to the server goes through the `postgres` fixture. A test
            # whose fixtures never reach it (parsing, ranking on its own files, the
            # HSDS reader) would only repeat the SQLite run's result: it runs there.
            item.add_marker(pytest.mark.skip(reason=NO_SERVER))


NO_SERVER = "uses no database server: runs in the SQLite run only"


def _reaches_the_server(item: pytest.Item) -> bool:
    return "postgres" in getattr(item, "fixturenames", ()) or (
        item.get_closest_marker("postgresql_only") is not None
    )


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The database the suite runs on: "sqlite" or "postgresql"."""
    return str(request.config.getoption("--database"))


@pytest.fixture(scope="session")
def postgres(backend: str) -> Iterator[PostgresServer | None]:
    """A PostgreSQL server started for this session (None when running on SQLite).

    It holds a template database at the newest migration; every test gets a
    fresh copy of it (CREATE DATABASE ... TEMPLATE, about 40 ms).
    """
    if backend != "postgresql":
        yield None
        return
    with running_server() as server:
        server.create_database(TEMPLATE)
        engine = create_engine(server.url(TEMPLATE), poolclass=NullPool)
        schema.upgrade(engine)
        engine.dispose()
        yield server


_OPEN: dict[str, list[Any]] = {}  # database name -> psycopg connections opened in this process


@event.listens_for(Pool, "connect")
def _remember_connection(dbapi_connection: Any, _record: object) -> None:
    info = getattr(dbapi_connection, "info", None)
    if info is not None and hasattr(info, "dbname"):
        _OPEN.setdefault(info.dbname, []).append(dbapi_connection)


def _close_connections(database: str) -> None:
    """Close what this process still holds open to a test database before it is dropped.

    Engines made during a test are not disposed by the code under test; their
    pooled connections would otherwise be reclaimed by the garbage collector
    later, with a ResourceWarning from psycopg.
    """
    for connection in _OPEN.pop(database, []):
        connection.close()


_COUNTER = itertools.count()


@contextmanager
def fresh_database(
    postgres: PostgresServer | None, folder: Path, name: str, seeded: str | None = None
) -> Iterator[str]:
    """The URL of a database of the test's own: a SQLite file or a PG copy.

    Empty at the newest migration, or with ``seeded`` (the ``seeded_database``
    URL) a copy of that database instead.
    """
    if postgres is None:
        target = folder / (name + ".sqlite3")
        if seeded is not None:
            shutil.copyfile(make_url(seeded).database or "", target)
        yield f"sqlite:///{target}"
        return
    database = f"t{os.getpid()}_{next(_COUNTER)}_{name}"[:60]
    url = postgres.create_database(database, TEMPLATE if seeded is None else SEEDED)
    try:
        yield url
    finally:
        _close_connections(database)
        postgres.drop_database(database)


@pytest.fixture
def database_url(tmp_path: Path, postgres: PostgresServer | None) -> Iterator[str]:
    """A fresh database per test, on the backend the suite runs on."""
    with fresh_database(postgres, tmp_path, "homeward") as url:
        yield url


@pytest.fixture(scope="session")
def seeded_database(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresServer | None
) -> str:
    """A database holding the sample directory, made once: a SQLite file or a PG template.

    Loading the sample directory is the slow part of a fresh app's start. Tests
    that only need it loaded take ``sample_database_url``, a copy of this one.
    The per-database lookup secret is removed after the load, so each copy
    makes its own under its own key, as a fresh database would.
    """
    if postgres is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'seeded.sqlite3'}"
    else:
        url = postgres.create_database(SEEDED, TEMPLATE)
    engine = make_engine(url)
    refresh_directory(engine, SAMPLE_DIRECTORY, check_vocabulary)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM secrets"))
    engine.dispose()
    if postgres is not None:
        _close_connections(SEEDED)
    return url


@pytest.fixture
def sample_database_url(
    tmp_path: Path, postgres: PostgresServer | None, seeded_database: str
) -> Iterator[str]:
    """A fresh database per test that already holds the sample directory (a copy)."""
    with fresh_database(postgres, tmp_path, "homeward", seeded_database) as url:
        yield url


@pytest.fixture(scope="session")
def sample_runtime(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresServer | None
) -> Iterator[Runtime]:
    """The sample directory loaded once into a shared database (read-only tests)."""
    with fresh_database(postgres, tmp_path_factory.mktemp("db"), "sample") as url:
        yield open_runtime(
            Settings(database_url=url, directory=SAMPLE_DIRECTORY, log_level="WARNING")
        )


@pytest.fixture(scope="session")
def engine(sample_runtime: Runtime) -> SearchEngine:
    """The search engine over the sample directory."""
    return sample_runtime.search


@pytest.fixture
def tiny_directory(tmp_path: Path) -> Path:
    """A copy of the sample's shared files with two small organizations of our own."""
    folder = tmp_path / "directory"
    (folder / "organizations").mkdir(parents=True)
    for name in ("directory.yaml", "categories.yaml", "places.yaml"):
        shutil.copy(SAMPLE_DIRECTORY / name, folder / name)
    shutil.copytree(SAMPLE_DIRECTORY / "vocabulary", folder / "vocabulary")
    write_yaml(folder / "organizations" / "alpha.yaml", ALPHA)
    write_yaml(folder / "organizations" / "beta.yaml", BETA)
    return folder


def write_yaml(path: Path, text: str) -> Path:
    """Write a YAML file from an indented literal."""
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


ALPHA = """
    id: alpha
    name: Alpha Reentry Center
    fictional: true
    phones:
      - number: "(510) 555-0101"
        type: voice
    locations:
      - id: alpha-downtown
        name: Downtown office
        address_1: 100 Broadway
        city: Oakland
        state_province: CA
        postal_code: "94607"
        latitude: 37.8000
        longitude: -122.2740
    services:
      - id: alpha-shelter
        name: Alpha Night Shelter
        categories: [housing]
        description: Emergency shelter beds for adults coming home from jail.
        description_es: Camas de albergue de emergencia.
        locations: [alpha-downtown]
        schedules:
          - weekday: weekdays
            opens_at: "09:00"
            closes_at: "17:00"
        accepts_records: "yes"
        languages: [en, es]
        assured_date: 2026-10-01
      - id: alpha-dental
        name: Alpha Dental Clinic
        categories: [healthcare]
        description: Free dental care and teeth cleaning.
        locations: [alpha-downtown]
        languages: [en]
"""

BETA = """
    id: beta
    name: Beta Community Services
    fictional: true
    phones:
      - number: "(510) 555-0102"
    locations:
      - id: beta-east
        name: East Oakland office
        address_1: 9800 International Blvd
        city: Oakland
        state_province: CA
        postal_code: "94603"
        latitude: 37.7400
        longitude: -122.1700
    services:
      - id: beta-shelter
        name: Beta Family Shelter
        categories: [housing, family]
        description: Shelter rooms for families with children.
        locations: [beta-east]
        languages: [en, es]
      - id: beta-counseling
        name: Beta Counseling
        categories: [mental_health]
        description: Free counseling and therapy for stress and depression.
        locations: [beta-east]
"""


@pytest.fixture
def run_cli(tmp_path: Path, database_url: str) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real ``homeward`` command in a subprocess, on the test's database."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("HOMEWARD_")}
    base_env["HOMEWARD_DATABASE_URL"] = database_url

    def run(
        *args: str, env: dict[str, str] | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(HOMEWARD), *args],
            env={**base_env, **(env or {})},
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            check=False,
        )

    return run
