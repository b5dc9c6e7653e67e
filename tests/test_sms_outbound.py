"""Outbound SMS through the outbox, with the real twilio client against Prism."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs

import pytest
from sqlalchemy import Engine

from bot.delivery.twilio_sender import TwilioSender
from bot.delivery.worker import OutboxWorker, Sender
from bot.settings import Settings
from bot.storage import outbox
from bot.storage.contacts import find_contact
from bot.storage.db import make_engine, session_scope
from tests.conftest import SAMPLE_DIRECTORY
from tests.storage_helpers import claim_next, create_contact, outbox_status
from tests.twilio_mock import FaultProxy

ENV = {
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "outbound-test-token",
    "TWILIO_FROM": "+15105550100",
    "HOMEWARD_PUBLIC_URL": "https://homeward.example.org",
}


def _setup(database_url: str, base_url: str) -> tuple[Engine, OutboxWorker]:
    settings = Settings.from_env(
        {
            **ENV,
            "TWILIO_API_BASE_URL": base_url,
            "HOMEWARD_DATABASE_URL": database_url,
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
        }
    )
    engine = make_engine(database_url)
    sender: Sender = TwilioSender(settings)
    worker = OutboxWorker(engine, {"sms": sender, "whatsapp": sender}, backoff=0.05)
    return engine, worker


def _queue(engine: Engine, user: str, body: str, channel: str = "sms", **state: object) -> int:
    with session_scope(engine) as session:
        contact = find_contact(session, channel, user) or create_contact(
            session, channel, user, "en"
        )
        for key, value in state.items():
            setattr(contact, key, value)
        return outbox.enqueue(session, contact, body)


def _drain(worker: OutboxWorker, rounds: int = 20) -> None:
    for _ in range(rounds):
        worker.run_once()
        time.sleep(0.06)


def test_a_queued_message_is_sent_with_twilios_api(
    database_url: str, twilio_proxy: FaultProxy
) -> None:
    engine, worker = _setup(database_url, twilio_proxy.url)
    outbox_id = _queue(engine, "+15105551234", "Hi, this is Ana from the reentry office.")
    worker.run_once()
    status, attempts, provider_id = outbox_status(engine, outbox_id)
    assert status == "queued"  # Prism answers with the spec's example: the request was valid
    assert attempts == 1
    assert provider_id is not None
    assert provider_id.startswith("SM")
    assert len(twilio_proxy.created) == 1
    form = parse_qs(twilio_proxy.created[0])
    assert form["To"] == ["+15105551234"]
    assert form["From"] == ["+15105550100"]
    assert form["Body"] == ["Hi, this is Ana from the reentry office."]
    assert form["StatusCallback"] == ["https://homeward.example.org/twilio/status"]


def test_429_and_500_are_retried_and_the_message_goes_once(
    database_url: str, twilio_proxy: FaultProxy
) -> None:
    engine, worker = _setup(database_url, twilio_proxy.url)
    twilio_proxy.failures = [(429, 20429), (500, 20500), (503, 20503)]
    outbox_id = _queue(engine, "+15105551235", "Your appointment is Monday.")
    _drain(worker)
    status, attempts, _ = outbox_status(engine, outbox_id)
    assert status == "queued"
    assert attempts == 4
    assert len(twilio_proxy.created) == 1


def test_mock_down_then_back_sends_every_message_exactly_once(
    database_url: str, twilio_proxy: FaultProxy
) -> None:
    engine, worker = _setup(database_url, twilio_proxy.url)
    twilio_proxy.stop()
    ids = [_queue(engine, f"+1510555{2000 + n}", f"Message {n}") for n in range(3)]
    _drain(worker, rounds=3)
    assert all(outbox_status(engine, i)[0] == "pending" for i in ids)
    twilio_proxy.start()
    _drain(worker)
    assert [outbox_status(engine, i)[0] for i in ids] == ["queued"] * 3
    assert sorted(parse_qs(b)["Body"][0] for b in twilio_proxy.created) == [
        "Message 0",
        "Message 1",
        "Message 2",
    ]


def test_carrier_opt_out_21610_stops_the_contact(
    database_url: str, twilio_proxy: FaultProxy
) -> None:
    engine, worker = _setup(database_url, twilio_proxy.url)
    twilio_proxy.failures = [(400, 21610)]
    first = _queue(engine, "+15105551236", "Hello")
    worker.run_once()
    assert outbox_status(engine, first)[0] == "failed"
    second = _queue(engine, "+15105551236", "Hello again")
    worker.run_once()
    assert outbox_status(engine, second)[0] == "skipped"
    assert twilio_proxy.created == []


def test_an_invalid_number_fails_without_retrying(
    database_url: str, twilio_proxy: FaultProxy
) -> None:
    engine, worker = _setup(database_url, twilio_proxy.url)
    twilio_proxy.failures = [(400, 21211)]
    outbox_id = _queue(engine, "+15105551237", "Hello")
    _drain(worker, rounds=3)
    assert outbox_status(engine, outbox_id)[:2] == ("failed", 1)


def test_a_stopped_texter_is_never_sent_anything(
    database_url: str, twilio_proxy: FaultProxy
) -> None:
    engine, worker = _setup(database_url, twilio_proxy.url)
    outbox_id = _queue(engine, "+15105551238", "Hello", opted_out=True)
    worker.run_once()
    assert outbox_status(engine, outbox_id)[0] == "skipped"
    assert twilio_proxy.created == []


def test_whatsapp_free_form_only_within_24_hours(
    database_url: str, twilio_proxy: FaultProxy
) -> None:
    engine, worker = _setup(database_url, twilio_proxy.url)
    stale = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
    late = _queue(engine, "+15105551239", "Late", channel="whatsapp", last_seen_at=stale)
    recent = _queue(engine, "+15105551240", "Soon", channel="whatsapp")
    worker.run_once()
    assert outbox_status(engine, late)[0] == "skipped"
    assert outbox_status(engine, recent)[0] == "queued"
    assert parse_qs(twilio_proxy.created[0])["To"] == ["whatsapp:+15105551240"]
    assert parse_qs(twilio_proxy.created[0])["From"] == ["whatsapp:+15105550100"]


def test_a_claim_left_by_a_dead_worker_is_sent_once(
    database_url: str, twilio_proxy: FaultProxy
) -> None:
    engine, worker = _setup(database_url, twilio_proxy.url)
    outbox_id = _queue(engine, "+15105551241", "After the crash")
    assert claim_next(engine, ("sms",)) is not None  # a worker claims it, then dies
    worker.stale_claim = dt.timedelta(0)
    _drain(worker, rounds=3)
    assert outbox_status(engine, outbox_id)[0] == "queued"
    assert len(twilio_proxy.created) == 1


def test_status_callbacks_update_the_message(database_url: str, twilio_proxy: FaultProxy) -> None:
    engine, worker = _setup(database_url, twilio_proxy.url)
    outbox_id = _queue(engine, "+15105551242", "Track me")
    worker.run_once()
    _, _, provider_id = outbox_status(engine, outbox_id)
    assert provider_id is not None
    assert outbox.record_status(engine, provider_id, "delivered") is True
    assert outbox_status(engine, outbox_id)[0] == "delivered"
    assert outbox.record_status(engine, provider_id, "bogus") is False


@pytest.mark.parametrize("channel", ["sms"])
def test_two_workers_never_send_one_message_twice(
    database_url: str, twilio_proxy: FaultProxy, channel: str
) -> None:
    import threading

    engine, first = _setup(database_url, twilio_proxy.url)
    _, second = _setup(database_url, twilio_proxy.url)
    for n in range(10):
        _queue(engine, f"+1510555{3000 + n}", f"Batch {n}", channel=channel)
    threads = [threading.Thread(target=w.run_once) for w in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bodies = sorted(parse_qs(b)["Body"][0] for b in twilio_proxy.created)
    assert bodies == sorted(f"Batch {n}" for n in range(10))
