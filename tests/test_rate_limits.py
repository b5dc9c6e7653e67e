"""Per-sender limits: one polite message past the limit, then silence; others unaffected."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime
from bot.settings import Settings
from tests.conftest import SAMPLE_DIRECTORY


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


def test_past_the_limit_one_notice_then_silence_until_the_window_passes(
    sample_runtime: Runtime,
) -> None:
    settings = Settings.from_env(
        {"HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY), "HOMEWARD_RATE_LIMITS": "3/minute,100/day"}
    )
    now = [dt.datetime(2026, 11, 24, 19, 0, tzinfo=dt.UTC)]
    conversation = Conversation(
        sample_runtime.engine, sample_runtime.search, settings, clock=lambda: now[0]
    )
    intents = [
        conversation.handle(InboundMessage("test", "flood", "food 94601")).intent for _ in range(6)
    ]
    assert intents == ["search", "search", "search", "rate_limited", "rate_limited", "rate_limited"]
    flood_turns = [conversation.handle(InboundMessage("test", "flood", "food")) for _ in range(2)]
    assert [t.replies for t in flood_turns] == [[], []]
    assert conversation.handle(InboundMessage("test", "neighbour", "food 94601")).intent == "search"
    crisis = conversation.handle(InboundMessage("test", "flood", "i want to kill myself"))
    assert "988" in crisis.replies[0].text  # a crisis is answered whatever the count
    now[0] += dt.timedelta(minutes=1, seconds=1)
    # The crisis opened a handoff, so texts now go to a navigator; MENU is answered.
    assert conversation.handle(InboundMessage("test", "flood", "menu")).intent == "menu"


def test_the_first_message_over_the_limit_says_so_politely(sample_runtime: Runtime) -> None:
    settings = Settings.from_env(
        {"HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY), "HOMEWARD_RATE_LIMITS": "1/minute"}
    )
    conversation = Conversation(sample_runtime.engine, sample_runtime.search, settings)
    conversation.handle(InboundMessage("test", "polite", "hi"))
    turn = conversation.handle(InboundMessage("test", "polite", "hi"))
    assert turn.replies[0].text.startswith("You have sent a lot of texts")


def test_a_wrong_limit_setting_is_one_line() -> None:
    import pytest

    from bot.settings import SettingsError

    with pytest.raises(SettingsError, match="HOMEWARD_RATE_LIMITS"):
        Settings.from_env({"HOMEWARD_RATE_LIMITS": "lots"})


def test_a_flood_past_the_limit_is_not_kept_in_the_transcript(database_url: str) -> None:
    from sqlalchemy import func, select

    from bot.runtime import open_runtime
    from bot.storage.db import session_scope
    from bot.storage.models import MessageRow

    settings = Settings.from_env(
        {
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
            "HOMEWARD_DATABASE_URL": database_url,
            "HOMEWARD_RATE_LIMITS": "2/minute",
        }
    )
    runtime = open_runtime(settings)
    conversation = Conversation(runtime.engine, runtime.search, settings)
    for _ in range(40):
        conversation.handle(InboundMessage("test", "flood", "x" * 1600))
    with session_scope(runtime.engine) as session:
        kept = session.scalar(
            select(func.count()).select_from(MessageRow).where(MessageRow.direction == "in")
        )
    assert kept == 3  # two answered, one "slow down"; the other 37 left no trace
