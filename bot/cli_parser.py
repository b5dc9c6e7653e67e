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
    reader = dsub.add_parser(
        "train-reader", help="fit the search's learned reader on its corpus, print figures"
    )
    reader.add_argument(
        "dir", nargs="?", type=Path, help="directory folder (default: HOMEWARD_DIRECTORY)"
    )
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
    worker = sub.add_parser(
        "worker", help="send reminders, follow-ups and the outbox (also runs inside serve)"
    )
    worker.add_argument(
        "--once", action="store_true", help="do what is due, then exit (instead of running on)"
    )
    worker.add_argument(
        "--now", help="with --once: do what is due as of this local time (YYYY-MM-DDTHH:MM)"
    )
    database = sub.add_parser("db", help="database schema: upgrade, current")
    database.add_argument("action", choices=("upgrade", "current"))
    sub.add_parser("run", help="the main job: for now, the terminal chat")
    _privacy_commands(sub)
    _navigator_commands(sub)
    _safety_commands(sub)
    _people_commands(sub)
    _report_command(sub)
    return parser


def _report_command(sub: Subcommands) -> None:
    """``homeward report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json | --csv]``."""
    parser = sub.add_parser(
        "report", help="the partner report: needs, gaps, connections, waits (docs/report.md)"
    )
    parser.add_argument(
        "--from", dest="start", help="first day, YYYY-MM-DD (default: 11 months before --to)"
    )
    parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: today)")
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print one JSON object")
    shape.add_argument("--csv", action="store_true", help="print CSV: month, measure, value")


def _safety_commands(sub: Subcommands) -> None:
    """``homeward safety train|check``."""
    parser = sub.add_parser("safety", help="crisis detection: retrain the model, check a text")
    actions = parser.add_subparsers(dest="action", required=True)
    train = actions.add_parser("train", help="fit the crisis model on the corpus, print figures")
    train.add_argument(
        "dir", nargs="?", type=Path, help="directory folder (default: HOMEWARD_DIRECTORY)"
    )
    check = actions.add_parser("check", help="the kind, level and score of one text")
    check.add_argument("text", help="a text as a texter would send it")
    check.add_argument("--dir", type=Path, help="directory folder (default: HOMEWARD_DIRECTORY)")
    check.add_argument("--json", action="store_true", help="print one JSON object")


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
    """``homeward navigator add|list|disable|enable|totp``."""
    parser = sub.add_parser("navigator", help="navigators' console accounts: add, list, disable")
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="make an account (navigator, admin or partner)")
    add.add_argument("email")
    add.add_argument("--admin", action="store_true", help="may read the audit log, assign")
    add.add_argument(
        "--role",
        choices=("navigator", "admin", "partner"),
        default="",
        help="partner: sees the partner report only (default navigator; --admin is admin)",
    )
    add.add_argument("--name", default="", help="name texters see in saved replies")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    listing = actions.add_parser("list", help="every account, with role and state")
    listing.add_argument("--json", action="store_true", help="print JSON")
    for name, text in (
        ("disable", "stop an account from signing in (ends its sessions)"),
        ("enable", "let a disabled account sign in again (clears its sign-in waits)"),
    ):
        actions.add_parser(name, help=text).add_argument("email")
    totp = actions.add_parser("totp", help="give an account a TOTP second factor (prints it once)")
    totp.add_argument("email")
    totp.add_argument("--off", action="store_true", help="remove the second factor")


def _people_commands(sub: Subcommands) -> None:
    """``homeward people enrol|import|appointment|show``: continuity of care (docs/care.md)."""
    parser = sub.add_parser("people", help="people enrolled before release: plans, appointments")
    actions = parser.add_subparsers(dest="action", required=True)
    enrol = actions.add_parser("enrol", help="enrol a person; prints their link code")
    enrol.add_argument("--first-name", required=True, help="first name, as the person uses it")
    enrol.add_argument("--release-date", required=True, help="YYYY-MM-DD")
    enrol.add_argument("--facility", default="", help="where they are now")
    enrol.add_argument("--zip", default="", help="the ZIP they will go to")
    enrol.add_argument("--language", default="en", choices=("en", "es"), help="en or es")
    enrol.add_argument("--needs", default="", help="categories, comma-separated: housing,jobs")
    enrol.add_argument(
        "--consent", required=True, help="what they agreed to: texts,reminders,supporter (or all)"
    )
    enrol.add_argument("--consent-note", default="", help="how consent was given (optional)")
    enrol.add_argument("--supporter", default="", help="a family member's phone number")
    enrol.add_argument("--navigator", default="", help="the navigator's account email (optional)")
    enrol.add_argument("--json", action="store_true", help="print one JSON object")
    roster = actions.add_parser("import", help="enrol every row of a release list (CSV)")
    roster.add_argument("roster", type=Path, help="CSV file with a header row (docs/care.md)")
    roster.add_argument("--json", action="store_true", help="print JSON")
    appointment = actions.add_parser("appointment", help="add an appointment and its reminders")
    appointment.add_argument("person", type=int, help="the person's id")
    appointment.add_argument(
        "--kind",
        required=True,
        choices=("probation", "parole", "court", "service", "benefits", "other"),
    )
    appointment.add_argument("--at", required=True, help="local date and time: YYYY-MM-DDTHH:MM")
    appointment.add_argument("--where", required=True, help="the place, with its ZIP if known")
    appointment.add_argument("--what", default="", help="what it is about (optional)")
    appointment.add_argument("--json", action="store_true", help="print one JSON object")
    show = actions.add_parser("show", help="a person's plan, link, timeline and follow-ups")
    show.add_argument("person", type=int, help="the person's id")
    show.add_argument("--json", action="store_true", help="print one JSON object")
