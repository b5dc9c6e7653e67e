"""Issue 17, findings 8, 9 and 10 against the real `homeward serve`: slow clients are
timed out, a client that drops is one INFO line, one phone number is one person on
SMS and WhatsApp, and the SQLite file is private and forgets what was erased.
"""

from __future__ import annotations

import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, select

from bot.storage.db import session_scope
from bot.storage.models import MessageRow
from bot.web.limits import BODY_SECONDS, HEADER_SECONDS
from tests.postgres_server import PostgresServer
from tests.security_helpers import Running, running_server
from tests.server_helpers import PUBLIC, TOKEN, serving

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer | None,
    seeded_database: str,
) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("limits")
    extra = {"HOMEWARD_LOG_LEVEL": "INFO", "HOMEWARD_RATE_LIMITS": "5/minute,100/day"}
    # Two workers: gunicorn forks them, and each must carry the time limits too.
    with running_server(postgres, folder, seeded_database, extra, workers=2) as running:
        yield running


def _connect(served: Running) -> socket.socket:
    host, port = served.base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def _closed_after(sock: socket.socket, limit: float) -> tuple[float, bytes]:
    """Seconds until the server closed the connection, and what it said."""
    started = time.monotonic()
    sock.settimeout(limit)
    received = b""
    try:
        while chunk := sock.recv(4096):
            received += chunk
    except TimeoutError:
        return float("inf"), received
    except ConnectionResetError:
        pass
    return time.monotonic() - started, received


def test_slow_headers_and_slow_bodies_are_cut_off(served: Running) -> None:
    held: list[socket.socket] = []
    results: dict[str, tuple[float, bytes]] = {}

    def slow_headers(index: int) -> None:
        sock = _connect(served)
        held.append(sock)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        results[f"headers-{index}"] = _closed_after(sock, HEADER_SECONDS + 15)

    def slow_body(index: int) -> None:
        sock = _connect(served)
        held.append(sock)
        sock.sendall(
            b"POST /twilio/sms HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-"
            b"urlencoded\r\nContent-Length: 1000\r\n\r\nBody=hel"
        )
        results[f"body-{index}"] = _closed_after(sock, HEADER_SECONDS + BODY_SECONDS + 15)

    threads = [threading.Thread(target=slow_headers, args=(n,)) for n in range(20)]
    threads += [threading.Thread(target=slow_body, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for sock in held:
        sock.close()
    for name, (seconds, said) in results.items():
        limit = HEADER_SECONDS if name.startswith("headers") else BODY_SECONDS
        assert seconds < limit + 10, f"{name} was held {seconds:.0f} s"
        assert said.startswith(b"HTTP/1.1 408"), (name, said[:40])
    assert served.server.health()["status"] == "ok"  # everyone else is still served
    log = served.server.log.read_text(errors="replace")
    assert "took longer than allowed" in log


def test_a_client_that_drops_mid_body_is_one_info_line(served: Running) -> None:
    before = served.server.log.read_text(errors="replace")
    for _ in range(3):
        sock = _connect(served)
        sock.sendall(
            b"POST /twilio/sms HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-"
            b"urlencoded\r\nContent-Length: 5000\r\n\r\nBody=half a"
        )
        time.sleep(0.2)
        sock.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        added = served.server.log.read_text(errors="replace")[len(before) :]
        if added.count("went away") >= 3:
            break
        time.sleep(0.1)
    assert added.count("INFO bot.web.limits: a client went away") == 3, added
    assert "Traceback" not in added
    assert "ERROR" not in added


def test_one_number_on_sms_and_whatsapp_shares_one_rate_limit(served: Running) -> None:
    number = "+15105550777"
    answered = 0
    for n in range(12):
        sender = number if n % 2 == 0 else f"whatsapp:{number}"
        if "<Message>" in served.text(sender, f"food 9460{n % 10}").text:
            answered += 1
    assert answered == 5 + 1  # five answers and the one notice, whichever app they used
    assert "<Message>" in served.text("+15105550778", "food 94601").text  # others unaffected


@pytest.mark.sqlite_only("file modes and pages of the SQLite file itself")
def test_a_new_sqlite_database_is_private_and_an_erasure_leaves_no_trace(
    tmp_path: Path, seeded_database: str
) -> None:
    url = f"sqlite:///{tmp_path / 'private' / 'homeward.sqlite3'}"
    with serving(url, tmp_path) as server:
        from tests.server_helpers import signed_post, sms_form

        for n, words in enumerate(("shelter 94607 please", "talk to someone", "delete")):
            assert signed_post(server.base, sms_form(words, f"SM{n:032d}")).status_code == 200
        path = Path(make_url(url).database or "")
        from bot.storage.db import make_engine

        engine = make_engine(url)
        with session_scope(engine) as session:
            sealed = [s for s in session.scalars(select(MessageRow.body_sealed)).all() if s]
        assert sealed
        for candidate in (path, path.with_name(path.name + "-wal")):
            assert stat.S_IMODE(candidate.stat().st_mode) == 0o600, candidate
        reply = signed_post(server.base, sms_form("yes", "SM" + "9" * 32))
        assert reply.status_code == 200
        engine.dispose()
        raw = path.read_bytes() + path.with_name(path.name + "-wal").read_bytes()
        for token in sealed:
            assert token.encode() not in raw  # zeroed in the file, gone from the WAL
    assert TOKEN  # the server ran with signed webhooks
    assert PUBLIC
