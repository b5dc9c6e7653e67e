"""What goes into the core and what comes out: plain data, no channel SDK."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Point = tuple[float, float]
SHARE_LOCATION = "share_location"  # an option a channel shows as "send my location"


class Intent(StrEnum):
    """What the core understood a message to be, and so how it answered.

    Kept in the transcript and in ``homeward chat --json``; the values are part
    of that shape.
    """

    WELCOME = "welcome"
    GREETING = "greeting"
    START = "start"
    HELP = "help"
    LANGUAGE = "language"
    THANKS = "thanks"
    BYE = "bye"
    UNCLEAR = "unclear"
    MENU = "menu"
    ZIP = "zip"
    SEARCH = "search"
    CATEGORY = "category"
    MORE = "more"
    DETAILS = "details"
    PLAN = "plan"  # a numbered plan shown: first week out, what families need
    PERSON = "person"
    TO_NAVIGATOR = "to_navigator"  # a navigator has the conversation: the text goes to them
    CRISIS = "crisis"
    STOP = "stop"
    SILENCED = "silenced"  # stopped: no reply until START
    RATE_LIMITED = "rate_limited"
    PRIVACY = "privacy"
    DELETE = "delete"  # asked to erase: the question
    ERASED = "erased"
    REPEAT = "repeat"  # a platform sent a message id again: the stored replies
    LINKED = "linked"  # a link code: the number is linked to a plan (bot.conversation.care_desk)
    WRONG_CODE = "wrong_code"  # a code that matches no plan, or one too many today
    FOLLOW_UP = "follow_up"  # an answer to "Did you reach NAME?"
    CHATTER = "chatter"  # a text that asks for nothing: what Homeward can help with, no list
    REPORT = "report"  # WRONG after details: asked what is wrong, or the report recorded


@dataclass(frozen=True)
class InboundMessage:
    """One message from a texter, as any channel adapter sees it.

    ``message_id`` is the platform's id (Twilio's MessageSid, Telegram's
    update_id): the core answers each one once and gives a repeat the replies
    it stored. ``media`` counts attachments, which Homeward cannot read.
    """

    channel: str
    user_id: str
    text: str
    location: Point | None = None
    language_hint: str | None = None
    kind: str = "sms"  # how replies are formatted: "sms" or "telegram"
    message_id: str | None = None
    media: int = 0


@dataclass(frozen=True)
class Option:
    """A choice a rich channel may show as a button; SMS shows the words instead."""

    label: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One outbound message."""

    text: str
    options: tuple[Option, ...] = ()


@dataclass
class Turn:
    """The core's answer to one inbound message, and what happened."""

    replies: list[Reply] = field(default_factory=list)
    language: str = "en"
    intent: Intent | None = None
    handoff: bool = False
    crisis: str | None = None
    concern: bool = False  # a hopeless or unclear text: led by the 988 line, a check-in queued
    category: str | None = None  # what a search was about, for the transcript and counts
    zip_code: str | None = None
    shown: list[str] = field(default_factory=list)  # service ids shown, for the navigator
    erased: bool = False  # the texter's data was erased: keep no transcript of this turn
    repeated: bool = False  # a message id answered before: these are the stored replies

    def as_json(self, text_in: str | None) -> dict[str, Any]:
        """The ``homeward chat --json`` shape."""
        return {
            "in": text_in,
            "replies": [r.text for r in self.replies],
            "language": self.language,
            "intent": str(self.intent or ""),
            "handoff": self.handoff,
            "crisis": self.crisis,
            "concern": self.concern,
        }
