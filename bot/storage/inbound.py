"""Idempotency of inbound webhooks: claim a message id once, replay its reply after."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError

from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.models import InboundRow
from bot.storage.vault import vault_of


@dataclass(frozen=True)
class Claim:
    """Either ours to process (``fresh``), or already answered with ``replies``."""

    fresh: bool
    replies: tuple[str, ...] = ()


def claim(engine: Engine, channel: str, external_id: str, wait_seconds: float = 10.0) -> Claim:
    """Take a message id for processing, or wait for the worker that already took it."""
    try:
        with session_scope(engine) as session:
            session.add(InboundRow(channel=channel, external_id=external_id, status="processing",
                                   replies_sealed="", received_at=now()))  # fmt: skip
        return Claim(fresh=True)
    except IntegrityError:
        pass
    deadline = time.monotonic() + wait_seconds
    while True:
        with session_scope(engine) as session:
            row = session.scalars(
                select(InboundRow).where(
                    InboundRow.channel == channel, InboundRow.external_id == external_id
                )
            ).first()
            if row is None:  # the other worker failed and let go: try again
                return claim(engine, channel, external_id, max(0.0, deadline - time.monotonic()))
            if row.status == "done" or time.monotonic() > deadline:
                kept = vault_of(session).open_json(row.replies_sealed, [])
                return Claim(fresh=False, replies=tuple(str(r) for r in kept))
        time.sleep(0.05)


def finish(engine: Engine, channel: str, external_id: str, replies: list[str]) -> None:
    """Store the replies of a processed message, for retries to replay."""
    with session_scope(engine) as session:
        row = session.scalars(
            select(InboundRow).where(
                InboundRow.channel == channel, InboundRow.external_id == external_id
            )
        ).one()
        row.status = "done"
        row.replies_sealed = vault_of(session).seal_json(replies)


def release(engine: Engine, channel: str, external_id: str) -> None:
    """Let go of a claim after a failure, so Twilio's retry can process it."""
    with session_scope(engine) as session:
        session.execute(
            delete(InboundRow).where(
                InboundRow.channel == channel, InboundRow.external_id == external_id
            )
        )
