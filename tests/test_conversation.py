"""Whole conversations through the core, in English and Spanish."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.storage.contacts import find_contact
from bot.storage.db import make_engine, session_scope
from bot.storage.models import HandoffRow
from tests.conftest import SAMPLE_DIRECTORY
from tests.conversation_helpers import SATURDAY_11PM, TUESDAY_11AM, verify_dialog


@pytest.fixture
def runtime(sample_runtime: Runtime) -> Runtime:
    """The shared sample database: every test talks as its own user id."""
    return sample_runtime


def _conversation(runtime: Runtime, when: dt.datetime = TUESDAY_11AM) -> Conversation:
    return Conversation(runtime.engine, runtime.search, runtime.settings, clock=lambda: when)


def test_first_contact_gets_the_welcome_with_demo_notice_and_stop(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "u1",
        [
            (
                "hi",
                [
                    "Welcome to Homeward",
                    "shelter 94607",
                    "PERSON",
                    "ES",
                    "Reply STOP to opt out",
                    "demo",
                ],
            )
        ],
    )


def test_search_details_more_and_menu_in_english(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "u2",
        [
            ("hi", ["Welcome"]),
            ("shelter 94607", ["near 94607", "1. ", "2. ", "3. ", " mi", "MORE"]),
            ("2", ["Hours:", "People with records", "Checked:"]),
            ("more", ["4. ", "5. ", "6. "]),
            ("menu", ["Reply with a number", "1 Housing", "12 Benefits"]),
            ("7", ["Food near 94607", "1. "]),
            ("thanks", ["welcome"]),
        ],
    )
    assert [t.intent for t in turns] == [
        "welcome",
        "search",
        "details",
        "more",
        "menu",
        "category",
        "thanks",
    ]
    assert all(t.language == "en" for t in turns)


def test_spanish_text_gets_spanish_answers_without_asking(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "u3",
        [
            ("necesito trabajo 94601", ["Bienvenido", "Trabajo cerca de 94601", "MAS"]),
            ("1", ["Horario:", "antecedentes"]),
            ("mas", ["4. "]),
            ("ayuda", ["Homeward busca ayuda", "PARAR"]),
        ],
    )
    assert all(t.language == "es" for t in turns)


def test_language_switch_is_remembered(runtime: Runtime) -> None:
    conversation = _conversation(runtime)
    verify_dialog(
        conversation,
        "u4",
        [("hi", ["Welcome"]), ("español", ["le contesto en español"]), ("menu", ["Qué necesita"])],
    )
    verify_dialog(
        conversation,
        "u4",
        [("english", ["I will answer in English"]), ("menu", ["What do you need"])],
    )


def test_stop_confirms_once_then_silence_until_start(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "u5",
        [
            ("food", ["Welcome"]),
            ("STOP", ["no more messages", "START"]),
            ("food 94601", []),
            ("help", []),
            ("stop", []),
            ("START", ["Welcome back"]),
            ("food 94601", ["Food near 94601"]),
        ],
    )


@pytest.mark.parametrize(
    "word",
    ["stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "parar", "Stop."],
)
def test_every_carrier_stop_word_opts_out(runtime: Runtime, word: str) -> None:
    verify_dialog(
        _conversation(runtime),
        f"stop-{word}",
        [("hi", ["Welcome"]), (word, ["START"]), ("shelter", [])],
    )


@pytest.mark.parametrize("word", ["unstop", "yes", "iniciar"])
def test_every_start_word_opts_back_in(runtime: Runtime, word: str) -> None:
    verify_dialog(
        _conversation(runtime),
        f"start-{word}",
        [("hi", ["Welcome"]), ("stop", ["START"]), (word, ["Homeward"])],
    )


def test_help_names_the_program_a_person_and_stop(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "u6",
        [("hi", ["Welcome"]), ("HELP", ["Homeward finds", "PERSON", "STOP"])],
    )


def test_asking_for_a_person_records_a_handoff_and_says_when(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "u7",
        [
            ("hi", ["Welcome"]),
            ("can i talk to someone", ["navigator will text you back soon", "Mon-Fri"]),
            ("person", ["already on the list"]),
        ],
    )
    assert turns[1].handoff is True
    assert turns[1].intent == "person"
    with session_scope(runtime.engine) as session:
        contact = find_contact(session, "test", "u7")
        assert contact is not None
        handoffs = session.scalars(
            select(HandoffRow).where(HandoffRow.contact_id == contact.id)
        ).all()
        assert len(handoffs) == 1
        assert handoffs[0].status == "open"


@pytest.mark.parametrize(
    ("user", "question", "words"),
    [
        ("u7a", "are you a real person or a bot", ["automated", "not a person", "PERSON"]),
        ("u7b", "is this a bot?", ["automated", "PERSON"]),
        ("u7c", "eres un robot o una persona real", ["automatico", "PERSONA"]),
    ],
)
def test_asking_whether_it_is_a_bot_is_answered_and_opens_no_handoff(
    runtime: Runtime, user: str, question: str, words: list[str]
) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        user,
        [(question, words), ("i need a lawyer for my probation violation 94601", ["Legal", "1. "])],
    )
    assert turns[0].handoff is False
    with session_scope(runtime.engine) as session:
        contact = find_contact(session, "test", user)
        assert contact is not None
        handoffs = session.scalars(select(HandoffRow).where(HandoffRow.contact_id == contact.id))
        assert handoffs.all() == []


def test_a_bot_question_with_an_ask_for_someone_still_reaches_a_person(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "u7d",
        [("hi", ["Welcome"]), ("are you a bot? i need to talk to someone", ["navigator"])],
    )
    assert turns[1].handoff is True


def test_outside_office_hours_the_bot_says_when_the_office_opens(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime, SATURDAY_11PM),
        "u8",
        [("hi", ["Welcome"]), ("hablar con alguien", ["oficina esta cerrada", "lunes a las 9:00"])],
    )


def test_a_zip_alone_asks_what_they_need_with_the_menu(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "u9",
        [
            ("hi", ["Welcome"]),
            ("94612", ["near 94612", "1 Housing"]),
            ("3", ["Health care near 94612"]),
        ],
    )
    assert turns[1].intent == "zip"


def test_without_a_zip_the_bot_asks_for_one_once(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "u10",
        [("hi", ["Welcome"]), ("food", ["ZIP code"]), ("shelter", ["1. "])],
    )
    assert "ZIP code" not in turns[2].replies[-1].text


def test_unclear_texts_get_a_helpful_answer_not_an_error(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "u11",
        [
            ("hi", ["Welcome"]),
            ("asdfgh", ["MENU"]),
            ("", ["MENU"]),
            ("99", ["Reply with a number"]),
            ("more", ["MENU"]),
            ("bye", ["Take care"]),
        ],
    )


def test_a_number_out_of_range_says_which_numbers_work(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime), "u12", [("food 94601", ["1. "]), ("40", ["number from 1 to"])]
    )


def test_state_survives_a_new_process(database_url: str) -> None:
    settings = Settings(database_url=database_url, directory=SAMPLE_DIRECTORY, log_level="WARNING")
    first = open_runtime(settings)
    verify_dialog(_conversation(first), "u13", [("food 94601", ["Food near 94601"])])
    second = open_runtime(settings)
    verify_dialog(_conversation(second), "u13", [("more", ["4. "]), ("2", ["Hours:"])])
    with session_scope(make_engine(database_url)) as session:
        contact = find_contact(session, "test", "u13")
        assert contact is not None
        assert contact.zip_code == "94601"


def test_a_shared_location_ranks_by_distance(runtime: Runtime) -> None:
    conversation = _conversation(runtime)
    turn = conversation.handle(InboundMessage("test", "u14", "food", location=(37.7396, -122.1701)))
    assert " mi" in turn.replies[1].text


def test_telegram_kind_shows_more_results_per_page(runtime: Runtime, tmp_path: Path) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "u15",
        [("hi", ["Welcome"]), ("food 94601", ["5. "])],
        kind="telegram",
    )
    assert "6. " not in turns[1].replies[0].text


def test_lang_switches_to_the_other_language(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "u16",
        [("hi", ["Welcome"]), ("lang", ["español"]), ("lang", ["English"])],
    )
