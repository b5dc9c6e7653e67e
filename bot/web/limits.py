"""Time limits for slow clients, and a client that goes away logged as one INFO line.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but has no
limit on how long a client may take to send its headers or its body: 300
connections that trickle a byte now and then were held for as long as they
liked. ``TimedHttpToolsProtocol`` is uvicorn's own httptools protocol with two
timers: ``HEADER_SECONDS`` from the connection (or the start of the next
request on it) to the end of the headers, and ``BODY_SECONDS`` from there to
the end of the body. A client past either gets 408 (when nothing was answered
yet) and the connection is closed; the app sees the client as gone.

``ClientGone`` is the ASGI middleware that turns a client gone mid-request
(Starlette's ``ClientDisconnect``) into one INFO line instead of uvicorn's
ERROR with a full traceback; nothing is answered, as there is no one to answer.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger(__name__)
HEADER_SECONDS = 10.0
BODY_SECONDS = 20.0  # Twilio's and Telegram's posts take milliseconds; a form, well under this
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\ncontent-length: 16\r\n\r\nRequest Timeout\n"
)


def protocol_class() -> str:
    """uvicorn's ``http`` option: the import string of the timed protocol."""
    return f"{__name__}:TimedHttpToolsProtocol"


class TimedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with header and body time limits."""

    header_seconds = HEADER_SECONDS
    body_seconds = BODY_SECONDS
    _limit: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_seconds, "headers")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(self.header_seconds, "headers")

    def on_headers_complete(self) -> None:
        self._arm(self.body_seconds, "body")
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float, part: str) -> None:
        self._disarm()
        self._limit = self.loop.call_later(seconds, self._too_slow, part)

    def _disarm(self) -> None:
        if self._limit is not None:
            self._limit.cancel()
            self._limit = None

    def _too_slow(self, part: str) -> None:
        self._limit = None
        if self.transport.is_closing():
            return
        log.info("closed a connection whose %s took longer than allowed", part)
        cycle = self.cycle
        if cycle is None or not cycle.response_started:
            self.transport.write(TIMEOUT_RESPONSE)
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True
            cycle.message_event.set()
        self.transport.close()


class ClientGone:
    """A client that went away mid-request: one INFO line, no traceback, no answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            log.info("a client went away before its request was read (%s)", _route(scope))


def _route(scope: Scope) -> str:
    """The first part of the path only (never a query, never a number of a conversation)."""
    path = str(scope.get("path", ""))
    return "/" + path.strip("/").split("/", 1)[0]
