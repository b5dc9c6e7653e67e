"""The real `homeward serve` for the security review's tests (issue 17), shared per module.

One server per test module, on its own copy of the seeded database (a SQLite
file or a PostgreSQL copy): tests of a module use their own texters and
accounts, so they can share it. Texters write through signed Twilio webhooks;
navigators use the console over HTTP with httpx, as a browser would.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from bot.storage.contacts import find_contact, now
from bot.storage.db import make_engine, session_scope
from bot.storage.navigators import add_navigator
from bot.storage.staff import AuditRow
from tests.conftest import fresh_database
from tests.console_helpers import csrf
from tests.postgres_server import PostgresServer
from tests.server_helpers import Server, serving, signed_post, sms_form

PASSWORD = "a long enough password"
_sids = itertools.count(1)


@dataclass
class Running:
    """A served database: the server, its URL, and an engine on the same database."""

    server: Server
    url: str
    engine: Engine

    @property
    def base(self) -> str:
        return self.server.base

    def account(self, email: str, name: str, *, admin: bool = False) -> tuple[str, str, str]:
        """A console account made directly in the database (as `navigator add` does)."""
        with session_scope(self.engine) as session:
            add_navigator(session, email, PASSWORD, at=now(), name=name, admin=admin)
        return email, PASSWORD, name

    def text(self, sender: str, words: str, sid: str | None = None) -> httpx.Response:
        """A texter's SMS (or WhatsApp, with ``whatsapp:+1...``) through the signed webhook."""
        form = sms_form(words, sid or f"SM{next(_sids):032d}", sender)
        response = signed_post(self.base, form)
        assert response.status_code == 200, response.text
        return response

    def contact_id(self, sender: str, channel: str = "sms") -> int:
        """The conversation number of a texter."""
        with session_scope(self.engine) as session:
            contact = find_contact(session, channel, sender)
            assert contact is not None
            return contact.id

    def audit(self, action: str | None = None) -> list[AuditRow]:
        """Audit entries, oldest first."""
        with session_scope(self.engine) as session:
            query = select(AuditRow).order_by(AuditRow.id)
            if action is not None:
                query = query.where(AuditRow.action == action)
            rows = list(session.scalars(query).all())
            session.expunge_all()
            return rows


@contextmanager
def running_server(
    postgres: PostgresServer | None,
    folder: Path,
    seeded: str,
    extra: dict[str, str] | None = None,
    workers: int = 1,
) -> Iterator[Running]:
    """`homeward serve` on a fresh copy of the seeded database."""
    with fresh_database(postgres, folder, "security", seeded) as url:
        engine = make_engine(url)
        try:
            with serving(url, folder, extra=extra, workers=workers) as server:
                yield Running(server, url, engine)
        finally:
            engine.dispose()


def browser_client(base: str, **headers: str) -> httpx.Client:
    """A client keeping cookies, not following redirects, like a browser tab.

    The server's public address is https, so its cookies are Secure; the tests
    reach it over plain http on 127.0.0.1, which browsers count as a secure
    context (they send Secure cookies there). Python's cookie jar does not, so
    the Cookie header is written here from the jar, by path, as a browser would.
    """
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=30, headers=headers)

    def add_cookies(request: httpx.Request) -> None:
        path = request.url.path
        pairs = [
            f"{c.name}={c.value}"
            for c in client.cookies.jar
            if path == c.path or path.startswith(c.path.rstrip("/") + "/") or c.path == "/"
        ]
        if pairs:
            request.headers["cookie"] = "; ".join(pairs)

    client.event_hooks["request"] = [add_cookies]
    _CLIENTS.append(client)
    return client


_CLIENTS: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    """Every client a test opened is closed when it ends (no unclosed sockets)."""
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


def login(
    client: httpx.Client, account: tuple[str, str, str], code: str = "", password: str = ""
) -> httpx.Response:
    """One try at the sign-in form."""
    page = client.get("/console/login")
    return client.post(
        "/console/login",
        data={
            "email": account[0],
            "password": password or account[1],
            "code": code,
            "csrf_token": csrf(page.text),
        },
    )


def signed_in(base: str, account: tuple[str, str, str], **headers: str) -> tuple[httpx.Client, str]:
    """A signed-in client and its CSRF token."""
    client = browser_client(base, **headers)
    response = login(client, account)
    assert response.status_code == 303, response.text
    queue = client.get("/console")
    assert queue.status_code == 200
    return client, csrf(queue.text)
