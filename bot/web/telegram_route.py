"""The Telegram webhook route and the PTB Application's start inside the server.

PTB's custom-webhook pattern: the Application has no Updater; this route checks
the secret token (PTB's example leaves that out) and puts the update on the
application's queue. The core answers each update_id once, so a repeat sends
nothing. It always answers 200 to Telegram for odd updates (Telegram would
retry them forever), 403 for a missing or wrong secret.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.channels.telegram_update import update_problem
from bot.conversation.core import Conversation
from bot.settings import Settings
from bot.web.body import TooLarge, read_capped

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger(__name__)
MAX_UPDATE_BYTES = 1024 * 1024
WEBHOOK_PATH = "/telegram/webhook"


async def start_telegram(
    settings: Settings, conversation: Conversation, *, polling: bool = False
) -> Application:  # type: ignore[type-arg]
    """Start the Application; point Telegram's webhook here (or poll), set the commands.

    PTB is imported here, not with the app: a worker without Telegram never loads it.
    """
    from bot.channels.telegram import build_application, register_commands

    assert settings.telegram is not None
    application = build_application(settings, conversation, polling=polling)
    await application.initialize()
    await application.start()
    if polling and application.updater is not None:
        await application.bot.delete_webhook()
        await application.updater.start_polling()
    elif settings.public_url and settings.telegram.webhook_secret:
        await application.bot.set_webhook(
            settings.public_url + WEBHOOK_PATH, secret_token=settings.telegram.webhook_secret
        )
    await register_commands(application)
    return application


async def telegram_webhook(request: Request) -> Response:
    """verify -> parse -> queue for the adapter, which calls the core."""
    settings: Settings = request.app.state.settings
    application = request.app.state.telegram
    if settings.telegram is None or application is None:
        return PlainTextResponse("Telegram is not configured", status_code=404)
    secret = settings.telegram.webhook_secret.encode()
    given = request.headers.get("x-telegram-bot-api-secret-token", "").encode()
    if not secret or not hmac.compare_digest(given, secret):
        log.warning("refused a Telegram update with a missing or wrong secret token")
        return PlainTextResponse("Forbidden", status_code=403)
    from telegram import Update

    try:
        body = await read_capped(request, MAX_UPDATE_BYTES)  # a client gone: see bot.web.limits
    except TooLarge:
        return PlainTextResponse("Request too large", status_code=413)
    try:
        data = json.loads(body)
    except ValueError as exc:
        log.warning("ignored a malformed Telegram update (%s)", type(exc).__name__)
        return Response(status_code=200)
    problem = update_problem(data)
    if problem:  # never stored, never answered: Telegram would retry a refusal forever
        log.info("ignored a Telegram update: %s", problem)
        return Response(status_code=200)
    try:
        update = Update.de_json(data, application.bot)
    except Exception as exc:
        log.warning("ignored a malformed Telegram update (%s)", type(exc).__name__)
        return Response(status_code=200)
    if update is None or not isinstance(update.update_id, int):
        return Response(status_code=200)
    await application.update_queue.put(update)  # the core answers each update_id once
    return Response(status_code=200)
