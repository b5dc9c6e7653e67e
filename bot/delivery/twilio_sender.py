"""Sending SMS and WhatsApp outside a webhook, with the real twilio REST client.

Only the outbox worker calls this. It decides per answer from Twilio: sent,
try again later (429, 5xx, no connection), or failed for good (invalid number;
21610, the texter opted out at the carrier, which also stops the contact).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.delivery.outcome import LookupFailed, SendOutcome
from bot.settings import Settings, TwilioSettings
from bot.storage.contacts import now
from bot.storage.outbox import OutboxJob

log = logging.getLogger(__name__)

CARRIER_OPT_OUT = 21610
WHATSAPP_WINDOW = dt.timedelta(hours=24)
SEND_TIMEOUT = 15.0  # seconds for one call to Twilio's API


class TwilioSender:
    """Sends one outbox job through Twilio's Messages API."""

    def __init__(self, settings: Settings, timeout: float = SEND_TIMEOUT) -> None:
        assert settings.twilio is not None
        self.twilio: TwilioSettings = settings.twilio
        self.callback = f"{settings.public_url}/twilio/status" if settings.public_url else None
        # A bounded wait: a stopping worker finishes the send in hand within it.
        http = TwilioHttpClient(timeout=timeout)
        self.client = Client(self.twilio.account_sid, self.twilio.auth_token, http_client=http)
        if self.twilio.api_base_url:
            self.client.api.base_url = self.twilio.api_base_url

    def send(self, job: OutboxJob) -> SendOutcome:
        """One attempt; never raises for Twilio's or the network's failures."""
        if job.opted_out:
            return SendOutcome("skipped", error="texter opted out")
        outside = job.channel == "whatsapp" and now() - job.last_seen_at > WHATSAPP_WINDOW
        if outside and not job.template_sid:
            # Free-form WhatsApp messages are only allowed within 24 hours of the
            # texter's last message; later ones need an approved template, which
            # care's scheduler chooses (bot.care.rules) when one is configured.
            return SendOutcome("skipped", error="outside the WhatsApp 24-hour window")
        try:
            message = self.client.messages.create(**self._params(job))
        except TwilioRestException as exc:
            return _rest_failure(exc)
        except Exception as exc:  # connection refused, timeouts: try again later
            # Twilio may have taken it and only its answer was lost (a timeout, a
            # dropped connection): the next try looks it up before sending again.
            log.warning("outbox %s: Twilio unreachable (%s)", job.id, type(exc).__name__)
            return SendOutcome("retry", error=type(exc).__name__, unsure=True)
        return SendOutcome(
            "sent", provider_id=str(message.sid), status=str(message.status or "queued")
        )

    def already_sent(self, job: OutboxJob) -> str | None:
        """The sid of this job's message if Twilio took it (after a crash or a lost answer).

        The newest 50 messages to the texter are read and matched by body and time.
        No date filter in the query: a message Twilio took but has not sent yet has
        no ``date_sent``. Raises LookupFailed when Twilio's list does not answer.
        """
        try:
            found = self.client.messages.list(to=self._to(job), limit=50)
        except Exception as exc:
            raise LookupFailed(type(exc).__name__) from None
        since = job.created_at - dt.timedelta(minutes=1)
        for message in found:
            stamp = message.date_created or message.date_sent
            if message.body == job.body and (stamp is None or stamp >= since):
                return str(message.sid)
        return None

    def _to(self, job: OutboxJob) -> str:
        return f"whatsapp:{job.user_id}" if job.channel == "whatsapp" else job.user_id

    def _params(self, job: OutboxJob) -> dict[str, str]:
        params = {"to": self._to(job), "body": job.body}
        if job.template_sid and job.channel == "whatsapp":
            # An approved template: Twilio sends its words, with the message in {{1}}.
            del params["body"]
            params["content_sid"] = job.template_sid
            params["content_variables"] = json.dumps({"1": job.body})
        if self.twilio.messaging_service_sid:
            params["messaging_service_sid"] = self.twilio.messaging_service_sid
        else:
            sender = self.twilio.sender.removeprefix("whatsapp:")
            params["from_"] = f"whatsapp:{sender}" if job.channel == "whatsapp" else sender
        if self.callback:
            params["status_callback"] = self.callback
        return params


def _rest_failure(exc: TwilioRestException) -> SendOutcome:
    if exc.status == 429 or exc.status >= 500:
        return SendOutcome("retry", error=f"HTTP {exc.status}")
    if exc.code == CARRIER_OPT_OUT:
        return SendOutcome("failed", error="opted out at the carrier (21610)", stop_contact=True)
    return SendOutcome("failed", error=f"HTTP {exc.status} code {exc.code}")
