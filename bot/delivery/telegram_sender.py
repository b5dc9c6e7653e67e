"""Sending Telegram messages outside an update (navigator replies), for the outbox.

429 answers are retried after Telegram's own ``retry_after``; 403 (the texter
blocked the bot) stops the contact.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import warnings

from telegram import Bot
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.delivery.outcome import SendOutcome
from bot.settings import Settings
from bot.storage.outbox import OutboxJob


class TelegramSender:
    """Sends one outbox job with PTB's Bot (its real HTTP layer)."""

    def __init__(self, settings: Settings) -> None:
        assert settings.telegram is not None
        self.token = settings.telegram.token
        base = settings.telegram.api_base_url
        self.base_url = f"{base}/bot" if base else "https://api.telegram.org/bot"

    def send(self, job: OutboxJob) -> SendOutcome:
        """One attempt, run on its own event loop (the worker is a plain thread)."""
        if job.opted_out:
            return SendOutcome("skipped", error="texter opted out")
        return asyncio.run(self._send(job))

    def already_sent(self, job: OutboxJob) -> str | None:
        """Telegram cannot be asked what was sent; a released claim is sent again."""
        return None

    async def _send(self, job: OutboxJob) -> SendOutcome:
        try:
            async with Bot(self.token, base_url=self.base_url) as bot:
                message = await bot.send_message(chat_id=int(job.user_id), text=job.body[:4096])
        except RetryAfter as exc:
            return SendOutcome("retry", error="HTTP 429", retry_after=_seconds(exc))
        except Forbidden:
            return SendOutcome("failed", error="blocked by the texter (403)", stop_contact=True)
        except (TelegramError, OSError) as exc:
            return SendOutcome("retry", error=type(exc).__name__)
        return SendOutcome("sent", provider_id=f"tg-{message.message_id}", status="sent")


def _seconds(exc: RetryAfter) -> float:
    """Telegram's retry_after in seconds (PTB 22 gives int or timedelta, and warns)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
