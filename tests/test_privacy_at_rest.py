"""Data at rest: numbers, chat ids and words are sealed; keys rotate; wrong keys are refused."""

from __future__ import annotations

import hashlib
import multiprocessing
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select, text

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.storage import schema
from bot.storage.contacts import find_contact
from bot.storage.db import DatabaseUnavailable, make_engine, session_scope
from bot.storage.inbound import claim, store_replies
from bot.storage.models import ContactRow, MessageRow, OutboxRow
from bot.storage.outbox import enqueue
from bot.storage.rotation import SEALED_COLUMNS, rotate_keys
from bot.storage.transcript import transcript
from bot.storage.vault import local_key, local_key_path, new_key, normalise_user, vault_of
from tests.conftest import SAMPLE_DIRECTORY

Run = Callable[..., subprocess.CompletedProcess[str]]
NUMBER = "+15105550187"
SECRET_WORD = "xylophonist"  # a word no reply or directory entry contains


def _runtime(database_url: str, keys: tuple[str, ...]) -> Runtime:
    settings = Settings(database_url, SAMPLE_DIRECTORY, "WARNING", secret_keys=keys)
    return open_runtime(settings)


def _talk(runtime: Runtime, user: str = NUMBER) -> Conversation:
    conversation = Conversation(runtime.engine, runtime.search, runtime.settings)
    for words in (f"{SECRET_WORD} needs shelter tonight 94607", "1", "person"):
        conversation.handle(InboundMessage("sms", user, words))
    conversation.handle(
        InboundMessage(
            "telegram", "987654321", SECRET_WORD, location=(37.80917, -122.26371), kind="telegram"
        )
    )
    with session_scope(runtime.engine) as session:
        contact = find_contact(session, "sms", user)
        assert contact is not None
        enqueue(session, contact, f"Hi, this is Ana about the {SECRET_WORD} question")
    with session_scope(runtime.engine) as session:
        assert claim(session, "sms", "SM-privacy") is None
        store_replies(session, "sms", "SM-privacy", [f"reply about {SECRET_WORD}"])
    return conversation


def _file_bytes(database_url: str) -> bytes:
    path = Path(database_url.removeprefix("sqlite:///"))
    with create_engine(database_url).connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    # The database and its journals; not the folder of saved search indexes beside it.
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


@pytest.mark.sqlite_only("reads the SQLite file's own bytes")
def test_a_texters_number_and_words_are_not_readable_in_the_database_file(
    sample_database_url: str,
) -> None:
    runtime = _runtime(sample_database_url, (new_key(),))
    _talk(runtime)
    raw = _file_bytes(sample_database_url)
    assert (
        raw.count(b"shelter") == raw.count(b"shelter tonight") == 0 or b"needs shelter" not in raw
    )
    # The location has digits no directory entry has: "37.8" alone is in the sample's coordinates.
    for secret in (SECRET_WORD.encode(), b"5105550187", b"555-0187", b"987654321", b"37.80917"):
        assert secret not in raw, secret
    with session_scope(runtime.engine) as session:  # and yet everything is there for us
        contact = find_contact(session, "sms", NUMBER)
        assert contact is not None
        assert contact.user_id == NUMBER
        lines = transcript(session, contact.id)
        assert lines[0].text.startswith(SECRET_WORD)
        assert any(line.author == "bot" and "Reply a number" in line.text for line in lines)
        telegram = find_contact(session, "telegram", "987654321")
        assert telegram is not None
        assert telegram.location == (37.80917, -122.26371)


def test_contacts_are_found_by_a_keyed_hash_that_differs_per_database(tmp_path: Path) -> None:
    key = new_key()
    hashes = []
    for name in ("one", "two"):
        runtime = _runtime(f"sqlite:///{tmp_path / name}.sqlite3", (key,))
        _talk(runtime)
        with session_scope(runtime.engine) as session:
            contact = find_contact(
                session, "sms", "(510) 555-0187"
            )  # another spelling, same person
            assert contact is not None
            hashes.append(contact.user_hash)
    plain = hashlib.sha256(NUMBER.encode()).hexdigest()
    assert plain not in hashes
    assert hashes[0] != hashes[1]  # the hash key is random per database, sealed inside it


def test_numbers_are_normalised_before_hashing() -> None:
    assert normalise_user("sms", "(510) 555-0187") == NUMBER
    assert normalise_user("whatsapp", "whatsapp:+15105550187") == NUMBER
    assert normalise_user("telegram", " 42 ") == "42"


def test_rotation_seals_everything_again_under_the_new_key(sample_database_url: str) -> None:
    old, new = new_key(), new_key()
    _talk(_runtime(sample_database_url, (old,)))
    done = rotate_keys(make_engine(sample_database_url, (new, old)))
    assert done["contacts.user_sealed"] == 2
    assert done["messages.body_sealed"] > 6
    assert done["outbox.body"] == 1
    assert done["inbound_messages.replies_sealed"] == 1
    assert len(done) == len(SEALED_COLUMNS)

    engine = make_engine(sample_database_url, (new,))  # the old key is gone, everything still opens
    with session_scope(engine) as session:
        contact = find_contact(session, "sms", NUMBER)
        assert contact is not None
        assert contact.user_id == NUMBER
        assert transcript(session, contact.id)[0].text.startswith(SECRET_WORD)
        vault = vault_of(session)
        outbox_body = session.scalars(select(OutboxRow.body)).one()
        assert SECRET_WORD in vault.open(outbox_body)
    with session_scope(engine) as session:
        assert claim(session, "sms", "SM-privacy") == (f"reply about {SECRET_WORD}",)
    with pytest.raises(DatabaseUnavailable, match="does not open this database"):
        make_engine(sample_database_url, (old,))


