"""The ``homeward`` command line: every subcommand and option, and nothing else.

Kept apart from what the commands do, and free of heavy imports, so that
``homeward --help`` and a wrong option answer at once (bot/cli.py imports a
command's code only when that command runs).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


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
    review = dsub.add_parser(
        "review", help="services whose categories were guessed at import, least sure first"
    )
    review.add_argument(
        "dir", nargs="?", type=Path, help="directory folder (default: HOMEWARD_DIRECTORY)"
    )
    review.add_argument("--limit", type=int, default=20, help="how many to list (default 20)")
    review.add_argument("--json", action="store_true", help="print one JSON object")
    verify = dsub.add_parser(
        "verify-requests",
        help="entries due for a check by their provider, with the message to send",
    )
    verify.add_argument(
        "dir", nargs="?", type=Path, help="directory folder (default: HOMEWARD_DIRECTORY)"
    )
    verify.add_argument(
        "--days", type=int, default=180, help="due when last verified longer ago (default 180)"
    )
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.add_argument(
        "--checked", metavar="SERVICE_ID", help="record the provider's answer: the entry is right"
    )
    verify.add_argument("--on", help="the day it was checked, YYYY-MM-DD (default today)")
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
    _privacy_commands(sub)
    _navigator_commands(sub)
    return parser


def _privacy_commands(sub: Subcommands) -> None:
    """``homeward keys new|rotate`` and ``homeward purge``."""
    keys = sub.add_parser("keys", help="encryption keys: make one, rotate to a new one")
    keys.add_argument("action", choices=("new", "rotate"))
    cleanup = sub.add_parser(
        "purge", help="delete transcripts older than the retention period, keep counts"
    )
    cleanup.add_argument(
        "--days", type=int, help="retention in days (default: HOMEWARD_RETENTION_DAYS)"
    )
    cleanup.add_argument("--json", action="store_true", help="print one JSON object")


def _navigator_commands(sub: Subcommands) -> None:
    """``homeward navigator add|list|disable|enable``."""
    parser = sub.add_parser("navigator", help="navigators' console accounts: add, list, disable")
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="make an account (role navigator, or admin)")
    add.add_argument("email")
    add.add_argument("--admin", action="store_true", help="may read the audit log, assign")
    add.add_argument("--name", default="", help="name texters see in saved replies")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    listing = actions.add_parser("list", help="every account, with role and state")
    listing.add_argument("--json", action="store_true", help="print JSON")
    for name, text in (
        ("disable", "stop an account from signing in (ends its sessions)"),
        ("enable", "let a disabled or locked-out account sign in again"),
    ):
        actions.add_parser(name, help=text).add_argument("email")
