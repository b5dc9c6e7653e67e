"""Inbound SMS and WhatsApp: signed by twilio's own RequestValidator, over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from starlette.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot.settings import Settings
from bot.storage.vault import new_key
from bot.web.app import create_app
from tests.conftest import HOMEWARD, SAMPLE_DIRECTORY
from tests.server_helpers import READY_SECONDS, wait_ready
from tests.storage_helpers import outbox_status

TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "https://homeward.example.org"
ENV = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": TOKEN,
    "TWILIO_FROM": "+15105550100",
    "HOMEWARD_PUBLIC_URL": PUBLIC,
}


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


def _settings(database_url: str, **extra: str) -> Settings:
    env = {
        **ENV,
        "HOMEWARD_DATABASE_URL": database_url,
        "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
        **extra,
    }
    return Settings.from_env(env)


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(
        create_app(_settings(database_url)), base_url="http://internal:8000"
    ) as test_client:
        yield test_client


def _form(body: str, sid: str, sender: str = "+15105551234", **extra: str) -> dict[str, str]:
    return {
        "From": sender,
        "To": "+15105550100",
        "Body": body,
        "MessageSid": sid,
        "NumMedia": "0",
        **extra,
    }


def _post(
    client: TestClient, form: dict[str, str], path: str = "/twilio/sms", sign: bool = True
) -> httpx.Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if sign:
        headers["X-Twilio-Signature"] = RequestValidator(TOKEN).compute_signature(
            PUBLIC + path, form
        )
    return client.post(path, content=urlencode(form), headers=headers)


def test_a_signed_text_gets_twiml_replies(client: TestClient) -> None:
    response = _post(client, _form("shelter 94607", "SM1"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert "<Response><Message>Welcome to Homeward" in response.text
    assert "near 94607" in response.text


def test_the_signature_is_checked_against_the_public_url_not_the_proxy(client: TestClient) -> None:
    form = _form("food", "SM2")
    wrong = RequestValidator(TOKEN).compute_signature("http://internal:8000/twilio/sms", form)
    response = client.post(
        "/twilio/sms",
        content=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": wrong},
    )
    assert response.status_code == 403


def test_missing_or_forged_signatures_get_403_and_nothing_is_stored(client: TestClient) -> None:
    assert _post(client, _form("food", "SM3"), sign=False).status_code == 403
    form = _form("food", "SM3")
    forged = {**form, "Body": "something else"}
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(
            PUBLIC + "/twilio/sms", form
        ),
    }
    assert client.post("/twilio/sms", content=urlencode(forged), headers=headers).status_code == 403
    first_real = _post(client, _form("hi", "SM3b"))
    assert "Welcome to Homeward" in first_real.text  # the refused texts left no contact behind


def test_a_retried_message_sid_gets_the_same_reply_once(client: TestClient) -> None:
    first = _post(client, _form("food 94601", "SM4"))
    again = _post(client, _form("food 94601", "SM4"))
    assert again.text == first.text
    more = _post(client, _form("more", "SM5"))
    assert "4. " in more.text  # processed once: MORE continues from page 1, not page 2


def test_simultaneous_retries_are_processed_once(client: TestClient) -> None:
    results: list[str] = []

    def send() -> None:
        results.append(_post(client, _form("jobs 94601", "SM6", sender="+15105559876")).text)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert "Welcome to Homeward" in results[0]
    nxt = _post(client, _form("more", "SM7", sender="+15105559876"))
    assert "4. " in nxt.text


def test_pictures_get_a_text_only_note_plus_the_answer(client: TestClient) -> None:
    _post(client, _form("hi", "SM8", sender="+15105554444"))
    only_picture = _post(client, _form("", "SM9", sender="+15105554444", NumMedia="1"))
    assert "I can read text only" in only_picture.text
    with_text = _post(client, _form("food 94601", "SM10", sender="+15105554444", NumMedia="2"))
    assert "I can read text only" in with_text.text
    assert "Food near 94601" in with_text.text


def test_whatsapp_numbers_are_answered_the_same_way(client: TestClient) -> None:
    response = _post(client, _form("comida 94601", "SM11", sender="whatsapp:+15105553333"))
    assert "Comida cerca de 94601" in response.text


def test_odd_bodies_never_get_a_5xx(client: TestClient) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"}
    assert client.post("/twilio/sms", content=b"", headers=headers).status_code == 403
    assert (
        client.post("/twilio/sms", content=b"\xff\xfe\x00garbage", headers=headers).status_code
        == 403
    )
    assert client.post("/twilio/sms", content=b"a" * 200_000, headers=headers).status_code == 413
    assert _post(client, {"Body": "no sender or sid"}).status_code == 200
    assert _post(client, _form("x" * 5000, "SM12")).status_code == 200
    assert _post(client, _form("😀\u0000\u202e", "SM13")).status_code == 200


def test_stop_over_sms_silences_later_texts(client: TestClient) -> None:
    _post(client, _form("hi", "SM20", sender="+15105552222"))
    assert "START" in _post(client, _form("STOP", "SM21", sender="+15105552222")).text
    silent = _post(client, _form("food", "SM22", sender="+15105552222"))
    assert "<Message>" not in silent.text


def test_health_says_starting_while_the_worker_warms_up_then_ok(client: TestClient) -> None:
    answers = [client.get("/healthz")]
    deadline = time.monotonic() + READY_SECONDS
    while answers[-1].status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.02)
        answers.append(client.get("/healthz"))
    for starting in answers[:-1]:
        assert (starting.status_code, starting.json()["status"]) == (503, "starting")
    ready = answers[-1]
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "directory_version": 1, "worker": os.getpid()}


def test_status_callbacks_must_be_signed(client: TestClient) -> None:
    form = {"MessageSid": "SM99", "MessageStatus": "delivered"}
    assert _post(client, form, path="/twilio/status", sign=False).status_code == 403
    assert _post(client, form, path="/twilio/status").status_code == 204


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_real_server_answers_on_loopback(tmp_path: Path, database_url: str) -> None:
    port = _free_port()
    env = {
        **ENV,
        "HOMEWARD_DATABASE_URL": database_url,
        "HOMEWARD_SECRET_KEY": new_key(),
        "PATH": "/usr/bin:/bin",
    }
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(HOMEWARD), "serve", "--port", str(port)], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, server, tmp_path / "serve.log")
        form = _form("necesito trabajo 94601", "SM30")
        signature = RequestValidator(TOKEN).compute_signature(PUBLIC + "/twilio/sms", form)
        response = httpx.post(
            base + "/twilio/sms", data=form, headers={"X-Twilio-Signature": signature}, timeout=10
        )
        assert response.status_code == 200
        assert "Trabajo cerca de 94601" in response.text
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_wrong_twilio_settings_stop_serve_with_one_line(run_cli: object) -> None:
    result = run_cli("serve", env={**ENV, "TWILIO_ACCOUNT_SID": "nope"})  # type: ignore[operator]
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "homeward: TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits"
    )


def test_signature_checks_can_only_be_turned_off_explicitly(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(database_url, HOMEWARD_INSECURE_SKIP_SIGNATURES="1")
    with caplog.at_level("WARNING"), TestClient(create_app(settings)) as insecure:
        response = _post(insecure, _form("food", "SM40"), sign=False)
    assert response.status_code == 200
    assert any("NOT checked" in r.getMessage() for r in caplog.records)


def test_a_signed_status_callback_updates_the_outbox_message(
    client: TestClient, database_url: str
) -> None:
    from bot.storage import outbox
    from bot.storage.db import make_engine, session_scope
    from bot.storage.models import OutboxRow
    from tests.storage_helpers import create_contact

    engine = make_engine(database_url)
    with session_scope(engine) as session:
        contact = create_contact(session, "sms", "+15105557777", "en")
        outbox_id = outbox.enqueue(session, contact, "hello")
        row = session.get(OutboxRow, outbox_id)
        assert row is not None
        row.provider_id, row.status = "SM" + "a" * 32, "queued"
    response = _post(
        client, {"MessageSid": "SM" + "a" * 32, "MessageStatus": "delivered"}, path="/twilio/status"
    )
    assert response.status_code == 204
    assert outbox_status(engine, outbox_id)[0] == "delivered"


def test_serve_without_channels_still_answers_health(database_url: str) -> None:
    settings = Settings.from_env(
        {"HOMEWARD_DATABASE_URL": database_url, "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY)}
    )
    with TestClient(create_app(settings)) as plain:
        assert plain.get("/healthz").status_code in (200, 503)
        assert plain.post("/twilio/sms", content=b"x").status_code == 404
