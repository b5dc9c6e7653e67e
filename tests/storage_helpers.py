"""Storage helpers only tests (and bench/) use: make a contact, read a status, list counts.

They read and write rows directly, which the product does only inside
``bot.storage``; they live here so that the product carries no test-only code.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.models import ContactRow, OutboxRow, UsageCountRow
from bot.storage.outbox import OutboxJob, claim_batch
from bot.storage.vault import vault_of


def create_contact(session: Session, channel: str, user_id: str, language: str) -> ContactRow:
    """A new contact, first seen now."""
    stamp = now()
    vault = vault_of(session)
    contact = ContactRow(
        channel=channel,
        user_hash=vault.lookup(channel, user_id),
        user_sealed=vault.seal(user_id),
        language=language,
        created_at=stamp,
        last_seen_at=stamp,
        last_results=[],
        page=0,
        awaiting="",
        asked_zip=False,
        opted_out=False,
        handoff_open=False,
        last_query_sealed="",
        location_sealed="",
    )
    session.add(contact)
    session.flush()
    return contact


def claim_next(engine: Engine, channels: tuple[str, ...]) -> OutboxJob | None:
    """Claim the oldest due message on these channels, or None when there is none."""
    jobs = claim_batch(engine, channels, 1)
    return jobs[0] if jobs else None


def outbox_status(engine: Engine, outbox_id: int) -> tuple[str, int, str | None]:
    """Status, attempts and provider id of one message."""
    with session_scope(engine) as session:
        row = session.get(OutboxRow, outbox_id)
        assert row is not None
        return row.status, row.attempts, row.provider_id


def usage_counts(session: Session) -> list[dict[str, object]]:
    """Every monthly count, in a stable order."""
    rows = session.scalars(
        select(UsageCountRow).order_by(
            UsageCountRow.month, UsageCountRow.metric, UsageCountRow.key, UsageCountRow.zip_code
        )
    ).all()
    return [
        {"month": r.month, "metric": r.metric, "key": r.key, "zip": r.zip_code, "count": r.count}
        for r in rows
    ]
