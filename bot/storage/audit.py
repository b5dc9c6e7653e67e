"""The console's audit log: who viewed, replied, noted, claimed, closed, signed in.

Entries name the navigator and the conversation by id, never a texter's words
or number, so they can be kept after the texter's data is gone.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.contacts import now
from bot.storage.staff import AuditRow, NavigatorRow

ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "view",
    "reply",
    "note",
    "name",
    "claim",
    "assign",
    "release",
    "close",
    "resolve_report",
)


def audit(
    session: Session,
    navigator: NavigatorRow | None,
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
        )
    )


def recent_audit(
    session: Session, limit: int = 300, contact_id: int | None = None
) -> list[AuditRow]:
    """The newest entries first, for the admin page."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if contact_id is not None:
        query = query.where(AuditRow.contact_id == contact_id)
    return list(session.scalars(query).all())
