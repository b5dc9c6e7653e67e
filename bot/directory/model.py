"""Plain data for the directory, shared by the loader, the database and search.

Frozen dataclasses rather than ORM objects: search keeps tens of thousands of
these in memory in every worker, and they must not hold database sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

# The fixed category slugs (tools and other programs depend on them).
CATEGORY_SLUGS = (
    "housing",
    "jobs",
    "healthcare",
    "mental_health",
    "substance_use",
    "family",
    "food",
    "legal",
    "id_documents",
    "education",
    "transportation",
    "benefits",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RECORDS_VALUES = ("yes", "case_by_case", "no", "unknown")
SERVES_VALUES = ("everyone", "men", "women", "families", "youth", "veterans", "seniors", "lgbtq")
PHONE_TYPES = ("voice", "text", "fax", "hotline", "tty")
SERVICE_AREAS = ("local", "national")


@dataclass(frozen=True)
class Category:
    """One of the fixed service categories, with its names per language."""

    slug: str
    names: dict[str, str]

    def name(self, language: str) -> str:
        """The category's name in a language, English when it has none."""
        return self.names.get(language) or self.names.get("en") or self.slug


@dataclass(frozen=True)
class Phone:
    """A phone number as written by the curator, with its kind."""

    number: str
    type: str = "voice"
    description: str = ""


@dataclass(frozen=True)
class Location:
    """A place where services are delivered."""

    id: str
    name: str
    address_1: str = ""
    city: str = ""
    state_province: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None

    def short_address(self) -> str:
        """Street and city: what fits on one SMS line."""
        return ", ".join(part for part in (self.address_1, self.city) if part)

    def full_address(self) -> str:
        """Street, city, state and ZIP."""
        tail = " ".join(p for p in (self.state_province, self.postal_code) if p)
        return ", ".join(p for p in (self.address_1, self.city, tail) if p)


@dataclass(frozen=True)
class Schedule:
    """Opening hours on some weekdays (0 = Monday), times as HH:MM strings."""

    weekdays: tuple[int, ...]
    opens_at: str
    closes_at: str


@dataclass(frozen=True)
class Organization:
    """An organization and the fields its services inherit."""

    id: str
    name: str
    description: str = ""
    description_es: str = ""
    url: str = ""
    email: str = ""
    fictional: bool = False
    phones: tuple[Phone, ...] = ()
    source_file: str = ""


@dataclass(frozen=True)
class Service:
    """A service: what a texter is actually pointed to."""

    id: str
    name: str
    organization: Organization
    categories: tuple[str, ...]
    description: str = ""
    description_es: str = ""
    url: str = ""
    email: str = ""
    phones: tuple[Phone, ...] = ()
    locations: tuple[Location, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    accepts_records: str = "unknown"
    serves: tuple[str, ...] = ()
    what_to_bring: tuple[str, ...] = ()
    what_to_bring_es: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    service_area: str = "local"
    assured_date: dt.date | None = None
    # Categories guessed from the service's words at import (marked ``inferred``
    # in its file): how plainly its words name them, 0..1. None: curated or taken
    # from a taxonomy, as sure as categories get.
    inferred_strength: float | None = None

    def contact_phones(self) -> tuple[Phone, ...]:
        """The service's phones, or its organization's when it lists none."""
        return self.phones or self.organization.phones

    def text(self, name: str, language: str = "en") -> str:
        """A translatable free-text field (eligibility_description, notes...)."""
        if language != "en":
            translated = self.texts.get(f"{name}_{language}", "")
            if translated:
                return translated
        return self.texts.get(name, "")


# Free-text service fields that have an ``_es`` twin; kept in ``Service.texts``.
SERVICE_TEXT_FIELDS = (
    "eligibility_description",
    "fees_description",
    "application_process",
    "hours_notes",
    "notes",
)


@dataclass(frozen=True)
class DirectoryInfo:
    """The directory's metadata (``directory.yaml``)."""

    name: str = "Homeward directory"
    region: str = ""
    timezone: str = "America/Los_Angeles"
    sample: bool = False
    notice: str = ""
    notice_es: str = ""


@dataclass(frozen=True)
class Directory:
    """A whole, valid directory: what `load` writes and search reads."""

    info: DirectoryInfo
    categories: tuple[Category, ...]
    organizations: tuple[Organization, ...]
    services: Sequence[Service]

    def category(self, slug: str) -> Category | None:
        """The category with that slug, if any."""
        return next((c for c in self.categories if c.slug == slug), None)
