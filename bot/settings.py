"""One settings object, read from the environment and checked at start.

Every setting has a default and a help line (Datasette's ``Setting`` table), so
docs/settings.md can list them all and a test can check that it does.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot import settings_checks as checks
from bot.settings_checks import SettingsError as SettingsError
from bot.settings_checks import TelegramSettings as TelegramSettings
from bot.settings_checks import TwilioSettings as TwilioSettings
from bot.settings_table import SETTINGS as SETTINGS
from bot.settings_table import Setting as Setting

REPO_ROOT = Path(__file__).resolve().parent.parent


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
QUIET_LOGGERS = (
    "twilio",
    "telegram",
    "httpx",
    "httpcore",
    "uvicorn.access",
    "gunicorn.access",
    "hpack",
)


@dataclass(frozen=True)
class OfficeHours:
    """Navigators' hours on some weekdays (0 = Monday), as HH:MM strings."""

    weekdays: tuple[int, ...]
    opens_at: str
    closes_at: str


DEFAULT_OFFICE_HOURS = (OfficeHours((0, 1, 2, 3, 4), "09:00", "17:00"),)


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
    secret_keys: tuple[str, ...] = ()
    environment: str = "production"
    retention_days: int = 90
    skip_signatures: bool = False
    rate_per_minute: int = 20
    rate_per_day: int = 200
    navigator_chat_id: str = ""
    console_session_minutes: int = 120
    office_address: str = ""
    index_dir: Path | None = None
    follow_up_days: int = 2
    whatsapp_templates: tuple[tuple[str, str], ...] = ()  # (message kind, Content SID)
    message_id_retention_days: int = 30
    require_2fa: bool = False
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)
    hsds_api: bool = True
    hsds_api_rate: int = 120
    directory_edit_url: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check the settings; raise SettingsError with one plain line."""
        env = os.environ if env is None else env
        return cls(
            database_url=_database_url(env.get("HOMEWARD_DATABASE_URL", "")),
            directory=_directory(env.get("HOMEWARD_DIRECTORY", "")),
            log_level=_log_level(env.get("HOMEWARD_LOG_LEVEL", "")),
            office_hours=_office_hours(env.get("HOMEWARD_OFFICE_HOURS", "")),
            public_url=checks.public_url(env.get("HOMEWARD_PUBLIC_URL", "")),
            **_rate_limits(env.get("HOMEWARD_RATE_LIMITS", "")),
            twilio=checks.twilio(env),
            telegram=checks.telegram(env),
            navigator_chat_id=checks.navigator_chat(env),
            console_session_minutes=checks.session_minutes(
                env.get("HOMEWARD_CONSOLE_SESSION_MINUTES", "")
            ),
            office_address=checks.office_address(env.get("HOMEWARD_OFFICE_ADDRESS", "")),
            index_dir=_index_dir(env.get("HOMEWARD_INDEX_DIR", "")),
            follow_up_days=checks.follow_up_days(env.get("HOMEWARD_FOLLOW_UP_DAYS", "")),
            whatsapp_templates=checks.whatsapp_templates(env),
            secret_keys=_secret_keys(env.get("HOMEWARD_SECRET_KEY", "")),
            environment=_environment(env.get("HOMEWARD_ENV", "")),
            retention_days=_retention_days(env.get("HOMEWARD_RETENTION_DAYS", "")),
            skip_signatures=env.get("HOMEWARD_INSECURE_SKIP_SIGNATURES", "").strip()
            in ("1", "true", "yes"),
            message_id_retention_days=checks.message_id_days(
                env.get("HOMEWARD_MESSAGE_ID_RETENTION_DAYS", "")
            ),
            require_2fa=checks.flag("HOMEWARD_REQUIRE_2FA", env.get("HOMEWARD_REQUIRE_2FA", "")),
            trusted_proxies=checks.trusted_proxies(env.get("HOMEWARD_TRUSTED_PROXIES", "")),
            hsds_api=checks.switch("HOMEWARD_HSDS_API", env.get("HOMEWARD_HSDS_API", ""), True),
            hsds_api_rate=checks.per_minute(
                "HOMEWARD_HSDS_API_RATE", env.get("HOMEWARD_HSDS_API_RATE", ""), 120
            ),
            directory_edit_url=checks.edit_url(env.get("HOMEWARD_DIRECTORY_EDIT_URL", "")),
        )

    @property
    def index_folder(self) -> Path:
        """Where this process finds and saves prebuilt search indexes."""
        if self.index_dir is not None:
            return self.index_dir
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != prefix + ":memory:":
            database = Path(self.database_url[len(prefix) :].split("?", 1)[0])
            return database.with_name(database.name + ".index")
        return Path("var") / "index"

    @property
    def demo_page(self) -> bool:
        """Whether /demo is shown: development mode, or no channel switched on."""
        return self.development or (self.twilio is None and self.telegram is None)

    @property
    def development(self) -> bool:
        """True when HOMEWARD_ENV=development (local key allowed, /demo shown)."""
        return self.environment == "development"

    def configure_logging(self) -> None:
        """Send logs to standard error at the configured level.

        Libraries that may log message bodies, numbers or whole updates at INFO or
        DEBUG (twilio's HTTP client, PTB, httpx, uvicorn's and gunicorn's access logs) are held
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


def _index_dir(value: str) -> Path | None:
    if not value.strip():
        return None
    path = Path(value.strip()).expanduser()
    if path.exists() and not path.is_dir():
        raise SettingsError(f"HOMEWARD_INDEX_DIR is not a folder: {path}")
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


def _secret_keys(value: str) -> tuple[str, ...]:
    """Comma-separated Fernet keys (url-safe base64 of 32 bytes), newest first."""
    from cryptography.fernet import Fernet

    keys = tuple(part.strip() for part in value.split(",") if part.strip())
    for key in keys:
        try:
            Fernet(key.encode())
        except ValueError:
            raise SettingsError(
                "HOMEWARD_SECRET_KEY must be keys made by `homeward keys new`, "
                "separated by commas (newest first)"
            ) from None
    return keys


def _environment(value: str) -> str:
    value = value.strip().lower() or "production"
    if value not in ("development", "production"):
        raise SettingsError("HOMEWARD_ENV must be development or production")
    return value


def _retention_days(value: str) -> int:
    value = value.strip() or "90"
    if not value.isdigit() or int(value) < 1:
        raise SettingsError("HOMEWARD_RETENTION_DAYS must be a whole number of days, 1 or more")
    return int(value)
