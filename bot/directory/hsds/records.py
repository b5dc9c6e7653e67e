"""One shape for what every HSDS reader finds, whatever the version or format.

The tabular reader (1.x, 2.0, 3.0 CSVs) and the 3.0 JSON reader both fill these
plain records with the source's own text, untouched; cleaning and mapping to
Homeward happen once, afterwards, in ``assemble``. Each record keeps the row it
came from, so a problem found later can still name ``file:row``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.directory.hsds.report import Where


@dataclass
class RawTerm:
    """A taxonomy term attached to a service: AIRS code and/or name, its taxonomy."""

    code: str
    name: str
    taxonomy: str = ""
    parents: tuple[str, ...] = ()


@dataclass
class RawPhone:
    """A phone row as written."""

    where: Where
    number: str
    extension: str = ""
    type: str = ""
    description: str = ""


@dataclass
class RawSchedule:
    """One row of opening hours as written: days, times, and any note."""

    where: Where
    days: str
    opens_at: str
    closes_at: str
    freq: str = ""
    note: str = ""


@dataclass
class RawLocation:
    """A location with its (physical) address."""

    where: Where
    id: str
    name: str = ""
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    state_province: str = ""
    postal_code: str = ""
    latitude: str = ""
    longitude: str = ""
    organization_id: str = ""
    homeward_id: str = ""
    languages: list[str] = field(default_factory=list)


@dataclass
class RawOrganization:
    """An organization and its own phones."""

    where: Where
    id: str
    name: str = ""
    description: str = ""
    url: str = ""
    email: str = ""
    phones: list[RawPhone] = field(default_factory=list)
    extras: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class RawService:
    """A service with everything linked to it."""

    where: Where
    id: str
    organization_id: str = ""
    name: str = ""
    description: str = ""
    url: str = ""
    email: str = ""
    status: str = ""
    assured_date: str = ""
    texts: dict[str, str] = field(default_factory=dict)
    location_ids: list[str] = field(default_factory=list)
    phones: list[RawPhone] = field(default_factory=list)
    schedules: list[RawSchedule] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    terms: list[RawTerm] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    extras: dict[str, list[str]] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)


@dataclass
class RawPublication:
    """A whole HSDS publication, as read."""

    version: str
    source: str
    title: str = ""
    license: str = ""
    organizations: dict[str, RawOrganization] = field(default_factory=dict)
    services: list[RawService] = field(default_factory=list)
    locations: dict[str, RawLocation] = field(default_factory=dict)
    directory: dict[str, str] = field(default_factory=dict)
