"""SQLAlchemy models of the loaded copy of the directory.

The YAML files are the source of truth; the database holds one loaded version so that
several processes share it and a load is one transaction (``bot.directory.store``
writes and reads these rows). ``bot.storage.models`` imports this module and re-exports
its classes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base


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
    # Categories guessed from the words at import: how plainly (0..1); NULL when sure.
    inferred_strength: Mapped[float | None] = mapped_column(Float)


class ServiceCategoryRow(Base):
    """A service's category, as rows so counts per category are plain SQL."""

    __tablename__ = "service_categories"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("services.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
