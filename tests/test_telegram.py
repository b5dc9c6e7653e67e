"""Telegram end to end: updates posted to the real app, PTB's real HTTP layer
talking to our fake Bot API server."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.settings import Settings
from bot.web.app import create_app
from tests.conftest import SAMPLE_DIRECTORY
from tests.fake_telegram import TOKEN, FakeBotApi
from tests.storage_helpers import outbox_status

SECRET = "webhook-secret_123"
_ids = itertools.count(1000)


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


@pytest.fixture
def client(database_url: str, bot_api: FakeBotApi) -> Iterator[TestClient]:
    settings = Settings.from_env(
        {
            "HOMEWARD_DATABASE_URL": database_url,
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
            "HOMEWARD_PUBLIC_URL": "https://homeward.example.org",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": bot_api.url,
        }
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _message(chat: int, text: str, update_id: int | None = None, **extra: Any) -> dict[str, Any]:
    message = {
        "message_id": next(_ids),
        "date": 1764000000,
        "chat": {"id": chat, "type": "private"},
        "from": {"id": chat, "is_bot": False, "first_name": "Sam"},
        "text": text,
        **extra,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id or next(_ids), "message": message}


def _post(client: TestClient, update: dict[str, Any], secret: str | None = SECRET) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post("/telegram/webhook", json=update, headers=headers).status_code


def test_start_sets_the_webhook_with_the_secret_and_registers_commands(
    client: TestClient, bot_api: FakeBotApi
) -> None:
    webhook = bot_api.sent("setWebhook")
    assert webhook == [
        {"url": "https://homeward.example.org/telegram/webhook", "secret_token": SECRET}
    ]
    commands = bot_api.sent("setMyCommands")
    assert len(commands) == 2
    assert {c.get("language_code") for c in commands} == {None, "es"}
    assert {c["command"] for c in commands[0]["commands"]} == {
        "start",
        "help",
        "menu",
        "lang",
        "person",
        "stop",
    }


def test_a_text_gets_results_with_buttons(client: TestClient, bot_api: FakeBotApi) -> None:
    assert _post(client, _message(501, "food 94601")) == 200
    sent = bot_api.wait_for("sendMessage", 2)
    assert "Welcome to Homeward" in sent[0]["text"]
    results = sent[1]
    assert "Food near 94601" in results["text"]
    keyboard = results["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for b in keyboard[0]] == ["1", "2", "3", "4", "5"]
    assert ["more"] in [[b["callback_data"] for b in row] for row in keyboard]
    assert all(len(b["callback_data"].encode()) <= 64 for row in keyboard for b in row)
    assert len(results["text"]) < 4096


def test_a_button_press_answers_the_callback_and_shows_details(
    client: TestClient, bot_api: FakeBotApi
) -> None:
    _post(client, _message(502, "shelter 94607"))
    bot_api.wait_for("sendMessage", 2)
    press = {
        "update_id": next(_ids),
        "callback_query": {
            "id": "cb1",
            "chat_instance": "x",
            "data": "2",
            "from": {"id": 502, "is_bot": False, "first_name": "Sam"},
            "message": {
                "message_id": 7,
                "date": 1764000000,
                "chat": {"id": 502, "type": "private"},
                "text": "old",
            },
        },
    }
    assert _post(client, press) == 200
    assert bot_api.wait_for("answerCallbackQuery", 1)[0]["callback_query_id"] == "cb1"
    assert "Hours:" in bot_api.wait_for("sendMessage", 3)[2]["text"]


def test_a_shared_location_ranks_by_distance(client: TestClient, bot_api: FakeBotApi) -> None:
    _post(client, _message(503, "hi"))
    bot_api.wait_for("sendMessage", 1)
    update = _message(503, "", location={"latitude": 37.7396, "longitude": -122.1701})
    del update["message"]["text"]
    _post(client, update)
    _post(client, _message(503, "food"))
    sent = bot_api.wait_for("sendMessage", 3)
    assert " mi" in sent[2]["text"]


def test_start_with_es_payload_answers_in_spanish(client: TestClient, bot_api: FakeBotApi) -> None:
    _post(client, _message(504, "/start es"))
    assert "Bienvenido a Homeward" in bot_api.wait_for("sendMessage", 1)[0]["text"]


def test_a_repeated_update_id_is_acknowledged_not_answered_again(
    client: TestClient, bot_api: FakeBotApi
) -> None:
    update = _message(505, "hi", update_id=77)
    assert _post(client, update) == 200
    bot_api.wait_for("sendMessage", 1)
    assert _post(client, update) == 200
    assert len(bot_api.wait_for("sendMessage", 2, timeout=1.0)) == 1


def test_missing_or_wrong_secret_is_refused(client: TestClient, bot_api: FakeBotApi) -> None:
    assert _post(client, _message(506, "hi"), secret=None) == 403
    assert _post(client, _message(506, "hi"), secret="wrong") == 403
    assert bot_api.wait_for("sendMessage", 1, timeout=0.5) == []


def test_garbage_is_acknowledged_never_a_5xx(client: TestClient) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert client.post("/telegram/webhook", content=b"not json", headers=headers).status_code == 200
    assert client.post("/telegram/webhook", json=[1, 2], headers=headers).status_code == 200
    assert (
        client.post(
            "/telegram/webhook", json={"update_id": 5, "weird": {}}, headers=headers
        ).status_code
        == 200
    )
    assert (
        client.post("/telegram/webhook", content=b"x" * 2_000_000, headers=headers).status_code
        == 413
    )


def test_a_blocked_bot_marks_the_contact_stopped(client: TestClient, bot_api: FakeBotApi) -> None:
    from bot.storage.contacts import find_contact
    from bot.storage.db import session_scope

    bot_api.blocked.add(507)
    _post(client, _message(507, "hi"))
    bot_api.wait_for("sendMessage", 1)
    conversation = client.app.state.conversation  # type: ignore[attr-defined]
    import time

    for _ in range(100):
        with session_scope(conversation.database) as session:
            contact = find_contact(session, "telegram", "507")
            if contact is not None and contact.opted_out:
                break
        time.sleep(0.05)
    assert contact is not None
    assert contact.opted_out


def _sender_setup(database_url: str, bot_api: FakeBotApi) -> tuple[Any, Any]:
    from bot.delivery.telegram_sender import TelegramSender
    from bot.delivery.worker import OutboxWorker
    from bot.storage.db import make_engine

    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": bot_api.url,
            "HOMEWARD_DATABASE_URL": database_url,
        }
    )
    engine = make_engine(database_url)
    return engine, OutboxWorker(engine, {"telegram": TelegramSender(settings)}, backoff=0.01)


def _queue(engine: Any, chat: str, body: str) -> int:
    from bot.storage import outbox
    from bot.storage.db import session_scope
    from tests.storage_helpers import create_contact

    with session_scope(engine) as session:
        return outbox.enqueue(session, create_contact(session, "telegram", chat, "en"), body)


def test_outbox_messages_wait_for_telegrams_retry_after(
    database_url: str, bot_api: FakeBotApi
) -> None:
    import time

    engine, worker = _sender_setup(database_url, bot_api)
    bot_api.throttle = [1]
    outbox_id = _queue(engine, "601", "A navigator wrote back.")
    worker.run_once()
    assert outbox_status(engine, outbox_id)[0] == "pending"
    worker.run_once()
    assert outbox_status(engine, outbox_id)[0] == "pending"  # retry_after not over yet
    time.sleep(1.1)
    worker.run_once()
    assert outbox_status(engine, outbox_id)[0] == "sent"
    assert [p["text"] for p in bot_api.sent()] == [
        "A navigator wrote back."
    ] * 2  # refused once, then sent


def test_outbox_to_a_blocked_chat_stops_the_contact(database_url: str, bot_api: FakeBotApi) -> None:

    engine, worker = _sender_setup(database_url, bot_api)
    bot_api.blocked.add(602)
    first = _queue(engine, "602", "Hello")
    worker.run_once()
    assert outbox_status(engine, first)[0] == "failed"


def test_long_polling_answers_without_a_public_url(database_url: str, bot_api: FakeBotApi) -> None:
    settings = Settings.from_env(
        {
            "HOMEWARD_DATABASE_URL": database_url,
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": bot_api.url,
        }
    )
    bot_api.updates.append(_message(603, "necesito comida 94601", update_id=9001))
    with TestClient(create_app(settings, polling=True)):
        sent = bot_api.wait_for("sendMessage", 2)
    assert "Comida cerca de 94601" in sent[1]["text"]
    assert bot_api.sent("deleteWebhook")


def test_operator_commands_set_and_delete_the_webhook(run_cli: Any, bot_api: FakeBotApi) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": bot_api.url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "HOMEWARD_PUBLIC_URL": "https://homeward.example.org",
    }
    assert run_cli("telegram", "set-webhook", env=env).stdout.strip() == "OK"
    assert run_cli("telegram", "delete-webhook", env=env).stdout.strip() == "OK"
    assert bot_api.sent("setWebhook")[-1]["secret_token"] == SECRET
    assert bot_api.sent("deleteWebhook")
