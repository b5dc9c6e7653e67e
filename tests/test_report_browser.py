"""The partner report on a real server, in real headless Chromium.

`homeward serve` on 127.0.0.1 with Twilio's API served by the Prism mock:
a dozen texters write through the signed SMS webhook, three ask for a
person, a navigator answers one in the console (Chromium), and the server's
worker sends that reply through Twilio. Then a partner signs in: the report
page shows the same figures as the JSON and CSV downloads, and every other
console page answers 403. With HOMEWARD_SCREENSHOTS=1 the screenshot goes to
docs/partner-report.png.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bot.settings import REPO_ROOT
from tests.conftest import HOMEWARD
from tests.server_helpers import TWILIO_ENV, Server, serving, signed_post, sms_form
from tests.twilio_mock import FaultProxy

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
ADMIN = ("ana@example.org", "correct horse battery")
PARTNER = ("pat@example.org", "a partner's long password")
TEXTERS = 12
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: run `make test`, which installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def _account(folder: Path, database_url: str, email: str, password: str, role: str) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **TWILIO_ENV,
        "HOMEWARD_DATABASE_URL": database_url,
        "HOMEWARD_ENV": "development",
    }
    added = subprocess.run(
        [str(HOMEWARD), "navigator", "add", email, "--role", role, "--password-stdin"],
        input=password + "\n",
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr


def _sign_in(browser: Browser, base: str, account: tuple[str, str]) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base + "/console/login")
    page.fill("input[name=email]", account[0])
    page.fill("input[name=password]", account[1])
    page.click("button.primary")
    page.wait_for_load_state()
    return page


@pytest.fixture
def server(tmp_path: Path, sample_database_url: str, twilio_proxy: FaultProxy) -> Iterator[Server]:
    _account(tmp_path, sample_database_url, *ADMIN, "admin")
    _account(tmp_path, sample_database_url, *PARTNER, "partner")
    extra = {"TWILIO_API_BASE_URL": twilio_proxy.url}
    with serving(sample_database_url, tmp_path, extra=extra) as running:
        yield running


def test_a_partner_sees_the_report_of_real_traffic_with_the_figures_of_its_exports(
    server: Server, browser: Browser, twilio_proxy: FaultProxy, tmp_path: Path
) -> None:
    for n in range(TEXTERS):
        sent = signed_post(server.base, sms_form("food 94607", f"SM{n:032d}", f"+1510555{n:04d}"))
        assert sent.status_code == 200
    for n in range(3):
        form = sms_form("PERSON", f"SM{100 + n:032d}", f"+1510555{n:04d}")
        assert signed_post(server.base, form).status_code == 200

    navigator = _sign_in(browser, server.base, ADMIN)
    navigator.click('a[href^="/console/conversations/"]')
    navigator.fill("#body", "Hi, this is Ana from the reentry line.")
    navigator.click("button.primary[name=action][value=send]")
    navigator.wait_for_load_state()
    for _ in range(200):  # the server's worker sends it through Twilio (the mock)
        if twilio_proxy.created:
            break
        time.sleep(0.1)
    assert twilio_proxy.created

    partner = _sign_in(browser, server.base, PARTNER)
    assert partner.url.endswith("/console/reports")
    assert partner.locator("svg").count() == 4
    shown = {
        name: partner.inner_text(f"#period-{name}")
        for name in ("new", "returning", "in", "out", "segments", "searches", "requests")
    }
    exported = partner.request.get(server.base + "/console/reports/export?format=json")
    report = json.loads(exported.text())["period"]
    assert shown["new"] == str(report["texters"]["new"]) == str(TEXTERS)
    assert shown["searches"] == str(report["searches"])
    assert shown["requests"] == str(report["handoffs"]["requests"]) == "<11"
    assert shown["out"] == str(report["texts"]["out"])
    assert shown["segments"] == str(report["texts"]["sms_segments"])
    assert report["needs"]["food"] == TEXTERS
    rows = csv.DictReader(
        io.StringIO(partner.request.get(server.base + "/console/reports/export?format=csv").text())
    )
    from_csv = {r["measure"]: r["value"] for r in rows if r["month"] == "period"}
    assert from_csv["texters.new"] == shown["new"]
    assert from_csv["texts.in"] == shown["in"]
    assert from_csv["handoffs.requests"] == shown["requests"]

    shots = REPO_ROOT / "docs" if os.environ.get("HOMEWARD_SCREENSHOTS") == "1" else tmp_path
    partner.screenshot(path=str(shots / "partner-report.png"))

    for path in ("/console", "/console/people", "/console/corrections", "/console/admin/audit"):
        assert partner.goto(server.base + path).status == 403, path
