"""Cookies, CSRF tokens, form reading and security headers for the console and /demo.

The signing key is derived (HKDF-SHA256, its own purpose label) from the first
key of HOMEWARD_SECRET_KEY, or from the local development key, so there is no
extra secret to manage; rotating the secret key signs everyone out.

CSRF: every form carries ``csrf_token``, an HMAC of the session's token (or,
before sign-in and on /demo, of a random per-browser cookie). A POST without
the right one gets 403 before anything else happens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.settings import Settings
from bot.storage.vault import local_key
from bot.web.body import TooLarge, read_capped

SESSION_COOKIE = "homeward_session"
ANON_COOKIE = "homeward_csrf"
DEVICE_COOKIE = "homeward_device"  # this browser signed in to an account before
HSTS = "max-age=31536000"  # a year; sent only when HOMEWARD_PUBLIC_URL is https
MAX_FORM_BYTES = 32 * 1024
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'self'; "
    "base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
PROTECTED = ("/console", "/demo")


class Forbidden(Exception):
    """The request failed a security check (CSRF)."""


def signing_key(settings: Settings) -> bytes:
    """The console's own key, derived from the secret key (never used for anything else)."""
    base = settings.secret_keys[0] if settings.secret_keys else local_key(settings.database_url)
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"homeward console v1")
    return hkdf.derive(base64.urlsafe_b64decode(base.encode()))


def key_of(request: Request) -> bytes:
    """The signing key of this app, derived once."""
    state = request.app.state
    if getattr(state, "console_key", None) is None:
        state.console_key = signing_key(state.settings)
    key: bytes = state.console_key
    return key


def _mac(key: bytes, purpose: str, value: str) -> str:
    digest = hmac.new(key, f"{purpose}|{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(key: bytes, purpose: str, value: str) -> str:
    """``value.mac``: a cookie value that cannot be forged or moved to another purpose."""
    return f"{value}.{_mac(key, purpose, value)}"


def unsign(key: bytes, purpose: str, signed: str) -> str | None:
    """The value of a signed cookie, or None when the signature is wrong."""
    value, _, mac = signed.rpartition(".")
    if not value or not hmac.compare_digest(mac.encode(), _mac(key, purpose, value).encode()):
        return None
    return value


def csrf_for(key: bytes, secret: str) -> str:
    """The form token that goes with a session token or an anonymous cookie."""
    return _mac(key, "csrf", secret)


def check_csrf(key: bytes, secret: str | None, form: dict[str, str]) -> None:
    """Raise Forbidden unless the form carries the token for ``secret``."""
    given = form.get("csrf_token", "")
    if not secret or not given or not hmac.compare_digest(given, csrf_for(key, secret)):
        raise Forbidden


def anonymous_secret(request: Request) -> str | None:
    """The per-browser secret behind forms before sign-in and on /demo."""
    return unsign(key_of(request), "anon", request.cookies.get(ANON_COOKIE, ""))


def new_anonymous_secret() -> str:
    """A fresh per-browser secret."""
    return secrets.token_urlsafe(24)


def is_https(request: Request) -> bool:
    """Served over https: directly, behind a proxy uvicorn trusts, or by the public address.

    A proxy on another host that is not in HOMEWARD_TRUSTED_PROXIES forwards
    https as plain http; HOMEWARD_PUBLIC_URL still says the console is https,
    so its cookies are Secure whatever the last hop was.
    """
    settings = request.app.state.settings
    return request.url.scheme == "https" or settings.public_url.startswith("https://")


def set_cookie(
    request: Request,
    response: Response,
    name: str,
    value: str,
    *,
    path: str,
    max_age: int | None = None,
) -> None:
    """HttpOnly, SameSite=Lax, and Secure whenever the console is served over https."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


async def read_form(request: Request) -> dict[str, str]:
    """A urlencoded form, capped in size; anything else reads as an empty form."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    try:
        body = await read_capped(request, MAX_FORM_BYTES)
    except TooLarge:
        return {}
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: value.replace("\x00", "") for name, value in pairs}


class SecurityHeaders:
    """Adds the security headers to every console and /demo response.

    Pages are never cached (``no-store``): a conversation must not sit in a
    shared computer's cache; static files may be revalidated. When
    HOMEWARD_PUBLIC_URL is https, every response carries HSTS, so a browser
    never reaches the server over plain http again.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
        https = bool(settings and settings.public_url.startswith("https://"))
        protected = path.startswith(PROTECTED)
        if not protected and not (https and path):
            await self.app(scope, receive, send)
            return
        cache = "no-cache" if path.startswith("/console/static/") else "no-store"

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra: MutableMapping[str, str] = (
                    {**HEADERS, "cache-control": cache} if protected else {}
                )
                if https:
                    extra["strict-transport-security"] = HSTS
                for name, value in extra.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add_headers)
