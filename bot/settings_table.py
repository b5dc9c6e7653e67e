"""Every setting with its default and a help line (Datasette's ``Setting`` table).

docs/settings.md lists them all, and a test checks that it does. Split from
``bot.settings`` to keep each module small; ``bot.settings`` re-exports both names.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        "HOMEWARD_INDEX_DIR",
        "(beside the database)",
        "Folder of the prebuilt search index files, one per directory version, that "
        "every worker on this machine maps instead of building its own. The default is "
        "beside a SQLite database file; with PostgreSQL, var/index under the working "
        "directory. Keep it as private as the database.",
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
        "TELEGRAM_NAVIGATOR_CHAT_ID",
        "(none)",
        "The navigators' Telegram group (-100...) or @channel: each new request for a person "
        "posts a short alert there (no words, no number; says urgent for a crisis).",
    ),
    Setting(
        "HOMEWARD_CONSOLE_SESSION_MINUTES",
        "120",
        "Minutes a console session lasts without a page load or a form sent (the live queue "
        "does not count); sessions always end 12 hours after sign-in.",
    ),
    Setting(
        "HOMEWARD_OFFICE_ADDRESS",
        "(none)",
        "The office's address, one line, for the {office_address} of saved replies.",
    ),
    Setting(
        "HOMEWARD_SECRET_KEY",
        "(a local key)",
        "Keys that seal numbers, chat ids and texts in the database, made by `homeward keys "
        "new`; several, comma-separated, newest first, while rotating. Without it a key is "
        "made beside the SQLite file (development only: `homeward serve` needs it in production).",
    ),
    Setting(
        "HOMEWARD_ENV",
        "production",
        "development or production. Development lets `homeward serve` run with a local key "
        "and shows the /demo page; `make run` sets it.",
    ),
    Setting(
        "HOMEWARD_RETENTION_DAYS",
        "90",
        "Days transcripts are kept; older ones are deleted by `homeward purge` and by a "
        "daily job in `homeward serve` (monthly counts without personal data are kept).",
    ),
    Setting(
        "HOMEWARD_MESSAGE_ID_RETENTION_DAYS",
        "30",
        "Days a hash of each processed MessageSid and Telegram update_id is kept (no text), "
        "so a captured webhook replayed later is recognised and ignored; at least 2.",
    ),
    Setting(
        "HOMEWARD_REQUIRE_2FA",
        "0",
        "1: admins must sign in to the console with a TOTP code (set one up with "
        "`homeward navigator totp EMAIL`); navigators may add one either way.",
    ),
    Setting(
        "HOMEWARD_TRUSTED_PROXIES",
        "127.0.0.1",
        "Addresses (or networks, comma-separated; * for any) of the reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto headers uvicorn believes: the client address "
        "that sign-in limits count, and whether the request came over https.",
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
        "HOMEWARD_FOLLOW_UP_DAYS",
        "2",
        "Days after a texter is given a service's details before Homeward asks \"Did you "
        'reach NAME?" (1 to 30; at most one follow-up a day per person).',
    ),
    Setting(
        "TWILIO_WHATSAPP_REMINDER_TEMPLATE_SID",
        "(none)",
        "An approved WhatsApp template (Twilio Content SID, HX...) for reminders outside "
        "WhatsApp's 24-hour window; its one variable {{1}} holds the reminder. Without it such "
        "a reminder waits for the texter to write or for an SMS number.",
    ),
    Setting(
        "TWILIO_WHATSAPP_FOLLOW_UP_TEMPLATE_SID",
        "(none)",
        'The same for follow-ups ("Did you reach NAME?").',
    ),
    Setting(
        "TWILIO_WHATSAPP_MESSAGE_TEMPLATE_SID",
        "(none)",
        "The same for navigators' messages scheduled for later.",
    ),
    Setting(
        "HOMEWARD_HSDS_API",
        "1",
        "1 serves the directory read-only as the HSDS 3.0 API under /hsds/ (what a county "
        "211 or a partner reads); 0 turns it off.",
    ),
    Setting(
        "HOMEWARD_HSDS_API_RATE",
        "120",
        "Requests one address may make to the HSDS API per minute (per worker); past it, "
        "429 Too Many Requests with Retry-After.",
    ),
    Setting(
        "HOMEWARD_DIRECTORY_EDIT_URL",
        "(none)",
        "Where a curator edits the directory files, e.g. "
        "https://github.com/ORG/REPO/edit/main/resources_directory/ : the console's texters' "
        "reports link each service's file there (without it, the file's path is shown).",
    ),
    Setting(
        "HOMEWARD_LOG_LEVEL",
        "WARNING",
        "Python logging level: DEBUG, INFO, WARNING or ERROR. Logs never hold message "
        "text or phone numbers, at any level.",
    ),
)
