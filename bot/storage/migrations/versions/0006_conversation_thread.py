"""The conversation's thread: a sealed record of where a texter's conversation stands.

One new column on ``contacts``: the need carried to a place, the needs still to
answer, the place's name and the texter's situation, sealed like the last
search. Existing rows get an empty thread (the conversation starts afresh).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("thread_sealed", sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("thread_sealed")
