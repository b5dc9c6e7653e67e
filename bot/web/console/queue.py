"""The queue page: waiting conversations, urgent first, then the longest waiting.

The list lives in its own fragment (``/console/queue/rows``) that the page's
script fetches every few seconds, so a new request appears without reloading.
Polling, not server-sent events: it works the same behind any proxy and with
several workers, and an idle tab costs one small query every few seconds.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.storage.db import session_scope
from bot.storage.handoffs import QueueItem, waiting_queue
from bot.web.console import labels
from bot.web.console.auth import Form, Staff, console_page
from bot.web.console.render import render

REFRESH_MS = 3000


def _queue(request: Request) -> list[QueueItem]:
    with session_scope(request.app.state.conversation.database) as session:
        return waiting_queue(session)


def queue_context(items: list[QueueItem], staff: Staff) -> dict[str, Any]:
    """What the queue's templates need."""
    return {"items": items, "staff": staff, "labels": labels, "refresh_ms": REFRESH_MS}


@console_page()
async def queue_page(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console: the queue."""
    items = await run_in_threadpool(_queue, request)
    flash = labels.FLASH.get(request.query_params.get("done", ""), "")
    context = {**queue_context(items, staff), "flash": flash}
    return render(request, "queue.html", context, language=staff.language)


@console_page(touch=False)
async def queue_rows(request: Request, staff: Staff, form: Form) -> Response:
    """GET /console/queue/rows: the live part of the queue page (does not extend the session)."""
    items = await run_in_threadpool(_queue, request)
    return render(request, "_queue.html", queue_context(items, staff), language=staff.language)
