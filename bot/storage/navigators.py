"""Navigator accounts, sign-in with a second factor, and console sessions.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106). Failed
sign-ins make later tries wait, per client address and per account
(``bot.storage.throttle``), instead of locking the account for everyone.
Unknown emails cost the same hashing time as known ones, so response times do
not tell which emails have accounts. An account may add a TOTP second factor
(RFC 6238, with pyotp): a 6-digit code from an authenticator app, each code
accepted once; admins must have one when HOMEWARD_REQUIRE_2FA=1.

A session cookie carries a random token; only its SHA-256 is stored, so a
copy of the database opens no session. Sessions end after a stretch without
use (``HOMEWARD_CONSOLE_SESSION_MINUTES``) and always ``SESSION_MAX`` after
sign-in; disabling an account ends its sessions at the next request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from functools import lru_cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage import throttle
from bot.storage.contacts import as_utc
from bot.storage.staff import ConsoleSessionRow, NavigatorRow
from bot.storage.vault import vault_of

TOTP_ISSUER = "Homeward"
TOTP_STEP = 30  # seconds per code (RFC 6238's default, what authenticator apps use)
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


# navigator: the queue and conversations; admin: also accounts and the audit log;
# partner: the partner report only (read-only, no texter is ever shown).
ROLES = ("navigator", "admin", "partner")


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
    role: str = "",
) -> NavigatorRow:
    """A new active account; AccountError when the email is taken or malformed.

    ``role`` is one of ``ROLES`` (``admin=True`` is the same as role "admin").
    """
    role = role or ("admin" if admin else "navigator")
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}, not {role!r}")
    email = normalise_email(email)
    if not _EMAIL_RE.match(email) or len(email) > 254:
        raise AccountError(f"not an email address: {email!r}")
    if find_navigator(session, email) is not None:
        raise AccountError(f"{email} already has an account")
    row = NavigatorRow(
        email=email,
        name=(name.strip() or email.split("@")[0].capitalize())[:100],
        password_hash=hash_password(password),
        role=role,
        active=True,
        language="en",
        created_at=at,
        totp_sealed="",
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
    """Disable (ends its sessions) or enable (also clears its sign-in waits) an account."""
    row = find_navigator(session, email)
    if row is None:
        raise AccountError(f"no navigator account for {normalise_email(email)}")
    row.active = active
    throttle.clear(session, [throttle.account_key(session, row.email)])
    if not active:
        session.execute(delete(ConsoleSessionRow).where(ConsoleSessionRow.navigator_id == row.id))
    return row


@dataclass(frozen=True)
class SignIn:
    """What one sign-in attempt came to.

    ``problem``: "" (signed in), "failed" (wrong email, password or code: one
    answer for all), "wait" (too many failures: try again after ``wait``), or
    "needs_2fa" (an admin without a second factor while HOMEWARD_REQUIRE_2FA=1, with
    the right password: the console shows it as "failed", and audits it apart).
    """

    navigator: NavigatorRow | None
    problem: str = ""
    wait: dt.timedelta = dt.timedelta(0)


def sign_in(
    session: Session,
    email: str,
    password: str,
    code: str,
    *,
    address: str,
    device_navigator: int | None,
    at: dt.datetime,
    require_2fa: bool = False,
) -> SignIn:
    """Check a sign-in, with the waits of ``bot.storage.throttle``.

    ``device_navigator`` is the account named by the browser's device cookie:
    that account's own wait does not apply to it (the address's still does).
    Every path that gets as far as the password verifies one Argon2 hash.
    """
    row = find_navigator(session, email)
    password = password[:MAX_PASSWORD]
    address_key = throttle.address_key(session, address)
    account_key = throttle.account_key(session, email)
    limits = {address_key: throttle.ADDRESS_FREE}
    if row is None or row.id != device_navigator:
        limits[account_key] = throttle.ACCOUNT_FREE
    wait = throttle.wait_needed(session, limits, at)
    if wait > dt.timedelta(0):
        return SignIn(None, "wait", wait)
    usable = row is not None and row.active
    right = _verify(row.password_hash if row is not None and usable else _dummy_hash(), password)
    if row is None or not usable or not right or not _code_ok(session, row, code, at):
        throttle.record_failure(session, [address_key, account_key], at)
        return SignIn(None, "failed")
    if require_2fa and row.role == "admin" and not row.totp_sealed:
        # counted as a failure, and answered as one by the console: a guesser must not
        # learn that the password was right (the audit log tells the server's operator)
        throttle.record_failure(session, [address_key, account_key], at)
        return SignIn(None, "needs_2fa")
    throttle.clear(session, [address_key, account_key])
    row.last_login_at = at
    if _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = _HASHER.hash(password)
    return SignIn(row)


def _code_ok(session: Session, row: NavigatorRow, code: str, at: dt.datetime) -> bool:
    """No second factor, or the right code for now (30 s either side), not used before."""
    if not row.totp_sealed:
        return True
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(vault_of(session).open(row.totp_sealed), interval=TOTP_STEP)
    now_step = int(at.timestamp()) // TOTP_STEP
    for step in (now_step - 1, now_step, now_step + 1):
        if step <= (row.totp_last_step or 0):
            continue
        if hmac.compare_digest(totp.at(step * TOTP_STEP), code):
            row.totp_last_step = step
            return True
    return False


def set_totp(session: Session, email: str, *, remove: bool = False) -> tuple[NavigatorRow, str]:
    """A new TOTP secret for an account (sealed), or none with ``remove``.

    Returns the account and the otpauth:// address an authenticator app reads
    (empty when removed). A new secret replaces the old one at once.
    """
    row = find_navigator(session, email)
    if row is None:
        raise AccountError(f"no navigator account for {normalise_email(email)}")
    row.totp_last_step = None
    if remove:
        row.totp_sealed = ""
        return row, ""
    secret = pyotp.random_base32()
    row.totp_sealed = vault_of(session).seal(secret)
    uri = pyotp.TOTP(secret, interval=TOTP_STEP).provisioning_uri(
        name=row.email, issuer_name=TOTP_ISSUER
    )
    return row, uri


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
    """The navigator of a live session (see ``live_session``)."""
    found = live_session(session, token, at, idle, touch=touch)
    return found[0] if found else None


def live_session(
    session: Session, token: str, at: dt.datetime, idle: dt.timedelta, *, touch: bool = True
) -> tuple[NavigatorRow, int] | None:
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
    return navigator, row.id


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
