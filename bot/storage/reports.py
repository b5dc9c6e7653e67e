"""Texters' reports that a directory entry is wrong (WRONG / MAL after its details).

A report names the service by id, what it was read as (closed, moved...) and
the texter's own words, sealed. Navigators and curators see open reports per
service in the console and mark them checked; ``directory stats`` counts them.
Erasing a texter keeps their reports (they are about a service) but drops the
words and the link to them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc, now
from bot.storage.models import ServiceReportRow
from bot.storage.vault import vault_of

KINDS = ("closed", "moved", "wrong_number", "refused", "hours", "other")
NOTE_LIMIT = 300  # characters of the texter's words kept


@dataclass(frozen=True)
class Report:
    """One open report, opened from the vault."""

    id: int
    kind: str
    note: str
    language: str
    created_at: dt.datetime


@dataclass
class ServiceReports:
    """The open reports of one service, newest first."""

    service_id: str
    reports: list[Report] = field(default_factory=list)

    @property
    def kinds(self) -> Counter[str]:
        """How many reports of each kind."""
        return Counter(r.kind for r in self.reports)


def add_report(
    session: Session,
    service_id: str,
    contact_id: int | None,
    kind: str,
    note: str,
    language: str,
    when: dt.datetime | None = None,
) -> int:
    """Keep a report in the caller's transaction; returns its id."""
    row = ServiceReportRow(
        service_id=service_id[:200],
        contact_id=contact_id,
        kind=kind if kind in KINDS else "other",
        note_sealed=vault_of(session).seal(note[:NOTE_LIMIT]) if note else "",
        language=language[:8],
        created_at=when or now(),
        resolved_by="",
    )
    session.add(row)
    session.flush()
    return row.id


def open_reports(session: Session) -> list[ServiceReports]:
    """Every service with open reports, the most reported first."""
    rows = session.scalars(
        select(ServiceReportRow)
        .where(ServiceReportRow.resolved_at.is_(None))
        .order_by(ServiceReportRow.created_at.desc(), ServiceReportRow.id.desc())
    ).all()
    vault = vault_of(session)
    grouped: dict[str, ServiceReports] = {}
    for row in rows:
        entry = grouped.setdefault(row.service_id, ServiceReports(row.service_id))
        note = vault.open(row.note_sealed) if row.note_sealed else ""
        entry.reports.append(Report(row.id, row.kind, note, row.language, as_utc(row.created_at)))
    return sorted(grouped.values(), key=lambda e: (-len(e.reports), e.service_id))


def report_counts(session: Session) -> dict[str, Counter[str]]:
    """Open reports per service id, by kind (no texter's words: for stats)."""
    rows = session.execute(
        select(ServiceReportRow.service_id, ServiceReportRow.kind).where(
            ServiceReportRow.resolved_at.is_(None)
        )
    ).all()
    counts: dict[str, Counter[str]] = {}
    for service_id, kind in rows:
        counts.setdefault(service_id, Counter())[kind] += 1
    return counts


def resolve_reports(session: Session, service_id: str, by: str) -> int:
    """Mark a service's open reports checked; returns how many."""
    result = session.execute(
        update(ServiceReportRow)
        .where(ServiceReportRow.service_id == service_id, ServiceReportRow.resolved_at.is_(None))
        .values(resolved_at=now(), resolved_by=by[:254], note_sealed="")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def forget_reporter(session: Session, contact_id: int) -> None:
    """On erasure: the reports stay, the texter's words and the link to them go."""
    session.execute(
        update(ServiceReportRow)
        .where(ServiceReportRow.contact_id == contact_id)
        .values(contact_id=None, note_sealed="")
    )


def forget_old_report_words(session: Session, cutoff: dt.datetime) -> None:
    """Retention: reports older than the cutoff keep their kind, lose the texter's words."""
    session.execute(
        update(ServiceReportRow)
        .where(ServiceReportRow.created_at < cutoff, ServiceReportRow.note_sealed != "")
        .values(note_sealed="", contact_id=None)
    )
