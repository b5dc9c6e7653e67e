"""`homeward report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json | --csv]`.

Prints the partner report (docs/report.md) of the whole months from --from's
to --to's; every export is written to the audit log as "(command line)".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from bot.cli_common import UsageError
from bot.directory.sync import read_loaded
from bot.reports.export import to_csv, to_text
from bot.reports.read import read_report, today
from bot.reports.report import PeriodError, span
from bot.settings import Settings
from bot.storage.db import make_engine, session_scope


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the report in the shape asked for."""
    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    engine = make_engine(settings.database_url, settings.secret_keys)
    try:
        loaded = read_loaded(engine)
        if loaded is None:
            raise UsageError("no directory is loaded: run `homeward directory load` first")
        action = "report_json" if args.json else "report_csv" if args.csv else "report_text"
        with session_scope(engine) as session:
            try:
                period = span(start, end, today(session))
            except PeriodError as exc:
                raise UsageError(str(exc)) from None
            report = read_report(
                session,
                loaded.directory,
                period,
                edit_url=settings.directory_edit_url,
                actor=None,
                action=action,
            )
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif args.csv:
        print(to_csv(report), end="")
    else:
        print(to_text(report))
    return 0


def _day(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} must be a date YYYY-MM-DD, not {value!r}") from None
