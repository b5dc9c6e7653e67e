"""Issue 17, findings 4, 5 and 11 against the real `homeward serve`: a signed webhook
replayed after the 2-day retry records are gone does nothing; a Telegram update with
odd fields is ignored and never stored; groups and channels get no answer.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot.storage.contacts import find_contact, now
from bot.storage.db import session_scope
from bot.storage.models import ContactRow, InboundRow
from bot.storage.retention import purge
from tests.fake_telegram import TOKEN, FakeBotApi
from tests.postgres_server import PostgresServer
from tests.security_helpers import Running, running_server, signed_in
from tests.security_helpers import close_clients as close_clients
from tests.server_helpers import signed_post, sms_form

pytestmark = pytest.mark.slow
SECRET = "webhook-secret_456"
_ids = itertools.count(7000)


@pytest.fixture(scope="module")
def bot_api_server() -> Iterator[FakeBotApi]:
    fake = FakeBotApi()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer | None,
    seeded_database: str,
    bot_api_server: FakeBotApi,
) -> Iterator[Running]:
    extra = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": bot_api_server.url,
        "TELEGRAM_NAVIGATOR_CHAT_ID": "-1001234567890",
        "HOMEWARD_LOG_LEVEL": "INFO",
    }
    folder = tmp_path_factory.mktemp("replay")
    with running_server(postgres, folder, seeded_database, extra) as running:
        yield running


def _opted_out(served: Running, channel: str, user: str) -> bool:
    with session_scope(served.engine) as session:
        contact = find_contact(session, channel, user)
        assert contact is not None
        return contact.opted_out


def test_a_signed_stop_replayed_after_the_retry_records_are_purged_changes_nothing(
    served: Running,
) -> None:
    number = "+15105550901"
    stop = sms_form("STOP", "SM" + "a1" * 16, number)
    assert signed_post(served.base, stop).status_code == 200
    assert _opted_out(served, "sms", number)
    assert "<Message>" in signed_post(served.base, sms_form("START", "SM" + "b2" * 16, number)).text
    assert not _opted_out(served, "sms", number)

    purge(served.engine, 90, now() + dt.timedelta(days=3), message_id_days=30)  # the daily job
    replayed = signed_post(served.base, stop)  # the captured request, byte for byte
    assert replayed.status_code == 200
    assert "<Message>" not in replayed.text
    assert not _opted_out(served, "sms", number)  # the replay was recognised, not processed
    with session_scope(served.engine) as session:
        kept = session.scalars(select(InboundRow.external_id)).all()
    assert "SM" + "a1" * 16 not in kept  # only a hash of the id is kept
    assert all(len(key) == 64 for key in kept)


def _update(chat: dict[str, Any], **message: Any) -> dict[str, Any]:
    body = {
        "message_id": next(_ids),
        "date": 1764000000,
        "chat": chat,
        "from": {"id": abs(int(chat["id"])), "is_bot": False, "first_name": "Sam"},
        **message,
    }
    return {"update_id": next(_ids), "message": body}


def _post(served: Running, update: dict[str, Any]) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    return httpx.post(served.base + "/telegram/webhook", json=update, headers=headers).status_code


def _sent_to(bot_api: FakeBotApi, chat: int) -> list[dict[str, Any]]:
    return [m for m in bot_api.sent() if int(m["chat_id"]) == chat]


def test_an_odd_telegram_location_is_ignored_and_the_texter_still_gets_answers(
    served: Running, bot_api_server: FakeBotApi
) -> None:
    chat = {"id": 4242, "type": "private"}
    odd = (
        {"latitude": None, "longitude": None},
        {"latitude": "abc", "longitude": "-122.27"},
        {"latitude": 91.5, "longitude": 10.0},
        {"latitude": True, "longitude": 1.0},
    )
    for location in odd:
        assert _post(served, _update(chat, location=location)) == 200
    with session_scope(served.engine) as session:  # ignored: nothing of them was stored
        assert find_contact(session, "telegram", "4242") is None
    assert _post(served, _update(chat, text="food 94601")) == 200
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=10)
    while not _sent_to(bot_api_server, 4242) and dt.datetime.now(dt.UTC) < deadline:
        bot_api_server.wait_for("sendMessage", len(bot_api_server.sent()) + 1, timeout=0.2)
    assert _sent_to(bot_api_server, 4242)  # searched, and answered
    with session_scope(served.engine) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(InboundRow).where(InboundRow.channel == "telegram")
            )
            == 1
        )  # only the text was taken in
    assert "ignored a Telegram update: message.location" in served.server.log.read_text()


def test_a_location_stored_by_an_older_version_no_longer_breaks_a_texter(
    served: Running, bot_api_server: FakeBotApi
) -> None:
    from bot.storage.vault import vault_of

    chat = {"id": 4343, "type": "private"}
    before = len(bot_api_server.sent())
    assert _post(served, _update(chat, text="talk to a person")) == 200
    bot_api_server.wait_for("sendMessage", before + 1)
    with session_scope(served.engine) as session:  # what the old version let in
        contact = find_contact(session, "telegram", "4343")
        assert contact is not None
        contact.location_sealed = vault_of(session).seal_json([None, "abc"])
        ident = contact.id
    admin = served.account("telegram-admin@example.org", "Mo", admin=True)
    client, _ = signed_in(served.base, admin)
    page = client.get(f"/console/conversations/{ident}")
    assert page.status_code == 200
    assert client.get(f"/console/conversations/{ident}/transcript").status_code == 200


def test_groups_and_channel_posts_are_never_answered(
    served: Running, bot_api_server: FakeBotApi
) -> None:
    group = {"id": -100555, "type": "supergroup", "title": "Neighbours"}
    navigators = {"id": -1001234567890, "type": "supergroup", "title": "Navigators"}
    private = {"id": 4444, "type": "private"}
    assert _post(served, _update(group, text="I need a shelter tonight 94607")) == 200
    assert _post(served, _update(navigators, text="/start")) == 200
    post = {"message_id": 5, "date": 1764000000, "chat": {"id": -100666, "type": "channel"}}
    assert _post(served, {"update_id": next(_ids), "channel_post": {**post, "text": "food"}}) == 200
    assert _post(served, _update(private, text="food 94601")) == 200
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=10)
    while not _sent_to(bot_api_server, 4444) and dt.datetime.now(dt.UTC) < deadline:
        bot_api_server.wait_for("sendMessage", len(bot_api_server.sent()) + 1, timeout=0.2)
    assert _sent_to(bot_api_server, 4444)  # the private chat is answered
    for chat in (-100555, -100666):
        assert not _sent_to(bot_api_server, chat)
    to_navigators = [m["text"] for m in _sent_to(bot_api_server, -1001234567890)]
    assert all(t.startswith(("New request", "URGENT")) for t in to_navigators)  # alerts only
    with session_scope(served.engine) as session:
        channels = session.scalars(select(ContactRow.channel)).all()
        hashes = [find_contact(session, "telegram", str(c)) for c in (-100555, -100666)]
    assert hashes == [None, None]  # nothing stored of them either
    assert channels
