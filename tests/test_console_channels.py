"""A navigator's reply on the texter's real channel, and the navigators' Telegram alerts."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlencode

import pytest
from starlette.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.delivery.worker import make_worker
from bot.runtime import open_runtime
from bot.settings import Settings
from tests.conftest import SAMPLE_DIRECTORY
from tests.console_helpers import (
    console_app,
    console_settings,
    contact_id,
    conversation_of,
    post,
    sign_in,
    text,
)
from tests.fake_telegram import TOKEN, FakeBotApi
from tests.storage_helpers import outbox_status
from tests.twilio_mock import FaultProxy

PUBLIC = "https://homeward.example.org"
TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC" + "2" * 32,
    "TWILIO_AUTH_TOKEN": "console-test-token",
    "TWILIO_FROM": "+15105550100",
    "HOMEWARD_PUBLIC_URL": PUBLIC,
}
GROUP = "-1001234567890"


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


def _wait(
    client: TestClient, outbox_id: int, leave: tuple[str, ...] = ("pending", "sending")
) -> str:
    engine = conversation_of(client).database
    for _ in range(150):
        status = outbox_status(engine, outbox_id)[0]
        if status not in leave:
            return status
        time.sleep(0.1)
    return outbox_status(engine, outbox_id)[0]


def test_a_reply_to_an_sms_texter_goes_out_through_twilio_and_its_status_is_shown(
    database_url: str, twilio_proxy: FaultProxy
) -> None:
    settings = console_settings(
        database_url, HOMEWARD_ENV="production", TWILIO_API_BASE_URL=twilio_proxy.url, **TWILIO
    )
    with console_app(settings) as client:
        text(client, "+15105550199", "talk to someone", channel="sms")
        ident = contact_id(client, "+15105550199", channel="sms")
        token = sign_in(client)
        sent = post(
            client,
            f"/console/conversations/{ident}/reply",
            token,
            body="Hi, this is Ana. What do you need tonight?",
            action="send",
        )
        assert sent.status_code == 303
        from sqlalchemy import select

        from bot.storage.db import session_scope
        from bot.storage.models import OutboxRow

        with session_scope(conversation_of(client).database) as session:
            outbox_id = session.scalars(select(OutboxRow.id)).one()
        assert _wait(client, outbox_id) == "queued"  # Twilio (Prism) accepted it
        assert len(twilio_proxy.created) == 1
        form = parse_qs(twilio_proxy.created[0])
        assert form["To"] == ["+15105550199"]
        assert form["Body"] == ["Hi, this is Ana. What do you need tonight?"]
        provider_id = outbox_status(conversation_of(client).database, outbox_id)[2]
        assert provider_id is not None
        callback = {"MessageSid": provider_id, "MessageStatus": "delivered"}
        signature = RequestValidator(TWILIO["TWILIO_AUTH_TOKEN"]).compute_signature(
            PUBLIC + "/twilio/status", callback
        )
        done = client.post(
            "/twilio/status",
            content=urlencode(callback),
            headers={
                "X-Twilio-Signature": signature,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert done.status_code == 204
        page = client.get(f"/console/conversations/{ident}/transcript").text
        assert "Delivery: Delivered" in page
        assert "/demo" not in client.get("/console").text
        assert client.get("/demo").status_code == 404  # a channel is on, in production


def _alert_setup(database_url: str, bot_api: FakeBotApi) -> tuple[Conversation, object]:
    settings = Settings.from_env(
        {
            "HOMEWARD_DATABASE_URL": database_url,
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": bot_api.url,
            "TELEGRAM_NAVIGATOR_CHAT_ID": GROUP,
            "HOMEWARD_PUBLIC_URL": PUBLIC,
        }
    )
    runtime = open_runtime(settings)
    return Conversation(runtime.engine, runtime.search, settings), make_worker(
        runtime.engine, settings
    )


def _alerts(bot_api: FakeBotApi) -> list[str]:
    return [str(p["text"]) for p in bot_api.sent() if str(p.get("chat_id")) == GROUP]


def test_a_new_request_posts_a_short_alert_and_a_crisis_says_urgent(
    database_url: str, bot_api: FakeBotApi
) -> None:
    conversation, worker = _alert_setup(database_url, bot_api)
    conversation.handle(InboundMessage("sms", "+15105550188", "talk to someone about my rent"))
    worker.run_once()  # type: ignore[attr-defined]
    first = _alerts(bot_api)
    assert len(first) == 1
    assert first[0].startswith("New request for a navigator: #")
    assert f"{PUBLIC}/console/conversations/" in first[0]
    conversation.handle(InboundMessage("sms", "+15105550188", "i want to kill myself"))
    worker.run_once()  # type: ignore[attr-defined]
    worker.run_once()  # type: ignore[attr-defined]
    alerts = _alerts(bot_api)
    assert len(alerts) == 2  # raised to urgent: one more alert, then nothing again
    assert alerts[1].startswith("URGENT: request #")
    assert "self-harm" in alerts[1]
    conversation.handle(
        InboundMessage("telegram", "555000111", "my boyfriend hits me and i am scared")
    )
    worker.run_once()  # type: ignore[attr-defined]
    alerts = _alerts(bot_api)
    assert len(alerts) == 3
    assert alerts[2].startswith("URGENT")
    assert "(violence)" in alerts[2]
    for alert in alerts:  # no words, no number, no chat id
        for secret in ("rent", "kill", "boyfriend", "0188", "5105550188", "555000111"):
            assert secret not in alert


def test_a_throttled_alert_is_posted_later_and_a_refused_one_is_dropped(
    database_url: str, bot_api: FakeBotApi
) -> None:
    conversation, worker = _alert_setup(database_url, bot_api)
    bot_api.throttle = [1]
    conversation.handle(InboundMessage("sms", "+15105550177", "person"))
    worker.run_once()  # type: ignore[attr-defined]  # answered 429: kept for later
    worker.run_once()  # type: ignore[attr-defined]  # paused: not tried again at once
    assert len(_alerts(bot_api)) == 1
    time.sleep(1.2)
    worker.run_once()  # type: ignore[attr-defined]
    tried = _alerts(bot_api)
    assert len(tried) == 2
    assert tried[0] == tried[1]
    bot_api.blocked.add(int(GROUP))
    conversation.handle(InboundMessage("sms", "+15105550166", "person"))
    worker.run_once()  # type: ignore[attr-defined]
    bot_api.blocked.clear()
    worker.run_once()  # type: ignore[attr-defined]
    assert len(_alerts(bot_api)) == 3  # refused for good (the bot is not in the group): logged


def test_the_navigator_chat_needs_a_bot_token() -> None:
    import pytest

    from bot.settings import SettingsError

    with pytest.raises(SettingsError, match="needs TELEGRAM_BOT_TOKEN"):
        Settings.from_env({"TELEGRAM_NAVIGATOR_CHAT_ID": GROUP})
    with pytest.raises(SettingsError, match="must be a chat id"):
        Settings.from_env({"TELEGRAM_NAVIGATOR_CHAT_ID": "the group", "TELEGRAM_BOT_TOKEN": TOKEN})


def test_a_reply_to_a_telegram_texter_goes_out_through_the_bot_api(
    database_url: str, bot_api: FakeBotApi
) -> None:
    settings = console_settings(
        database_url,
        HOMEWARD_ENV="production",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=bot_api.url,
        TELEGRAM_WEBHOOK_SECRET="s3cret",
        HOMEWARD_PUBLIC_URL=PUBLIC,
    )
    with console_app(settings) as client:
        text(client, "424242", "talk to someone", channel="telegram")
        ident = contact_id(client, "424242", channel="telegram")
        token = sign_in(client)
        assert "Telegram" in client.get("/console").text
        long_reply = "Here is everything about the shelter. " * 20  # fine on Telegram, not by SMS
        sent = post(
            client, f"/console/conversations/{ident}/reply", token, body=long_reply, action="send"
        )
        assert sent.status_code == 303
        messages = [
            p for p in bot_api.wait_for("sendMessage", 1) if str(p.get("chat_id")) == "424242"
        ]
        assert [m["text"] for m in messages] == [long_reply.strip()]
