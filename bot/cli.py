"""The ``homeward`` command: directory tools, search, and the main job.

Every command reads the one settings object first; a bad setting or a missing
file ends with one plain line (``homeward: ...``) and exit status 2, never a
traceback. ``homeward directory validate`` exits 1 when the files have problems.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot import cli_navigator, cli_privacy, cli_telegram
from bot.channels.console import ConsoleChat
from bot.conversation.core import Conversation
from bot.delivery.worker import make_worker
from bot.directory.hsds.commands import run_export, run_import
from bot.directory.hsds.importer import MapProblems
from bot.directory.hsds.package import HsdsError
from bot.directory.loader import load_directory
from bot.directory.problems import Problem
from bot.directory.stats import directory_stats, stats_text
from bot.directory.sync import DirectoryUnavailable, load_into_database, refresh_directory
from bot.runtime import Runtime, check_vocabulary, open_runtime
from bot.search.engine import SearchResult
from bot.search.geo import parse_near
from bot.search.render import result_json, result_text
from bot.settings import Settings, SettingsError
from bot.storage.db import DatabaseUnavailable, make_engine
from bot.web.app import create_app

# On SIGTERM or Ctrl-C, requests already being answered get this long to finish.
GRACEFUL_SECONDS = 30


class UsageError(Exception):
    """A wrong argument; reported as one line with exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="homeward", description="Homeward: find local reentry services."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    directory = sub.add_parser("directory", help="check, load and count the services directory")
    dsub = directory.add_subparsers(dest="action", required=True)
    for name, text in (
        ("validate", "check every directory file"),
        ("load", "validate, then load into the database"),
    ):
        cmd = dsub.add_parser(name, help=text)
        cmd.add_argument(
            "dir", nargs="?", type=Path, help="directory folder (default: HOMEWARD_DIRECTORY)"
        )
    hsds_in = dsub.add_parser("import-hsds", help="turn an HSDS publication into directory files")
    hsds_in.add_argument(
        "path", type=Path, help="HSDS data package (folder or .zip) or HSDS 3.0 JSON"
    )
    hsds_in.add_argument("--out", type=Path, required=True, help="directory folder to write")
    hsds_out = dsub.add_parser("export-hsds", help="write the directory as HSDS 3.0")
    hsds_out.add_argument(
        "dir", nargs="?", type=Path, help="directory folder (default: HOMEWARD_DIRECTORY)"
    )
    hsds_out.add_argument("--out", type=Path, required=True, help="folder (or .zip) to write")
    stats = dsub.add_parser("stats", help="services per category and ZIP, entries due for a check")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    search = sub.add_parser("search", help="search the directory")
    search.add_argument(
        "query", nargs="?", default=None, help='what the texter wrote, e.g. "shelter 94607"'
    )
    search.add_argument("--near", help='a ZIP code or "lat,lon"')
    search.add_argument(
        "--lang", choices=("en", "es"), help="language of the query; only services that speak it"
    )
    search.add_argument("--limit", type=int, default=5, help="how many results (default 5)")
    search.add_argument("--open-now", action="store_true", help="only services open now")
    search.add_argument("--category", help="only this category (slug)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument(
        "--batch", type=Path, help="file with one query per line; one JSON line per query"
    )
    chat = sub.add_parser("chat", help="talk to Homeward as a texter, in the terminal")
    chat.add_argument("--channel", choices=("sms", "telegram"), default="sms", help="reply form")
    chat.add_argument("--user", default="console", help="texter id; the same id continues a chat")
    chat.add_argument("--json", action="store_true", help="one JSON object per turn")
    serve = sub.add_parser(
        "serve", help="run the web server: SMS and WhatsApp webhooks, health check"
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument(
        "--telegram-polling", action="store_true", help="Telegram by long polling (one worker)"
    )
    telegram = sub.add_parser("telegram", help="Telegram tools for operators")
    telegram.add_argument("action", choices=("poll", "set-webhook", "delete-webhook"))
    sub.add_parser("worker", help="send the outbox (also runs inside serve)")
    database = sub.add_parser("db", help="database schema: upgrade, current")
    database.add_argument("action", choices=("upgrade", "current"))
    sub.add_parser("run", help="the main job: for now, the terminal chat")
    cli_privacy.register(sub)
    cli_navigator.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``homeward`` console script."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        settings.configure_logging()
        return _dispatch(args, settings)
    except (
        SettingsError,
        UsageError,
        cli_privacy.PrivacyUsageError,
        cli_navigator.NavigatorUsageError,
    ) as exc:
        print(f"homeward: {exc}", file=sys.stderr)
        return 2
    except HsdsError as exc:
        print(f"homeward: {exc}", file=sys.stderr)
        return 2
    except MapProblems as exc:
        _print_problems(exc.problems)
        print("homeward: fix the taxonomy map above; nothing was imported", file=sys.stderr)
        return 2
    except DirectoryUnavailable as exc:
        _print_problems(exc.problems)
        print("homeward: the directory cannot be loaded; fix the problems above", file=sys.stderr)
        return 2
    except (SQLAlchemyError, ModuleNotFoundError, DatabaseUnavailable) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(
            f"homeward: cannot use the database in HOMEWARD_DATABASE_URL: {reason}", file=sys.stderr
        )
        return 2
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "directory":
        folder = getattr(args, "dir", None) or settings.directory
        if args.action == "validate":
            return _validate(folder)
        if args.action == "load":
            return _load(settings, folder)
        if args.action == "import-hsds":
            return run_import(args.path, args.out, settings.directory)
        if args.action == "export-hsds":
            return run_export(folder, args.out)
        return _stats(settings, args.json)
    if args.command == "search":
        return _search(args, settings)
    if args.command == "serve":
        return _serve(settings, args.host, args.port, args.workers, args.telegram_polling)
    if args.command == "telegram":
        if settings.telegram is None:
            raise UsageError("TELEGRAM_BOT_TOKEN is not set")
        if args.action == "poll":
            return _serve(settings, "127.0.0.1", 8000, 1, polling=True)
        return cli_telegram.webhook(settings, args.action)
    if args.command == "db":
        return _db(settings, args.action)
    if args.command == "worker":
        return _worker(settings)
    if args.command in ("keys", "purge"):
        return cli_privacy.dispatch(args, settings)
    if args.command == "navigator":
        return cli_navigator.dispatch(args, settings)
    if args.command == "chat":
        return _chat(settings, args.channel, args.user, args.json)
    return _chat(settings, "sms", "console", False)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _validate(folder: Path) -> int:
    result = load_directory(folder)
    problems = list(result.problems)
    if result.directory is not None:
        problems += check_vocabulary(folder, result.directory)
    if problems:
        _print_problems(sorted(problems))
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    assert result.directory is not None
    found = result.directory
    print(f"OK: {len(found.services)} services from {len(found.organizations)} organizations")
    return 0


def _load(settings: Settings, folder: Path) -> int:
    if not folder.is_dir():
        raise UsageError(f"not a folder: {folder}")
    engine = make_engine(settings.database_url, settings.secret_keys)
    outcome = load_into_database(engine, folder, check_vocabulary)
    if outcome.version is None:
        _print_problems(outcome.problems)
        print(
            f"{len(outcome.problems)} problem(s) found; the database was not changed",
            file=sys.stderr,
        )
        return 1
    print(f"Loaded {outcome.services} services (directory version {outcome.version})")
    return 0


def _open(settings: Settings) -> Runtime:
    runtime = open_runtime(settings)
    if runtime.problems:
        _print_problems(runtime.problems)
        print(
            "homeward: warning: newer directory files have problems; using the last good version",
            file=sys.stderr,
        )
    return runtime


def _stats(settings: Settings, as_json: bool) -> int:
    stats = directory_stats(_open(settings).search.index.directory)
    if as_json:
        payload = {
            "services": stats.services,
            "organizations": stats.organizations,
            "per_category": stats.per_category,
            "per_zip": stats.per_zip,
            "not_verified_180_days": [s.id for s in stats.stale],
        }
        print(json.dumps(payload, indent=2))
    else:
        print(stats_text(stats))
    return 0


def _search(args: argparse.Namespace, settings: Settings) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    if args.near is not None and parse_near(args.near) is None:
        raise UsageError(f'--near must be a US ZIP code or "lat,lon", not {args.near!r}')
    if (args.batch is None) == (args.query is None):
        raise UsageError(
            'give a query, e.g. homeward search "shelter 94607", or --batch FILE, not both'
        )
    runtime = _open(settings)
    if args.category is not None and args.category not in runtime.search.index.category_slugs:
        raise UsageError(
            f"--category must be one of {', '.join(runtime.search.index.category_slugs)}"
        )
    if args.batch is not None:
        return _batch(runtime, args)
    result = _run_query(runtime, args, args.query)
    print(json.dumps(result_json(result), ensure_ascii=False) if args.json else result_text(result))
    return 0


def _run_query(runtime: Runtime, args: argparse.Namespace, query: str) -> SearchResult:
    return runtime.search.search(
        query,
        near=args.near,
        language=args.lang,
        limit=args.limit,
        open_now=args.open_now,
        category=args.category,
    )


def _batch(runtime: Runtime, args: argparse.Namespace) -> int:
    try:
        lines = args.batch.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {args.batch}: {exc}") from exc
    out = sys.stdout
    for line in lines:
        result = _run_query(runtime, args, line.strip())
        out.write(json.dumps(result_json(result), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _chat(settings: Settings, kind: str, user: str, as_json: bool) -> int:
    runtime = _open(settings)
    chat = ConsoleChat(
        Conversation(runtime.engine, runtime.search, settings), user, kind, sys.stdout
    )
    if sys.stdin.isatty() and not as_json:
        chat.run_interactive(sys.stdin)
    else:
        chat.run_lines(sys.stdin, as_json)
    return 0


def _serve(settings: Settings, host: str, port: int, workers: int, polling: bool = False) -> int:
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
    if polling:
        app = create_app(settings, polling=True)  # one process: Telegram allows one poller
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level=settings.log_level.lower(),
            access_log=False,
            timeout_graceful_shutdown=GRACEFUL_SECONDS,
        )
        return 0
    uvicorn.run(
        "bot.web.serve:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        access_log=False,
        proxy_headers=True,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
    return 0


def _prepare(settings: Settings) -> None:
    """The database and the directory in it, ready; each worker builds its own index."""
    engine = make_engine(settings.database_url, settings.secret_keys)
    try:
        problems = refresh_directory(engine, settings.directory, check_vocabulary)
    finally:
        engine.dispose()
    if problems:
        _print_problems(problems)
        print(
            "homeward: warning: newer directory files have problems; using the last good version",
            file=sys.stderr,
        )


def _worker(settings: Settings) -> int:
    runtime = open_runtime(settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        make_worker(runtime.engine, settings).run_forever(stop)
    except KeyboardInterrupt:
        stop.set()
    return 0


def _db(settings: Settings, action: str) -> int:
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
