"""Continuity of care end to end: the real server, `homeward worker`, Twilio's mock and Chromium.

A navigator enrols Maria in the console; the letter shows her code; she texts
it from her phone and is greeted by name; her appointment's reminders arrive
at their times and not at night, with two workers sending nothing twice; RIDE
finds rides near the appointment; a service's details bring "Did you reach
it?" two days later, and "4" is recorded for that service; STOP stops it all.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bot.storage.vault import new_key
from tests.conftest import HOMEWARD, SAMPLE_DIRECTORY
from tests.conversation_helpers import PACIFIC
from tests.server_helpers import TWILIO_ENV, signed_post, sms_form, wait_ready
from tests.test_console_browser import ARGS, CHROMIUM, _shots
from tests.twilio_mock import FaultProxy, free_port

pytestmark = pytest.mark.slow
EMAIL, PASSWORD = "ana@example.org", "correct horse battery"
MARIA = "+15105551234"
_SIDS = itertools.count(1)


class Homeward:
    """The running server, and the command line on the same database and keys."""

    def __init__(self, base: str, env: dict[str, str], folder: Path) -> None:
        self.base, self.env, self.folder = base, env, folder

    def command(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(HOMEWARD), *args],
            env=self.env,
            cwd=self.folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str) -> str:
        process = self.command(*args)
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        return out

    def workers(self, at: dt.datetime, count: int = 1) -> None:
        """`homeward worker --once --now` in ``count`` processes at once."""
        now = at.strftime("%Y-%m-%dT%H:%M")
        running = [self.command("worker", "--once", "--now", now) for _ in range(count)]
        for process in running:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err

    def text(self, words: str) -> str:
        """Maria texts, as Twilio posts it; the reply's words."""
        response = signed_post(self.base, sms_form(words, f"SM{next(_SIDS):032d}", MARIA))
        assert response.status_code == 200
        return "\n".join(re.findall(r"<Message>(.*?)</Message>", response.text, re.S))


@pytest.fixture
def homeward(
    tmp_path: Path, sample_database_url: str, twilio_proxy: FaultProxy
) -> Iterator[Homeward]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOMEWARD_", "TWILIO_"))}
    env.update(
        TWILIO_ENV,
        TWILIO_API_BASE_URL=twilio_proxy.url,
        HOMEWARD_ENV="development",
        HOMEWARD_SECRET_KEY=new_key(),
        HOMEWARD_DATABASE_URL=sample_database_url,
        HOMEWARD_DIRECTORY=str(SAMPLE_DIRECTORY),
    )
    port = free_port()
    server = Homeward(f"http://127.0.0.1:{port}", env, tmp_path)
    added = subprocess.run(
        [str(HOMEWARD), "navigator", "add", EMAIL, "--name", "Ana", "--password-stdin"],
        input=PASSWORD + "\n", env=env, cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(HOMEWARD), "serve", "--port", str(port)], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    try:
        wait_ready(server.base, process, tmp_path / "serve.log")
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def _bodies(proxy: FaultProxy, since: int = 0, at_least: int = 0) -> list[str]:
    """The texts Twilio was asked to send (waiting a little for the server's own worker)."""
    deadline = time.monotonic() + 20
    while len(proxy.created) - since < at_least and time.monotonic() < deadline:
        time.sleep(0.1)
    return [parse_qs(created)["Body"][0] for created in proxy.created[since:]]


