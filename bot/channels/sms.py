"""SMS and WhatsApp over Twilio: verify, parse, call the core, answer in TwiML.

The web route reads the request and calls this module twice: ``signed_form``
(the signature against the public URL) and ``respond`` (parse the form, hand an
InboundMessage to the core, render TwiML). Retries with the same MessageSid are
answered by the core from the stored replies.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl

import phonenumbers
from twilio.request_validator import RequestValidator

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024  # Twilio's form posts are a few kB; more is not a text message
MAX_TEXT = 1600  # Twilio's own limit for one message body
TWIML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


@dataclass(frozen=True)
class TwilioInbound:
    """The parts of Twilio's form that Homeward uses."""

    channel: str
    user_id: str
    text: str
    message_sid: str
    media: int


def parse_form(body: bytes) -> dict[str, str]:
    """Form fields (first value wins); undecodable bytes are replaced, never raised."""
    text = body.decode("utf-8", errors="replace")
    return dict(reversed(parse_qsl(text, keep_blank_values=True)))


def signature_ok(auth_token: str, url: str, params: dict[str, str], signature: str) -> bool:
    """Twilio's own RequestValidator, over the public URL Twilio called."""
    return bool(signature) and bool(RequestValidator(auth_token).validate(url, params, signature))


@lru_cache(maxsize=8192)
def e164(raw: str) -> str | None:
    """A sender number in E.164 (+15105550123), or None when it is not a number."""
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def read_inbound(params: dict[str, str]) -> TwilioInbound | None:
    """The message in a Twilio form, or None when it lacks a sender or id."""
    sender = params.get("From", "")
    channel = "whatsapp" if sender.startswith("whatsapp:") else "sms"
    user = e164(sender.removeprefix("whatsapp:"))
    # PostgreSQL text cannot hold NUL characters; a real MessageSid never has one.
    sid = (params.get("MessageSid") or params.get("SmsSid") or "").replace("\x00", "")[:100]
    if user is None or not sid:
        return None
    try:
        media = max(0, int(params.get("NumMedia", "0") or 0))
    except ValueError:
        media = 0
    text = params.get("Body", "")[:MAX_TEXT]
    return TwilioInbound(channel, user, text, sid, media)


def signed_form(settings: Settings, url: str, body: bytes, signature: str) -> dict[str, str] | None:
    """The form of a request Twilio signed for this URL, or None when the signature fails.

    Used by both Twilio routes (messages and delivery status).
    """
    params = parse_form(body)
    if settings.skip_signatures:
        return params
    token = settings.twilio.auth_token if settings.twilio else ""
    return params if signature_ok(token, url, params, signature) else None


def respond(conversation: Conversation, params: dict[str, str]) -> str:
    """The TwiML answer to one signed inbound form: parse, call the core, render.

    The core answers each MessageSid once (a retry gets the stored replies).
    """
    message = read_inbound(params)
    if message is None:
        log.info("ignored a Twilio request without sender or MessageSid")
        return twiml([])
    inbound = InboundMessage(
        message.channel,
        message.user_id,
        message.text,
        kind="sms",
        message_id=message.message_sid,
        media=message.media,
    )
    return twiml([r.text for r in conversation.handle(inbound).replies])


def twiml(replies: list[str]) -> str:
    """A TwiML document with one <Message> per reply (empty when silent).

    Written directly: the same bytes as twilio's MessagingResponse (a test
    compares them), without building an element tree on every webhook.
    """
    if not replies:
        return TWIML_HEAD + "<Response />"
    messages = "".join(f"<Message>{html.escape(r, quote=False)}</Message>" for r in replies)
    return f"{TWIML_HEAD}<Response>{messages}</Response>"
