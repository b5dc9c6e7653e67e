"""One settings object, read from the environment and checked at start.

Every setting has a default and a help line (Datasette's ``Setting`` table), so
the README can list them all and a test can check that it does.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting is present but unusable; the message is one plain line."""


@dataclass(frozen=True)
class Setting:
    """A documented environment variable."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "HOMEWARD_DATABASE_URL",
        "sqlite:///var/homeward.sqlite3",
        "SQLAlchemy URL of the database. The default is a SQLite file under var/ "
        "in the working directory, created on first use; postgresql+psycopg://user:"
        "password@host/db for PostgreSQL (upgrade it with `homeward db upgrade`).",
    ),
    Setting(
        "HOMEWARD_DIRECTORY",
        "<repo>/resources_directory",
        "Folder of the curated directory (YAML files) that commands load and search.",
    ),
    Setting(
        "HOMEWARD_OFFICE_HOURS",
        "mon-fri 09:00-17:00",
        "When navigators answer, in the directory's time zone, e.g. "
        '"mon-fri 09:00-17:00, sat 10:00-14:00". The bot tells texters who ask for a '
        "person when someone will answer.",
    ),
    Setting(
        "HOMEWARD_PUBLIC_URL",
        "(none)",
        "The public https address that Twilio and Telegram call (the proxy's, not the "
        "server's own); webhook signatures are checked against it.",
    ),
    Setting("TWILIO_ACCOUNT_SID", "(none)", "Twilio account SID (AC...). Set it to switch on SMS."),
    Setting("TWILIO_AUTH_TOKEN", "(none)", "Twilio auth token: checks webhook signatures, sends."),
    Setting(
        "TWILIO_FROM", "(none)", "The number replies come from (+15105550100 or whatsapp:+1...)."
    ),
    Setting(
        "TWILIO_MESSAGING_SERVICE_SID",
        "(none)",
        "A Twilio Messaging Service (MG...) to send from instead of TWILIO_FROM.",
    ),
    Setting(
        "TWILIO_API_BASE_URL",
        "(Twilio's)",
        "Another base address for Twilio's REST API (tests, regional endpoints).",
    ),
    Setting("TELEGRAM_BOT_TOKEN", "(none)", "Token from @BotFather. Set it to switch on Telegram."),
    Setting(
        "TELEGRAM_WEBHOOK_SECRET",
        "(none)",
        "Secret Telegram sends with every update (1-256 of A-Z a-z 0-9 _ -); needed for webhooks.",
    ),
    Setting(
        "TELEGRAM_API_BASE_URL",
        "(Telegram's)",
        "Another Bot API server (a self-hosted one, or a test double).",
    ),
    Setting(
        "HOMEWARD_SECRET_KEY",
        "(none)",
        "Secret for signing and encryption; keep it out of the repository.",
    ),
    Setting(
        "HOMEWARD_INSECURE_SKIP_SIGNATURES",
        "0",
        "Development only: 1 turns off webhook signature checks (a warning at every start).",
    ),
    Setting(
        "HOMEWARD_RATE_LIMITS",
        "20/minute,200/day",
        "Texts one sender may send; past a limit, one polite message, then silence "
        "until the window passes. Crisis texts are always answered.",
    ),
    Setting(
        "HOMEWARD_LOG_LEVEL",
        "WARNING",
        "Python logging level: DEBUG, INFO, WARNING or ERROR. Logs never hold message "
        "text or phone numbers, at any level.",
    ),
)

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
QUIET_LOGGERS = ("twilio", "telegram", "httpx", "httpcore", "uvicorn.access", "hpack")


@dataclass(frozen=True)
class OfficeHours:
    """Navigators' hours on some weekdays (0 = Monday), as HH:MM strings."""

    weekdays: tuple[int, ...]
    opens_at: str
    closes_at: str


DEFAULT_OFFICE_HOURS = (OfficeHours((0, 1, 2, 3, 4), "09:00", "17:00"),)


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


