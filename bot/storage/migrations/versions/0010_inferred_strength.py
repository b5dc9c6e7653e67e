"""How plainly a guessed service's words name its categories: ``services.inferred_strength``.

Categories guessed from a service's words at import (``import-hsds`` on a
directory without a usable taxonomy) carry a strength, 0..1, in their
``inferred`` mark; search ranks a weak guess below sure entries of the same
category. NULL is a curated or taxonomy category, as sure as they get. The
rows already here get NULL: the database does not know which categories were
guessed, so they rank as before until the directory is loaded again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inferred_strength", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_column("inferred_strength")
