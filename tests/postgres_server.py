"""A throwaway PostgreSQL server from the machine's own binaries, for tests and benchmarks.

PostgreSQL refuses to run as root, so when the tests run as root (CI machines
do) the server runs as an unprivileged system user: ``postgres`` when the
Debian package made it, otherwise ``homeward-pg``, created with ``useradd``.
The data folder is a fresh temporary folder owned by that user; the server
listens on a free port on 127.0.0.1 only (no Unix socket) and trusts local
connections, so no password is needed or stored.

``bench/`` imports this module too, so the benchmarks start their server the
same way (with durable settings; the tests trade durability for speed).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

SUPERUSER = "homeward"
FALLBACK_USER = "homeward-pg"
# Settings for a test server: nothing has to survive a power cut.
FAST = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def bin_dir() -> Path:
    """The folder of the newest installed server binaries (initdb, postgres)."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PostgresMissing(
        "PostgreSQL server binaries are missing: `make test` installs them "
        "(apt-get install postgresql)"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged user to run as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", FALLBACK_USER):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_USER],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam(FALLBACK_USER)


class PostgresServer:
    """One running ``postgres`` process with a fresh cluster in a temporary folder."""

    def __init__(self, *, durable: bool = False, extra: tuple[str, ...] = ()) -> None:
        self.bin = bin_dir()
        self.user = _server_user()
        self.root = Path(tempfile.mkdtemp(prefix="homeward-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "server.log"
        self.port = 0
        self.settings = (() if durable else FAST) + extra
        self.process: subprocess.Popen[bytes] | None = None

    def _as_user(self) -> dict[str, object]:
        """Keyword arguments that make a subprocess run as the server's user."""
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def start(self) -> PostgresServer:
        """initdb, then start the server and wait until it takes connections."""
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": str(self.root)}
        subprocess.run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
                "--no-instructions",
            ],
            check=True,
            capture_output=True,
            env=env,
            cwd=self.root,
            **self._as_user(),  # type: ignore[call-overload]
        )
        for _attempt in range(5):
            self.port = _free_port()
            options = [
                "-c",
                "listen_addresses=127.0.0.1",
                "-p",
                str(self.port),
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=300",
            ]
            for setting in self.settings:
                options += ["-c", setting]
            log = self.log_path.open("ab")
            self.process = subprocess.Popen(
                [str(self.bin / "postgres"), "-D", str(self.data), *options],
                stdout=log,
                stderr=log,
                env=env,
                cwd=self.root,
                **self._as_user(),  # type: ignore[call-overload]
            )
            log.close()
            if self._wait_ready():
                return self
            self.stop(remove=False)
        raise RuntimeError(f"PostgreSQL did not start; see {self.log_path}")

    def _wait_ready(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.1)
        return False

    def dsn(self, database: str) -> str:
        """A libpq connection string for one database."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL Homeward takes in HOMEWARD_DATABASE_URL."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        with psycopg.connect(self.dsn(database), autocommit=True) as connection:
            connection.execute(sql.encode())

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (optionally a copy of ``template``); returns its URL."""
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any connection still open to it."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self, *, remove: bool = True) -> None:
        """Fast shutdown (open sessions are ended), then remove the folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def running_server(
    *, durable: bool = False, extra: tuple[str, ...] = ()
) -> Iterator[PostgresServer]:
    """A started server, stopped and removed when the block ends."""
    server = PostgresServer(durable=durable, extra=extra)
    try:
        yield server.start()
    finally:
        server.stop()
