"""The conversation page: transcript, reply box, saved replies, directory picker, notes, close.

Every action is a plain form post (works without JavaScript and with the
keyboard alone); composing (inserting a saved reply or a service, searching
the directory) re-renders the page with the draft kept, so nothing typed is
lost. Sending goes through the outbox, like every message that is not a
webhook's answer, and is recorded in the transcript with the outbox id, so the
page can show its delivery status.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.i18n import Translator
from bot.search.engine import SearchHit
from bot.storage.audit import audit
from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.handoffs import (
    HandoffError,
    add_note,
    assign,
    close_handoff,
    open_handoff_of,
    send_as_navigator,
    set_first_name,
)
from bot.storage.models import ContactRow
from bot.storage.navigators import list_navigators
from bot.storage.staff import NavigatorRow
from bot.web.console import labels
from bot.web.console.auth import Form, Staff, console_page
from bot.web.console.compose import (
    SAVED_REPLIES_FILE,
    SavedReply,
    check_reply,
    fill,
    find_services,
    parse_saved_replies,
    service_text,
)
from bot.web.console.compose import service_hit as find_service
from bot.web.console.render import render
from bot.web.console.view import ConversationView, load_view

MAX_NOTE = 2000


def saved_replies(request: Request) -> tuple[tuple[SavedReply, ...], list[str]]:
    """The saved replies stored with the loaded directory, read once per loaded copy."""
    state = request.app.state
    body = state.conversation.files.get(SAVED_REPLIES_FILE, b"")
    cached = getattr(state, "saved_replies", None)
    if cached is None or cached[0] != body:
        state.saved_replies = (body, parse_saved_replies(body) if body else ((), []))
    found: tuple[tuple[SavedReply, ...], list[str]] = state.saved_replies[1]
    return found


def _id(request: Request) -> int:
    return int(request.path_params["contact_id"])


def _join(draft: str, text: str) -> str:
    return f"{draft.rstrip()}\n{text}" if draft.strip() else text


async def _show(
    request: Request,
    staff: Staff,
    *,
    draft: str = "",
    query: str = "",
    results: tuple[SearchHit, ...] = (),
    problem: str = "",
    status_code: int = 200,
    viewed: bool = False,
) -> Response:
    conversation = request.app.state.conversation

    def work() -> tuple[ConversationView | None, list[tuple[int, str]]]:
        with session_scope(conversation.database) as session:
            view = load_view(session, _id(request), conversation.search, staff.language)
            if view is not None and viewed:
                handoff = view.open.id if view.open else None
                audit(
                    session,
                    session.get(NavigatorRow, staff.id),
                    "view",
                    contact_id=view.contact_id,
                    handoff_id=handoff,
                )
            people = [(n.id, n.name) for n in list_navigators(session) if n.active]
            return view, people

    view, people = await run_in_threadpool(work)
    if view is None:
        return render(
            request,
            "error.html",
            {"code": 404, "staff": staff},
            language=staff.language,
            status_code=404,
        )
    replies, reply_problems = saved_replies(request)
    values = {
        "first_name": view.first_name,
        "navigator_name": staff.name,
        "office_address": request.app.state.settings.office_address,
    }
    context: dict[str, Any] = {
        "staff": staff,
        "view": view,
        "labels": labels,
        "draft": draft,
        "query": query,
        "results": results,
        "problem": labels.PROBLEMS.get(problem, ""),
        "flash": labels.FLASH.get(request.query_params.get("done", ""), ""),
        "saved": [
            (r.id, r.title(staff.language), fill(r.text(view.language), values)) for r in replies
        ],
        "saved_problems": reply_problems,
        "people": people,
    }
    return render(
        request, "conversation.html", context, language=staff.language, status_code=status_code
    )


@console_page()
async def conversation_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/conversations/{id}: the whole conversation (the view is audited)."""
    return await _show(request, staff, viewed=True)


@console_page(touch=False)
async def transcript_fragment(request: Request, staff: Staff, form: Form) -> Response:
    """GET .../transcript: the live transcript (new texts, delivery states); not audited."""
    conversation = request.app.state.conversation

    def work() -> ConversationView | None:
        with session_scope(conversation.database) as session:
            return load_view(session, _id(request), conversation.search, staff.language)

    view = await run_in_threadpool(work)
    if view is None:
        return Response(status_code=404)
    context = {"view": view, "labels": labels, "staff": staff}
    return render(request, "_transcript.html", context, language=staff.language)


def _texter(request: Request) -> tuple[str, str, tuple[float, float] | None]:
    with session_scope(request.app.state.conversation.database) as session:
        contact = session.get(ContactRow, _id(request))
        if contact is None:
            return "sms", "en", None
        return contact.channel, contact.language, contact.location


