"""Continuity of care: people, appointments, scheduled messages, follow-ups, link attempts,
countable care events; WhatsApp templates on outbox messages.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("code_sealed", sa.Text(), nullable=False),
        sa.Column("first_name_sealed", sa.Text(), nullable=False),
        sa.Column("release_date_sealed", sa.Text(), nullable=False),
        sa.Column("facility_sealed", sa.Text(), nullable=False),
        sa.Column("zip_sealed", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("consent_texts", sa.Boolean(), nullable=False),
        sa.Column("consent_reminders", sa.Boolean(), nullable=False),
        sa.Column("consent_supporter", sa.Boolean(), nullable=False),
        sa.Column("consent_by", sa.String(length=254), nullable=False),
        _when("consent_at"),
        sa.Column("consent_note_sealed", sa.Text(), nullable=False),
        sa.Column("supporter_contact_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("navigator_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        _when("enrolled_at"),
        _when("linked_at", True),
        _when("first_text_at", True),
        sa.ForeignKeyConstraint(
            ["supporter_contact_id"],
            ["contacts.id"],
            name="fk_people_supporter",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_people_contact", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["navigator_id"], ["navigators.id"], name="fk_people_navigator", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_enrolled_at"), ["enrolled_at"], unique=False)

    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        _when("at"),
        sa.Column("where_sealed", sa.Text(), nullable=False),
        sa.Column("what_sealed", sa.Text(), nullable=False),
        _when("created_at"),
        sa.Column("navigator_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["navigator_id"],
            ["navigators.id"],
            name="fk_appointments_navigator",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointments_person_id"), ["person_id"], unique=False)

    op.create_table(
        "scheduled_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("days_before", sa.Integer(), nullable=True),
        _when("planned_at"),
        _when("due_at"),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("body_sealed", sa.Text(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("sent_to", sa.Integer(), nullable=True),
        _when("sent_at", True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        _when("created_at"),
        sa.Column("navigator_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["navigator_id"], ["navigators.id"], name="fk_scheduled_navigator", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("scheduled_messages", schema=None) as batch_op:
        for column in ("person_id", "contact_id", "appointment_id", "due_at", "status"):
            batch_op.create_index(
                batch_op.f(f"ix_scheduled_messages_{column}"), [column], unique=False
            )

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("given_by", sa.String(length=20), nullable=False),
        _when("given_at"),
        _when("due_at"),
        sa.Column("status", sa.String(length=20), nullable=False),
        _when("asked_at", True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(length=20), nullable=True),
        _when("answered_at", True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        for column in ("contact_id", "due_at", "status"):
            batch_op.create_index(batch_op.f(f"ix_follow_ups_{column}"), [column], unique=False)

    op.create_table(
        "link_attempts",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id"),
    )
    op.create_table(
        "care_events",
        sa.Column("id", sa.Integer(), nullable=False),
        _when("at"),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("service_id", sa.String(length=200), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("care_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_care_events_at"), ["at"], unique=False)

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("template_sid", sa.String(length=40), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("template_sid")
    for table in (
        "care_events",
        "link_attempts",
        "follow_ups",
        "scheduled_messages",
        "appointments",
        "people",
    ):
        op.drop_table(table)
