"""Monthly counts that outlive the transcripts: searches per category and ZIP,
crisis texts per kind, handoffs, and their outcomes. No person, no words.

Counts are rolled up from rows just before those rows are deleted (by the
retention purge or by a texter's DELETE), so nothing is counted twice and the
hot path of a search writes nothing extra.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc
from bot.storage.models import HandoffRow, MessageRow, UsageCountRow

Key = tuple[str, str, str, str]  # month, metric, key, zip


def roll_up(
    session: Session,
    message_filter: Sequence[ColumnElement[bool]],
    handoff_filter: Sequence[ColumnElement[bool]],
) -> Counter[Key]:
    """Add the counts of the matching messages and handoffs to the monthly table."""
    counts: Counter[Key] = Counter()
    messages = session.execute(
        select(
            MessageRow.created_at,
            MessageRow.intent,
            MessageRow.category,
            MessageRow.zip_code,
            MessageRow.crisis,
        ).where(MessageRow.direction == "in", *message_filter)
    )
    for created_at, intent, category, zip_code, crisis in messages:
        month = as_utc(created_at).strftime("%Y-%m")
        if intent in ("search", "category"):
            counts[(month, "search", category or "", zip_code or "")] += 1
        if crisis:
            counts[(month, "crisis", crisis, "")] += 1
    handoffs = session.execute(
        select(HandoffRow.requested_at, HandoffRow.priority, HandoffRow.outcome).where(
            *handoff_filter
        )
    )
    for requested_at, priority, outcome in handoffs:
        month = as_utc(requested_at).strftime("%Y-%m")
        counts[(month, "handoff", "urgent" if priority else "normal", "")] += 1
        if outcome:
            counts[(month, "outcome", outcome, "")] += 1
    add_counts(session, counts)
    return counts


def add_counts(session: Session, counts: Counter[Key]) -> None:
    """Add to the monthly rows, creating the ones that are missing."""
    for (month, metric, key, zip_code), count in sorted(counts.items()):
        row = session.scalars(
            select(UsageCountRow)
            .where(
                UsageCountRow.month == month,
                UsageCountRow.metric == metric,
                UsageCountRow.key == key,
                UsageCountRow.zip_code == zip_code,
            )
            .with_for_update()
        ).first()
        if row is None:
            session.add(
                UsageCountRow(month=month, metric=metric, key=key, zip_code=zip_code, count=count)
            )
        else:
            row.count += count
    session.flush()
