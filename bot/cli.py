"""The ``homeward`` command: directory tools, search, chat, the server and its helpers.

Every command reads the one settings object first; a bad setting or a missing
file ends with one plain line (``homeward: ...``) and exit status 2, never a
traceback. ``homeward directory validate`` exits 1 when the files have problems.

A command's code is imported only when that command runs (``--help`` needs
none of it; ``search`` needs no web server, SDK or HSDS reader), so a command
answers without first paying for everything the others use.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from bot.cli_common import UsageError, print_problems
from bot.cli_parser import build_parser
from bot.directory.problems import DirectoryUnavailable
from bot.settings import Settings, SettingsError


def command() -> int:
    """Entry point of the ``homeward`` console script: ``main`` in a process of its own.

    Two garbage-collector settings that only a short-lived process may use.
    While the command's modules are imported the collector is off: imports
    make hundreds of thousands of objects and no garbage, and its passes over
    them cost about 20 ms of `homeward search`. At exit the objects still held
    are frozen, so the interpreter's last collection skips them: that pass
    cost another 80 ms (130,000 objects: modules, the vocabulary, the
    directory) for memory the process is about to give back. Finalizers and
    atexit handlers still run. Tests call ``main`` and keep the defaults.
    """
    gc.disable()
    try:
        return main()
    finally:
        gc.enable()
        gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``homeward`` command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        settings.configure_logging()
        return _dispatch(args, settings)
    except (SettingsError, UsageError) as exc:
        print(f"homeward: {exc}", file=sys.stderr)
        return 2
    except DirectoryUnavailable as exc:
        print_problems(exc.problems)
        print("homeward: the directory cannot be loaded; fix the problems above", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if not _is_database_failure(exc):
            raise
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(
            f"homeward: cannot use the database in HOMEWARD_DATABASE_URL: {reason}", file=sys.stderr
        )
        return 2


def _is_database_failure(exc: Exception) -> bool:
    """Whether the database (or its driver) failed, so the user gets one plain line.

    An exception's class is always loaded when the exception exists, so the
    classes are looked up among the modules already imported: a command that
    never touched the database does not import SQLAlchemy just to compare.
    """
    if isinstance(exc, ModuleNotFoundError):  # e.g. no PostgreSQL driver installed
        return True
    for module, name in (
        ("sqlalchemy.exc", "SQLAlchemyError"),
        ("bot.storage.db", "DatabaseUnavailable"),
    ):
        kind = getattr(sys.modules.get(module), name, None)
        if isinstance(kind, type) and isinstance(exc, kind):
            return True
    return False


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    # Each branch imports its command's module here, when that command runs;
    # ``command`` kept the collector off until now, for the imports.
    _import_command_modules(args.command)
    gc.enable()
    if args.command == "directory":
        from bot import cli_directory

        return cli_directory.run(args, settings)
    if args.command == "search":
        from bot import cli_search

        return cli_search.search(args, settings)
    if args.command in ("chat", "run"):
        from bot import cli_search

        if args.command == "run":  # the main job: for now, the terminal chat
            return cli_search.chat(settings, "sms", "console", False)
        return cli_search.chat(settings, args.channel, args.user, args.json)
    if args.command in ("serve", "worker", "db"):
        from bot import cli_serve

        if args.command == "worker":
            return cli_serve.worker(settings, args.once, args.now)
        if args.command == "db":
            return cli_serve.database(settings, args.action)
        return cli_serve.serve(settings, args.host, args.port, args.workers, args.telegram_polling)
    if args.command == "telegram":
        return _telegram(args.action, settings)
    if args.command == "safety":
        from bot import cli_safety

        return cli_safety.run(args, settings)
    if args.command in ("keys", "purge"):
        from bot import cli_privacy

        return cli_privacy.dispatch(args, settings)
    if args.command == "report":
        from bot import cli_report

        return cli_report.run(args, settings)
    if args.command == "people":
        from bot import cli_care

        return cli_care.dispatch(args, settings)
    from bot import cli_navigator

    return cli_navigator.dispatch(args, settings)


def _import_command_modules(name: str) -> None:
    """Import what the command ``name`` runs, before the collector comes back on."""
    modules = {
        "directory": ("bot.cli_directory",),
        "search": ("bot.cli_search",),
        "chat": ("bot.cli_search", "bot.channels.console", "bot.conversation.core"),
        "run": ("bot.cli_search", "bot.channels.console", "bot.conversation.core"),
    }
    for module in modules.get(name, ()):
        importlib.import_module(module)


def _telegram(action: str, settings: Settings) -> int:
    if settings.telegram is None:
        raise UsageError("TELEGRAM_BOT_TOKEN is not set")
    if action == "poll":
        from bot import cli_serve

        return cli_serve.serve(settings, "127.0.0.1", 8000, 1, polling=True)
    from bot import cli_telegram

    return cli_telegram.webhook(settings, action)
