"""The partner report's counts: kept as things happen, by channel, language and service.

- ``usage_counts`` gains ``category``, ``channel``, ``language`` and
  ``service_id`` (part of its unique key); metrics are listed in
  ``bot.storage.usage``.
- ``contacts.counted_month`` (the last month a texter was counted, so each is
  counted once a month, new then returning) and ``contacts.search_unmet``
  (whether their last search went unmet, so PERSON after it counts once).
- ``handoffs.first_reply_at``: a request's first navigator message (its wait
  is counted once).
- ``people.connected_at``: a person's first follow-up answered "I reached them".

Until now the purge rolled transcripts up into ``usage_counts`` just before
deleting them; from now on everything is counted as it happens. So the rows
still here are counted once, now, as the purge would have (searches, crisis
texts, requests, outcomes), with texts in and out, texters per month and the
care events beside them; ``counted_month``, ``first_reply_at`` and
``connected_at`` are set from them so nothing is counted again. Waits (first
replies, days since release), SMS segments and unmet searches start with this
version: the rows kept do not say enough to count them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 12:00:00
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections import Counter
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

KEY = ("month", "metric", "key", "category", "zip_code", "channel", "language", "service_id")
OLD_KEY = ("month", "metric", "key", "zip_code")
Count = Counter[tuple[str, ...]]


def upgrade() -> None:
    with op.batch_alter_table("usage_counts", schema=None) as batch_op:
        for name, length in (("category", 40), ("channel", 20), ("language", 8)):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )
        batch_op.add_column(
            sa.Column("service_id", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.drop_constraint("uq_usage_count", type_="unique")
        batch_op.create_unique_constraint("uq_usage_count", list(KEY))
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counted_month", sa.String(length=7), nullable=True))
        batch_op.add_column(
            sa.Column("search_unmet", sa.String(length=10), nullable=False, server_default="")
        )
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_reply_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("connected_at", sa.DateTime(timezone=True), nullable=True))
    _count_what_is_kept(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("connected_at")
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.drop_column("first_reply_at")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("search_unmet")
        batch_op.drop_column("counted_month")
    bind = op.get_bind()
    # Rows that differ only by the new columns are added together under the old key.
    merged: Count = Counter()
    old = sa.text("SELECT month, metric, key, zip_code, count FROM usage_counts")
    for row in bind.execute(old):
        merged[tuple(row[:4])] += int(row[4])
    bind.execute(sa.text("DELETE FROM usage_counts"))
    with op.batch_alter_table("usage_counts", schema=None) as batch_op:
        batch_op.drop_constraint("uq_usage_count", type_="unique")
        for name in ("service_id", "language", "channel", "category"):
            batch_op.drop_column(name)
        batch_op.create_unique_constraint("uq_usage_count", list(OLD_KEY))
    _insert(bind, merged, OLD_KEY)


def _count_what_is_kept(bind: sa.engine.Connection) -> None:
    """Count the rows still kept, as the purge would have before deleting them."""
    zone = _zone(bind)

    def month(value: Any) -> str:
        return _as_utc(value).astimezone(zone).strftime("%Y-%m")

    counts: Count = Counter()
    for row in bind.execute(sa.text("SELECT * FROM usage_counts")).mappings():
        counts[tuple(str(row[k] or "") for k in KEY)] += int(row["count"])
    contacts = {
        r.id: (r.channel, r.language)
        for r in bind.execute(sa.text("SELECT id, channel, language FROM contacts"))
    }
    texter_months: dict[int, set[str]] = {}
    messages = bind.execute(
        sa.text(
            "SELECT contact_id, created_at, direction, author, intent, category, zip_code, "
            "crisis FROM messages ORDER BY id"
        )
    )
    for m in messages:
        channel, language = contacts.get(m.contact_id, ("", ""))
        when = month(m.created_at)
        if m.direction == "out":
            counts[(when, "texts_out", m.author, "", "", channel, "", "")] += 1
            continue
        counts[(when, "texts_in", "", "", "", channel, language, "")] += 1
        texter_months.setdefault(m.contact_id, set()).add(when)
        if m.intent in ("search", "category"):
            counts[(when, "search", m.category or "", "", m.zip_code or "", "", "", "")] += 1
        if m.crisis:
            counts[(when, "crisis", m.crisis, "", "", "", "", "")] += 1
    for contact_id, months in texter_months.items():
        channel, language = contacts.get(contact_id, ("", ""))
        for n, when in enumerate(sorted(months)):
            status = "new" if n == 0 else "returning"
            counts[(when, "texters", status, "", "", channel, language, "")] += 1
        bind.execute(
            sa.text("UPDATE contacts SET counted_month = :m WHERE id = :id"),
            {"m": max(months), "id": contact_id},
        )
    _count_handoffs(bind, counts, month)
    for e in bind.execute(
        sa.text("SELECT at, event, kind, category, service_id, answer FROM care_events")
    ):
        key = e.answer if e.event == "follow_up_answered" else e.kind
        service = e.service_id or ""
        counts[(month(e.at), e.event, key or "", e.category or "", "", "", "", service)] += 1
    bind.execute(
        sa.text(
            "UPDATE people SET connected_at = (SELECT MIN(f.answered_at) FROM follow_ups f "
            "WHERE f.contact_id = people.contact_id AND f.answer = 'reached')"
        )
    )
    bind.execute(sa.text("DELETE FROM usage_counts"))
    _insert(bind, counts, KEY)


def _count_handoffs(bind: sa.engine.Connection, counts: Count, month: Any) -> None:
    """Requests and outcomes in the month of the request; each one's first reply marked."""
    handoffs = bind.execute(
        sa.text("SELECT id, contact_id, priority, crisis, requested_at, outcome FROM handoffs")
    ).all()
    for h in handoffs:
        when = month(h.requested_at)
        kind = "urgent" if h.priority else "check_in" if h.crisis == "concern" else "normal"
        counts[(when, "handoff", kind, "", "", "", "", "")] += 1
        if h.outcome:
            counts[(when, "outcome", h.outcome, "", "", "", "", "")] += 1
        first = bind.execute(
            sa.text(
                "SELECT MIN(created_at) FROM messages WHERE contact_id = :c "
                "AND author = 'navigator' AND created_at >= :at"
            ),
            {"c": h.contact_id, "at": h.requested_at},
        ).scalar()
        if first is not None:
            bind.execute(
                sa.text("UPDATE handoffs SET first_reply_at = :at WHERE id = :id"),
                {"at": first, "id": h.id},
            )


def _insert(bind: sa.engine.Connection, counts: Count, columns: tuple[str, ...]) -> None:
    table = sa.table("usage_counts", *(sa.column(c) for c in (*columns, "count")))
    rows = [{**dict(zip(columns, key, strict=True)), "count": n} for key, n in counts.items() if n]
    if rows:
        bind.execute(table.insert(), rows)


def _zone(bind: sa.engine.Connection) -> dt.tzinfo:
    """The loaded directory's time zone (the months are counted in it)."""
    info = bind.execute(sa.text("SELECT info FROM directory_state WHERE id = 1")).scalar()
    if isinstance(info, str):
        info = json.loads(info)
    name = (info or {}).get("timezone") if isinstance(info, dict) else None
    try:
        return zoneinfo.ZoneInfo(str(name or "UTC"))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _as_utc(value: Any) -> dt.datetime:
    stamp = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(stamp, dt.datetime)  # SQLite hands back text in raw SQL
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
