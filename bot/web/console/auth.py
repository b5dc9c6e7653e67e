"""Sign-in, sign-out, the interface language, and the guard every console page goes through.

``console_page`` wraps each endpoint: no live session -> the sign-in page (or
401 for the live fragments), a POST without the right ``csrf_token`` -> 403,
a page the account's role may not see -> 403 (an admin page for a navigator,
any page but the partner report for a partner). The handler gets a ``Staff`` snapshot,
never an ORM row shared across threads.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bot.i18n import available_languages
from bot.storage.audit import Actor, audit
from bot.storage.claims import Navigator
from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.navigators import (
    SignIn,
    close_session,
    find_navigator,
    live_session,
    open_session,
    set_navigator_language,
    sign_in,
)
from bot.web.console import labels
from bot.web.console.render import render, request_language
from bot.web.console.security import (
    ANON_COOKIE,
    DEVICE_COOKIE,
    SESSION_COOKIE,
    Forbidden,
    anonymous_secret,
    check_csrf,
    csrf_for,
    key_of,
    new_anonymous_secret,
    read_form,
    set_cookie,
    sign,
    unsign,
)

log = logging.getLogger(__name__)
Form = dict[str, str]
DEVICE_DAYS = 365  # a browser that signed in to an account skips that account's waits
# Who may see what: navigators and admins the working pages, admins and partners the
# partner report; sign-out and the interface language are for every account.
WORKING_ROLES = ("navigator", "admin")
REPORT_ROLES = ("admin", "partner")
EVERY_ROLE = ("navigator", "admin", "partner")
_CONVERSATION_PAGE = re.compile(r"^/console/conversations/\d+")


@dataclass(frozen=True)
class Staff:
    """The signed-in navigator, as a page needs them."""

    id: int
    email: str
    name: str
    role: str
    language: str
    csrf: str
    session_id: int = 0

    @property
    def admin(self) -> bool:
        """Admins also read the audit log, manage accounts and assign conversations."""
        return self.role == "admin"

    @property
    def navigator(self) -> Navigator:
        """Who acts, as ``bot.storage.claims`` checks it."""
        return Navigator(self.id, self.email, self.name, self.admin, self.session_id)

    @property
    def actor(self) -> Actor:
        """Who acts, as the audit log names them (with the session, for reads)."""
        return Actor(self.id, self.email, self.session_id)


Handler = Callable[[Request, Staff, Form], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def session_token(request: Request) -> str | None:
    """The session token from the signed cookie (not yet checked against the database)."""
    return unsign(key_of(request), "session", request.cookies.get(SESSION_COOKIE, ""))


def _staff(request: Request, token: str, touch: bool) -> Staff | None:
    idle = dt.timedelta(minutes=request.app.state.settings.console_session_minutes)
    with session_scope(request.app.state.conversation.database) as session:
        found = live_session(session, token, now(), idle, touch=touch)
        if found is None:
            return None
        row, session_id = found
        csrf = csrf_for(key_of(request), token)
        return Staff(row.id, row.email, row.name, row.role, row.language, csrf, session_id)


def forbidden(request: Request, language: str) -> Response:
    """403 with a page that says why in plain words."""
    return render(request, "error.html", {"code": 403}, language=language, status_code=403)


def not_found(request: Request, staff: Staff) -> Response:
    """404 for a person or conversation that is not there (or no longer), in the console's frame."""
    context = {"code": 404, "staff": staff}
    return render(request, "error.html", context, language=staff.language, status_code=404)


def console_page(
    *, admin: bool = False, touch: bool = True, roles: tuple[str, ...] = WORKING_ROLES
) -> Callable[[Handler], Endpoint]:
    """Guard an endpoint: signed in, CSRF on posts, one of ``roles`` (only "admin" when
    ``admin``). A partner is refused every page not made for partners."""
    allowed = ("admin",) if admin else roles

    def wrap(handler: Handler) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            token = session_token(request)
            staff = await run_in_threadpool(_staff, request, token, touch) if token else None
            form: Form = await read_form(request) if request.method == "POST" else {}
            if staff is None:
                return _signed_out(request, token, form, fragment=not touch)
            try:
                if request.method == "POST":
                    check_csrf(key_of(request), token, form)
            except Forbidden:
                return forbidden(request, staff.language)
            if staff.role not in allowed:
                return forbidden(request, staff.language)
            return await handler(request, staff, form)

        return endpoint

    return wrap


def _signed_out(request: Request, token: str | None, form: Form, *, fragment: bool) -> Response:
    """No live session: a GET goes to sign-in; a POST keeps what was typed (never lost)."""
    if fragment:
        return PlainTextResponse("Signed out", status_code=401)
    if request.method == "GET":
        return RedirectResponse(f"/console/login?next={quote(request.url.path)}", status_code=303)
    try:
        check_csrf(key_of(request), token, form)  # only echo text back to its own author
    except Forbidden:
        return forbidden(request, request_language(request))
    page = _CONVERSATION_PAGE.match(request.url.path)  # back to the page, not to a POST address
    return _login_page(
        request,
        error="expired",
        draft=form.get("body") or form.get("note", ""),
        target=page.group(0) if page else "/console",
    )


