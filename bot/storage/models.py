"""SQLAlchemy models for the directory copy that every worker reads.

The YAML files are the source of truth; the database holds the loaded copy so
that several processes share one version and ``load`` is one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every Homeward table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class DirectoryState(Base):
    """Which directory is loaded: one row, bumped on every load."""

    __tablename__ = "directory_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    categories: Mapped[list[Any]] = mapped_column(default=list)


class OrganizationRow(Base):
    """An organization."""

    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    description_es: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")
    fictional: Mapped[bool] = mapped_column(default=False)
    phones: Mapped[list[Any]] = mapped_column(default=list)
    source_file: Mapped[str] = mapped_column(Text, default="")


class LocationRow(Base):
    """A place where services are delivered."""

    __tablename__ = "locations"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    address_1: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(Text, default="")
    state_province: Mapped[str] = mapped_column(String(50), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="", index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class ServiceRow(Base):
    """A service, with its lists kept as JSON (they are read whole, never queried)."""

    __tablename__ = "services"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    description_es: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")
    phones: Mapped[list[Any]] = mapped_column(default=list)
    location_ids: Mapped[list[Any]] = mapped_column(default=list)
    schedules: Mapped[list[Any]] = mapped_column(default=list)
    texts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    accepts_records: Mapped[str] = mapped_column(String(20), default="unknown")
    serves: Mapped[list[Any]] = mapped_column(default=list)
    what_to_bring: Mapped[list[Any]] = mapped_column(default=list)
    what_to_bring_es: Mapped[list[Any]] = mapped_column(default=list)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    service_area: Mapped[str] = mapped_column(String(20), default="local")
    assured_date: Mapped[dt.date | None] = mapped_column(Date)


class ServiceCategoryRow(Base):
    """A service's category, as rows so counts per category are plain SQL."""

    __tablename__ = "service_categories"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ContactRow(Base):
    """One texter on one channel, and where their conversation stands.

    Everything the core needs between messages lives here, never in a
    process's memory, so any worker can take the next message.
    """

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("channel", "user_id", name="uq_contact_channel_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="en")
    zip_code: Mapped[str | None] = mapped_column(String(10))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    last_query: Mapped[str] = mapped_column(Text, default="")
    last_category: Mapped[str | None] = mapped_column(String(40))
    last_results: Mapped[list[Any]] = mapped_column(default=list)
    page: Mapped[int] = mapped_column(Integer, default=0)
    awaiting: Mapped[str] = mapped_column(String(20), default="")
    asked_zip: Mapped[bool] = mapped_column(default=False)
    opted_out: Mapped[bool] = mapped_column(default=False)
    handoff_open: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Per-sender limits: counters in the row, so every worker sees the same ones.
    minute_start: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    minute_count: Mapped[int] = mapped_column(Integer, default=0)
    day_start: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    day_count: Mapped[int] = mapped_column(Integer, default=0)
    limit_notice_sent: Mapped[bool] = mapped_column(default=False)


class HandoffRow(Base):
    """A texter's request to talk to a person (the navigator queue reads these)."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="open")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PendingMessageRow(Base):
    """A message for a texter that was not an answer to their text (navigator replies).

    The console channel shows these at the start of the next ``homeward chat``.
    """

    __tablename__ = "pending_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class InboundRow(Base):
    """A platform message already taken in (Twilio MessageSid, Telegram update_id).

    The unique constraint, not a set in memory, makes a retried webhook get the
    same reply and be processed once, whichever worker it reaches.
    """

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_inbound_channel_external"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="processing")
    replies: Mapped[list[Any]] = mapped_column(default=list)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class OutboxRow(Base):
    """A message to send outside a webhook (navigator replies, follow-ups).

    Accepted into the database first, then sent by a worker, so nothing is lost
    when a process dies; ``provider_id`` ties Twilio's status callbacks to it.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    provider_id: Mapped[str | None] = mapped_column(String(100), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
