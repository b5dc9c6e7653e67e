"""The curated files a loaded directory version answers with (commands, vocabulary, crisis...).

``homeward directory load`` validates every curated file, then stores the ones
the conversation reads here, in the same transaction as the directory. Every
worker answers with these copies, never with the files on disk: a file broken
after the last good load (``stop:`` renamed ``stopp:``) is refused by the next
load and never reaches a texter; the last good version keeps answering.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import LargeBinary, String, delete, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

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


def read_curated_files(
    session: Session, names: Sequence[str] | None = None, folders: Sequence[str] = ()
) -> dict[str, bytes]:
    """The stored files by name (empty before the first load that stored them).

    ``names`` and ``folders`` pick some ("places.yaml"; every "vocabulary/..."
    file); with neither, every stored file.
    """
    query = select(CuratedFileRow)
    if names is not None or folders:
        picks: list[ColumnElement[bool]] = [CuratedFileRow.name.in_(list(names or ()))]
        picks += [CuratedFileRow.name.startswith(f"{folder}/") for folder in folders]
        query = query.where(or_(*picks))
    return {row.name: bytes(row.body) for row in session.scalars(query).all()}
