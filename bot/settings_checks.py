"""Checks of the settings that switch channels on (Twilio, Telegram) and of the console's.

Split from ``bot.settings`` to keep each module small; ``bot.settings`` re-exports
what other modules import from it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass


class SettingsError(ValueError):
    """A setting is present but unusable; the message is one plain line."""


@dataclass(frozen=True)
class TwilioSettings:
    """What the SMS and WhatsApp channel needs; present only when switched on."""

    account_sid: str
    auth_token: str
    sender: str
    messaging_service_sid: str
    api_base_url: str


@dataclass(frozen=True)
class TelegramSettings:
    """What the Telegram channel needs; present only when a bot token is set."""

    token: str
    webhook_secret: str
    api_base_url: str


_TRUE = ("1", "true", "yes")
_SID_RE = re.compile(r"^(AC|MG)[0-9a-fA-F]{32}$")
_E164_RE = re.compile(r"^(whatsapp:)?\+[1-9]\d{6,14}$")


def public_url(value: str) -> str:
    value = value.strip().rstrip("/")
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(f"HOMEWARD_PUBLIC_URL must start with https://, not {value!r}")
    return value


def twilio(env: Mapping[str, str]) -> TwilioSettings | None:
    """Twilio settings when any TWILIO_ variable is set; all needed ones must be right."""
    names = (
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_FROM",
        "TWILIO_MESSAGING_SERVICE_SID",
    )
    sid, token, sender, service = (env.get(name, "").strip() for name in names)
    base = env.get("TWILIO_API_BASE_URL", "").strip().rstrip("/")
    if not any((sid, token, sender, service, base)):
        return None
    if not sid.startswith("AC") or not _SID_RE.match(sid):
        raise SettingsError("TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits")
    if not token:
        raise SettingsError(
            "TWILIO_AUTH_TOKEN is missing (it is needed to check Twilio's signatures)"
        )
    if not sender and not service:
        raise SettingsError(
            "set TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID so replies have a sender"
        )
    if sender and not _E164_RE.match(sender):
        raise SettingsError(
            "TWILIO_FROM must be a number like +15105550100 or whatsapp:+15105550100"
        )
    if service and not (service.startswith("MG") and _SID_RE.match(service)):
        raise SettingsError("TWILIO_MESSAGING_SERVICE_SID must be MG followed by 32 hex digits")
    if base and not re.match(r"^https?://", base):
        raise SettingsError("TWILIO_API_BASE_URL must be an http(s) address")
    if not env.get("HOMEWARD_PUBLIC_URL", "").strip():
        raise SettingsError(
            "HOMEWARD_PUBLIC_URL is missing (Twilio's signatures are checked against it)"
        )
    return TwilioSettings(sid, token, sender, service, base)


_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def telegram(env: Mapping[str, str]) -> TelegramSettings | None:
    """Telegram settings when a bot token is set; the rest is checked then."""
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    base = env.get("TELEGRAM_API_BASE_URL", "").strip().rstrip("/")
    if not token:
        return None
    if not _TOKEN_RE.match(token):
        raise SettingsError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:letters)")
    if secret and not _SECRET_RE.match(secret):
        raise SettingsError(
            "TELEGRAM_WEBHOOK_SECRET may only use A-Z a-z 0-9 _ - (1 to 256 of them)"
        )
    if base and not re.match(r"^https?://", base):
        raise SettingsError("TELEGRAM_API_BASE_URL must be an http(s) address")
    return TelegramSettings(token, secret, base)


_CHAT_RE = re.compile(r"^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")


def navigator_chat(env: Mapping[str, str]) -> str:
    """TELEGRAM_NAVIGATOR_CHAT_ID: a group's numeric id (-100...) or a @channel name."""
    value = env.get("TELEGRAM_NAVIGATOR_CHAT_ID", "").strip()
    if not value:
        return ""
    if not _CHAT_RE.match(value):
        raise SettingsError(
            "TELEGRAM_NAVIGATOR_CHAT_ID must be a chat id such as -1001234567890 or @channelname"
        )
    if not env.get("TELEGRAM_BOT_TOKEN", "").strip():
        raise SettingsError(
            "TELEGRAM_NAVIGATOR_CHAT_ID needs TELEGRAM_BOT_TOKEN (alerts are sent by the bot)"
        )
    return value


