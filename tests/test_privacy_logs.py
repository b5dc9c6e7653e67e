"""Logs never hold a texter's words or number, at any level."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.delivery.worker import make_worker
from bot.settings import Settings
from bot.storage import outbox
from bot.storage.contacts import find_contact
from bot.storage.db import session_scope
from bot.web.app import create_app
from tests.conftest import SAMPLE_DIRECTORY
from tests.twilio_mock import FaultProxy

NUMBER = "+15105558642"
SECRET_WORDS = ["my parole officer", "warrant", "necesito comida", "i want to kill myself", "94601"]


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


def test_a_whole_sms_conversation_at_debug_logs_no_words_or_numbers(
    database_url: str, twilio_proxy: FaultProxy, caplog: pytest.LogCaptureFixture
) -> None:
    token, public = "privacy-token", "https://homeward.example.org"
    settings = Settings.from_env(
        {
            "HOMEWARD_DATABASE_URL": database_url,
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
            "HOMEWARD_LOG_LEVEL": "DEBUG",
            "HOMEWARD_PUBLIC_URL": public,
            "TWILIO_ACCOUNT_SID": "AC" + "2" * 32,
            "TWILIO_AUTH_TOKEN": token,
            "TWILIO_FROM": "+15105550100",
            "TWILIO_API_BASE_URL": twilio_proxy.url,
        }
    )
    settings.configure_logging()
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(settings)) as client:
        for n, text in enumerate([*SECRET_WORDS, "stop", "start", "talk to someone"]):
            form = {
                "From": NUMBER,
                "To": "+15105550100",
                "Body": text,
                "MessageSid": f"SMp{n}",
                "NumMedia": "0",
            }
            signature = RequestValidator(token).compute_signature(public + "/twilio/sms", form)
            response = client.post(
                "/twilio/sms",
                content=urlencode(form),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Twilio-Signature": signature,
                },
            )
            assert response.status_code == 200
        engine = client.app.state.conversation.database  # type: ignore[attr-defined]
        with session_scope(engine) as session:
            contact = find_contact(session, "sms", NUMBER)
            assert contact is not None
            outbox.enqueue(session, contact, "Ana here: about your warrant, call me")
        make_worker(engine, settings).run_once()
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert logged  # the test saw the logs
    for secret in [NUMBER, NUMBER[2:], "5558642", *SECRET_WORDS, "Ana here"]:
        assert secret not in logged, secret
