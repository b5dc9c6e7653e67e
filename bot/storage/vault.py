"""Encryption at rest: texters' numbers, chat ids and words never sit in the database in clear.

Values are sealed with Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``)
under the keys in ``HOMEWARD_SECRET_KEY``: the first key seals, every listed key
opens, which is what makes rotation possible without downtime.

A contact is found by a keyed hash (HMAC-SHA256) of the normalised number or chat
id, never by the number itself. The hash key is random, made once per database
and stored there sealed under the secret key ("envelope"), so a key rotation does
not change any hash: an erased texter's opt-out, kept only as a hash, still holds
after every rotation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Connection, Engine, Table, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.storage.models import SecretRow

LOOKUP_SECRET = "lookup"  # noqa: S105 - the name of a row, not a secret
PHONE_CHANNELS = ("sms", "whatsapp")


class KeyProblem(RuntimeError):
    """The secret key is missing, malformed or not the one the data was sealed with."""


def new_key() -> str:
    """A fresh random key, in the form HOMEWARD_SECRET_KEY takes."""
    return Fernet.generate_key().decode()


def local_key_path(database_url: str) -> Path:
    """Where a development database's generated key is kept.

    Beside the SQLite file for the embedded default; for a server database,
    under ``~/.homeward/`` with a name made from the URL, so every command run
    by the same user against the same database finds the same key.
    """
    parsed = make_url(database_url)
    database = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and database and database != ":memory:":
        return Path(database).expanduser().parent / "homeward.key"
    digest = hashlib.sha256(parsed.render_as_string(hide_password=True).encode()).hexdigest()
    return Path.home() / ".homeward" / f"{digest[:16]}.key"


def local_key(database_url: str) -> str:
    """The local key for a development database, made on first use (mode 0600)."""
    path = local_key_path(database_url)
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = new_key()
    # Written whole under a private name, then linked into place: a process that
    # starts at the same moment sees either no key or the whole key, never an
    # empty file (three workers starting together once read one half-made).
    descriptor, temporary = tempfile.mkstemp(prefix=".key-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
        os.link(temporary, path)
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="ascii").strip()
    finally:
        os.unlink(temporary)
    return key


def normalise_user(channel: str, user_id: str) -> str:
    """One spelling per person: E.164 for phone numbers, the bare id otherwise."""
    value = user_id.strip()
    if channel in PHONE_CHANNELS:
        value = value.removeprefix("whatsapp:")
        try:
            number = phonenumbers.parse(value, "US")
        except phonenumbers.NumberParseException:
            return value
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return value


class Vault:
    """Seals and opens values, and hashes user ids for lookups."""

    def __init__(self, keys: Sequence[str], lookup_key: bytes) -> None:
        self.fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        self._lookup_key = lookup_key

    def seal(self, text: str) -> str:
        """Encrypt a string; the empty string stays empty (nothing to hide)."""
        return self.fernet.encrypt(text.encode()).decode() if text else ""

    def open(self, token: str) -> str:
        """Decrypt what ``seal`` made."""
        return self.fernet.decrypt(token.encode()).decode() if token else ""

    def seal_json(self, value: Any) -> str:
        """Encrypt a JSON-able value (a list of replies, a point)."""
        return self.seal(json.dumps(value, separators=(",", ":")))

    def open_json(self, token: str, default: Any = None) -> Any:
        """Decrypt what ``seal_json`` made."""
        return json.loads(self.open(token)) if token else default

    def rotate(self, token: str) -> str:
        """The same value sealed under the newest key."""
        return self.fernet.rotate(token.encode()).decode() if token else ""

    def lookup(self, channel: str, user_id: str) -> str:
        """The keyed hash a contact is found by."""
        normalised = normalise_user(channel, user_id).encode()
        return hmac.new(self._lookup_key, normalised, hashlib.sha256).hexdigest()


def open_vault(connection: Connection, keys: Sequence[str]) -> Vault:
    """The vault for a database: its lookup key is made on first use, then reused."""
    fernet = MultiFernet([Fernet(key.encode()) for key in keys])
    table = SecretRow.__table__
    assert isinstance(table, Table)
    query = select(table.c.sealed).where(table.c.name == LOOKUP_SECRET)
    sealed = connection.execute(query).scalar()
    if sealed is None:
        sealed = fernet.encrypt(secrets.token_bytes(32)).decode()
        try:
            with connection.begin_nested():
                connection.execute(insert(table).values(name=LOOKUP_SECRET, sealed=sealed))
        except IntegrityError:  # another worker made it at the same moment
            sealed = connection.execute(query).scalar_one()
    try:
        lookup_key = fernet.decrypt(sealed.encode())
    except InvalidToken:
        raise KeyProblem(
            "HOMEWARD_SECRET_KEY does not open this database: it was written with another "
            "key (list the old key after the new one, then run `homeward keys rotate`)"
        ) from None
    return Vault(keys, lookup_key)


_VAULTS: weakref.WeakKeyDictionary[Engine, Vault] = weakref.WeakKeyDictionary()


def attach(engine: Engine, vault: Vault) -> None:
    """Make ``vault`` the one every session on ``engine`` seals with."""
    _VAULTS[engine] = vault


def vault_of(bind: Session | Engine | Connection) -> Vault:
    """The vault of the engine a session or connection runs on."""
    if isinstance(bind, Session):
        bind = bind.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    try:
        return _VAULTS[engine]
    except KeyError:
        raise RuntimeError("no vault attached to this engine; open it with make_engine") from None
