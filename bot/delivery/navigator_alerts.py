"""Alerts to the navigators' Telegram group: a request for a person is waiting.

Short on purpose: the channel, the language, the request number and a link,
never the texter's words or number (a group chat is no place for them). A
crisis says URGENT and its kind. Requests are claimed in the database before
the alert is sent, so several workers never post one twice; an alert Telegram
refuses for good is logged and dropped, a passing failure is tried again
later with a growing pause.
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy import Engine
from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.i18n import Translator
from bot.settings import Settings
from bot.storage.handoffs import Alert, claim_alerts, release_alert

log = logging.getLogger(__name__)
MAX_PAUSE = 300.0
_KINDS = {
    "self_harm": "self-harm",
    "overdose": "overdose",
    "own_overdose": "the texter's overdose",
    "intentional_overdose": "overdose on purpose",
    "poisoning": "poisoning",
    "violence": "violence",
    "child_danger": "a child in danger",
}
_CHANNELS = {"sms": "SMS", "whatsapp": "WhatsApp", "telegram": "Telegram", "console": "console"}
_LANGUAGES = {"en": "English", "es": "Spanish"}


def alert_text(alert: Alert, public_url: str) -> str:
    """The alert's words: no message text, no number."""
    t = Translator("en")
    link = f"{public_url}/console/conversations/{alert.contact_id}" if public_url else "/console"
    values = {
        "number": alert.handoff_id,
        "channel": _CHANNELS.get(alert.channel, alert.channel),
        "language": _LANGUAGES.get(alert.language, alert.language),
        "link": link,
    }
    if alert.urgent:
        kind = _KINDS.get(alert.crisis or "", "")
        return t.gettext(
            "URGENT: request #{number} may be a crisis{kind}. {channel}, {language}. Open: {link}"
        ).format(kind=f" ({kind})" if kind else "", **values)
    if alert.crisis == "concern":  # a hopeless or unclear text: below urgent
        return t.gettext(
            "Check in: request #{number} may be a hopeless text. {channel}, {language}. "
            "Open: {link}"
        ).format(**values)
    return t.gettext(
        "New request for a navigator: #{number}, {channel}, {language}. Open: {link}"
    ).format(**values)


class NavigatorAlerts:
    """Posts due alerts; run by the outbox worker once per round."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        assert settings.telegram is not None
        self.engine = engine
        self.chat_id: int | str = _chat(settings.navigator_chat_id)
        self.public_url = settings.public_url
        base = settings.telegram.api_base_url
        self.base_url = f"{base}/bot" if base else "https://api.telegram.org/bot"
        self.token = settings.telegram.token
        self.pause = 0.0
        self.resume_at = 0.0

    def run_once(self) -> int:
        """Send every due alert; returns how many were posted."""
        if time.monotonic() < self.resume_at:
            return 0
        posted = 0
        for alert in claim_alerts(self.engine):
            if asyncio.run(self._send(alert)):
                posted += 1
        return posted

    async def _send(self, alert: Alert) -> bool:
        try:
            async with Bot(self.token, base_url=self.base_url) as bot:
                await bot.send_message(
                    chat_id=self.chat_id, text=alert_text(alert, self.public_url)
                )
        except (BadRequest, Forbidden) as exc:
            log.error(
                "navigator alert for request %s refused: %s", alert.handoff_id, type(exc).__name__
            )
            return False
        except (TelegramError, OSError) as exc:
            self._unclaim(alert)
            self.pause = min(MAX_PAUSE, max(1.0, self.pause * 2))
            self.resume_at = time.monotonic() + self.pause
            log.warning(
                "navigator alert for request %s failed (%s); trying again in %.0f s",
                alert.handoff_id,
                type(exc).__name__,
                self.pause,
            )
            return False
        self.pause = 0.0
        log.info("navigator alert posted for request %s", alert.handoff_id)
        return True

    def _unclaim(self, alert: Alert) -> None:
        release_alert(self.engine, alert)


def _chat(value: str) -> int | str:
    return int(value) if value.lstrip("-").isascii() and value.lstrip("-").isdigit() else value