@dataclass(frozen=True)
class Settings:
    """Everything Homeward reads from its environment."""

    database_url: str
    directory: Path
    log_level: str
    office_hours: tuple[OfficeHours, ...] = DEFAULT_OFFICE_HOURS
    public_url: str = ""
    twilio: TwilioSettings | None = None
    telegram: TelegramSettings | None = None
    secret_key: str = ""
    skip_signatures: bool = False
    rate_per_minute: int = 20
    rate_per_day: int = 200

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check the settings; raise SettingsError with one plain line."""
        env = os.environ if env is None else env
        return cls(
            database_url=_database_url(env.get("HOMEWARD_DATABASE_URL", "")),
            directory=_directory(env.get("HOMEWARD_DIRECTORY", "")),
            log_level=_log_level(env.get("HOMEWARD_LOG_LEVEL", "")),
            office_hours=_office_hours(env.get("HOMEWARD_OFFICE_HOURS", "")),
            public_url=_public_url(env.get("HOMEWARD_PUBLIC_URL", "")),
            **_rate_limits(env.get("HOMEWARD_RATE_LIMITS", "")),
            twilio=_twilio(env),
            telegram=_telegram(env),
            secret_key=env.get("HOMEWARD_SECRET_KEY", "").strip(),
            skip_signatures=env.get("HOMEWARD_INSECURE_SKIP_SIGNATURES", "").strip()
            in ("1", "true", "yes"),
        )

    def configure_logging(self) -> None:
        """Send logs to standard error at the configured level.

        Libraries that may log message bodies, numbers or whole updates at INFO or
        DEBUG (twilio's HTTP client, PTB, httpx, uvicorn's access log) are held
        at WARNING whatever the level: logs never hold a texter's words or number.
        """
        logging.basicConfig(
            level=getattr(logging, self.log_level),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(max(logging.WARNING, getattr(logging, self.log_level)))


def _database_url(value: str) -> str:
    value = value.strip()
    if not value:
        return f"sqlite:///{Path('var') / 'homeward.sqlite3'}"
    if "://" not in value:
        raise SettingsError(
            "HOMEWARD_DATABASE_URL must be a database URL such as "
            "sqlite:///var/homeward.sqlite3 or postgresql+psycopg://user@host/db"
        )
    return value


def _directory(value: str) -> Path:
    if not value.strip():
        return REPO_ROOT / "resources_directory"
    path = Path(value.strip()).expanduser()
    if not path.is_dir():
        raise SettingsError(f"HOMEWARD_DIRECTORY is not a folder: {path}")
    return path


def _log_level(value: str) -> str:
    level = value.strip().upper() or "WARNING"
    if level not in _LOG_LEVELS:
        raise SettingsError(f"HOMEWARD_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}")
    return level


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS_RE = re.compile(r"^(\w{3})(?:-(\w{3}))?\s+([0-2]\d:[0-5]\d)-([0-2]\d:[0-5]\d)$")


def _office_hours(value: str) -> tuple[OfficeHours, ...]:
    if not value.strip():
        return DEFAULT_OFFICE_HOURS
    out = []
    for part in value.lower().split(","):
        match = _HOURS_RE.match(part.strip())
        if (
            not match
            or match.group(1) not in _DAYS
            or (match.group(2) or match.group(1)) not in _DAYS
        ):
            raise SettingsError(
                f'HOMEWARD_OFFICE_HOURS: "{part.strip()}" is not like "mon-fri 09:00-17:00"'
            )
        first, last = _DAYS.index(match.group(1)), _DAYS.index(match.group(2) or match.group(1))
        opens, closes = match.group(3), match.group(4)
        if closes <= opens or closes > "24:00":
            raise SettingsError(f'HOMEWARD_OFFICE_HOURS: "{part.strip()}" closes before it opens')
        out.append(OfficeHours(tuple(range(first, last + 1)), opens, closes))
    return tuple(out)


_TRUE = ("1", "true", "yes")
_SID_RE = re.compile(r"^(AC|MG)[0-9a-fA-F]{32}$")
_E164_RE = re.compile(r"^(whatsapp:)?\+[1-9]\d{6,14}$")


def _public_url(value: str) -> str:
    value = value.strip().rstrip("/")
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(f"HOMEWARD_PUBLIC_URL must start with https://, not {value!r}")
    return value


def _twilio(env: Mapping[str, str]) -> TwilioSettings | None:
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


def _telegram(env: Mapping[str, str]) -> TelegramSettings | None:
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


def _rate_limits(value: str) -> dict[str, int]:
    """ "20/minute,200/day" -> per-minute and per-day limits."""
    limits = {"rate_per_minute": 20, "rate_per_day": 200}
    for part in filter(None, (p.strip() for p in value.split(","))):
        count, _, window = part.partition("/")
        key = {"minute": "rate_per_minute", "day": "rate_per_day"}.get(window.strip())
        if key is None or not count.strip().isdigit() or int(count) < 1:
            raise SettingsError(
                f'HOMEWARD_RATE_LIMITS: "{part}" is not like "20/minute" or "200/day"'
            )
        limits[key] = int(count)
    return limits
