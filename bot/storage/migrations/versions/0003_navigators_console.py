"""The navigators' console: accounts, sessions, audit log, notes; handoff claims and alerts.

New columns on existing tables get server defaults so rows already there stay
valid; handoffs already open are marked as alerted, so starting the new
version does not post an alert for each old request.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:36:21.901140
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "navigators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("navigator_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["navigator_id"], ["navigators.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("navigator_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["navigator_id"], ["navigators.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_console_sessions_navigator_id"), ["navigator_id"], unique=False
        )

    op.create_table(
        "navigator_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("navigator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body_sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["navigator_id"], ["navigators.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("navigator_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_navigator_notes_contact_id"), ["contact_id"], unique=False
        )

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("first_name_sealed", sa.Text(), nullable=False, server_default="")
        )

    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned_to", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("acknowledged", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("alerted_urgent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_foreign_key(
            "fk_handoffs_assigned_to", "navigators", ["assigned_to"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            "fk_handoffs_closed_by", "navigators", ["closed_by"], ["id"], ondelete="SET NULL"
        )
    handoffs = sa.table(
        "handoffs",
        sa.column("requested_at", sa.DateTime(timezone=True)),
        sa.column("alerted_at", sa.DateTime(timezone=True)),
        sa.column("alerted_urgent", sa.Boolean()),
    )
    op.execute(
        handoffs.update().values(alerted_at=handoffs.c.requested_at, alerted_urgent=sa.true())
    )

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("navigator_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_messages_navigator_id", "navigators", ["navigator_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint("fk_messages_navigator_id", type_="foreignkey")
        batch_op.drop_column("navigator_id")

    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.drop_constraint("fk_handoffs_closed_by", type_="foreignkey")
        batch_op.drop_constraint("fk_handoffs_assigned_to", type_="foreignkey")
        batch_op.drop_column("alerted_urgent")
        batch_op.drop_column("alerted_at")
        batch_op.drop_column("acknowledged")
        batch_op.drop_column("closed_by")
        batch_op.drop_column("assigned_to")

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("first_name_sealed")

    op.drop_table("navigator_notes")
    op.drop_table("console_sessions")
    op.drop_table("audit_log")
    op.drop_table("navigators")
