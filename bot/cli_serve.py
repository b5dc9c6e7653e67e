"""`homeward serve`, `worker`, `telegram poll` and `db`: running Homeward and its schema."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from bot import cli_navigator
from bot.care.files import load_care
from bot.cli_common import UsageError, warn_if_newer_files_failed
from bot.directory.sync import refresh_directory
from bot.settings import Settings
from bot.storage.db import make_engine

# On SIGTERM or Ctrl-C, requests already being answered get this long to finish
# (bot.web.serve uses the same for its workers).
GRACEFUL_SECONDS = 30


def serve(settings: Settings, host: str, port: int, workers: int, polling: bool = False) -> int:
    """Check the settings, prepare the database once, then run the web server's workers."""
    import uvicorn

    if workers < 1 or not 0 < port < 65536:
        raise UsageError("--workers must be 1 or more and --port between 1 and 65535")
    if settings.telegram is not None and not polling and not settings.telegram.webhook_secret:
        raise UsageError("TELEGRAM_WEBHOOK_SECRET is missing (or use --telegram-polling)")
    if settings.telegram is not None and not polling and not settings.public_url:
        raise UsageError(
            "HOMEWARD_PUBLIC_URL is missing (Telegram's webhook needs it; or --telegram-polling)"
        )
    if not settings.secret_keys and not settings.development:
        raise UsageError(
            "HOMEWARD_SECRET_KEY is not set: make one with `homeward keys new` and keep it "
            "secret (or set HOMEWARD_ENV=development to use a local key)"
        )
    _prepare(settings)  # create, upgrade (SQLite) and load the database once, before the workers
    cli_navigator.announce(settings, host, port)
    if workers > 1 and not polling:
        from bot.web.serve import serve_forked

        serve_forked(settings, host, port, workers)
        return 0
    from bot.web.app import create_app

    # One process: the app runs here (Telegram allows one poller only, so polling
    # always runs in one process).
    app = create_app(settings, polling=polling, refresh=False)
    uvicorn.run(
        app,
        host=host,
        port=port,
        **server_options(settings),
    )
    return 0


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's settings for Homeward in one process (bot.web.serve sets the same for forks).

    Forwarded headers (X-Forwarded-For, X-Forwarded-Proto) are believed only
    from HOMEWARD_TRUSTED_PROXIES. A client gets ``HEADER_SECONDS`` to send its
    request line and headers (bot.web.limits' protocol; uvicorn itself has no
    such limit) and an idle keep-alive connection closes after 5 s.
    """
    from bot.web.limits import protocol_class

    return {
        "log_level": settings.log_level.lower(),
        "access_log": False,
        "proxy_headers": True,
        "forwarded_allow_ips": ",".join(settings.trusted_proxies),
        "timeout_graceful_shutdown": GRACEFUL_SECONDS,
        "timeout_keep_alive": 5,
        "http": protocol_class(),
    }


def _prepare(settings: Settings) -> None:
    """The database and the directory in it, ready, before the app opens them.

    With several workers, ``bot.web.serve`` then opens the index in this
    process and forks the workers from it.
    """
    from bot.safety.files import check_files

    load_care(settings.directory)  # the care files, checked: a problem stops here, listed
    engine = make_engine(settings.database_url, settings.secret_keys)
    try:
        problems = refresh_directory(engine, settings.directory, check_files)
    finally:
        engine.dispose()
    warn_if_newer_files_failed(problems)


def worker(settings: Settings, once: bool = False, at: str | None = None) -> int:
    """Send what is due until SIGTERM or Ctrl-C (serve runs the same loop in a thread).

    ``once``: one round (care's due messages, then the outbox), then exit;
    ``at`` (local YYYY-MM-DDTHH:MM) is the time that round takes as now.
    """
    from bot.delivery.worker import make_worker

    if at is not None and not once:
        raise UsageError("--now goes with --once")
    engine = make_engine(settings.database_url, settings.secret_keys)  # no index: it only sends
    if once:
        clock = _fixed_clock(engine, at) if at is not None else None
        attempts = make_worker(engine, settings, clock).run_once()
        print(f"Done: {attempts} message(s) sent or tried.")
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        make_worker(engine, settings).run_forever(stop)
    except KeyboardInterrupt:
        stop.set()
    return 0


def _fixed_clock(engine: Engine, at: str) -> Callable[[], dt.datetime]:
    """--now: a local time in the directory's time zone, as a clock."""
    from bot.care.plans import zone_of

    try:
        when = dt.datetime.strptime(at.strip(), "%Y-%m-%dT%H:%M").replace(tzinfo=zone_of(engine))
    except ValueError:
        raise UsageError("--now must be a local time like 2026-12-01T09:30") from None
    fixed = when.astimezone(dt.UTC)
    return lambda: fixed


def database(settings: Settings, action: str) -> int:
    """Upgrade the schema to the newest migration, or say where it is."""
    from sqlalchemy import create_engine

    from bot.storage import schema

    engine = create_engine(settings.database_url)
    if action == "upgrade":
        if engine.dialect.name == "sqlite":
            make_engine(settings.database_url, settings.secret_keys)  # folder, pragmas, upgrade
        else:
            schema.upgrade(engine, settings.secret_keys)
    current, head = schema.current_revision(engine), schema.head_revision()
    print(f"{current or '(empty)'} (newest: {head})")
    return 0
