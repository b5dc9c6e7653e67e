"""`homeward keys new|rotate` and `homeward purge`: the data-protection commands."""

from __future__ import annotations

import argparse
import json

from bot.cli_common import UsageError
from bot.settings import Settings
from bot.storage.db import make_engine
from bot.storage.retention import purge
from bot.storage.rotation import rotate_keys
from bot.storage.vault import new_key


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``keys`` or ``purge``."""
    if args.command == "keys":
        if args.action == "new":
            print(new_key())
            return 0
        if len(settings.secret_keys) < 2:
            raise UsageError(
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
        raise UsageError("--days must be 1 or more")
    engine = make_engine(settings.database_url, settings.secret_keys)
    report = purge(engine, days, message_id_days=settings.message_id_retention_days)
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
