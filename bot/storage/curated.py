"""The curated files a loaded directory version answers with (commands, crisis rules and model).

``homeward directory load`` validates every curated file, then stores the ones
the conversation reads here, in the same transaction as the directory. Every
worker answers with these copies, never with the files on disk: a file broken
after the last good load (``stop:`` renamed ``stopp:``) is refused by the next
load and never reaches a texter; the last good version keeps answering.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.storage.models import Base


class CuratedFileRow(Base):
    """One curated file of the loaded directory version, as it was loaded."""

    __tablename__ = "curated_files"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    digest: Mapped[str] = mapped_column(String(64))


def save_curated_files(session: Session, files: dict[str, bytes]) -> None:
    """Replace the stored files with these (inside the load's transaction)."""
    session.execute(delete(CuratedFileRow))
    session.add_all(
        CuratedFileRow(name=name, body=body, digest=hashlib.sha256(body).hexdigest())
        for name, body in sorted(files.items())
    )
    session.flush()


def read_curated_files(session: Session) -> dict[str, bytes]:
    """The stored files by name (empty before the first load that stored them)."""
    rows = session.scalars(select(CuratedFileRow)).all()
    return {row.name: bytes(row.body) for row in rows}
