"""`homeward navigator add|list|disable|enable|totp`: accounts for the navigators' console.

Also what `homeward serve` prints at start: the console's and the demo page's
addresses, and in development a demo account, so a fresh `make run` can sign in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from sqlalchemy.orm import Session

from bot.cli_common import UsageError
from bot.settings import Settings
from bot.storage.contacts import now
from bot.storage.db import make_engine, session_scope
from bot.storage.navigators import (
    AccountError,
    add_navigator,
    find_navigator,
    list_navigators,
    reset_password,
    set_active,
    set_totp,
)
from bot.storage.staff import NavigatorRow
from bot.storage.throttle import account_wait_until
from bot.storage.vault import local_key_path

DEMO_EMAIL = "demo@example.org"


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run one navigator command."""
    engine = make_engine(settings.database_url, settings.secret_keys)
    try:
        with session_scope(engine) as session:
            if args.action == "add":
                password = _password(args.password_stdin)
                row = add_navigator(
                    session,
                    args.email,
                    password,
                    at=now(),
                    name=args.name,
                    admin=args.admin,
                    role=args.role,
                )
                print(f"Added {row.email} ({row.role}).")
            elif args.action == "list":
                rows = list_navigators(session)
                waits = {r.id: account_wait_until(session, r.email, now()) for r in rows}
                _print_accounts(rows, waits, args.json)
            elif args.action == "totp":
                _totp(session, args.email, args.off)
            else:
                row = set_active(session, args.email, args.action == "enable")
                print(f"{row.email} is {'enabled' if row.active else 'disabled'}.")
    except AccountError as exc:
        raise UsageError(str(exc)) from None
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise UsageError("the two passwords differ")
    else:
        raise UsageError("give the password with --password-stdin (one line)")
    if not password:
        raise UsageError("the password is empty")
    return password


def _totp(session: Session, email: str, off: bool) -> None:
    """A new second factor for an account (shown once), or none with --off."""
    row, uri = set_totp(session, email, remove=off)
    if off:
        print(f"{row.email} signs in with a password only now.")
        return
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    print(
        f"Second factor for {row.email} (shown once; any code made from an older one stops "
        "working now).\n"
        f"Add it to an authenticator app from this address (or a QR code of it):\n  {uri}\n"
        f"or type the key by hand: {secret}\n"
        "From the next sign-in, the console asks for the app's 6-digit code."
    )


def _print_accounts(
    rows: list[NavigatorRow], waits: dict[int, dt.datetime | None], as_json: bool
) -> None:
    entries = [
        {
            "email": r.email,
            "name": r.name,
            "role": r.role,
            "active": r.active,
            # Sign-ins from browsers that never signed in to it wait until then.
            "locked_until": waits[r.id].isoformat() if waits.get(r.id) else None,  # type: ignore[union-attr]
            "last_login_at": r.last_login_at.isoformat() if r.last_login_at else None,
            "second_factor": bool(r.totp_sealed),
        }
        for r in rows
    ]
    if as_json:
        print(json.dumps(entries, indent=2))
        return
    if not entries:
        print("No navigator accounts yet: homeward navigator add EMAIL --password-stdin")
    for e in entries:
        state = "active" if e["active"] else "disabled"
        if e["second_factor"]:
            state += ", second factor"
        if e["locked_until"]:
            state += f", new browsers wait until {e['locked_until']}"
        print(f"{e['email']}\t{e['role']}\t{e['name']}\t{state}")


def demo_password_path(settings: Settings) -> Path:
    """Where development keeps the demo account's password (beside the local key)."""
    return local_key_path(settings.database_url).parent / "console-demo-password"


def demo_account(settings: Settings) -> tuple[str, str] | None:
    """In development, a demo admin account when no other account exists; its password.

    The password is random, kept in a mode-0600 file beside the database so each
    start can print it again. Outside development nothing is made: a deployer
    adds accounts with `homeward navigator add`.
    """
    if not settings.development:
        return None
    engine = make_engine(settings.database_url, settings.secret_keys)
    path = demo_password_path(settings)
    with session_scope(engine) as session:
        row = find_navigator(session, DEMO_EMAIL)
        if row is None and list_navigators(session):
            return None
        if row is not None and path.exists():
            return DEMO_EMAIL, path.read_text(encoding="utf-8").strip()
        password = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(password + "\n")
        if row is None:
            add_navigator(session, DEMO_EMAIL, password, at=now(), name="Demo", admin=True)
        else:
            reset_password(row, password)
    return DEMO_EMAIL, password


def announce(settings: Settings, host: str, port: int) -> None:
    """Print where the console and the demo page are (and the demo sign-in)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    base = f"http://{shown}:{port}"
    lines = [f"Homeward is starting on {base}", f"  Navigators' console: {base}/console"]
    account = demo_account(settings)
    if account is not None:
        lines.append(
            f"    sign in as {account[0]} / {account[1]} "
            f"(development only; kept in {demo_password_path(settings)})"
        )
    if settings.demo_page:
        lines.append(f"  Demo texting page:   {base}/demo")
    lines.append("  Terminal chat:       homeward chat   (Ctrl-C stops the server)")
    print("\n".join(lines), flush=True)
