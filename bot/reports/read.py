"""Read one report from the database: the months' counts, the directory, the audit entry.

The CLI and the console call this; both log the view or export in the audit
log in the same transaction that reads the counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from bot.directory.model import Directory
from bot.reports.report import Span, build_report
from bot.storage.audit import Actor, audit
from bot.storage.contacts import now
from bot.storage.usage import counts_between, local_date


def today(session: Session) -> dt.date:
    """Today in the directory's time zone (months are counted in it)."""
    return local_date(session, now())


def read_report(
    session: Session,
    directory: Directory,
    period: Span,
    *,
    edit_url: str,
    actor: Actor | None,
    action: str,
) -> dict[str, Any]:
    """The report of ``period``, with an audit entry ``action`` (who, which months, no
    figure)."""
    counts = counts_between(session, period.months[0], period.months[-1])
    report = build_report(counts, period, directory, today=today(session), edit_url=edit_url)
    detail = f"{report['from']}..{report['to']}"
    audit(session, actor, action, detail=detail, actor="" if actor else "(command line)")
    return report
