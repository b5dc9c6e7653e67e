"""While a handoff is open the bot stays out of the way; STOP, START, HELP, MENU still work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime
from bot.storage.contacts import find_contact
from bot.storage.db import session_scope
from bot.storage.handoffs import close_handoff, send_as_navigator
from bot.storage.models import HandoffRow, MessageRow
from bot.storage.navigators import add_navigator
from bot.storage.staff import NavigatorRow
from tests.conversation_helpers import SATURDAY_11PM, TUESDAY_11AM, verify_dialog


def _conversation(runtime: Runtime, when: dt.datetime = TUESDAY_11AM) -> Conversation:
    return Conversation(runtime.engine, runtime.search, runtime.settings, clock=lambda: when)


def _navigator_has_written(runtime: Runtime, user: str) -> tuple[Conversation, NavigatorRow]:
    """A texter who asked for a person, and a navigator who has written to them."""
    conversation = _conversation(runtime)
    conversation.handle(InboundMessage("test", user, "talk to someone"))
    with session_scope(runtime.engine) as session:
        navigator = add_navigator(
            session, f"{user}@example.org", "long enough password", at=TUESDAY_11AM
        )
        contact = find_contact(session, "test", user)
        assert contact is not None
        send_as_navigator(session, contact, navigator, "Hi, I am here.", in_office=lambda _: True)
    return conversation, navigator


def test_texts_go_to_the_navigator_with_one_acknowledgement(sample_runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(sample_runtime),
        "hm1",
        [
            ("hi", ["Welcome"]),
            ("talk to someone", ["navigator will text you back soon"]),
            ("what time will they text me", ["A navigator will read your message", "MENU"]),
            ("ok whenever they can", []),  # one acknowledgement only
            ("i used to work in a kitchen", []),
        ],
    )
    assert [t.intent for t in turns[2:]] == ["to_navigator"] * 3
    assert all(t.handoff for t in turns[1:])
    with session_scope(sample_runtime.engine) as session:
        contact = find_contact(session, "test", "hm1")
        assert contact is not None
        kept = session.scalars(
            select(MessageRow.intent)
            .where(MessageRow.contact_id == contact.id, MessageRow.author == "texter")
            .order_by(MessageRow.id)  # without it PostgreSQL may return them in any order
        ).all()
    assert kept[-3:] == ["to_navigator"] * 3  # every text is in the transcript the console shows


def test_a_need_sent_while_the_request_waits_is_answered_and_the_place_kept(
    sample_runtime: Runtime,
) -> None:
    turns = verify_dialog(
        _conversation(sample_runtime),
        "hm1b",
        [
            ("hi", ["Welcome"]),
            ("talk to someone", ["navigator will text you back soon"]),
            ("ok thanks. need food in 94607 for now", ["near 94607", "1. ", "still on the list"]),
            ("2", ["Hours:"]),  # the list just shown opens as usual
            ("more", ["4. "]),
            ("what time will they text me", ["A navigator will read your message"]),
        ],
    )
    assert [t.intent for t in turns[2:]] == ["search", "details", "more", "to_navigator"]
    with session_scope(sample_runtime.engine) as session:
        contact = find_contact(session, "test", "hm1b")
        assert contact is not None
        handoffs = session.scalars(select(HandoffRow).where(HandoffRow.contact_id == contact.id))
        assert [h.status for h in handoffs] == ["open"]  # still on the list


def test_a_need_after_a_navigator_has_written_goes_to_the_navigator_alone(
    sample_runtime: Runtime,
) -> None:
    conversation, _ = _navigator_has_written(sample_runtime, "hm1c")
    answer = conversation.handle(InboundMessage("test", "hm1c", "need food in 94607"))
    assert answer.intent == "to_navigator"
    assert answer.replies == []


def test_outside_office_hours_the_acknowledgement_says_when(sample_runtime: Runtime) -> None:
    verify_dialog(
        _conversation(sample_runtime, SATURDAY_11PM),
        "hm2",
        [
            ("hola", ["Bienvenido"]),
            ("hablar con alguien", ["oficina esta cerrada"]),
            ("le cuento mi situacion, tengo dos hijos", ["cuando abra la oficina", "lunes"]),
        ],
    )


def test_stop_start_help_and_person_keep_working(sample_runtime: Runtime) -> None:
    verify_dialog(
        _conversation(sample_runtime),
        "hm3",
        [
            ("hi", ["Welcome"]),
            ("person", ["navigator"]),
            ("help", ["Homeward finds", "STOP"]),
            ("person", ["already on the list"]),
            ("stop", ["no more messages"]),
            ("anyone there?", []),
            ("start", ["Welcome back"]),
            ("ok", ["A navigator will read your message"]),
        ],
    )


def test_menu_returns_to_the_bot_but_keeps_the_place_in_the_queue(
    sample_runtime: Runtime,
) -> None:
    turns = verify_dialog(
        _conversation(sample_runtime),
        "hm4",
        [
            ("hi", ["Welcome"]),
            ("talk to someone", ["navigator"]),
            ("menu", ["still on the list", "1 Housing"]),
            ("7", ["Food"]),
            ("person", ["already on the list"]),
            ("thanks", ["A navigator will read your message"]),  # the first text passed on
            ("and a ride", []),
        ],
    )
    assert turns[2].handoff is False
    assert turns[3].handoff is False
    assert turns[4].handoff is True
    with session_scope(sample_runtime.engine) as session:
        contact = find_contact(session, "test", "hm4")
        assert contact is not None
        statuses = session.scalars(
            select(HandoffRow.status).where(HandoffRow.contact_id == contact.id)
        ).all()
    assert statuses == ["open"]


def test_crisis_privacy_and_delete_still_come_first(sample_runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(sample_runtime),
        "hm5",
        [
            ("hi", ["Welcome"]),
            ("talk to someone", ["navigator"]),
            ("privacy", ["Privacy", "DELETE"]),
            ("he's not breathing after using", ["911", "naloxone"]),
            ("delete", ["YES"]),
            ("yes", ["erased"]),
        ],
    )
    assert turns[3].crisis == "overdose"


def test_after_a_navigator_writes_no_acknowledgement_and_closing_returns_to_the_bot(
    sample_runtime: Runtime,
) -> None:
    conversation, navigator = _navigator_has_written(sample_runtime, "hm6")
    answer = conversation.handle(InboundMessage("test", "hm6", "thank you, I need a bed"))
    assert answer.intent == "to_navigator"
    assert answer.replies == []
    with session_scope(sample_runtime.engine) as session:
        contact = find_contact(session, "test", "hm6")
        assert contact is not None
        navigator_row = session.get(type(navigator), navigator.id)
        assert navigator_row is not None
        close_handoff(session, contact, navigator_row, "connected")
    back = conversation.handle(InboundMessage("test", "hm6", "food 94601"))
    assert back.intent == "search"
    assert back.handoff is False
