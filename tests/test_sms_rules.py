"""Every reply the core can give fits SMS: GSM-7 and at most 3 segments."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation.core import Conversation
from bot.conversation.gsm import segments, to_gsm
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime
from bot.search.evaluation import read_queries
from tests.conversation_helpers import SATURDAY_11PM, TUESDAY_11AM, check_sms_rules

DATA = Path(__file__).parent / "data"
COMMANDS = [
    "hi",
    "hola",
    "help",
    "ayuda",
    "menu",
    "1",
    "2",
    "12",
    "more",
    "mas",
    "2",
    "3",
    "person",
    "94601",
    "5",
    "1",
    "es",
    "menu",
    "7",
    "1",
    "thanks",
    "bye",
    "99",
    "",
    "stop",
    "start",
]


@pytest.mark.parametrize(
    "when", [TUESDAY_11AM, SATURDAY_11PM], ids=["office-open", "office-closed"]
)
def test_every_reply_to_realistic_texts_fits_sms(sample_runtime: Runtime, when: object) -> None:
    conversation = Conversation(
        sample_runtime.engine,
        sample_runtime.search,
        sample_runtime.settings,
        clock=lambda: when,  # type: ignore[arg-type,return-value]
    )
    texts = [q.text for q in read_queries(DATA / "queries.extra.tsv")] + COMMANDS
    worst = 0
    for n, text in enumerate(texts):
        for follow in (text, "1", "more", "2"):
            turn = conversation.handle(InboundMessage("sms-rules", f"{when}-{n}", follow))
            check_sms_rules(turn)
            worst = max([worst, *(segments(r.text) for r in turn.replies)])
    print(f"\nmost segments in one reply: {worst}")


def test_segment_counting_follows_gsm_and_ucs2_rules() -> None:
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 459) == 3
    assert segments("€" * 80) == 1
    assert segments("€" * 81) == 2
    assert segments("é" * 160) == 1  # é is in GSM-7
    assert segments("á" * 71) == 2  # á is not: UCS-2
    assert segments("😀" * 35) == 1


def test_folding_removes_what_would_force_ucs2() -> None:
    assert to_gsm("“Hola” – ¿Qué tal? 😀 Clínica") == '"Hola" - ¿Qué tal?  Clinica'


def test_twiml_is_what_twilios_own_library_writes() -> None:
    from twilio.twiml.messaging_response import MessagingResponse

    from bot.channels.sms import twiml

    for replies in ([], ["one"], ["a & b < c > d \"q\" 's'\nnext line", "second"], ["ñ é €"]):
        response = MessagingResponse()
        for reply in replies:
            response.message(reply)
        assert twiml(replies) == str(response)
