"""Several workers share nothing in memory that matters: state lives in the database.

"Workers" here are separate engines and conversations (as separate processes
have), and separate `homeward serve` processes on one database.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.storage.db import read_scope
from bot.storage.models import ContactRow, InboundRow
from tests.conftest import Run, write_yaml
from tests.server_helpers import STOPPED, serving, signed_post, sms_form


def _worker(database_url: str, directory: Path) -> Runtime:
    """What one worker process opens: its own engine, index and conversation."""
    settings = Settings(database_url=database_url, directory=directory, log_level="WARNING")
    return open_runtime(settings)


def _conversation(runtime: Runtime) -> Conversation:
    return Conversation(runtime.engine, runtime.search, runtime.settings)


def _at_once(*calls: object) -> list[object]:
    """Run callables in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(n: int, call: object) -> None:
        barrier.wait()
        results[n] = call()  # type: ignore[operator]

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_a_new_texters_first_two_messages_on_two_workers_make_one_contact(
    database_url: str, tiny_directory: Path
) -> None:
    first, second = (_conversation(_worker(database_url, tiny_directory)) for _ in range(2))
    for n in range(5):
        user = f"+1510555{7000 + n}"
        turns = _at_once(
            lambda c=first, u=user: c.handle(InboundMessage("sms", u, "shelter 94607", kind="sms")),
            lambda c=second, u=user: c.handle(InboundMessage("sms", u, "food 94607", kind="sms")),
        )
        welcomed = [t for t in turns if "Welcome to Homeward" in t.replies[0].text]  # type: ignore[attr-defined]
        assert len(welcomed) == 1, n
    with read_scope(first.database) as session:
        contacts = session.scalar(select(func.count()).select_from(ContactRow))
    assert contacts == 5


def test_rate_limit_counters_are_shared_by_workers(database_url: str, tiny_directory: Path) -> None:
    workers = [_conversation(_worker(database_url, tiny_directory)) for _ in range(2)]
    intents = []
    for n in range(24):
        turn = workers[n % 2].handle(InboundMessage("sms", "+15105557100", "food", kind="sms"))
        intents.append(turn.intent)
    assert intents[:20].count("rate_limited") == 0
    assert intents[20] == "rate_limited"  # the 21st, whichever worker took it
    assert intents[21:] == ["rate_limited"] * 3


def test_one_message_id_on_two_workers_at_once_is_answered_once(
    database_url: str, tiny_directory: Path
) -> None:
    conversations = [_conversation(_worker(database_url, tiny_directory)) for _ in range(2)]
    for n in range(5):
        message = InboundMessage(
            "sms", f"+1510555{7200 + n}", "jobs 94607", kind="sms", message_id=f"SMx{n}"
        )
        answers = _at_once(
            *(lambda c=c, m=message: [r.text for r in c.handle(m).replies] for c in conversations)
        )
        assert answers[0] == answers[1]
        assert "Welcome to Homeward" in answers[0][0]  # type: ignore[index]
    with read_scope(conversations[0].database) as session:
        assert session.scalar(select(func.count()).select_from(InboundRow)) == 5


GAMMA = """
    id: gamma
    name: Gamma Bicycle Kitchen
    fictional: true
    phones:
      - number: "(510) 555-0103"
    locations:
      - id: gamma-west
        name: West Oakland shop
        address_1: 1500 7th St
        city: Oakland
        state_province: CA
        postal_code: "94607"
        latitude: 37.8050
        longitude: -122.2950
    services:
      - id: gamma-bikes
        name: Gamma Free Bicycles
        categories: [transportation]
        description: Free bicycles and bicycle repair for people just home from prison.
        locations: [gamma-west]
"""


def test_a_directory_load_reaches_every_running_server_without_a_restart(
    database_url: str, tiny_directory: Path, tmp_path: Path, run_cli: Run
) -> None:
    env = {"HOMEWARD_DIRECTORY": str(tiny_directory)}
    assert run_cli("directory", "load", env=env).returncode == 0
    with (
        serving(database_url, tmp_path, directory=tiny_directory) as one,
        serving(database_url, tmp_path, directory=tiny_directory) as two,
    ):
        version = one.health()["directory_version"]
        assert two.health()["directory_version"] == version
        before = signed_post(one.base, sms_form("free bicycle 94607", "SMg0")).text
        assert "Gamma" not in before
        write_yaml(tiny_directory / "organizations" / "gamma.yaml", GAMMA)
        loaded = run_cli("directory", "load", env=env)
        assert loaded.returncode == 0, loaded.stderr
        started = time.monotonic()
        for server in (one, two):
            while server.health()["directory_version"] == version:
                assert time.monotonic() - started < 30, "the new version never arrived"
                time.sleep(0.2)
        for n, server in enumerate((one, two)):
            reply = signed_post(
                server.base, sms_form("free bicycle 94607", f"SMg{n + 1}", sender=f"+1510555730{n}")
            )
            assert "Gamma Free Bicycles" in reply.text
        assert one.stop() in STOPPED
        assert two.stop() in STOPPED
