"""What goes into the core and what comes out: plain data, no channel SDK."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Point = tuple[float, float]
SHARE_LOCATION = "share_location"  # an option a channel shows as "send my location"


@dataclass(frozen=True)
class InboundMessage:
    """One message from a texter, as any channel adapter sees it."""

    channel: str
    user_id: str
    text: str
    location: Point | None = None
    language_hint: str | None = None
    kind: str = "sms"  # how replies are formatted: "sms" or "telegram"


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
    intent: str = ""
    handoff: bool = False
    crisis: str | None = None
    category: str | None = None  # what a search was about, for the transcript and counts
    zip_code: str | None = None
    shown: list[str] = field(default_factory=list)  # service ids shown, for the navigator
    erased: bool = False  # the texter's data was erased: keep no transcript of this turn

    def as_json(self, text_in: str | None) -> dict[str, Any]:
        """The ``homeward chat --json`` shape."""
        return {
            "in": text_in,
            "replies": [r.text for r in self.replies],
            "language": self.language,
            "intent": self.intent,
            "handoff": self.handoff,
            "crisis": self.crisis,
        }
