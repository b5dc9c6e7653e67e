"""The conversation page: transcript, reply box, saved replies, directory picker, notes, close.

Every action is a plain form post (works without JavaScript and with the
keyboard alone); composing (inserting a saved reply or a service, searching
the directory) re-renders the page with the draft kept, so nothing typed is
lost. Sending goes through the outbox, like every message that is not a
webhook's answer, and is recorded in the transcript with the outbox id, so the
page can show its delivery status.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.conversation.audience import who_for
from bot.i18n import Translator
from bot.search.engine import SearchHit
from bot.storage import claims
from bot.storage.audit import audit, audit_reads
from bot.storage.care_answers import note_service_given
from bot.storage.claims import TexterBasics
from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.handoffs import HandoffError
from bot.storage.navigators import list_navigators
from bot.web.console import labels
from bot.web.console.auth import Form, Staff, console_page, not_found
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
    given: str = "",
) -> Response:
    conversation = request.app.state.conversation

    def work() -> tuple[ConversationView | None, list[tuple[int, str]]]:
        with session_scope(conversation.database) as session:
            view = load_view(session, _id(request), conversation.search, staff.language)
            if view is not None and viewed:  # the page itself: audited on every load
                handoff = view.open.id if view.open else None
                audit(session, staff.actor, "view", contact_id=view.contact_id, handoff_id=handoff)
                claims.dismiss_notices(session, staff.id, view.contact_id)
            elif view is not None:  # shown again after a form: a read, once per session
                audit_reads(session, staff.actor, "read", [view.contact_id])
            people = [(n.id, n.name) for n in list_navigators(session) if n.active]
            return view, people

    view, people = await run_in_threadpool(work)
    if view is None:
        return not_found(request, staff)
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
        "who_for": partial(who_for, Translator(staff.language)),  # "for women": the picker says
        "problem": labels.PROBLEMS.get(problem, ""),
        "flash": labels.FLASH.get(request.query_params.get("done", ""), ""),
        "saved": [
            (r.id, r.title(staff.language), fill(r.text(view.language), values)) for r in replies
        ],
        "saved_problems": reply_problems,
        "people": people,
        "given": given,  # services inserted from the picker: a follow-up for each one sent
    }
    return render(
        request, "conversation.html", context, language=staff.language, status_code=status_code
    )


@console_page()
async def conversation_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/conversations/{id}: the whole conversation (every load is audited)."""
    return await _show(request, staff, viewed=True)


@console_page(touch=False)
async def transcript_fragment(request: Request, staff: Staff, form: Form) -> Response:
    """GET .../transcript: the live transcript (new texts, delivery states).

    Audited as a read once per navigator, conversation and console session: the
    page's script asks every three seconds, and the log must stay readable.
    """
    conversation = request.app.state.conversation

    def work() -> ConversationView | None:
        with session_scope(conversation.database) as session:
            view = load_view(session, _id(request), conversation.search, staff.language)
            if view is not None:
                audit_reads(session, staff.actor, "read", [view.contact_id])
            return view

    view = await run_in_threadpool(work)
    if view is None:
        return Response(status_code=404)
    context = {"view": view, "labels": labels, "staff": staff}
    return render(request, "_transcript.html", context, language=staff.language)


def _texter(request: Request) -> TexterBasics:
    with session_scope(request.app.state.conversation.database) as session:
        found = claims.texter_basics(session, _id(request))
        return found or TexterBasics("sms", "en", None, "")


