"""`homeward keys rotate`: every sealed value, sealed again under the newest key.

Set HOMEWARD_SECRET_KEY to "NEW,OLD" (the old key still opens what it sealed),
run the rotation, then drop OLD. Work goes in batches of rows, one transaction
each, so a large database does not hold one long lock; a rotation that stops
half-way is simply run again.
"""

from __future__ import annotations

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import InstrumentedAttribute

from bot.storage.db import session_scope
from bot.storage.models import (
    ContactRow,
    InboundRow,
    MessageRow,
    OutboxRow,
    PendingMessageRow,
    SecretRow,
)
from bot.storage.staff import NavigatorRow, NoteRow
from bot.storage.vault import vault_of

# Every column that holds a sealed value. A new one must be added here (a test
# seals a whole conversation, rotates, and opens everything with the new key only).
SEALED_COLUMNS: tuple[InstrumentedAttribute[str], ...] = (
    ContactRow.user_sealed,
    ContactRow.last_query_sealed,
    ContactRow.location_sealed,
    ContactRow.first_name_sealed,
    ContactRow.thread_sealed,
    NoteRow.body_sealed,
    NavigatorRow.totp_sealed,
    PendingMessageRow.body,
    OutboxRow.body,
    InboundRow.replies_sealed,
    MessageRow.body_sealed,
    SecretRow.sealed,
)
BATCH = 500


def rotate_keys(engine: Engine) -> dict[str, int]:
    """Seal every value again with the first key; returns values rotated per column."""
    vault = vault_of(engine)
    done: dict[str, int] = {}
    for column in SEALED_COLUMNS:
        model = column.class_
        key = model.__mapper__.primary_key[0]
        name = f"{model.__tablename__}.{column.key}"
        done[name] = 0
        after: object = None
        while True:
            with session_scope(engine) as session:
                query = select(key, column).where(column != "").order_by(key).limit(BATCH)
                if after is not None:
                    query = query.where(key > after)
                rows = session.execute(query).all()
                for ident, token in rows:
                    session.execute(
                        update(model).where(key == ident).values({column.key: vault.rotate(token)})
                    )
            done[name] += len(rows)
            if len(rows) < BATCH:
                break
            after = rows[-1][0]
    return done
