"""Twilio's published API description served by Stoplight Prism, behind a proxy we control.

Prism answers as Twilio's OpenAPI document says and refuses requests that break
it (422). The proxy counts message creations and can answer 429 or 500, or be
down, for fault tests.
"""

from __future__ import annotations

import http.server
import socket
import subprocess
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from bot.settings import REPO_ROOT

PRISM = REPO_ROOT / ".tools" / "node_modules" / ".bin" / "prism"
SPEC = REPO_ROOT.parent / "shared" / "data" / "twilio-oai" / "twilio_api_v2010.json"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Prism mock of Twilio's API v2010 (installed by `make test`)."""
    if not SPEC.exists():
        pytest.skip("../shared/data/twilio-oai is not beside this checkout")
    assert PRISM.exists(), "Prism is missing: run `make test`, which installs it"
    port = free_port()
    log = (tmp_path_factory.mktemp("prism") / "prism.log").open("wb")
    process = subprocess.Popen(
        [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(SPEC)], stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(base + "/2010-04-01/Accounts.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError("Prism did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


class FaultProxy:
    """Forwards to Prism; counts message creations; injects failures on demand."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.created: list[str] = []
        self.failures: list[
            tuple[int, int]
        ] = []  # (HTTP status, Twilio code) for the next requests
        self.lock = threading.Lock()
        self.delay = 0.0  # seconds each message creation waits before it is forwarded
        self.creating = threading.Event()  # set when a message creation arrives
        self.port = free_port()
        self.server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy.forward(self, "GET")

            def do_POST(self) -> None:
                proxy.forward(self, "POST")

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def forward(self, handler: http.server.BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("content-length") or 0)
        body = handler.rfile.read(length) if length else b""
        if method == "POST" and handler.path.endswith("/Messages.json"):
            self.creating.set()
            time.sleep(self.delay)
        with self.lock:
            injected = self.failures.pop(0) if self.failures else None
        if injected is not None:
            status, code = injected
            payload = b'{"code": %d, "message": "injected failure", "status": %d}' % (code, status)
            self._answer(handler, status, payload)
            return
        headers = {
            k: v for k, v in handler.headers.items() if k.lower() not in ("host", "content-length")
        }
        reply = httpx.request(
            method, self.upstream + handler.path, content=body, headers=headers, timeout=30
        )
        if (
            method == "POST"
            and handler.path.endswith("/Messages.json")
            and reply.status_code == 201
        ):
            with self.lock:
                self.created.append(body.decode())
        self._answer(handler, reply.status_code, reply.content)

    @staticmethod
    def _answer(handler: http.server.BaseHTTPRequestHandler, status: int, payload: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


@pytest.fixture
def twilio_proxy(prism: str) -> Iterator[FaultProxy]:
    """A started fault proxy in front of Prism."""
    proxy = FaultProxy(prism)
    proxy.start()
    yield proxy
    proxy.stop()
