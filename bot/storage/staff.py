"""Tables of the navigators' console: accounts, sessions, the audit log, private notes.

Nothing here names a texter: notes are sealed like every other text, and the
audit log keeps ids and actions only, so it can outlive an erased texter.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base


class NavigatorRow(Base):
    """A console account: a navigator, an admin, or a partner who reads only the report."""

    __tablename__ = "navigators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="navigator")
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The optional second factor: a TOTP secret (sealed), and the last time step
    # a code was accepted for, so each code signs in once.
    totp_sealed: Mapped[str] = mapped_column(Text, default="")
    totp_last_step: Mapped[int | None] = mapped_column(Integer)


class ConsoleSessionRow(Base):
    """A signed-in browser. Only a hash of the cookie's token is stored."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    navigator_id: Mapped[int] = mapped_column(
        ForeignKey("navigators.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """Who viewed, replied to, noted, claimed or closed which conversation, and when.

    ``actor`` copies the navigator's email so the log reads the same after an
    account is disabled; contact and handoff ids carry no foreign key, so the
    entry stays when a texter erases their data (it names no texter).
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    navigator_id: Mapped[int | None] = mapped_column(
        ForeignKey("navigators.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(30))
    contact_id: Mapped[int | None] = mapped_column(Integer)
    handoff_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(200), default="")
    # The console session a read was made in: live refreshes are logged once per session.
    session_id: Mapped[int | None] = mapped_column(Integer)


class NoteRow(Base):
    """A navigator's private note on a conversation (never sent). ``body_sealed`` is sealed."""

    __tablename__ = "navigator_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    navigator_id: Mapped[int | None] = mapped_column(
        ForeignKey("navigators.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    body_sealed: Mapped[str] = mapped_column(Text, default="")


class LoginThrottleRow(Base):
    """Failed sign-ins per client address or per account (keyed hashes, no address kept).

    ``bot.storage.throttle`` makes each failure past a few cost a growing wait.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class NoticeRow(Base):
    """A message to one navigator in the console ("Ana took over request 12 from you").

    Names navigators and ids only; shown on the queue until the navigator opens
    the conversation or dismisses it.
    """

    __tablename__ = "console_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    navigator_id: Mapped[int] = mapped_column(
        ForeignKey("navigators.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(20))
    contact_id: Mapped[int | None] = mapped_column(Integer)
    handoff_id: Mapped[int | None] = mapped_column(Integer)
    by_name: Mapped[str] = mapped_column(String(100), default="")
    seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
