"""Texters' corrections: WRONG reports per service, and the service a texter last saw in full.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=200), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note_sealed", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("service_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_reports_service_id"), ["service_id"])
        batch_op.create_index(batch_op.f("ix_service_reports_contact_id"), ["contact_id"])
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("detail_service", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("detail_service")
    with op.batch_alter_table("service_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_reports_contact_id"))
        batch_op.drop_index(batch_op.f("ix_service_reports_service_id"))
    op.drop_table("service_reports")
