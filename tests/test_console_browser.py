"""The console in real headless Chromium (Debian's package) driven by Playwright.

The server is the real `homeward serve` on 127.0.0.1. With HOMEWARD_SCREENSHOTS=1
the screenshots go to docs/ (the README shows them); otherwise to a temporary
folder, so a test run leaves the checkout clean.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import open_runtime
from bot.settings import REPO_ROOT, Settings
from bot.storage.vault import new_key
from tests.conftest import HOMEWARD, SAMPLE_DIRECTORY
from tests.server_helpers import wait_ready
from tests.twilio_mock import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
EMAIL, PASSWORD = "ana@example.org", "correct horse battery"
pytestmark = pytest.mark.slow


@dataclass
class Server:
    """A running `homeward serve` and how to reach its database."""

    base: str
    env: dict[str, str]
    settings: Settings

    def texts(self, channel: str, user: str, *words: str) -> None:
        """A texter writes, through the core on the server's own database."""
        runtime = open_runtime(self.settings)
        conversation = Conversation(runtime.engine, runtime.search, self.settings)
        for text in words:
            conversation.handle(
                InboundMessage(
                    channel, user, text, kind="telegram" if channel == "telegram" else "sms"
                )
            )


@pytest.fixture
def server(tmp_path: Path, sample_database_url: str) -> Iterator[Server]:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HOMEWARD_", "TWILIO_", "TELEGRAM_"))
    }
    env.update(
        HOMEWARD_ENV="development",
        HOMEWARD_SECRET_KEY=new_key(),
        HOMEWARD_DATABASE_URL=sample_database_url,
        HOMEWARD_DIRECTORY=str(SAMPLE_DIRECTORY),
        HOMEWARD_OFFICE_ADDRESS="1200 Broadway, Oakland",
    )
    added = subprocess.run(
        [str(HOMEWARD), "navigator", "add", EMAIL, "--admin", "--name", "Ana", "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(HOMEWARD), "serve", "--port", str(port)], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process, tmp_path / "serve.log")
        yield Server(base, env, Settings.from_env(env))
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: run `make test`, which installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def _shots(tmp_path: Path) -> Path:
    return REPO_ROOT / "docs" if os.environ.get("HOMEWARD_SCREENSHOTS") == "1" else tmp_path


def _page(browser: Browser, dialogs: list[str], width: int = 1280, height: int = 900) -> Page:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page


def _sign_in(page: Page, server: Server) -> None:
    page.goto(server.base + "/console")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("h1:has-text('Waiting conversations')")


def _text_from_phone(phone: Page, words: str) -> None:
    before = phone.locator(".bubble").count()
    phone.fill("#demo-body", words)
    phone.press("#demo-body", "Enter")
    phone.locator(".bubble").nth(before).wait_for()  # locators, not eval: the page's CSP forbids it


def test_a_navigator_takes_a_handoff_from_arrival_to_close(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    dialogs: list[str] = []
    console = _page(browser, dialogs)
    _sign_in(console, server)
    console.wait_for_selector("text=Nobody is waiting")
    console.evaluate("window.__samePage = true")
    phone = _page(browser, dialogs, 390, 844)
    phone.goto(server.base + "/demo")
    _text_from_phone(phone, "I need a place to sleep tonight 94607")
    _text_from_phone(phone, "talk to someone")
    row = console.wait_for_selector("table.queue tbody tr", timeout=15000)  # no reload
    assert console.evaluate("window.__samePage") is True
    assert "talk to someone" in row.inner_text()
    console.click("table.queue a.texter")
    console.wait_for_selector("#transcript")
    assert "Searched: Housing and shelter 94607" in console.inner_text("#transcript")
    console.select_option("#saved_reply", "service")
    console.click("button[value=insert_saved]")
    console.fill("#q", "shelter")
    console.press("#q", "Enter")  # Enter in the search finds; it never sends
    console.wait_for_selector(".results")
    assert console.locator("#transcript .line.navigator").count() == 0
    console.click("button[value=insert_service]")
    draft = console.input_value("#body")
    assert draft.startswith("Here is a place that can help you:\n")
    assert re.search(r"\(510\) 555-\d{4}", draft)
    console.click("button[value=send]")
    console.wait_for_selector(".line.navigator .delivery:has-text('Delivered')", timeout=20000)
    navigator_text = phone.wait_for_selector(".bubble.navigator", timeout=15000).inner_text()
    assert "Here is a place that can help you:" in navigator_text
    _text_from_phone(phone, "thank you, I will go there now")
    assert phone.locator(".bubble").last.inner_text().endswith("thank you, I will go there now")
    console.wait_for_selector("#transcript :text('thank you, I will go there now')", timeout=15000)
    console.screenshot(path=str(_shots(tmp_path) / "console-conversation.png"), full_page=True)
    console.check("#outcome-connected")
    console.click("text=Close and return the texter to the bot")
    console.wait_for_selector("text=Closed. The texter is back with the bot.")
    console.wait_for_selector("text=Nobody is waiting")
    _text_from_phone(phone, "food 94601")
    phone.wait_for_selector(".bubble:has-text('Food near 94601')", timeout=10000)
    assert dialogs == []


def _add_navigator(server: Server, email: str, name: str, folder: Path) -> None:
    added = subprocess.run(
        [str(HOMEWARD), "navigator", "add", email, "--name", name, "--password-stdin"],
        input=PASSWORD + "\n",
        env=server.env,
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr


def _sign_in_as(page: Page, server: Server, email: str) -> None:
    page.goto(server.base + "/console")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("h1:has-text('Waiting conversations')")


def test_another_navigator_takes_a_conversation_over_with_a_reason(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    _add_navigator(server, "luis@example.org", "Luis", tmp_path)
    _add_navigator(server, "marta@example.org", "Marta", tmp_path)
    server.texts("console", "take-over-texter", "talk to someone")
    dialogs: list[str] = []
    luis, marta = _page(browser, dialogs), _page(browser, dialogs)
    _sign_in_as(luis, server, "luis@example.org")
    luis.click("table.queue button:has-text('Claim')")
    luis.wait_for_selector("text=You have this conversation now.")
    _sign_in_as(marta, server, "marta@example.org")
    marta.wait_for_selector("table.queue :text('Luis has it')")
    marta.click("table.queue a.texter")
    marta.wait_for_selector("text=Luis has this conversation.")
    assert marta.locator("#body").count() == 0  # no reply box: the conversation is Luis's
    marta.fill("#reason", "Luis went home sick")
    marta.click("#take-over-form button")
    marta.wait_for_selector("text=You have this conversation now; the other navigator is told.")
    assert marta.locator("#body").count() == 1
    assert "Luis went home sick" in marta.inner_text("#notes")
    luis.goto(server.base + "/console")
    notice = luis.wait_for_selector(".notice", timeout=10000).inner_text()
    assert "Marta took over conversation" in notice
    assert dialogs == []


def test_a_texters_script_and_image_tags_show_as_text(server: Server, browser: Browser) -> None:
    dialogs: list[str] = []
    script = "<script>window.__pwned = 1; alert(1)</script>"
    image = '<img src=x onerror="window.__pwned = 2; alert(2)">'
    server.texts("sms", "+15105550166", "talk to someone", script, image)
    console = _page(browser, dialogs)
    _sign_in(console, server)
    row = console.wait_for_selector("table.queue tbody tr")
    assert image in row.inner_text()
    assert console.locator("table.queue img").count() == 0
    console.click("table.queue a.texter")
    transcript = console.inner_text("#transcript")
    assert script in transcript
    assert image in transcript
    assert console.locator("#transcript img, #transcript script").count() == 0
    console.wait_for_timeout(3500)  # one live refresh of the transcript, through innerHTML
    assert console.locator("#transcript img, #transcript script").count() == 0
    assert console.evaluate("window.__pwned === undefined")
    phone = _page(browser, dialogs, 390, 844)
    phone.goto(server.base + "/demo")
    _text_from_phone(phone, image)
    assert phone.locator(".bubble.mine").last.inner_text().endswith(image)
    assert phone.locator("#bubbles img").count() == 0
    assert dialogs == []


def test_the_console_works_with_the_keyboard_alone_and_on_a_phone(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    server.texts("sms", "+15105550123", "shelter 94607", "talk to someone")
    dialogs: list[str] = []
    page = _page(browser, dialogs, 390, 844)
    page.goto(server.base + "/console")
    page.keyboard.type(EMAIL)  # the email field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Waiting conversations')")

    def tab_to(test: str) -> None:
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate(f"(() => {{ const e = document.activeElement; return {test}; }})()"):
                return
        raise AssertionError(f"Tab never reached {test}")

    tab_to("e.classList.contains('texter')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#transcript")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tab_to("e.id === 'body'")
    page.keyboard.type("Hi, this is Ana. I can help you find a bed tonight.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "send"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Sent. The delivery status updates below.")
    page.goto(server.base + "/console")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_screenshots_of_the_queue_for_the_readme(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    server.texts(
        "sms", "+15105550142", "hola", "necesito un lugar para dormir 94601", "hablar con alguien"
    )
    server.texts(
        "telegram", "701234567", "who hires people with a record 94612", "talk to a person"
    )
    server.texts("sms", "+15105550187", "food 94603", "i want to end it all tonight")
    server.texts("whatsapp", "+15105550119", "PERSON", "i need help getting my ID back")
    dialogs: list[str] = []
    page = _page(browser, dialogs, 1280, 640)
    _sign_in(page, server)
    page.wait_for_selector("table.queue tbody tr >> nth=3")
    rows = page.locator("table.queue tbody tr")
    assert "URGENT" in rows.first.inner_text()  # the crisis is on top
    page.screenshot(path=str(_shots(tmp_path) / "console-queue.png"), full_page=True)
    phone = _page(browser, dialogs, 390, 844)
    _sign_in(phone, server)
    phone.screenshot(path=str(_shots(tmp_path) / "console-queue-phone.png"), full_page=False)
    assert dialogs == []


def test_the_demo_page_shows_the_console_beside_the_phone(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    dialogs: list[str] = []
    page = _page(browser, dialogs, 1400, 900)
    page.goto(server.base + "/demo")
    frame = page.frame_locator("iframe")
    frame.locator("#email").fill(EMAIL)  # the console loads inside the demo page's frame
    frame.locator("#password").fill(PASSWORD)
    frame.locator("button.primary").click()
    frame.locator("text=Nobody is waiting").wait_for()
    _text_from_phone(page, "hola")
    _text_from_phone(page, "necesito trabajo 94601")
    _text_from_phone(page, "hablar con alguien")
    frame.locator("table.queue a.texter").wait_for(timeout=15000)
    assert "Console (demo)" in frame.locator("table.queue").inner_text()
    page.screenshot(path=str(_shots(tmp_path) / "console-demo.png"))
    assert dialogs == []