@console_page()
async def reply(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../reply: send, or compose (insert a saved reply, find or insert a service)."""
    action = form.get("action", "send")
    draft, query = form.get("body", "")[:5000], form.get("q", "")[:200]
    channel, language, point = await run_in_threadpool(_texter, request)
    search = request.app.state.conversation.search
    when = now().astimezone(request.app.state.conversation.view.timezone)
    results = find_services(search, query, point, when)  # kept while composing

    async def again(text: str, problem: str = "") -> Response:
        return await _show(
            request,
            staff,
            draft=text,
            query=query,
            results=results,
            problem=problem,
            status_code=400 if problem else 200,
        )

    if action == "insert_saved":
        chosen = form.get("saved_reply", "")
        picked = next((r for r in saved_replies(request)[0] if r.id == chosen), None)
        if picked is None:
            return await again(draft, "no_saved")
        values = {
            "navigator_name": staff.name,
            "office_address": request.app.state.settings.office_address,
            "first_name": await run_in_threadpool(_first_name, request),
        }
        return await again(_join(draft, fill(picked.text(language), values)))
    if action == "find":
        return await again(draft)
    if action == "insert_service":
        hit = find_service(search, form.get("service", ""), point, when)
        if hit is None:
            return await again(draft, "no_service")
        return await again(_join(draft, service_text(Translator(language), hit)))
    checked = check_reply(draft, channel)
    if checked.problem:
        return await again(draft, checked.problem)

    def send(session: Session, contact: ContactRow, navigator: NavigatorRow) -> str:
        outbox_id = send_as_navigator(session, contact, navigator, checked.text)
        handoff = open_handoff_of(session, contact.id)
        audit(
            session,
            navigator,
            "reply",
            contact_id=contact.id,
            handoff_id=handoff.id if handoff else None,
            detail=f"outbox {outbox_id}",
        )
        return "sent"

    return await _act(request, staff, send, draft=draft, anchor="reply")


def _first_name(request: Request) -> str:
    with session_scope(request.app.state.conversation.database) as session:
        contact = session.get(ContactRow, _id(request))
        return contact.first_name if contact else ""


Action = Callable[[Session, ContactRow, NavigatorRow], str]


async def _act(
    request: Request,
    staff: Staff,
    action: Action,
    *,
    draft: str = "",
    anchor: str = "",
    to_queue: bool = False,
) -> Response:
    """Run one change in a transaction; a state that does not allow it is shown, not raised."""

    def work() -> str:
        try:
            with session_scope(request.app.state.conversation.database) as session:
                contact = session.get(ContactRow, _id(request))
                navigator = session.get(NavigatorRow, staff.id)
                if contact is None or navigator is None or not contact.user_sealed:
                    return "missing"
                return action(session, contact, navigator)
        except HandoffError as exc:  # rolled back: nothing of the action stays
            return f"problem:{exc}"

    done = await run_in_threadpool(work)
    if done == "missing":
        return render(
            request,
            "error.html",
            {"code": 404, "staff": staff},
            language=staff.language,
            status_code=404,
        )
    if done.startswith("problem:"):
        return await _show(
            request, staff, draft=draft, problem=done.split(":", 1)[1], status_code=409
        )
    if to_queue:
        return RedirectResponse(f"/console?done={done}", status_code=303)
    where = f"/console/conversations/{_id(request)}?done={done}"
    return RedirectResponse(where + (f"#{anchor}" if anchor else ""), status_code=303)


@console_page()
async def note(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../notes: a private note (sealed; never sent to the texter)."""
    text = form.get("note", "").strip()[:MAX_NOTE]
    if not text:
        return await _show(request, staff, problem="empty", status_code=400)

    def save(session: Session, contact: ContactRow, navigator: NavigatorRow) -> str:
        add_note(session, contact, navigator, text)
        audit(session, navigator, "note", contact_id=contact.id)
        return "noted"

    return await _act(request, staff, save, anchor="notes")


@console_page()
async def name(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../name: the texter's first name, for saved replies (sealed)."""
    first = " ".join(form.get("first_name", "").split())[:60]

    def save(session: Session, contact: ContactRow, navigator: NavigatorRow) -> str:
        set_first_name(contact, first)
        audit(session, navigator, "name", contact_id=contact.id)
        return "named"

    return await _act(request, staff, save, anchor="texter")


@console_page()
async def close(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../close: close with an outcome; the texter goes back to the bot."""
    outcome = form.get("outcome", "")

    def shut(session: Session, contact: ContactRow, navigator: NavigatorRow) -> str:
        handoff = close_handoff(session, contact, navigator, outcome)
        audit(
            session,
            navigator,
            "close",
            contact_id=contact.id,
            handoff_id=handoff.id,
            detail=outcome,
        )
        return "closed"

    return await _act(request, staff, shut, to_queue=True)


def _assigner(staff: Staff, form: Form, kind: str) -> Action:
    def change(session: Session, contact: ContactRow, navigator: NavigatorRow) -> str:
        handoff = open_handoff_of(session, contact.id)
        if handoff is None:
            raise HandoffError("closed")
        target: int | None = staff.id
        detail = ""
        if kind == "release":
            target = None
        elif kind == "assign":
            chosen = session.get(NavigatorRow, int(form.get("navigator_id", "0") or 0))
            if chosen is None or not chosen.active:
                raise HandoffError("no_navigator")
            target, detail = chosen.id, chosen.email
        assign(session, handoff, target)
        audit(session, navigator, kind, contact_id=contact.id, handoff_id=handoff.id, detail=detail)
        return {"claim": "claimed", "release": "released", "assign": "assigned"}[kind]

    return change


@console_page()
async def claim(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../claim: take the conversation (from the queue or the page)."""
    to_queue = form.get("next") == "queue"
    return await _act(request, staff, _assigner(staff, form, "claim"), to_queue=to_queue)


@console_page()
async def release(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../release: give it back to the queue."""
    return await _act(request, staff, _assigner(staff, form, "release"))


@console_page(admin=True)
async def assign_to(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../assign (admins): give the conversation to a navigator."""
    if not re.fullmatch(r"[0-9]{1,9}", form.get("navigator_id", "")):
        return await _show(request, staff, problem="no_navigator", status_code=400)
    return await _act(request, staff, _assigner(staff, form, "assign"))
