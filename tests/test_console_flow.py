"""A navigator's work end to end: reply through the outbox, compose, notes, close; /demo."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.storage.db import session_scope
from bot.storage.models import HandoffRow, MessageRow, OutboxRow
from bot.web.console.compose import check_reply, fill, load_saved_replies
from tests.conftest import SAMPLE_DIRECTORY, write_yaml
from tests.console_helpers import (
    console_app,
    console_settings,
    contact_id,
    conversation_of,
    csrf,
    post,
    sign_in,
    text,
)
from tests.storage_helpers import outbox_status


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


def _wait_delivered(client: TestClient, outbox_id: int) -> str:
    engine = conversation_of(client).database
    for _ in range(150):
        status = outbox_status(engine, outbox_id)[0]
        if status not in ("pending", "sending"):
            return status
        time.sleep(0.1)
    return outbox_status(engine, outbox_id)[0]


def test_a_reply_reaches_homeward_chat_and_closing_returns_the_texter_to_the_bot(
    run_cli,
    database_url: str,  # type: ignore[no-untyped-def]
) -> None:
    url = database_url  # the database run_cli's commands use
    first = run_cli("chat", "--user", "maria", "--json", stdin="shelter 94607\ntalk to someone\n")
    assert first.returncode == 0, first.stderr
    with console_app(console_settings(url)) as client:
        token = sign_in(client)
        ident = contact_id(client, "maria")
        page = client.get(f"/console/conversations/{ident}").text
        assert "Searched: Housing and shelter 94607" in page
        assert "Shown: " in page
        sent = post(
            client,
            f"/console/conversations/{ident}/reply",
            token,
            body="Hi, this is Ana from Homeward. Are you safe tonight?",
            action="send",
        )
        assert sent.status_code == 303
        with session_scope(conversation_of(client).database) as session:
            line = session.scalars(select(MessageRow).where(MessageRow.author == "navigator")).one()
            assert line.outbox_id is not None
            outbox_id = line.outbox_id
        assert _wait_delivered(client, outbox_id) == "delivered"
        later = run_cli("chat", "--user", "maria", "--json", stdin="yes, at my cousin's\n")
        turns = [json.loads(row) for row in later.stdout.splitlines()]
        assert turns[0]["in"] is None
        assert turns[0]["replies"] == ["Hi, this is Ana from Homeward. Are you safe tonight?"]
        assert turns[1]["intent"] == "to_navigator"
        assert turns[1]["replies"] == []  # the navigator has written: no bot acknowledgement
        assert "yes, at my cousin" in client.get(f"/console/conversations/{ident}/transcript").text
        closed = post(client, f"/console/conversations/{ident}/close", token, outcome="connected")
        assert closed.status_code == 303
        assert closed.headers["location"] == "/console?done=closed"
        assert "Nobody is waiting" in client.get("/console").text
        with session_scope(conversation_of(client).database) as session:
            handoff = session.scalars(select(HandoffRow)).one()
            assert (handoff.status, handoff.outcome) == ("closed", "connected")
            assert handoff.closed_by is not None
    back = run_cli("chat", "--user", "maria", "--json", stdin="food 94601\n")
    turn = json.loads(back.stdout.splitlines()[-1])
    assert turn["intent"] == "search"
    assert turn["handoff"] is False


def test_composing_fills_saved_replies_and_inserts_a_service(database_url: str) -> None:
    settings = console_settings(database_url, HOMEWARD_OFFICE_ADDRESS="1200 Broadway, Oakland")
    with console_app(settings) as client:
        token = sign_in(client)
        text(client, "compose-texter", "talk to someone")
        ident = contact_id(client, "compose-texter")
        reply = f"/console/conversations/{ident}/reply"
        hello = post(client, reply, token, body="", action="insert_saved", saved_reply="hello")
        assert "Hi, this is Ana, a navigator with Homeward." in hello.text  # no name yet: left out
        post(client, f"/console/conversations/{ident}/name", token, first_name="Maria")
        named = post(client, reply, token, body="", action="insert_saved", saved_reply="hello")
        assert "Hi Maria, this is Ana" in named.text
        visit = post(
            client, reply, token, body="Draft kept.", action="insert_saved", saved_reply="visit"
        )
        assert "Draft kept.\nYou can come see us at 1200 Broadway, Oakland." in visit.text
        found = post(client, reply, token, body="Here:", action="find", q="dentist")
        assert 'name="service"' in found.text
        service = found.text.split('name="service" id="service-1" value="')[1].split('"')[0]
        inserted = post(
            client,
            reply,
            token,
            body="Here:",
            action="insert_service",
            q="dentist",
            service=service,
        )
        assert "Here:\n" in inserted.text
        assert "(510) 555-" in inserted.text
        assert 'name="service"' in inserted.text  # the results stay while composing
        assert (
            post(
                client, reply, token, body="", action="insert_saved", saved_reply="nope"
            ).status_code
            == 400
        )


def test_reply_rules_keep_the_draft_and_refuse_what_cannot_go(database_url: str) -> None:
    with console_app(console_settings(database_url)) as client:
        token = sign_in(client)
        text(client, "rules-texter", "talk to someone")
        ident = contact_id(client, "rules-texter")
        reply = f"/console/conversations/{ident}/reply"
        assert post(client, reply, token, body="   ", action="send").status_code == 400
        long_text = "word " * 120
        too_long = post(client, reply, token, body=long_text, action="send")
        assert too_long.status_code == 400
        assert "3 SMS segments" in too_long.text
        assert long_text.strip() in too_long.text  # nothing typed is lost
        text(client, "rules-texter", "stop")
        stopped = post(client, reply, token, body="Are you there?", action="send")
        assert stopped.status_code == 409
        assert "opted out" in stopped.text
        text(client, "rules-texter", "start")
        post(client, f"/console/conversations/{ident}/close", token, outcome="no_response")
        closed = post(client, reply, token, body="Hello again", action="send")
        assert closed.status_code == 409
        with session_scope(conversation_of(client).database) as session:
            assert session.scalars(select(OutboxRow)).all() == []


def test_sms_replies_are_folded_to_gsm_and_counted() -> None:
    checked = check_reply("“Hola”, ¿cómo está? 🙂", "sms")
    assert checked.text == '"Hola", ¿como esta?'
    assert checked.problem == ""
    assert check_reply("a" * 460, "whatsapp").problem == "too_long"
    assert check_reply("a" * 460, "telegram").problem == ""
    assert (
        fill("Hi {first_name}, I am {navigator_name}.", {"navigator_name": "Ana"})
        == "Hi, I am Ana."
    )


def test_a_broken_saved_replies_file_offers_none_and_says_why(tmp_path: Path) -> None:
    write_yaml(
        tmp_path / "saved_replies.yaml",
        """
        replies:
          - id: hello
            en: "Hi {nickname}"
          - title: {en: no id}
            en: "x"
        """,
    )
    replies, problems = load_saved_replies(tmp_path)
    assert replies == ()
    assert problems == [
        "saved_replies.yaml: reply 1: en: unknown variable {nickname}",
        "saved_replies.yaml: reply 2: id: missing",
    ]
    shipped, none = load_saved_replies(SAMPLE_DIRECTORY)
    assert none == []
    assert len(shipped) >= 4
    assert all(r.texts.get("es") for r in shipped)


def test_notes_are_private_and_sealed_in_the_database(database_url: str, tmp_path: Path) -> None:
    secret = "Maria's PO is Officer Quintana, court on the 14th"
    with console_app(console_settings(database_url)) as client:
        token = sign_in(client)
        text(client, "note-texter", "talk to someone")
        ident = contact_id(client, "note-texter")
        assert (
            post(client, f"/console/conversations/{ident}/notes", token, note=secret).status_code
            == 303
        )
        post(client, f"/console/conversations/{ident}/name", token, first_name="Quintanilla")
        page = client.get(f"/console/conversations/{ident}").text
        assert "Maria&#39;s PO is Officer Quintana" in page
        assert (
            post(client, f"/console/conversations/{ident}/notes", token, note=" ").status_code
            == 400
        )
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("homeward.sqlite3*"))
    assert b"Officer Quintana" not in raw
    assert b"Quintanilla" not in raw


def test_claim_release_and_assign(database_url: str) -> None:
    with console_app(console_settings(database_url)) as client:
        token = sign_in(client)
        text(client, "claim-texter", "talk to someone")
        ident = contact_id(client, "claim-texter")
        claimed = post(client, f"/console/conversations/{ident}/claim", token, next="queue")
        assert claimed.headers["location"] == "/console?done=claimed"
        assert "You have it" in client.get("/console/queue/rows").text
        post(client, f"/console/conversations/{ident}/release", token)
        assert "Claim" in client.get("/console/queue/rows").text
        page = client.get(f"/console/conversations/{ident}").text
        people = page.split('id="navigator_id"')[1].split("</select>")[0]
        luis = people.split(">Luis<")[0].rsplit('<option value="', 1)[1].split('"')[0]
        post(client, f"/console/conversations/{ident}/assign", token, navigator_id=luis)
        assert "Assigned to Luis." in client.get(f"/console/conversations/{ident}").text


@pytest.mark.parametrize(
    ("env", "shown"),
    [
        ({"HOMEWARD_ENV": "development"}, True),
        ({"HOMEWARD_ENV": "production"}, True),  # no channel configured yet
        (
            {
                "HOMEWARD_ENV": "production",
                "TELEGRAM_BOT_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            },
            False,
        ),
    ],
)
def test_the_demo_page_is_on_only_in_development_or_without_channels(
    database_url: str, env: dict[str, str], shown: bool
) -> None:
    from bot.settings import Settings

    settings = Settings.from_env(
        {"HOMEWARD_DATABASE_URL": database_url, "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY), **env}
    )
    from bot.web.console.demo import demo_enabled

    assert demo_enabled(settings) is shown


def test_the_demo_page_texts_through_the_console_channel(database_url: str) -> None:
    with console_app(console_settings(database_url)) as client:
        page = client.get("/demo")
        assert page.status_code == 200
        assert client.post("/demo", data={"body": "hi"}).status_code == 403
        sent = client.post("/demo", data={"body": "shelter 94607", "csrf_token": csrf(page.text)})
        assert sent.status_code == 303
        lines = client.get("/demo/messages").text
        assert "shelter 94607" in lines
        assert "Welcome to Homeward" in lines
        client.post("/demo", data={"body": "talk to someone", "csrf_token": csrf(page.text)})
        client.post("/demo", data={"body": "<b>bold?</b>", "csrf_token": csrf(page.text)})
        assert "&lt;b&gt;bold?&lt;/b&gt;" in client.get("/demo/messages").text
        token = sign_in(client)
        queue = client.get("/console").text
        assert "Console (demo)" in queue
        ident = int(queue.split('href="/console/conversations/')[1].split('"')[0])
        post(
            client,
            f"/console/conversations/{ident}/reply",
            token,
            body="Hi from Ana",
            action="send",
        )
        for _ in range(100):
            if "Hi from Ana" in client.get("/demo/messages").text:
                break
            time.sleep(0.1)
        assert "Hi from Ana" in client.get("/demo/messages").text
        client.post("/demo/reset", data={"csrf_token": csrf(page.text)})
        assert "Hi from Ana" not in client.get("/demo/messages").text  # a new texter


def test_notes_and_names_are_rotated_and_purged_with_the_rest(database_url: str) -> None:
    import datetime as dt

    from bot.storage.db import make_engine
    from bot.storage.handoffs import add_note, notes_of
    from bot.storage.navigators import add_navigator
    from bot.storage.retention import purge
    from bot.storage.rotation import rotate_keys
    from bot.storage.vault import new_key

    old, new = new_key(), new_key()
    engine = make_engine(database_url, (old,))
    with session_scope(engine) as session:
        from bot.storage.contacts import now
        from tests.storage_helpers import create_contact

        contact = create_contact(session, "sms", "+15105550155", "en")
        navigator = add_navigator(session, "rot@example.org", "long enough password", at=now())
        add_note(session, contact, navigator, "called the shelter for her")
        contact.first_name = "Rosa"
        ident = contact.id
    done = rotate_keys(make_engine(database_url, (new, old)))
    assert done["navigator_notes.body_sealed"] == 1
    assert done["contacts.first_name_sealed"] == 1
    rotated = make_engine(database_url, (new,))
    with session_scope(rotated) as session:
        assert [n.text for n in notes_of(session, ident)] == ["called the shelter for her"]
        from bot.storage.models import ContactRow

        row = session.get(ContactRow, ident)
        assert row is not None
        assert row.first_name == "Rosa"
    report = purge(rotated, 90, at=dt.datetime.now(dt.UTC) + dt.timedelta(days=91))
    assert report.notes == 1


def test_a_texter_back_with_the_bot_but_still_queued_is_not_forgotten(database_url: str) -> None:
    import datetime as dt

    from bot.storage.retention import purge

    with console_app(console_settings(database_url)) as client:
        text(client, "queued-texter", "talk to someone")
        text(client, "queued-texter", "menu")
        engine = conversation_of(client).database
        report = purge(engine, 90, at=dt.datetime.now(dt.UTC) + dt.timedelta(days=91))
        assert report.contacts == 0
        with session_scope(engine) as session:
            assert session.scalars(select(HandoffRow.status)).all() == ["open"]