def session_minutes(value: str) -> int:
    """HOMEWARD_CONSOLE_SESSION_MINUTES: idle minutes before a console session ends."""
    value = value.strip() or "120"
    if not (value.isascii() and value.isdigit()) or not 5 <= int(value) <= 720:
        raise SettingsError(
            "HOMEWARD_CONSOLE_SESSION_MINUTES must be a number of minutes from 5 to 720"
        )
    return int(value)


def office_address(value: str) -> str:
    """HOMEWARD_OFFICE_ADDRESS: one line, for the {office_address} of saved replies."""
    value = " ".join(value.split())
    if len(value) > 200:
        raise SettingsError("HOMEWARD_OFFICE_ADDRESS must be one line of at most 200 characters")
    return value


def follow_up_days(value: str) -> int:
    """HOMEWARD_FOLLOW_UP_DAYS: days before "Did you reach NAME?"."""
    value = value.strip() or "2"
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 30:
        raise SettingsError("HOMEWARD_FOLLOW_UP_DAYS must be a number of days from 1 to 30")
    return int(value)


_CONTENT_SID_RE = re.compile(r"^HX[0-9a-fA-F]{32}$")
WHATSAPP_TEMPLATES = (
    ("reminder", "TWILIO_WHATSAPP_REMINDER_TEMPLATE_SID"),
    ("follow_up", "TWILIO_WHATSAPP_FOLLOW_UP_TEMPLATE_SID"),
    ("message", "TWILIO_WHATSAPP_MESSAGE_TEMPLATE_SID"),
)


def whatsapp_templates(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """Approved WhatsApp templates per message kind (Twilio Content SIDs, HX...)."""
    found = []
    for kind, name in WHATSAPP_TEMPLATES:
        value = env.get(name, "").strip()
        if not value:
            continue
        if not _CONTENT_SID_RE.match(value):
            raise SettingsError(f"{name} must be a Content SID: HX followed by 32 hex digits")
        found.append((kind, value))
    return tuple(found)


def message_id_days(value: str) -> int:
    """HOMEWARD_MESSAGE_ID_RETENTION_DAYS: whole days, at least the 2 days of retries."""
    value = value.strip() or "30"
    if not value.isdigit() or int(value) < 2:
        raise SettingsError(
            "HOMEWARD_MESSAGE_ID_RETENTION_DAYS must be a whole number of days, 2 or more"
        )
    return int(value)


def flag(name: str, value: str) -> bool:
    """A 0/1 switch; anything else is one plain line."""
    value = value.strip().lower() or "0"
    if value not in ("0", "1", "true", "false", "yes", "no"):
        raise SettingsError(f"{name} must be 1 or 0")
    return value in _TRUE


def trusted_proxies(value: str) -> tuple[str, ...]:
    """HOMEWARD_TRUSTED_PROXIES: addresses or networks (comma-separated), or *."""
    parts = tuple(p.strip() for p in value.split(",") if p.strip()) or ("127.0.0.1",)
    if parts == ("*",):
        return parts
    for part in parts:
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise SettingsError(
                f"HOMEWARD_TRUSTED_PROXIES: {part!r} is not an address or network "
                "(like 10.0.0.5 or 10.0.0.0/24), nor *"
            ) from None
    return parts


def switch(name: str, value: str, default: bool) -> bool:
    """A 1/0 (yes/no, true/false, on/off) switch; empty keeps the default."""
    value = value.strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0, not {value!r}")


def per_minute(name: str, value: str, default: int) -> int:
    """A positive whole number of requests per minute; empty keeps the default."""
    value = value.strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise SettingsError(f"{name} must be a whole number from 1 to 100000, not {value!r}")
    return int(value)


def edit_url(value: str) -> str:
    """The base address of the directory files' editor, ending with a slash."""
    value = value.strip()
    if not value:
        return ""
    if not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(f"HOMEWARD_DIRECTORY_EDIT_URL must start with https://, not {value!r}")
    return value if value.endswith("/") else value + "/"
