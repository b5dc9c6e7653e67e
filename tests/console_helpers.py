"""Helpers for the console tests: an app on a fresh SQLite file, accounts, signed-in clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from starlette.testclient import TestClient

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage, Turn
from bot.settings import Settings
from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.navigators import add_navigator
from bot.web.app import create_app
from tests.conftest import SAMPLE_DIRECTORY

ADMIN = ("ana@example.org", "correct horse battery", "Ana")
NAVIGATOR = ("luis@example.org", "another long password", "Luis")
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def console_settings(database_url: str, **env: str) -> Settings:
    """Settings for an app on its own database and the sample directory."""
    return Settings.from_env(
        {
            "HOMEWARD_DATABASE_URL": database_url,
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
            "HOMEWARD_ENV": "development",
            **env,
        }
    )


@contextmanager
def console_app(settings: Settings, base_url: str = "") -> Iterator[TestClient]:
    """The real app (lifespan included: outbox worker thread and all) with two accounts.

    Served over https when the public address is https: its cookies are Secure then.
    """
    base_url = base_url or (
        "https://testserver" if settings.public_url.startswith("https://") else "http://testserver"
    )
    with TestClient(create_app(settings), base_url=base_url, follow_redirects=False) as client:
        with session_scope(client.app.state.conversation.database) as session:  # type: ignore[attr-defined]
            add_navigator(session, ADMIN[0], ADMIN[1], at=now(), name=ADMIN[2], admin=True)
            add_navigator(session, NAVIGATOR[0], NAVIGATOR[1], at=now(), name=NAVIGATOR[2])
        yield client


def csrf(html: str) -> str:
    """The first CSRF token of a page."""
    found = CSRF_RE.search(html)
    assert found is not None, "no csrf_token on the page"
    return found.group(1)


def sign_in(client: TestClient, account: tuple[str, str, str] = ADMIN) -> str:
    """Sign in through the real form; returns the session's CSRF token."""
    page = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"email": account[0], "password": account[1], "csrf_token": csrf(page.text)},
    )
    assert response.status_code == 303, response.text
    queue = client.get("/console")
    assert queue.status_code == 200
    return csrf(queue.text)


def conversation_of(client: TestClient) -> Conversation:
    """The app's conversation core (the same one its webhooks use)."""
    found: Conversation = client.app.state.conversation  # type: ignore[attr-defined]
    return found


def text(client: TestClient, user: str, words: str, channel: str = "console") -> Turn:
    """A texter's message through the core."""
    return conversation_of(client).handle(InboundMessage(channel, user, words))


def contact_id(client: TestClient, user: str, channel: str = "console") -> int:
    """The conversation number of a texter."""
    from bot.storage.contacts import find_contact

    with session_scope(conversation_of(client).database) as session:
        contact = find_contact(session, channel, user)
        assert contact is not None
        return contact.id


def post(client: TestClient, path: str, token: str, **form: str) -> httpx.Response:
    """A console form post with the CSRF token."""
    return client.post(path, data={"csrf_token": token, **form})
