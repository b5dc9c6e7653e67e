"""The conversation's thread is kept sealed with the texter, survives a restart, and is erased.

Also: the blind-scenario scorer (bench/scenarios.py) checks what it says it checks.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bench.scenarios import check, score
from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.models import ContactRow
from tests.conftest import SAMPLE_DIRECTORY
from tests.conversation_helpers import TUESDAY_11AM, verify_dialog


@pytest.fixture
def runtime(sample_database_url: str) -> Runtime:
    """A database of this test's own, holding the sample directory."""
    return open_runtime(
        Settings(database_url=sample_database_url, directory=SAMPLE_DIRECTORY, log_level="WARNING")
    )


def _conversation(runtime: Runtime, when: dt.datetime = TUESDAY_11AM) -> Conversation:
    return Conversation(runtime.engine, runtime.search, runtime.settings, clock=lambda: when)


def test_the_thread_is_sealed_and_holds_the_need_place_and_situation(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "thread-1",
        [("my son is in santa rita", ["1 Visits"]), ("need a bed tonite fruitvale", ["1. "])],
    )
    with session_scope(runtime.engine) as session:
        row = session.scalars(select(ContactRow)).one()
        assert row.thread_sealed
        for clear in ("santa", "family", "bed", "Fruitvale"):
            assert clear not in row.thread_sealed
        thread = row.thread
    assert thread["place"] == "Fruitvale"
    assert "family" in thread["context"]
    assert thread["need"] == {"kind": "search", "text": "need a bed tonite"}


def test_a_need_carried_to_a_zip_survives_another_worker(runtime: Runtime) -> None:
    verify_dialog(_conversation(runtime), "thread-2", [("need a bed tonite", ["1. "])])
    other_worker = _conversation(runtime)  # nothing in memory is shared
    verify_dialog(other_worker, "thread-2", [("94607", ["Housing and shelter near 94607:"])])


def test_a_zip_sent_the_next_day_is_a_fresh_start(runtime: Runtime) -> None:
    verify_dialog(_conversation(runtime), "thread-5", [("need a bed tonite", ["1. "])])
    next_day = _conversation(runtime, TUESDAY_11AM + dt.timedelta(days=1))
    verify_dialog(next_day, "thread-5", [("94607", ["What do you need near 94607?"])])


def test_a_category_picked_from_the_menu_is_carried_to_a_zip(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "thread-6",
        [("menu", ["1 Housing"]), ("7", ["Food:"]), ("94601", ["Food near 94601:"])],
    )


def test_menu_starts_afresh_so_a_zip_after_it_shows_the_menu_there(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "thread-3",
        [
            ("need a bed tonite", ["1. "]),
            ("menu", ["Reply with a number"]),
            ("94601", ["What do you need near 94601?"]),
        ],
    )


def test_delete_erases_the_thread_with_everything_else(runtime: Runtime) -> None:
    conversation = _conversation(runtime)
    verify_dialog(
        conversation,
        "thread-4",
        [
            ("my brother gets out tomorrow", ["first week"]),
            ("stop", ["START"]),  # an opted-out texter's row stays, for STOP to hold
            ("delete", ["YES"]),
            ("yes", ["erased"]),
        ],
    )
    with session_scope(runtime.engine) as session:
        row = session.scalars(select(ContactRow)).one()
        assert row.thread_sealed == ""
        assert row.opted_out


def test_the_scorer_checks_what_it_says_and_can_fail(runtime: Runtime) -> None:
    scenarios = [
        {
            "id": "scorer-carried",
            "lang": "en",
            "about": "need carried to a zip",
            "turns": [
                {"say": "need a bed tonite", "expect": {"any_text": ["ZIP"], "language": "en"}},
                {
                    "say": "94607",
                    "expect": {
                        "first_category": ["housing"],
                        "all_text": ["94607"],
                        "no_text": ["Reply with a number:"],
                        "max_segments": 3,
                    },
                },
            ],
        },
        {
            "id": "scorer-wrong",
            "lang": "es",
            "about": "release day",
            "turns": [
                {
                    "say": "just got out",
                    "expect": {
                        "numbered_choice": True,
                        "offers_person": True,
                        "no_results": True,
                        "language": "es",  # wrong on purpose: an English text
                        "first_category": ["food"],  # wrong on purpose: nothing is listed
                    },
                }
            ],
        },
    ]
    report = score(scenarios, _conversation(runtime))
    assert (report.scenarios.passed, report.scenarios.total) == (1, 2)
    assert (report.checks.passed, report.checks.total) == (9, 11)
    assert report.by_behaviour["need carried to a place"].passed == 1
    assert report.by_behaviour["release day"].passed == 0
    assert len(report.misses) == 2
    turn = _conversation(runtime).handle(InboundMessage("test", "scorer-3", "shelter 94601"))
    assert check("categories_listed", ["housing"], turn, lambda _: {"housing"})
    assert not check("categories_listed", ["food"], turn, lambda _: {"housing"})
    with pytest.raises(ValueError, match="unknown expectation"):
        check("smells_nice", True, turn, lambda _: set())
