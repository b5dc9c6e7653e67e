"""Graceful shutdown: webhooks in flight finish, claimed outbox messages are released.

The real `homeward serve` runs in a subprocess and gets SIGTERM, as a process
manager or a deploy would send it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from sqlalchemy import select

from bot.channels import sms
from bot.delivery.twilio_sender import TwilioSender
from bot.delivery.worker import OutboxWorker
from bot.settings import Settings
from bot.storage import outbox
from bot.storage.contacts import find_contact
from bot.storage.db import make_engine, read_scope, session_scope
from bot.storage.inbound import message_key
from bot.storage.models import InboundRow
from bot.storage.vault import vault_of
from tests.conftest import SAMPLE_DIRECTORY
from tests.server_helpers import STOPPED, TWILIO_ENV, serving, signed_post, sms_form
from tests.storage_helpers import create_contact, outbox_status
from tests.twilio_mock import FaultProxy

TEXTER = "+15105558100"


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


def test_a_webhook_in_flight_at_sigterm_is_answered_before_the_server_exits(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    with serving(database_url, tmp_path, workers=2) as server:
        assert signed_post(server.base, sms_form("hi", "SMs1", TEXTER)).status_code == 200
        answer: list[httpx.Response] = []
        # Hold the texter's row (SQLite: the write lock) so the next webhook waits on it.
        with session_scope(engine) as session:
            assert find_contact(session, "sms", TEXTER) is not None
            sender = threading.Thread(
                target=lambda: answer.append(
                    signed_post(server.base, sms_form("food 94601", "SMs2", TEXTER), timeout=60)
                )
            )
            sender.start()
            time.sleep(1.5)  # the request is in the server, waiting for the row
            server.process.send_signal(15)
            time.sleep(1.5)
            assert server.process.poll() is None  # still finishing the request in flight
            assert not answer
        sender.join(30)
        assert server.stop() in STOPPED
    assert answer[0].status_code == 200
    assert "Food near 94601" in answer[0].text
    with read_scope(engine) as session:
        row = session.scalars(
            select(InboundRow).where(InboundRow.external_id == message_key("SMs2"))
        ).one()
        assert row.status == "done"
        replies = vault_of(session).open_json(row.replies_sealed, [])
        assert sms.twiml(list(replies)) == answer[0].text  # the reply that went out is stored


def test_outbox_messages_claimed_at_sigterm_are_released_and_later_sent_once(
    database_url: str, tmp_path: Path, twilio_proxy: FaultProxy
) -> None:
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        ids = []
        for n in range(5):
            contact = create_contact(session, "sms", f"+1510555{8200 + n}", "en")
            ids.append(outbox.enqueue(session, contact, f"Navigator note {n}"))
    twilio_proxy.delay = 2.0  # Twilio is slow: the first send is still in flight at SIGTERM
    extra = {"TWILIO_API_BASE_URL": twilio_proxy.url}
    with serving(database_url, tmp_path, extra=extra) as server:
        assert twilio_proxy.creating.wait(30)
        assert server.stop() in STOPPED
    statuses = [outbox_status(engine, i) for i in ids]
    assert [s[0] for s in statuses].count("sending") == 0
    assert statuses[0][:2] == ("queued", 1)  # the one in hand was finished
    assert [s[:2] for s in statuses[1:]] == [("pending", 0)] * 4  # released, never tried
    assert len(twilio_proxy.created) == 1

    twilio_proxy.delay = 0.0
    settings = Settings.from_env(
        {
            **TWILIO_ENV,
            **extra,
            "HOMEWARD_DATABASE_URL": database_url,
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
        }
    )
    sender = TwilioSender(settings)
    OutboxWorker(engine, {"sms": sender}).run_once()
    assert [outbox_status(engine, i)[0] for i in ids] == ["queued"] * 5
    bodies = sorted(parse_qs(b)["Body"][0] for b in twilio_proxy.created)
    assert bodies == [f"Navigator note {n}" for n in range(5)]


def _children(pid: int) -> list[int]:
    """The processes ``pid`` forked (its gunicorn workers)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.sqlite_only("the process model is the same on either database")
def test_workers_stop_when_the_server_process_is_killed(database_url: str, tmp_path: Path) -> None:
    with serving(database_url, tmp_path, workers=2) as server:
        workers = _children(server.process.pid)
        assert len(workers) == 2
        server.process.kill()  # kill -9: no chance to stop its workers itself
        server.process.wait(timeout=20)
        deadline = time.monotonic() + 120  # a generous bound for a busy machine, not a timing
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert [w for w in workers if _alive(w)] == []
    assert "the server process is gone" in server.log.read_text(encoding="utf-8")
