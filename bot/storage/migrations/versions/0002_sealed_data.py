"""Seal texters' numbers, chat ids and words; add the transcript and monthly counts.

Rows written in clear by revision 0001 are sealed here with the keys Homeward
passes in (HOMEWARD_SECRET_KEY, or the local key of the embedded default), and
the clear columns are dropped. There is no way down: it would write texters'
data back in clear.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:16:41.538441
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import context, op

from bot.storage.vault import Vault, open_vault

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "secrets",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "usage_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("zip_code", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month", "metric", "key", "zip_code", name="uq_usage_count"),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("author", sa.String(length=20), nullable=False),
        sa.Column("body_sealed", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=30), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("zip_code", sa.String(length=10), nullable=True),
        sa.Column("crisis", sa.String(length=20), nullable=True),
        sa.Column("shown", sa.JSON(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_messages_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_messages_created_at"), ["created_at"], unique=False)

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_hash", sa.String(length=64), nullable=True))
        for name in ("user_sealed", "location_sealed", "last_query_sealed"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("crisis", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=30), nullable=True))
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("replies_sealed", sa.Text(), nullable=False, server_default="")
        )

    _seal_existing_rows()

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.alter_column("user_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint("uq_contact_channel_user", type_="unique")
        batch_op.create_unique_constraint("uq_contact_channel_user", ["channel", "user_hash"])
        for name in ("last_query", "latitude", "longitude", "user_id"):
            batch_op.drop_column(name)
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_column("replies")


def _seal_existing_rows() -> None:
    """Seal what 0001 kept in clear; a database with no texters skips the work."""
    bind = op.get_bind()
    contacts = bind.execute(
        sa.text("SELECT id, channel, user_id, latitude, longitude, last_query FROM contacts")
    ).all()
    pending = bind.execute(sa.text("SELECT id, body FROM pending_messages")).all()
    outbox = bind.execute(sa.text("SELECT id, body FROM outbox")).all()
    inbound = bind.execute(sa.text("SELECT id, replies FROM inbound_messages")).all()
    if not (contacts or pending or outbox or inbound):
        return
    keys = context.config.attributes.get("secret_keys") or ()
    if not keys:
        raise RuntimeError("revision 0002 seals existing rows and needs HOMEWARD_SECRET_KEY")
    vault: Vault = open_vault(bind, keys)
    for row in contacts:
        point = [row.latitude, row.longitude] if row.latitude is not None else None
        bind.execute(
            sa.text(
                "UPDATE contacts SET user_hash = :h, user_sealed = :u, location_sealed = :l, "
                "last_query_sealed = :q WHERE id = :id"
            ),
            {
                "h": vault.lookup(row.channel, row.user_id),
                "u": vault.seal(row.user_id),
                "l": vault.seal_json(point) if point else "",
                "q": vault.seal(row.last_query or ""),
                "id": row.id,
            },
        )
    for table, rows in (("pending_messages", pending), ("outbox", outbox)):
        for row in rows:
            bind.execute(
                sa.text(f"UPDATE {table} SET body = :b WHERE id = :id"),
                {"b": vault.seal(row.body), "id": row.id},
            )
    for row in inbound:
        replies = row.replies if isinstance(row.replies, list) else json.loads(row.replies or "[]")
        bind.execute(
            sa.text("UPDATE inbound_messages SET replies_sealed = :r WHERE id = :id"),
            {"r": vault.seal_json(replies), "id": row.id},
        )


def downgrade() -> None:
    raise NotImplementedError("revision 0002 cannot be undone: it would unseal the texters' data")
