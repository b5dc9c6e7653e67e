"""The console's audit log: who read, replied, noted, claimed, took over, closed, signed in.

Entries name the navigator and the conversation by id, never a texter's words
or number, so they can be kept after the texter's data is gone.

Reads are logged too: the conversation page on every load, and the live parts
(the transcript that refreshes itself, the queue's last words) once per
navigator, conversation and console session, so the log shows who read whom
without a line every three seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc, now
from bot.storage.staff import AuditRow, NavigatorRow

ACTIONS = (
    "login",
    "login_failed",
    "login_wait",
    "logout",
    "view",
    "read",
    "queue_read",
    "reply",
    "note",
    "name",
    "claim",
    "take_over",
    "assign",
    "release",
    "close",
    "disable",
    "enable",
    "resolve_report",
    "report_view",
    "report_json",
    "report_csv",
    "report_text",
)
READS = ("view", "read", "queue_read")


@dataclass(frozen=True)
class Actor:
    """Who did something in the console: the account and the session it was done in."""

    id: int
    email: str
    session_id: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One entry, as the admin page shows it."""

    id: int
    at: dt.datetime
    navigator_id: int | None
    actor: str
    action: str
    contact_id: int | None
    handoff_id: int | None
    detail: str


def audit(
    session: Session,
    navigator: NavigatorRow | Actor | None,
    action: str,
    *,
    contact_id: int | None = None,
    handoff_id: int | None = None,
    detail: str = "",
    actor: str = "",
) -> None:
    """Add one entry (in the caller's transaction, so it stands or falls with the action)."""
    session.add(
        AuditRow(
            at=now(),
            navigator_id=navigator.id if navigator else None,
            actor=(navigator.email if navigator else actor)[:254],
            action=action,
            contact_id=contact_id,
            handoff_id=handoff_id,
            detail=detail[:200],
            session_id=navigator.session_id if isinstance(navigator, Actor) else None,
        )
    )


def audit_reads(session: Session, actor: Actor, action: str, contact_ids: list[int]) -> int:
    """Log a read of each conversation not yet logged for this action in this session.

    Returns how many entries were added.
    """
    if not contact_ids:
        return 0
    seen = set(
        session.scalars(
            select(AuditRow.contact_id).where(
                AuditRow.navigator_id == actor.id,
                AuditRow.session_id == actor.session_id,
                AuditRow.action == action,
                AuditRow.contact_id.in_(contact_ids),
            )
        ).all()
    )
    fresh = [ident for ident in dict.fromkeys(contact_ids) if ident not in seen]
    for ident in fresh:
        audit(session, actor, action, contact_id=ident)
    return len(fresh)


def recent_audit(
    session: Session,
    limit: int = 300,
    contact_id: int | None = None,
    navigator_id: int | None = None,
    reads_only: bool = False,
) -> list[AuditEntry]:
    """The newest entries first, for the admin page, filtered by conversation or navigator."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if contact_id is not None:
        query = query.where(AuditRow.contact_id == contact_id)
    if navigator_id is not None:
        query = query.where(AuditRow.navigator_id == navigator_id)
    if reads_only:
        query = query.where(AuditRow.action.in_(READS))
    return [
        AuditEntry(
            r.id,
            as_utc(r.at),
            r.navigator_id,
            r.actor,
            r.action,
            r.contact_id,
            r.handoff_id,
            r.detail,
        )
        for r in session.scalars(query).all()
    ]
