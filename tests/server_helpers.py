"""Run the real `homeward serve` in a subprocess and talk to it like Twilio does."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from tests.conftest import HOMEWARD, SAMPLE_DIRECTORY
from tests.twilio_mock import free_port

# uvicorn ends a one-process server by re-raising SIGTERM once it has shut down cleanly.
STOPPED = (0, -signal.SIGTERM)
TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "https://homeward.example.org"
TWILIO_ENV = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": TOKEN,
    "TWILIO_FROM": "+15105550100",
    "HOMEWARD_PUBLIC_URL": PUBLIC,
}


def sms_form(body: str, sid: str, sender: str = "+15105551234") -> dict[str, str]:
    """The fields Twilio posts for one inbound SMS."""
    return {"From": sender, "To": "+15105550100", "Body": body, "MessageSid": sid, "NumMedia": "0"}


def signed_post(base: str, form: dict[str, str], timeout: float = 30.0) -> httpx.Response:
    """POST a webhook signed as Twilio signs it (over the public URL, not ours)."""
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + "/twilio/sms", form)
    return httpx.post(
        base + "/twilio/sms", data=form, headers={"X-Twilio-Signature": signature}, timeout=timeout
    )


class Server:
    """One `homeward serve` process on a free loopback port."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.base = f"http://127.0.0.1:{port}"
        self.log = log

    def health(self) -> dict[str, object]:
        """The /healthz answer."""
        return dict(httpx.get(self.base + "/healthz", timeout=5).json())

    def stop(self, timeout: float = 40.0) -> int:
        """SIGTERM, as a process manager stops it; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)


@contextmanager
def serving(
    database_url: str,
    folder: Path,
    *,
    workers: int = 1,
    extra: dict[str, str] | None = None,
    directory: Path = SAMPLE_DIRECTORY,
) -> Iterator[Server]:
    """A started server (healthy on every worker), stopped when the block ends."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **TWILIO_ENV,
        "HOMEWARD_DATABASE_URL": database_url,
        "HOMEWARD_DIRECTORY": str(directory),
        # The local key, as every other command of the test uses on this database.
        "HOMEWARD_ENV": "development",
        **(extra or {}),
    }
    log = folder / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(HOMEWARD), "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            cwd=folder,
            stdout=out,
            stderr=out,
        )
    server = Server(process, port, log)
    try:
        _wait_healthy(server, workers)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=20)


# Generous: a worker is ready within seconds on a quiet machine, but a busy CI box
# (three CPU-bound processes beside it) may take many times that. Never a timing test.
READY_SECONDS = 180.0


def wait_ready(
    base: str,
    process: subprocess.Popen[bytes],
    log: Path,
    workers: int = 1,
    timeout: float = READY_SECONDS,
) -> None:
    """Until ``workers`` processes answered /healthz "ok" (each reports its process id).

    A worker answers 503 "starting" while it warms up. Gives up, with the
    server's log, when the process exits or ``timeout`` passes.
    """
    deadline = time.monotonic() + timeout
    seen: set[int] = set()
    while time.monotonic() < deadline and len(seen) < workers:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {log.read_text(errors='replace')}")
        try:  # a new connection each time, so the kernel may hand it to any worker
            response = httpx.get(base + "/healthz", timeout=5)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        health = response.json()
        assert (response.status_code, health["status"]) in ((200, "ok"), (503, "starting"))
        if response.status_code == 200:
            seen.add(int(health["worker"]))
        else:
            time.sleep(0.05)
    if len(seen) < workers:
        raise AssertionError(
            f"serve was not ready after {timeout:.0f} s: {log.read_text(errors='replace')}"
        )


def _wait_healthy(server: Server, workers: int) -> None:
    wait_ready(server.base, server.process, server.log, workers)
