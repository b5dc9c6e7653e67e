"""Sign-in limits: a growing wait per client address and per account, never a lock.

Each failed sign-in is counted under two keyed hashes: the client's address
and the account's email (known or not, so the answers do not tell which
emails have accounts). Past a few failures, the next try from that address,
or on that account, must wait 1 s, then 2, 4, 8... up to 15 minutes after the
last failure; a try that comes sooner is refused without checking the
password. A success clears both counts; counts older than a day are forgotten.

Why not a lock: five wrong passwords used to lock any account, the admin's
included, for anyone who knew the email. The account's wait is skipped by a
browser holding that account's device cookie (set at a successful sign-in,
OWASP's "device cookie" defence), so someone guessing from elsewhere slows
down only their own tries, never the navigator at their usual desk.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc
from bot.storage.staff import LoginThrottleRow
from bot.storage.vault import vault_of

ADDRESS_FREE = 10  # failures from one address before each try must wait
ACCOUNT_FREE = 5  # failures on one account (from browsers it does not know) before waits
MAX_WAIT = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(days=1)


def address_key(session: Session, address: str) -> str:
    """The keyed hash a client address is counted under (the address is not kept)."""
    return vault_of(session).lookup("signin", "address:" + address)


def account_key(session: Session, email: str) -> str:
    """The keyed hash an account's failures are counted under."""
    return vault_of(session).lookup("signin", "account:" + email.strip().lower())


def wait_needed(session: Session, limits: dict[str, int], at: dt.datetime) -> dt.timedelta:
    """How long until a try is allowed: the longest wait of the given keys (0 when none).

    ``limits`` maps each key to the failures it may have before waits start.
    """
    if not limits:
        return dt.timedelta(0)
    rows = session.scalars(
        select(LoginThrottleRow).where(LoginThrottleRow.key.in_(list(limits)))
    ).all()
    longest = dt.timedelta(0)
    for row in rows:
        last = as_utc(row.last_failure_at)
        if at - last > FORGET_AFTER or row.failures < limits[row.key]:
            continue
        wait = min(MAX_WAIT, dt.timedelta(seconds=2 ** min(row.failures - limits[row.key], 20)))
        longest = max(longest, last + wait - at)
    return longest


def record_failure(session: Session, keys: list[str], at: dt.datetime) -> None:
    """Count one failed sign-in under each key (a count older than a day starts again)."""
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    for key in keys:
        session.execute(
            module.insert(LoginThrottleRow)
            .values(key=key, failures=0, last_failure_at=at)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        session.execute(
            update(LoginThrottleRow)
            .where(
                LoginThrottleRow.key == key, LoginThrottleRow.last_failure_at < at - FORGET_AFTER
            )
            .values(failures=0)
        )
        session.execute(
            update(LoginThrottleRow)
            .where(LoginThrottleRow.key == key)
            .values(failures=LoginThrottleRow.failures + 1, last_failure_at=at)
        )


def clear(session: Session, keys: list[str]) -> None:
    """A successful sign-in: its address and account start again from nothing."""
    session.execute(delete(LoginThrottleRow).where(LoginThrottleRow.key.in_(keys)))


def account_wait_until(session: Session, email: str, at: dt.datetime) -> dt.datetime | None:
    """Until when sign-ins to an account from unknown browsers wait (for `navigator list`)."""
    key = account_key(session, email)
    wait = wait_needed(session, {key: ACCOUNT_FREE}, at)
    return at + wait if wait > dt.timedelta(0) else None


def forget_old_throttles(session: Session, at: dt.datetime) -> int:
    """Counts with no failure for a day are gone (the purge)."""
    result = session.execute(
        delete(LoginThrottleRow).where(LoginThrottleRow.last_failure_at < at - FORGET_AFTER)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
