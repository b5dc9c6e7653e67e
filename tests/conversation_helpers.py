"""Helpers to write conversations as tables: (texter says, bot replies must contain)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.conversation.core import Conversation
from bot.conversation.gsm import MAX_SEGMENTS, is_gsm, segments
from bot.conversation.message import InboundMessage, Turn

PACIFIC = ZoneInfo("America/Los_Angeles")
TUESDAY_11AM = dt.datetime(2026, 11, 24, 11, 0, tzinfo=PACIFIC)
SATURDAY_11PM = dt.datetime(2026, 11, 28, 23, 0, tzinfo=PACIFIC)


def check_sms_rules(turn: Turn) -> None:
    """Every SMS reply is GSM-7 (no emoji, curly quotes) and at most 3 segments."""
    for reply in turn.replies:
        assert is_gsm(reply.text), f"not GSM-7: {reply.text!r}"
        assert segments(reply.text) <= MAX_SEGMENTS, (
            f"{segments(reply.text)} segments: {reply.text!r}"
        )


def verify_dialog(
    conversation: Conversation,
    user: str,
    dialog: Sequence[tuple[str, Sequence[str]]],
    kind: str = "sms",
) -> list[Turn]:
    """Send each text; every expected fragment must appear in the joined replies.

    An empty fragment list means the bot must stay silent.
    """
    turns = []
    for text, expected in dialog:
        turn = conversation.handle(InboundMessage("test", user, text, kind=kind))
        joined = "\n".join(r.text for r in turn.replies)
        if kind == "sms":
            check_sms_rules(turn)
        if not expected:
            assert turn.replies == [], f"{text!r} should get no reply, got {joined!r}"
        for fragment in expected:
            assert fragment.lower() in joined.lower(), (
                f"{text!r}: missing {fragment!r} in:\n{joined}"
            )
        turns.append(turn)
    return turns
