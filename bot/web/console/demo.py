"""/demo: text as a texter in the browser, through the console channel.

The quickest way to see Homeward whole and to train navigators: the texter's
side on the left, the navigators' console beside it. Each browser is its own
texter (a random id in a signed cookie); a navigator's reply reaches it the
way it reaches `homeward chat`, through the outbox's console sender.

On only in development (HOMEWARD_ENV=development) or while no channel (Twilio,
Telegram) is configured: on a live deployment anyone could otherwise fill the
queue from the web.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bot.channels.console import CHANNEL, MAX_LINE
from bot.conversation.message import InboundMessage
from bot.settings import Settings
from bot.storage.contacts import find_contact, take_pending
from bot.storage.db import session_scope
from bot.storage.handoffs import delivery
from bot.storage.transcript import transcript
from bot.web.console.render import render, request_language
from bot.web.console.security import (
    ANON_COOKIE,
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

DEMO_COOKIE = "homeward_demo"
SHOWN_STATES = ("sent", "delivered", "read")


def demo_enabled(settings: Settings) -> bool:
    """Development mode, or no channel switched on (``Settings.demo_page``)."""
    return settings.demo_page


@dataclass(frozen=True)
class DemoLine:
    """A line of the texter's phone: what they sent, and what reached them."""

    mine: bool
    author: str
    text: str


def _demo_id(request: Request) -> str | None:
    return unsign(key_of(request), "demo", request.cookies.get(DEMO_COOKIE, ""))


def _lines(request: Request, demo_id: str) -> list[DemoLine]:
    with session_scope(request.app.state.conversation.database) as session:
        contact = find_contact(session, CHANNEL, demo_id)
        if contact is None:
            return []
        take_pending(session, contact)  # shown here: delivered to this texter
        opened = transcript(session, contact.id)
        states = delivery(session, [line.outbox_id for line in opened if line.outbox_id])
        return [
            DemoLine(line.author == "texter", line.author, line.text)
            for line in opened
            if line.author != "navigator"
            or states.get(line.outbox_id or 0, ("", ""))[0] in SHOWN_STATES
        ]


def _off(request: Request) -> Response | None:
    if demo_enabled(request.app.state.settings):
        return None
    return PlainTextResponse("Not Found", status_code=404)


async def demo_page(request: Request) -> Response:
    """GET /demo: the texter's phone and the console side by side."""
    if (off := _off(request)) is not None:
        return off
    secret, demo_id = anonymous_secret(request), _demo_id(request)
    new_secret, new_id = secret is None, demo_id is None
    secret = secret or new_anonymous_secret()
    demo_id = demo_id or f"demo-{secrets.token_hex(4)}"
    lines = await run_in_threadpool(_lines, request, demo_id)
    context = {"lines": lines, "csrf_token": csrf_for(key_of(request), secret), "staff": None}
    response = render(request, "demo.html", context, language=request_language(request))
    key = key_of(request)
    if new_secret:
        set_cookie(request, response, ANON_COOKIE, sign(key, "anon", secret), path="/")
    if new_id:
        set_cookie(request, response, DEMO_COOKIE, sign(key, "demo", demo_id), path="/demo")
    return response


async def demo_messages(request: Request) -> Response:
    """GET /demo/messages: the phone's lines (the page fetches it every few seconds)."""
    if (off := _off(request)) is not None:
        return off
    demo_id = _demo_id(request)
    lines = await run_in_threadpool(_lines, request, demo_id) if demo_id else []
    return render(request, "_demo_lines.html", {"lines": lines}, language=request_language(request))


async def demo_send(request: Request) -> Response:
    """POST /demo: one text from the texter (``body``), answered by the core."""
    if (off := _off(request)) is not None:
        return off
    form = await read_form(request)
    demo_id = _demo_id(request)
    try:
        check_csrf(key_of(request), anonymous_secret(request), form)
        if demo_id is None:
            raise Forbidden
    except Forbidden:
        return PlainTextResponse("Forbidden: reload the page and try again", status_code=403)
    text = form.get("body", "")[:MAX_LINE]
    if text.strip():
        message = InboundMessage(CHANNEL, demo_id, text, kind="sms")
        await run_in_threadpool(request.app.state.conversation.handle, message)
    return RedirectResponse("/demo#phone", status_code=303)


async def demo_reset(request: Request) -> Response:
    """POST /demo/reset: start again as a new texter."""
    if (off := _off(request)) is not None:
        return off
    form = await read_form(request)
    try:
        check_csrf(key_of(request), anonymous_secret(request), form)
    except Forbidden:
        return PlainTextResponse("Forbidden: reload the page and try again", status_code=403)
    response = RedirectResponse("/demo", status_code=303)
    response.delete_cookie(DEMO_COOKIE, path="/demo")
    return response
