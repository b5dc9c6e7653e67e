"""Issue 17, finding 3: Twilio takes a message, but its answer never comes back.

The double (tests/fake_twilio_api.py) takes the message, then holds its answer
longer than our client waits. Before sending again, the worker must look the
message up in Twilio's list, and find it: the texter gets it once.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.delivery.twilio_sender import TwilioSender
from bot.delivery.worker import OutboxWorker
from bot.runtime import open_runtime
from bot.settings import Settings
from bot.storage.contacts import find_contact
from bot.storage.db import session_scope
from bot.storage.models import OutboxRow
from bot.storage.outbox import enqueue
from tests.conftest import SAMPLE_DIRECTORY
from tests.fake_twilio_api import FakeTwilioAPI
from tests.server_helpers import TWILIO_ENV

NUMBER = "+15105550404"


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    return sample_database_url


@pytest.mark.parametrize("hang", [2.5])
def test_a_message_twilio_took_without_answering_is_never_sent_again(
    database_url: str, hang: float
) -> None:
    fake = FakeTwilioAPI(delay=hang).start()
    try:
        settings = Settings.from_env(
            {
                **TWILIO_ENV,
                "TWILIO_API_BASE_URL": fake.url,
                "HOMEWARD_DATABASE_URL": database_url,
                "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
            }
        )
        runtime = open_runtime(settings)
        Conversation(runtime.engine, runtime.search, settings).handle(
            InboundMessage("sms", NUMBER, "talk to a person", message_id="SM" + "4" * 32)
        )
        body = "Hi, this is Ana from the reentry office."
        with session_scope(runtime.engine) as session:
            contact = find_contact(session, "sms", NUMBER)
            assert contact is not None
            outbox_id = enqueue(session, contact, body)
        sender = TwilioSender(settings, timeout=1.0)  # shorter than the double's hang
        worker = OutboxWorker(runtime.engine, {"sms": sender}, backoff=0.1)
        assert worker.run_once() == 1  # the first try: taken, but no answer in time
        assert fake.bodies()[body] == 1
        with session_scope(runtime.engine) as session:
            row = session.get(OutboxRow, outbox_id)
            assert row is not None
            assert (row.status, row.unsure) == ("pending", True)
        time.sleep(0.3)  # past the back-off
        worker.run_once()
        assert fake.bodies()[body] == 1  # looked up, found, not sent again
        with session_scope(runtime.engine) as session:
            status, provider = session.execute(
                select(OutboxRow.status, OutboxRow.provider_id).where(OutboxRow.id == outbox_id)
            ).one()
        assert status == "sent"
        assert provider == fake.messages[0]["sid"]
        runtime.engine.dispose()
    finally:
        fake.stop()


def test_a_timeout_before_twilio_took_anything_is_sent_once_after_the_lookup(
    database_url: str,
) -> None:
    fake = FakeTwilioAPI().start()
    fake.stop()  # nothing listens: the first try fails before Twilio has it
    settings = Settings.from_env(
        {
            **TWILIO_ENV,
            "TWILIO_API_BASE_URL": fake.url,
            "HOMEWARD_DATABASE_URL": database_url,
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
        }
    )
    runtime = open_runtime(settings)
    Conversation(runtime.engine, runtime.search, settings).handle(
        InboundMessage("sms", NUMBER, "talk to a person", message_id="SM" + "5" * 32)
    )
    with session_scope(runtime.engine) as session:
        contact = find_contact(session, "sms", NUMBER)
        assert contact is not None
        outbox_id = enqueue(session, contact, "Are you still there?")
    worker = OutboxWorker(runtime.engine, {"sms": TwilioSender(settings, timeout=1.0)}, backoff=0.1)
    worker.run_once()
    again = FakeTwilioAPI()
    again.port = fake.port
    again.start()
    try:
        time.sleep(0.3)
        worker.run_once()  # the lookup finds nothing, so it is sent now, once
        assert again.bodies()["Are you still there?"] == 1
        with session_scope(runtime.engine) as session:
            row = session.get(OutboxRow, outbox_id)
            assert row is not None
            assert (row.status, row.unsure) == ("queued", False)
    finally:
        again.stop()
        runtime.engine.dispose()
