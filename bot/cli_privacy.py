"""`homeward keys new|rotate` and `homeward purge`: the data-protection commands."""

from __future__ import annotations

import argparse
import json

from bot.settings import Settings
from bot.storage.db import make_engine
from bot.storage.retention import purge
from bot.storage.rotation import rotate_keys
from bot.storage.vault import new_key


class PrivacyUsageError(Exception):
    """A wrong use of a data-protection command (reported as one line)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommands to the ``homeward`` parser."""
    keys = sub.add_parser("keys", help="encryption keys: make one, rotate to a new one")
    keys.add_argument("action", choices=("new", "rotate"))
    cleanup = sub.add_parser(
        "purge", help="delete transcripts older than the retention period, keep counts"
    )
    cleanup.add_argument(
        "--days", type=int, help="retention in days (default: HOMEWARD_RETENTION_DAYS)"
    )
    cleanup.add_argument("--json", action="store_true", help="print one JSON object")


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``keys`` or ``purge``."""
    if args.command == "keys":
        if args.action == "new":
            print(new_key())
            return 0
        if len(settings.secret_keys) < 2:
            raise PrivacyUsageError(
                'set HOMEWARD_SECRET_KEY="NEW,OLD" (a new key from `homeward keys new`, '
                "then the one in use) before rotating"
            )
        done = rotate_keys(make_engine(settings.database_url, settings.secret_keys))
        for column, count in done.items():
            print(f"{column}: {count} sealed again")
        print("Done. The old key can now be removed from HOMEWARD_SECRET_KEY.")
        return 0
    days = settings.retention_days if args.days is None else args.days
    if days < 1:
        raise PrivacyUsageError("--days must be 1 or more")
    report = purge(make_engine(settings.database_url, settings.secret_keys), days)
    if args.json:
        print(json.dumps({"retention_days": days, **report.as_dict()}))
    else:
        print(
            f"Purged what is older than {days} days: {report.messages} messages, "
            f"{report.notes} notes, {report.handoffs} handoffs, {report.contacts} texters, "
            f"{report.outbox} sent messages, {report.pending} held messages, "
            f"{report.inbound} webhook records "
            f"({report.counted} kept as monthly counts)."
        )
    return 0
