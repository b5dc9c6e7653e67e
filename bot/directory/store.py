"""Write a whole directory to the database in one transaction, and read it back.

Rows go in with bulk inserts (executemany), so loading 100,000 services takes
seconds, and a failed load rolls back to the previous directory untouched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from bot.directory.model import (
    Category,
    Directory,
    DirectoryInfo,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
)
from bot.storage.db import is_postgresql
from bot.storage.models import (
    DirectoryState,
    LocationRow,
    OrganizationRow,
    ServiceCategoryRow,
    ServiceRow,
)


def directory_state(session: Session) -> DirectoryState | None:
    """The row saying which directory is loaded, if any."""
    return session.get(DirectoryState, 1)


# Any fixed number: the key of PostgreSQL's advisory lock that serialises loads.
LOAD_LOCK = 0x486F6D65  # "Home"


def lock_for_load(session: Session) -> DirectoryState | None:
    """Take the directory-load lock for this transaction; then read the state.

    Two loads at once (two operators, or several workers starting on changed
    files) run one after the other and number their versions in order. SQLite's
    write transactions are serial already; PostgreSQL takes an advisory lock.
    """
    if is_postgresql(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK})
    return directory_state(session)


def save_directory(session: Session, directory: Directory, *, fingerprint: str, source: str) -> int:
    """Replace the loaded directory with ``directory``; returns the new version.

    Call ``lock_for_load`` first in the same transaction.
    """
    for table in (ServiceCategoryRow, ServiceRow, LocationRow, OrganizationRow):
        session.execute(delete(table))
    _insert(session, OrganizationRow, [_org_row(o) for o in directory.organizations])
    locations = {
        loc.id: (loc, s.organization.id) for s in directory.services for loc in s.locations
    }
    _insert(
        session,
        LocationRow,
        [{**asdict(loc), "organization_id": org} for loc, org in locations.values()],
    )
    _insert(session, ServiceRow, [_service_row(s, i) for i, s in enumerate(directory.services)])
    _insert(
        session,
        ServiceCategoryRow,
        [
            {"service_id": s.id, "category": c, "position": i}
            for s in directory.services
            for i, c in enumerate(s.categories)
        ],
    )
    state = directory_state(session) or DirectoryState(id=1, version=0)
    state.version = (state.version or 0) + 1
    state.fingerprint = fingerprint
    state.source = source
    state.loaded_at = dt.datetime.now(dt.UTC)
    state.info = asdict(directory.info)
    state.categories = [{"slug": c.slug, "names": c.names} for c in directory.categories]
    session.add(state)
    session.flush()
    return state.version


def _insert(session: Session, table: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        chunk = rows[start : start + 5000]
        if chunk:
            session.execute(insert(table), chunk)


def _org_row(org: Organization) -> dict[str, Any]:
    row = asdict(org)
    row["phones"] = [asdict(p) for p in org.phones]
    return row


def _service_row(service: Service, position: int) -> dict[str, Any]:
    return {
        "id": service.id,
        "organization_id": service.organization.id,
        "position": position,
        "name": service.name,
        "description": service.description,
        "description_es": service.description_es,
        "url": service.url,
        "email": service.email,
        "phones": [asdict(p) for p in service.phones],
        "location_ids": [loc.id for loc in service.locations],
        "schedules": [asdict(s) for s in service.schedules],
        "texts": dict(service.texts),
        "languages": list(service.languages),
        "accepts_records": service.accepts_records,
        "serves": list(service.serves),
        "what_to_bring": list(service.what_to_bring),
        "what_to_bring_es": list(service.what_to_bring_es),
        "keywords": list(service.keywords),
        "service_area": service.service_area,
        "assured_date": service.assured_date,
        "inferred_strength": service.inferred_strength,
    }


def read_directory(session: Session) -> Directory | None:
    """The loaded directory as model objects, or None when nothing is loaded."""
    state = directory_state(session)
    if state is None:
        return None
    orgs = {r.id: _org(r) for r in session.scalars(select(OrganizationRow))}
    locations = {r.id: _location(r) for r in session.scalars(select(LocationRow))}
    categories: dict[str, list[str]] = {}
    for row in session.execute(
        select(ServiceCategoryRow.service_id, ServiceCategoryRow.category).order_by(
            ServiceCategoryRow.position
        )
    ):
        categories.setdefault(row.service_id, []).append(row.category)
    rows = session.scalars(select(ServiceRow).order_by(ServiceRow.position))
    services = tuple(_service(r, orgs, locations, categories) for r in rows)
    return Directory(
        info=DirectoryInfo(**state.info),
        categories=tuple(Category(c["slug"], dict(c["names"])) for c in state.categories),
        organizations=tuple(orgs.values()),
        services=services,
    )


def _org(row: OrganizationRow) -> Organization:
    return Organization(
        id=row.id,
        name=row.name,
        description=row.description,
        description_es=row.description_es,
        url=row.url,
        email=row.email,
        fictional=row.fictional,
        phones=tuple(Phone(**p) for p in row.phones),
        source_file=row.source_file,
    )


def _location(row: LocationRow) -> Location:
    return Location(
        id=row.id,
        name=row.name,
        address_1=row.address_1,
        city=row.city,
        state_province=row.state_province,
        postal_code=row.postal_code,
        latitude=row.latitude,
        longitude=row.longitude,
    )


def _service(
    row: ServiceRow,
    orgs: dict[str, Organization],
    locations: dict[str, Location],
    categories: dict[str, list[str]],
) -> Service:
    return Service(
        id=row.id,
        name=row.name,
        organization=orgs[row.organization_id],
        categories=tuple(categories.get(row.id, [])),
        description=row.description,
        description_es=row.description_es,
        url=row.url,
        email=row.email,
        phones=tuple(Phone(**p) for p in row.phones),
        locations=tuple(locations[i] for i in row.location_ids if i in locations),
        schedules=tuple(
            Schedule(tuple(s["weekdays"]), s["opens_at"], s["closes_at"]) for s in row.schedules
        ),
        texts=dict(row.texts),
        languages=tuple(row.languages),
        accepts_records=row.accepts_records,
        serves=tuple(row.serves),
        what_to_bring=tuple(row.what_to_bring),
        what_to_bring_es=tuple(row.what_to_bring_es),
        keywords=tuple(row.keywords),
        service_area=row.service_area,
        assured_date=row.assured_date,
        inferred_strength=row.inferred_strength,
    )
