"""Security review fixes: claims, audited reads, sign-in limits, TOTP, rate limits per person.

- ``audit_log.session_id``: live refreshes are audited once per navigator,
  conversation and console session; an index on ``navigator_id`` for the
  admin's filter.
- ``navigators.totp_sealed`` and ``totp_last_step``: the optional second factor
  (sealed like texters' data) and the last code used, so a code works once.
  The account lock-out columns go: sign-in limits live in ``login_throttle``.
- ``console_notices``: "Ana took over request 12 from you".
- ``rate_windows``: message counts per person (one E.164 number on SMS and
  WhatsApp counts once), moved off ``contacts``.
- ``outbox.unsure``: the last try ended without Twilio's answer; look the
  message up before sending it again.
- ``inbound_messages.external_id`` holds a SHA-256 of the platform's id from
  now on; ids already there are hashed here so a retry still matches.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 11:30:00
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_RATE_COLUMNS = ("minute_start", "minute_count", "day_start", "day_count", "limit_notice_sent")


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_audit_log_navigator_id"), ["navigator_id"], unique=False
        )

    with op.batch_alter_table("navigators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_sealed", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("locked_until")

    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "console_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("navigator_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=100), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["navigator_id"], ["navigators.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("console_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_console_notices_navigator_id"), ["navigator_id"], unique=False
        )
    op.create_table(
        "rate_windows",
        sa.Column("person", sa.String(length=80), nullable=False),
        sa.Column("minute_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minute_count", sa.Integer(), nullable=False),
        sa.Column("day_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("day_count", sa.Integer(), nullable=False),
        sa.Column("notice_sent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("person"),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        for column in _RATE_COLUMNS:
            batch_op.drop_column(column)

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unsure", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    inbound = sa.table("inbound_messages", sa.column("id", sa.Integer()), sa.column("external_id"))
    connection = op.get_bind()
    for ident, external in connection.execute(sa.select(inbound.c.id, inbound.c.external_id)):
        digest = hashlib.sha256(str(external).encode()).hexdigest()
        connection.execute(inbound.update().where(inbound.c.id == ident).values(external_id=digest))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("unsure")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("limit_notice_sent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("day_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("day_start", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("minute_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("minute_start", sa.DateTime(timezone=True), nullable=True))
    op.drop_table("rate_windows")
    op.drop_table("console_notices")
    op.drop_table("login_throttle")
    with op.batch_alter_table("navigators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_sealed")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_navigator_id"))
        batch_op.drop_column("session_id")
