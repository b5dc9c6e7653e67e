"""Navigator accounts, sign-in with lock-out, and console sessions.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106). After
``LOCK_AFTER`` wrong passwords in a row an account refuses every password,
right or wrong, for ``LOCK_FOR``: guessing is slowed to a crawl and a locked
account gives nothing away. Unknown emails cost the same hashing time as known
ones, so response times do not tell which emails have accounts.

A session cookie carries a random token; only its SHA-256 is stored, so a
copy of the database opens no session. Sessions end after a stretch without
use (``HOMEWARD_CONSOLE_SESSION_MINUTES``) and always ``SESSION_MAX`` after
sign-in; disabling an account ends its sessions at the next request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import threading
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc
from bot.storage.staff import ConsoleSessionRow, NavigatorRow

ROLES = ("navigator", "admin")
LOCK_AFTER = 5
LOCK_FOR = dt.timedelta(minutes=15)
SESSION_MAX = dt.timedelta(hours=12)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # hashing a megabyte "password" is a denial of service
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HASHER = PasswordHasher()
# Each Argon2 verification takes 64 MiB for a moment: a flood of sign-in attempts
# must queue here rather than exhaust the server's memory.
_HASHING = threading.BoundedSemaphore(2)


class AccountError(ValueError):
    """A navigator account cannot be made or changed; the message is one plain line."""


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_hex(16))


def normalise_email(email: str) -> str:
    """Emails are compared lowercased and trimmed."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """An Argon2id hash; refuses passwords that are too short or absurdly long."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")
    return _HASHER.hash(password)


def add_navigator(
    session: Session,
    email: str,
    password: str,
    *,
    at: dt.datetime,
    name: str = "",
    admin: bool = False,
) -> NavigatorRow:
    """A new active account; AccountError when the email is taken or malformed."""
    email = normalise_email(email)
    if not _EMAIL_RE.match(email) or len(email) > 254:
        raise AccountError(f"not an email address: {email!r}")
    if find_navigator(session, email) is not None:
        raise AccountError(f"{email} already has an account")
    row = NavigatorRow(
        email=email,
        name=(name.strip() or email.split("@")[0].capitalize())[:100],
        password_hash=hash_password(password),
        role="admin" if admin else "navigator",
        active=True,
        language="en",
        failed_logins=0,
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row


def find_navigator(session: Session, email: str) -> NavigatorRow | None:
    """The account with this email, active or not."""
    query = select(NavigatorRow).where(NavigatorRow.email == normalise_email(email))
    return session.scalars(query).first()


def list_navigators(session: Session) -> list[NavigatorRow]:
    """Every account, oldest first."""
    return list(session.scalars(select(NavigatorRow).order_by(NavigatorRow.id)).all())


def set_active(session: Session, email: str, active: bool) -> NavigatorRow:
    """Disable (ends its sessions) or enable (also lifts a lock-out) an account."""
    row = find_navigator(session, email)
    if row is None:
        raise AccountError(f"no navigator account for {normalise_email(email)}")
    row.active = active
    row.failed_logins = 0
    row.locked_until = None
    if not active:
        session.execute(delete(ConsoleSessionRow).where(ConsoleSessionRow.navigator_id == row.id))
    return row


def authenticate(
    session: Session, email: str, password: str, at: dt.datetime
) -> NavigatorRow | None:
    """The account when the password is right and the account usable, else None.

    Every path verifies one Argon2 hash, so they all take about the same time.
    """
    row = find_navigator(session, email)
    password = password[:MAX_PASSWORD]
    if row is None or not row.active:
        _verify(_dummy_hash(), password)
        return None
    if row.locked_until is not None and as_utc(row.locked_until) > at:
        _verify(_dummy_hash(), password)
        return None
    if not _verify(row.password_hash, password):
        row.failed_logins += 1
        if row.failed_logins >= LOCK_AFTER:
            row.locked_until = at + LOCK_FOR
            row.failed_logins = 0
        return None
    row.failed_logins = 0
    row.locked_until = None
    row.last_login_at = at
    if _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = _HASHER.hash(password)
    return row


def _verify(hashed: str, password: str) -> bool:
    with _HASHING:
        try:
            return _HASHER.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False


def token_hash(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, navigator: NavigatorRow, at: dt.datetime) -> str:
    """A new session for a signed-in navigator; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSessionRow(
            token_hash=token_hash(token), navigator_id=navigator.id, created_at=at, last_seen_at=at
        )
    )
    return token


def session_navigator(
    session: Session, token: str, at: dt.datetime, idle: dt.timedelta, *, touch: bool = True
) -> NavigatorRow | None:
    """The navigator of a live session; expired sessions are deleted.

    ``touch`` counts the request as use (page loads and posts do; the live
    queue's polling does not, so an unattended screen still times out).
    """
    row = session.scalars(
        select(ConsoleSessionRow).where(ConsoleSessionRow.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    navigator = session.get(NavigatorRow, row.navigator_id)
    expired = as_utc(row.last_seen_at) + idle <= at or as_utc(row.created_at) + SESSION_MAX <= at
    if navigator is None or not navigator.active or expired:
        session.delete(row)
        return None
    if touch:
        row.last_seen_at = at
    return navigator


def close_session(session: Session, token: str) -> None:
    """Sign out: the session is deleted."""
    session.execute(
        delete(ConsoleSessionRow).where(ConsoleSessionRow.token_hash == token_hash(token))
    )


def reset_password(navigator: NavigatorRow, password: str) -> None:
    """A new password for a navigator (stored as an argon2 hash), and the account on again."""
    navigator.password_hash = hash_password(password)
    navigator.active = True


def set_navigator_language(session: Session, navigator_id: int, language: str) -> None:
    """The navigator's interface language."""
    row = session.get(NavigatorRow, navigator_id)
    if row is not None:
        row.language = language