def _login_page(
    request: Request,
    *,
    error: str = "",
    draft: str = "",
    target: str = "",
    status_code: int = 200,
    wait: int = 0,
) -> Response:
    secret = anonymous_secret(request)
    fresh = secret is None
    secret = secret or new_anonymous_secret()
    target = target or request.query_params.get("next", "")
    context = {
        "csrf_token": csrf_for(key_of(request), secret),
        "error": error,
        "draft": draft,
        "problem": labels.PROBLEMS.get(error, ""),
        "next": target if _local(target) else "/console",
        "staff": None,
        "wait_seconds": wait,
    }
    code = 429 if error == "wait" else 401 if error else status_code
    response = render(
        request, "login.html", context, language=request_language(request), status_code=code
    )
    if wait:
        response.headers["retry-after"] = str(wait)
    if fresh:
        set_cookie(request, response, ANON_COOKIE, sign(key_of(request), "anon", secret), path="/")
    return response


def _local(target: str) -> bool:
    """Only console pages are followed after sign-in (no open redirect, no loop)."""
    return (
        target.startswith("/console")
        and not target.startswith(("//", "/console/login"))
        and "\\" not in target
    )


async def login_page(request: Request) -> Response:
    """GET /console/login."""
    return _login_page(request)


async def login(request: Request) -> Response:
    """POST /console/login: email, password, code (with a second factor), csrf_token.

    Failures make later tries wait (per address, and per account for browsers
    without that account's device cookie); see ``bot.storage.throttle``.
    """
    form = await read_form(request)
    try:
        check_csrf(key_of(request), anonymous_secret(request), form)
    except Forbidden:
        return forbidden(request, request_language(request))
    email, password = form.get("email", "")[:254], form.get("password", "")
    code = form.get("code", "")[:20]
    address = request.client.host if request.client else "unknown"
    device = _device_navigator(request)
    settings = request.app.state.settings

    def attempt() -> tuple[SignIn, str | None]:
        with session_scope(request.app.state.conversation.database) as session:
            result = sign_in(
                session,
                email,
                password,
                code,
                address=address,
                device_navigator=device,
                at=now(),
                require_2fa=settings.require_2fa,
            )
            if result.navigator is None:
                if result.problem != "wait":  # waits are not written: a flood would fill the log
                    known = find_navigator(session, email)
                    action = "login_needs_2fa" if result.problem == "needs_2fa" else "login_failed"
                    audit(session, known, action, actor="(unknown account)")
                return result, None
            audit(session, result.navigator, "login")
            return result, open_session(session, result.navigator, now())

    result, token = await run_in_threadpool(attempt)
    if token is None or result.navigator is None:
        if result.problem == "wait":
            log.info(
                "a sign-in was refused: too many failures (waits %.0f s)",
                result.wait.total_seconds(),
            )
        wait = math.ceil(result.wait.total_seconds())
        error = result.problem
        if error in ("failed", "needs_2fa") and settings.require_2fa:
            error = "failed_2fa"  # the same answer whether or not the password was right
        return _login_page(request, error=error, target=form.get("next", ""), wait=wait)
    target = form.get("next", "")
    if result.navigator.role == "partner" and not target.startswith("/console/reports"):
        target = "/console/reports"  # the only page a partner may see
    response = RedirectResponse(target if _local(target) else "/console", status_code=303)
    set_cookie(request, response, SESSION_COOKIE, sign(key_of(request), "session", token), path="/")
    device_value = f"{result.navigator.id}.{secrets.token_urlsafe(12)}"
    set_cookie(
        request,
        response,
        DEVICE_COOKIE,
        sign(key_of(request), "device", device_value),
        path="/console/login",
        max_age=DEVICE_DAYS * 86400,
    )
    return response


def _device_navigator(request: Request) -> int | None:
    """The account this browser signed in to before (its signed device cookie), if any."""
    value = unsign(key_of(request), "device", request.cookies.get(DEVICE_COOKIE, ""))
    ident = (value or "").split(".", 1)[0]
    return int(ident) if ident.isascii() and ident.isdigit() else None


@console_page(roles=EVERY_ROLE)
async def logout(request: Request, staff: Staff, form: Form) -> Response:
    """POST /console/logout: the session is deleted."""
    token = session_token(request) or ""

    def work() -> None:
        with session_scope(request.app.state.conversation.database) as session:
            close_session(session, token)
            audit(session, staff.actor, "logout")

    await run_in_threadpool(work)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@console_page(roles=EVERY_ROLE)
async def set_language(request: Request, staff: Staff, form: Form) -> Response:
    """POST /console/language: the navigator's interface language."""
    language = form.get("lang", "")

    def work() -> None:
        with session_scope(request.app.state.conversation.database) as session:
            if language in available_languages():
                set_navigator_language(session, staff.id, language)

    await run_in_threadpool(work)
    target = form.get("next", "")
    return RedirectResponse(target if _local(target) else "/console", status_code=303)