@console_page()
async def reply(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../reply: send, or compose (insert a saved reply, find or insert a service)."""
    action = form.get("action", "send")
    draft, query = form.get("body", "")[:5000], form.get("q", "")[:200]
    texter = await run_in_threadpool(_texter, request)
    channel, language, point = texter.channel, texter.language, texter.point
    search = request.app.state.conversation.search
    when = now().astimezone(request.app.state.conversation.view.timezone)
    results = find_services(search, query, point, when)  # kept while composing

    given = form.get("given", "")[:2000]

    async def again(text: str, problem: str = "") -> Response:
        return await _show(
            request,
            staff,
            draft=text,
            query=query,
            results=results,
            problem=problem,
            status_code=400 if problem else 200,
            given=given,
        )

    if action == "insert_saved":
        chosen = form.get("saved_reply", "")
        picked = next((r for r in saved_replies(request)[0] if r.id == chosen), None)
        if picked is None:
            return await again(draft, "no_saved")
        values = {
            "navigator_name": staff.name,
            "office_address": request.app.state.settings.office_address,
            "first_name": texter.first_name,
        }
        return await again(_join(draft, fill(picked.text(language), values)))
    if action == "find":
        return await again(draft)
    if action == "insert_service":
        hit = find_service(search, form.get("service", ""), point, when)
        if hit is None:
            return await again(draft, "no_service")
        given = ",".join(dict.fromkeys([*given.split(","), hit.service.id]).keys()).strip(",")
        return await again(_join(draft, service_text(Translator(language), hit)))
    checked = check_reply(draft, channel)
    if checked.problem:
        return await again(draft, checked.problem)

    conversation = request.app.state.conversation
    office, zone = conversation.rules.office, conversation.view.timezone

    def in_office(at: dt.datetime) -> bool:
        return bool(office.is_open(at.astimezone(zone)))

    def send(session: Session) -> str:
        claims.reply(session, _id(request), staff.navigator, checked.text, in_office=in_office)
        follow_up_picked(request, session, _id(request), given, checked.text)
        return "sent"

    return await _act(request, staff, send, draft=draft, anchor="reply")


def follow_up_picked(
    request: Request, session: Session, contact_id: int, given: str, text: str
) -> None:
    """Services inserted from the picker and still named in the message sent: each gets
    its "Did you reach NAME?" after HOMEWARD_FOLLOW_UP_DAYS (bot.care)."""
    index = request.app.state.conversation.search.index
    stamp = now()
    due = stamp + dt.timedelta(days=request.app.state.settings.follow_up_days)
    for service_id in filter(None, given.split(",")):
        service = index.service(service_id)
        if service is not None and service.name in text:
            category = service.categories[0] if service.categories else ""
            note_service_given(
                session, contact_id, service.id, category, given_by="navigator", at=stamp, due=due
            )


Action = Callable[[Session], str]


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
                return action(session)
        except HandoffError as exc:  # rolled back: nothing of the action stays
            return "missing" if str(exc) == "missing" else f"problem:{exc}"

    done = await run_in_threadpool(work)
    if done == "missing":
        return not_found(request, staff)
    if done.startswith("problem:"):
        problem = done.split(":", 1)[1]
        code = 403 if problem == "held" else 400 if problem == "no_reason" else 409
        return await _show(request, staff, draft=draft, problem=problem, status_code=code)
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

    def save(session: Session) -> str:
        claims.note(session, _id(request), staff.navigator, text)
        return "noted"

    return await _act(request, staff, save, anchor="notes")


@console_page()
async def name(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../name: the texter's first name, for saved replies (sealed)."""
    first = " ".join(form.get("first_name", "").split())[:60]

    def save(session: Session) -> str:
        claims.name(session, _id(request), staff.navigator, first)
        return "named"

    return await _act(request, staff, save, anchor="texter")


@console_page()
async def close(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../close: close with an outcome; the texter goes back to the bot."""
    outcome = form.get("outcome", "")

    def shut(session: Session) -> str:
        claims.close(session, _id(request), staff.navigator, outcome)
        return "closed"

    return await _act(request, staff, shut, to_queue=True)


@console_page()
async def claim(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../claim: take a conversation no one holds (from the queue or the page)."""
    to_queue = form.get("next") == "queue"

    def take(session: Session) -> str:
        claims.claim(session, _id(request), staff.navigator)
        return "claimed"

    return await _act(request, staff, take, to_queue=to_queue)


@console_page()
async def release(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../release: give it back to the queue (its holder, or an admin)."""

    def give_back(session: Session) -> str:
        claims.release(session, _id(request), staff.navigator)
        return "released"

    return await _act(request, staff, give_back)


@console_page()
async def take_over(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../take-over: take a conversation another navigator holds, with a reason."""
    reason = form.get("reason", "")

    def take(session: Session) -> str:
        claims.take_over(session, _id(request), staff.navigator, reason)
        return "taken_over"

    return await _act(request, staff, take, anchor="handling")


@console_page(admin=True)
async def assign_to(request: Request, staff: Staff, form: Form) -> Response:
    """POST .../assign (admins): give the conversation to a navigator."""
    if not re.fullmatch(r"[0-9]{1,9}", form.get("navigator_id", "")):
        return await _show(request, staff, problem="no_navigator", status_code=400)
    chosen = int(form["navigator_id"])

    def give(session: Session) -> str:
        claims.assign(session, _id(request), staff.navigator, chosen)
        return "assigned"

    return await _act(request, staff, give)