def _bodies_starting(proxy: FaultProxy, since: int, start: str) -> list[str]:
    """The texts sent since ``since`` that start so, waiting a little for the first: the
    server's own worker may send another text first, so any text is not enough."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = [b for b in _bodies(proxy, since) if b.startswith(start)]
        if found:
            return found
        time.sleep(0.1)
    return []


def _awake(at: dt.datetime) -> dt.datetime:
    """The same moment, or 09:30 when it falls in the quiet hours."""
    if at.hour >= 21:
        return (at + dt.timedelta(days=1)).replace(hour=9, minute=30)
    return at.replace(hour=9, minute=30) if at.hour < 9 else at


def _enrol(console: Page, homeward: Homeward) -> str:
    console.goto(homeward.base + "/console")
    console.fill("#email", EMAIL)
    console.fill("#password", PASSWORD)
    console.click("button.primary")
    console.click("nav >> text=People")
    console.click("text=Enrol a person")
    console.fill("#first_name", "Maria")
    console.fill("#release_date", dt.datetime.now(PACIFIC).date().isoformat())
    console.fill("#zip", "94607")
    console.check("input[name=need_housing]")
    console.check("input[name=need_jobs]")
    console.check("#consent_texts")
    console.check("#consent_reminders")
    console.click("text=Enrol and make a link code")
    console.wait_for_selector("text=Enrolled. Print the letter with the code.")
    return console.inner_text("#code").strip()


def test_from_enrolment_to_a_recorded_follow_up_on_the_real_server(
    homeward: Homeward, browser: Browser, twilio_proxy: FaultProxy, tmp_path: Path
) -> None:
    console = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    code = _enrol(console, homeward)
    person = console.url.rsplit("/", 1)[-1].split("?")[0]
    console.click("#letter-link")
    letter = console.inner_text("body")
    assert f"{code[:3]} {code[3:]}" in letter
    assert "Hello Maria," in letter
    assert "Hola Maria:" in letter
    assert console.locator("script").count() == 0
    console.screenshot(path=str(_shots(tmp_path) / "care-letter.png"), full_page=True)
    console.go_back()

    greeting = homeward.text(f"{code[:3].lower()} {code[3:].lower()}")
    assert "Hi Maria" in greeting
    assert "Ana" in greeting
    assert "1 Housing and shelter" in greeting

    today = dt.datetime.now(PACIFIC).replace(second=0, microsecond=0)
    day = today.date() + dt.timedelta(days=4)
    console.select_option("#kind", "probation")
    console.fill("#at", f"{day.isoformat()}T10:30")
    console.fill("#where", "Probation office, 400 Broadway, Oakland 94607")
    console.click("text=Add with reminders")
    console.wait_for_selector("text=Appointment added, with its reminders.")
    assert console.locator("#timeline .reminders li").count() == 2  # the day before, the morning
    evening = dt.datetime.combine(day - dt.timedelta(days=2), dt.time(22, 30), tzinfo=PACIFIC)
    console.fill("#send_at", evening.strftime("%Y-%m-%dT%H:%M"))
    console.fill("#body", "Bring your ID to probation.")
    console.click("text=Schedule")
    console.wait_for_selector("text=Scheduled. It goes out at that time, never at night.")

    homeward.workers(evening + dt.timedelta(minutes=15))
    assert _bodies(twilio_proxy) == []  # at night it waits
    morning = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(9, 0), tzinfo=PACIFIC)
    homeward.workers(morning, count=2)
    time.sleep(1)  # the server's own worker may still hold a claim: nothing more may come
    sent = _bodies(twilio_proxy, at_least=2)
    assert sorted(sent) == sorted(set(sent))
    assert len(sent) == 2
    assert sent.count("Bring your ID to probation.") == 1
    reminder = next(body for body in sent if body.startswith("Homeward reminder"))
    assert "probation check-in" in reminder
    assert "400 Broadway" in reminder

    rides = homeward.text("RIDE")
    assert "Rides and bus passes" in rides
    assert "94607" in rides

    homeward.text("shelter 94607")
    assert re.search(r"\(\d{3}\) \d{3}-\d{4}", homeward.text("1"))  # the first shelter, in full
    asked_at = _awake(today + dt.timedelta(days=2, hours=1))
    before = len(twilio_proxy.created)
    homeward.workers(asked_at)
    follow_up = _bodies_starting(twilio_proxy, before, "Did you reach")
    assert len(follow_up) == 1
    assert follow_up[0].endswith("4 Turned away because of my record")
    answer = homeward.text("4")
    assert "another place" in answer
    assert "PERSON" in answer

    shown = json.loads(homeward.run("people", "show", person, "--json"))
    assert [f["answer"] for f in shown["follow_ups"]] == ["record"]
    assert shown["follow_ups"][0]["name"] in follow_up[0]
    console.reload()
    assert "Turned away because of their record" in console.inner_text("#follow-ups")
    console.screenshot(path=str(_shots(tmp_path) / "care-person.png"), full_page=True)

    assert "no more messages" in homeward.text("STOP")
    before = len(twilio_proxy.created)
    homeward.workers(dt.datetime.combine(day, dt.time(9, 5), tzinfo=PACIFIC))
    assert twilio_proxy.created[before:] == []
    console.reload()
    assert "Not sent" in console.inner_text("#timeline")
