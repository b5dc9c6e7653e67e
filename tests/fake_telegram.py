"""A fake Telegram Bot API server on 127.0.0.1 that records every call.

It answers getMe, setWebhook, deleteWebhook, sendMessage, editMessageText,
answerCallbackQuery and setMyCommands as Telegram documents them, so PTB's real
HTTP layer talks to it through TELEGRAM_API_BASE_URL. Chats can be set to
answer 403 (the texter blocked the bot) or 429 with retry_after.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.twilio_mock import free_port

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"


class FakeBotApi:
    """Records calls as (method, params); answers like the Bot API."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.blocked: set[int] = set()
        self.throttle: list[int] = []  # retry_after seconds for the next sendMessage calls
        self.updates: list[dict[str, Any]] = []  # handed out by getUpdates (long polling)
        self.port = free_port()
        self._message_id = 100
        self.server: uvicorn.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def wait_for(self, method: str, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.sent(method)) < count:
            time.sleep(0.05)
        return self.sent(method)

    async def handle(self, request: Request) -> JSONResponse:
        token, method = request.path_params["token"], request.path_params["method"]
        if token != TOKEN:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401
            )
        params = await _params(request)
        self.calls.append((method, params))
        if method == "getUpdates":
            await asyncio.sleep(0.1)
            offset = int(params.get("offset") or 0)
            return _ok([u for u in self.updates if u["update_id"] >= offset])
        return self._answer(method, params)

    def _answer(self, method: str, params: dict[str, Any]) -> JSONResponse:
        chat_id = int(params.get("chat_id", 0) or 0)
        if method == "getMe":
            return _ok(
                {
                    "id": 123456,
                    "is_bot": True,
                    "first_name": "Homeward",
                    "username": "homeward_test_bot",
                    "can_join_groups": False,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                }
            )
        if method in ("sendMessage", "editMessageText"):
            if chat_id in self.blocked:
                return JSONResponse(
                    {
                        "ok": False,
                        "error_code": 403,
                        "description": "Forbidden: bot was blocked by the user",
                    },
                    status_code=403,
                )
            if method == "sendMessage" and self.throttle:
                wait = self.throttle.pop(0)
                return JSONResponse(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {wait}",
                        "parameters": {"retry_after": wait},
                    },
                    status_code=429,
                )
            self._message_id += 1
            return _ok(
                {
                    "message_id": self._message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "text": params.get("text", ""),
                }
            )
        return _ok(True)

    def start(self) -> None:
        app = Starlette(
            routes=[Route("/bot{token}/{method}", self.handle, methods=["GET", "POST"])]
        )
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        threading.Thread(target=self.server.run, daemon=True).start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True


def _ok(result: object) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.form()
    out: dict[str, Any] = {}
    for key, value in form.items():
        text = str(value)
        try:
            out[key] = json.loads(text) if text[:1] in "[{" else text
        except ValueError:
            out[key] = text
    return out


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    """A started fake Bot API server."""
    fake = FakeBotApi()
    fake.start()
    yield fake
    fake.stop()
