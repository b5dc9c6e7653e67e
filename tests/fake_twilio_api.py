"""A counting stand-in for Twilio's Messages API, with memory, for crash tests.

Prism (tests/twilio_mock.py) checks our requests against Twilio's published
API description but remembers nothing: its message list is a fixed example.
A crash test needs the other half: which messages Twilio took, how many times
each, and a list that answers "did you already take this one?" the way the
real API does (``To`` and ``DateSent>`` filters), so a worker recovering a dead
worker's claim can be caught sending twice.

A message is taken (counted, listed) when its request arrives, before the
answer goes back after ``delay`` seconds: a worker killed in between has had
its message accepted without learning the sid, the window a real crash hits.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import time
from collections import Counter
from urllib.parse import parse_qs, urlparse

from tests.twilio_mock import free_port


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A sender killed mid-request resets its connection: expected here, not news."""


class FakeTwilioAPI:
    """POST and GET /2010-04-01/Accounts/<sid>/Messages.json on a free loopback port."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list[dict[str, str]] = []
        self.port = free_port()
        self.server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def bodies(self) -> Counter[str]:
        """How many times each message body was taken."""
        with self.lock:
            return Counter(m["body"] for m in self.messages)

    def start(self) -> FakeTwilioAPI:
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                self._answer(201, fake.take(form))

            def do_GET(self) -> None:
                query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                self._answer(200, fake.listing(query))

            def _answer(self, status: int, payload: dict[str, object]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def take(self, form: dict[str, str]) -> dict[str, object]:
        stamp = dt.datetime.now(dt.UTC)
        with self.lock:
            sid = f"SM{len(self.messages) + 1:032x}"
            message = {
                "sid": sid,
                "to": form.get("To", ""),
                "body": form.get("Body", ""),
                "sent": stamp.isoformat(),
            }
            self.messages.append(message)
        time.sleep(self.delay)
        return self._resource(message)

    def listing(self, query: dict[str, str]) -> dict[str, object]:
        after = query.get("DateSent>")
        since = (
            dt.datetime.strptime(after, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            if after
            else None
        )
        with self.lock:
            found = [
                m
                for m in self.messages
                if m["to"] == query.get("To", m["to"])
                and (since is None or dt.datetime.fromisoformat(m["sent"]) >= since)
            ]
        return {
            "messages": [self._resource(m) for m in reversed(found)][:50],
            "next_page_uri": None,
            "page": 0,
            "page_size": 50,
        }

    @staticmethod
    def _resource(message: dict[str, str]) -> dict[str, object]:
        sent = dt.datetime.fromisoformat(message["sent"])
        return {
            "sid": message["sid"],
            "status": "queued",
            "to": message["to"],
            "body": message["body"],
            "date_sent": sent.strftime("%a, %d %b %Y %H:%M:%S +0000"),
            "num_segments": "1",
            "direction": "outbound-api",
        }
