"""The queue page: waiting conversations, urgent first, then the longest waiting.

The list lives in its own fragment (``/console/queue/rows``) that the page's
script fetches every few seconds, so a new request appears without reloading.
Polling, not server-sent events: it works the same behind any proxy and with
several workers, and an idle tab costs one small query every few seconds.

The queue shows each texter's last words, so showing it is a read: each
conversation shown is audited once per navigator and console session. It
also shows who holds each conversation, and the navigator's notices (a
conversation taken over from them).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.storage.audit import audit_reads
from bot.storage.claims import Notice, dismiss_notices, notices_for
from bot.storage.db import session_scope
from bot.storage.handoffs import QueueItem, waiting_queue
from bot.web.console import labels
from bot.web.console.auth import Form, Staff, console_page
from bot.web.console.render import render

REFRESH_MS = 3000


def _queue(request: Request, staff: Staff) -> tuple[list[QueueItem], list[Notice]]:
    with session_scope(request.app.state.conversation.database) as session:
        items = waiting_queue(session)
        shown = [item.contact_id for item in items if item.last_words]
        audit_reads(session, staff.actor, "queue_read", shown)
        return items, notices_for(session, staff.id)


def queue_context(items: list[QueueItem], staff: Staff, notices: list[Notice]) -> dict[str, Any]:
    """What the queue's templates need."""
    return {
        "items": items,
        "staff": staff,
        "labels": labels,
        "refresh_ms": REFRESH_MS,
        "notices": notices,
    }


@console_page()
async def queue_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console: the queue."""
    items, notices = await run_in_threadpool(_queue, request, staff)
    flash = labels.FLASH.get(request.query_params.get("done", ""), "")
    context = {**queue_context(items, staff, notices), "flash": flash}
    return render(request, "queue.html", context, language=staff.language)


@console_page(touch=False)
async def queue_rows(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/queue/rows: the live part of the queue page (does not extend the session)."""
    items, notices = await run_in_threadpool(_queue, request, staff)
    context = queue_context(items, staff, notices)
    return render(request, "_queue.html", context, language=staff.language)


@console_page()
async def dismiss(request: Request, staff: Staff, form: Form) -> Response:
    """POST /console/notices/dismiss: the navigator has read their notices."""

    def work() -> None:
        with session_scope(request.app.state.conversation.database) as session:
            dismiss_notices(session, staff.id)

    await run_in_threadpool(work)
    return RedirectResponse("/console", status_code=303)
