"""Tables of continuity of care: people and their plans, appointments, scheduled messages,
follow-ups, wrong link codes, and countable events.

Personal fields (name, release date, facility, ZIP, supporter's number, where
an appointment is, a navigator's scheduled words) are sealed by the vault like
texts. What partner reports count is kept beside them in clear and without a
person: ``care_events`` rows outlive erasure and the purge.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base


class PersonRow(Base):
    """A person enrolled before release, with their plan and consent.

    ``code_hash`` (a keyed hash of the link code) finds the plan when the code
    is texted; ``code_sealed`` lets the console print it again on the letter.
    ``contact_id`` is the number linked by the code (moved by a later code).
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_sealed: Mapped[str] = mapped_column(Text, default="")
    first_name_sealed: Mapped[str] = mapped_column(Text, default="")
    release_date_sealed: Mapped[str] = mapped_column(Text, default="")
    facility_sealed: Mapped[str] = mapped_column(Text, default="")
    zip_sealed: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    needs: Mapped[list[Any]] = mapped_column(default=list)  # category slugs, in order
    consent_texts: Mapped[bool] = mapped_column(default=False)
    consent_reminders: Mapped[bool] = mapped_column(default=False)
    consent_supporter: Mapped[bool] = mapped_column(default=False)
    consent_by: Mapped[str] = mapped_column(String(254), default="")  # who recorded it
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    consent_note_sealed: Mapped[str] = mapped_column(Text, default="")
    supporter_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL", name="fk_people_supporter")
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL", name="fk_people_contact"), index=True
    )
    navigator_id: Mapped[int | None] = mapped_column(
        ForeignKey("navigators.id", ondelete="SET NULL", name="fk_people_navigator")
    )
    source: Mapped[str] = mapped_column(String(20), default="console")  # console, cli, roster
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    linked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    first_text_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The first follow-up answered "I reached them": the first confirmed connection.
    connected_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AppointmentRow(Base):
    """One appointment on a person's timeline (``where`` and ``what`` sealed)."""

    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    where_sealed: Mapped[str] = mapped_column(Text, default="")
    what_sealed: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    navigator_id: Mapped[int | None] = mapped_column(
        ForeignKey("navigators.id", ondelete="SET NULL", name="fk_appointments_navigator")
    )


class ScheduledRow(Base):
    """A message to send at a time: a reminder, or a navigator's message for later.

    States: pending -> queued (its outbox message made, in the same
    transaction: that is what makes it exactly once) or skipped (opted out, no
    consent, too late). Waiting (quiet hours, no linked number, WhatsApp's
    window) moves ``due_at`` and keeps it pending, with the reason in ``detail``.
    """

    __tablename__ = "scheduled_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # reminder, message
    audience: Mapped[str] = mapped_column(String(20), default="person")  # person, supporter
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )
    days_before: Mapped[int | None] = mapped_column(Integer)
    planned_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    body_sealed: Mapped[str] = mapped_column(Text, default="")
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    sent_to: Mapped[int | None] = mapped_column(Integer)  # the contact it went to
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    navigator_id: Mapped[int | None] = mapped_column(
        ForeignKey("navigators.id", ondelete="SET NULL", name="fk_scheduled_navigator")
    )


class FollowUpRow(Base):
    """ "Did you reach NAME?", asked a few days after a service's details were given.

    States: pending -> asked -> answered, or skipped. ``answer`` is one of
    reached, no_answer, turned_away, record.
    """

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), default="")
    given_by: Mapped[str] = mapped_column(String(20), default="bot")  # bot, navigator
    given_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    asked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    answer: Mapped[str | None] = mapped_column(String(20))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    detail: Mapped[str] = mapped_column(String(200), default="")


class LinkAttemptRow(Base):
    """Wrong link codes from one sender on one local day (5 allowed)."""

    __tablename__ = "link_attempts"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[str] = mapped_column(String(10))
    failures: Mapped[int] = mapped_column(Integer, default=0)


class CareEventRow(Base):
    """One countable event for partner reports: no person, no words.

    ``event``: enrolled, linked, first_text, reminder_sent, reminder_answered,
    follow_up_asked, follow_up_answered. ``kind`` is the appointment kind or
    the one-word reply; ``answer`` a follow-up's answer.
    """

    __tablename__ = "care_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    event: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(40), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    service_id: Mapped[str] = mapped_column(String(200), default="")
    answer: Mapped[str] = mapped_column(String(20), default="")
