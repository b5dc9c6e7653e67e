"""The Starlette application: one app for every channel, started by `homeward serve`.

Each webhook route does four steps: verify -> parse -> core -> respond. Odd
input never gets a 5xx: Twilio and Telegram would retry it forever.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.channels import sms
from bot.conversation.core import Conversation
from bot.delivery.worker import make_worker
from bot.runtime import open_runtime
from bot.settings import Settings
from bot.storage.outbox import record_status
from bot.storage.retention import run_daily_purge
from bot.web.body import TooLarge, read_capped
from bot.web.console import MIDDLEWARE, console_routes
from bot.web.hsds_api import hsds_routes
from bot.web.telegram_route import start_telegram, telegram_webhook
from bot.web.watch import DirectoryWatcher

log = logging.getLogger(__name__)
TWIML = "application/xml"
WEB_THREADS = 12


def create_app(settings: Settings, *, polling: bool = False, refresh: bool = True) -> Starlette:
    """The app, with the runtime opened in its lifespan (``refresh``: see open_runtime)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Webhooks run in threads (the database calls block). Python runs one
        # thread at a time, so a dozen cover the database round trips in flight;
        # anyio's default of 40 only added switching and cost throughput (bench/).
        anyio.to_thread.current_default_thread_limiter().total_tokens = WEB_THREADS
        runtime = await run_in_threadpool(lambda: open_runtime(settings, refresh=refresh))
        app.state.conversation = Conversation(runtime.engine, runtime.search, settings)
        app.state.settings = settings
        # Word frequencies, ZIP data and the crisis lists load in the background:
        # the worker takes requests at once (a text that comes first loads what it
        # needs itself), and /healthz says "starting" until they are warm.
        app.state.warm = threading.Event()
        warm_up = threading.Thread(
            target=_warm_up,
            args=(app.state.conversation, app.state.warm),
            name="warm-up",
            daemon=True,
        )
        warm_up.start()
        if settings.skip_signatures:
            log.warning(
                "HOMEWARD_INSECURE_SKIP_SIGNATURES is on: webhook signatures are NOT checked"
            )
        app.state.telegram = None
        if settings.telegram is not None:
            app.state.telegram = await start_telegram(
                settings, app.state.conversation, polling=polling
            )
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=make_worker(runtime.engine, settings).run_forever,
                args=(stop,),
                name="outbox",
                daemon=True,
            ),
            threading.Thread(
                target=DirectoryWatcher(
                    runtime.engine, settings, app.state.conversation
                ).run_forever,
                args=(stop,),
                name="directory-watch",
                daemon=True,
            ),
            threading.Thread(
                target=run_daily_purge,
                args=(runtime.engine, settings.retention_days, stop),
                kwargs={"message_id_days": settings.message_id_retention_days},
                name="purge",
                daemon=True,
            ),
        ]
        for thread in threads:
            thread.start()
        yield
        # uvicorn calls this after the in-flight requests have finished. The outbox
        # worker finishes the message in hand and releases the rest of its claim.
        stop.set()
        if app.state.telegram is not None:
            if app.state.telegram.updater is not None:
                await app.state.telegram.updater.stop()
            await app.state.telegram.stop()
            await app.state.telegram.shutdown()
        for thread in threads:
            await run_in_threadpool(thread.join, 30)
        runtime.engine.dispose()

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/twilio/sms", twilio_sms, methods=["POST"]),
        Route("/twilio/status", twilio_status, methods=["POST"]),
        Route("/telegram/webhook", telegram_webhook, methods=["POST"]),
        *console_routes(),
    ]
    if settings.hsds_api:
        routes += hsds_routes(settings.hsds_api_rate)
    return Starlette(routes=routes, lifespan=lifespan, middleware=MIDDLEWARE)


def _warm_up(conversation: Conversation, warm: threading.Event) -> None:
    """Load the lazy caches, then say so; a failure is logged and the worker serves anyway."""
    started = time.monotonic()
    try:
        conversation.warm_up()
    except Exception:
        log.exception("warm-up failed; the first texts load what they need")
    warm.set()
    log.info("warm in %.1f s", time.monotonic() - started)


async def healthz(request: Request) -> Response:
    """Readiness for load balancers: which worker answered, on which directory version.

    503 with status "starting" while the worker warms its caches, then 200 "ok".
    """
    conversation: Conversation = request.app.state.conversation
    ready = request.app.state.warm.is_set()
    return JSONResponse(
        {
            "status": "ok" if ready else "starting",
            "directory_version": conversation.search.version,
            "worker": os.getpid(),
        },
        status_code=200 if ready else 503,
    )


async def _verified_twilio_form(request: Request) -> dict[str, str] | Response:
    """The form of a signed Twilio request, or the response that refuses it."""
    settings: Settings = request.app.state.settings
    if settings.twilio is None:
        return PlainTextResponse("SMS is not configured", status_code=404)
    try:
        body = await read_capped(request, sms.MAX_BODY_BYTES)
    except TooLarge:
        return PlainTextResponse("Request too large", status_code=413)
    url = settings.public_url + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    signature = request.headers.get("x-twilio-signature", "")
    params = sms.signed_form(settings, url, body, signature)
    if params is None:
        log.warning("refused a Twilio request with a missing or wrong signature")
        return PlainTextResponse("Forbidden", status_code=403)
    return params


async def twilio_sms(request: Request) -> Response:
    """Inbound SMS and WhatsApp: replies go back as TwiML (empty TwiML if anything fails)."""
    params = await _verified_twilio_form(request)
    if isinstance(params, Response):
        return params
    try:
        document = await run_in_threadpool(sms.respond, request.app.state.conversation, params)
    except Exception:
        log.exception("inbound Twilio message %s failed", params.get("MessageSid", "")[:40])
        return Response(sms.twiml([]), status_code=200, media_type=TWIML)
    return Response(document, media_type=TWIML)


async def twilio_status(request: Request) -> Response:
    """Delivery status callbacks: recorded on the outbox message."""
    params = await _verified_twilio_form(request)
    if isinstance(params, Response):
        return params
    sid, status = params.get("MessageSid", ""), params.get("MessageStatus", "")
    if sid and status:
        conversation: Conversation = request.app.state.conversation
        await run_in_threadpool(record_status, conversation.database, sid[:100], status[:20])
    return Response(status_code=204)