def test_a_wrong_key_is_one_plain_line(run_cli: Run) -> None:
    assert run_cli("directory", "load", env={"HOMEWARD_SECRET_KEY": new_key()}).returncode == 0
    result = run_cli("search", "food", env={"HOMEWARD_SECRET_KEY": new_key()})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "HOMEWARD_SECRET_KEY does not open this database" in result.stderr
    malformed = run_cli("search", "food", env={"HOMEWARD_SECRET_KEY": "hunter2"})
    assert malformed.returncode == 2
    assert malformed.stderr.strip() == (
        "homeward: HOMEWARD_SECRET_KEY must be keys made by `homeward keys new`, "
        "separated by commas (newest first)"
    )


def test_keys_rotate_through_the_command(run_cli: Run) -> None:
    old, new = new_key(), new_key()
    chat = run_cli("chat", "--user", NUMBER, env={"HOMEWARD_SECRET_KEY": old}, stdin="food\n")
    assert chat.returncode == 0, chat.stderr
    refused = run_cli("keys", "rotate", env={"HOMEWARD_SECRET_KEY": new})
    assert refused.returncode == 2
    assert "NEW,OLD" in refused.stderr
    rotated = run_cli("keys", "rotate", env={"HOMEWARD_SECRET_KEY": f"{new},{old}"})
    assert rotated.returncode == 0, rotated.stderr
    assert "contacts.user_sealed: 1 sealed again" in rotated.stdout
    after = run_cli(
        "chat", "--user", NUMBER, "--json", env={"HOMEWARD_SECRET_KEY": new}, stdin="more\n"
    )
    assert after.returncode == 0, after.stderr
    assert '"intent": "more"' in after.stdout


def test_keys_new_prints_a_usable_key(run_cli: Run) -> None:
    key = run_cli("keys", "new").stdout.strip()
    assert run_cli("directory", "load", env={"HOMEWARD_SECRET_KEY": key}).returncode == 0


@pytest.mark.sqlite_only("the embedded default's key sits beside its SQLite file")
def test_the_embedded_default_makes_a_private_local_key(run_cli: Run, database_url: str) -> None:
    result = run_cli("chat", "--user", "local", stdin="hi\n")
    assert result.returncode == 0, result.stderr
    key_file = local_key_path(database_url)
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = run_cli("chat", "--user", "local", "--json", stdin="menu\n")
    assert '"intent": "menu"' in again.stdout


def test_processes_making_the_local_key_at_once_all_get_the_same_whole_key(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    context = multiprocessing.get_context("fork")
    for _ in range(5):
        local_key_path(url).unlink(missing_ok=True)
        with context.Pool(8) as pool:
            keys = pool.map(local_key, [url] * 32)
        assert len(set(keys)) == 1
        Fernet(keys[0].encode())  # a whole key: a half-written file fails here
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".key-")] == []


def test_serve_refuses_to_start_without_a_key_outside_development(run_cli: Run) -> None:
    result = run_cli("serve", "--port", "1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "HOMEWARD_SECRET_KEY is not set" in result.stderr


@pytest.mark.sqlite_only("writes 0001 rows by hand in SQLite's dialect and reads the file")
def test_migration_0002_seals_rows_written_in_clear(database_url: str) -> None:
    engine = create_engine(database_url)
    config = schema.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO contacts (id, channel, user_id, language, last_query, last_results, "
                "page, awaiting, asked_zip, opted_out, handoff_open, created_at, last_seen_at, "
                "minute_count, day_count, limit_notice_sent, latitude, longitude) VALUES (1, 'sms', "
                f"'{NUMBER}', 'en', '{SECRET_WORD} food', '[]', 0, '', 0, 1, 0, "
                "'2026-11-01 10:00:00', '2026-11-01 10:00:00', 0, 0, 0, 37.81, -122.27)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO pending_messages (contact_id, body, created_at) "
                f"VALUES (1, 'about {SECRET_WORD}', '2026-11-01 10:00:00')"
            )
        )
    engine.dispose()
    key = new_key()
    sealed = make_engine(database_url, (key,))  # upgrades to the newest revision
    raw = _file_bytes(database_url)
    assert SECRET_WORD.encode() not in raw
    assert b"5105550187" not in raw
    with session_scope(sealed) as session:
        contact = find_contact(session, "sms", NUMBER)
        assert contact is not None
        assert contact.opted_out  # the opt-out survived the migration
        assert contact.last_query == f"{SECRET_WORD} food"
        assert contact.location == (37.81, -122.27)
        assert session.scalars(select(ContactRow)).one().user_sealed != NUMBER
        assert session.scalars(select(MessageRow)).all() == []
