"""The console channel: chat with Homeward in a terminal, or pipe lines through it.

A thin adapter like every channel: a line in becomes an InboundMessage, the
core answers, the replies are printed. It needs no account and no key, so it
is how a developer, a trainer or a test talks to Homeward.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage, Turn

CHANNEL = "console"
MAX_LINE = 2000  # characters read from one line; the rest is not a text message


class ConsoleChat:
    """One console user talking to the core."""

    def __init__(self, conversation: Conversation, user_id: str, kind: str, out: TextIO) -> None:
        self.conversation = conversation
        self.user_id = user_id
        self.kind = kind
        self.out = out

    def pending(self, as_json: bool) -> None:
        """Print what reached this user while they were away (a turn with "in": null)."""
        messages = self.conversation.pending(CHANNEL, self.user_id)
        if not messages:
            return
        if as_json:
            payload = {
                "in": None,
                "replies": messages,
                "language": None,
                "intent": "pending",
                "handoff": None,
                "crisis": None,
                "concern": None,
            }
            self.out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        else:
            for text in messages:
                self.out.write(f"[while you were away]\n{text}\n\n")

    def send(self, text: str) -> Turn:
        """Send one line as the texter; returns the core's turn."""
        message = InboundMessage(CHANNEL, self.user_id, text[:MAX_LINE], kind=self.kind)
        return self.conversation.handle(message)

    def run_lines(self, lines: Iterable[str], as_json: bool) -> None:
        """One message per line; replies printed as text or one JSON object per turn."""
        self.pending(as_json)
        for raw in lines:
            text = raw.rstrip("\r\n")
            turn = self.send(text)
            if as_json:
                self.out.write(json.dumps(turn.as_json(text), ensure_ascii=False) + "\n")
            else:
                self.out.write("".join(f"{r.text}\n\n" for r in turn.replies))
            self.out.flush()

    def run_interactive(self, prompt_in: TextIO) -> None:
        """A terminal chat until end of input."""
        self.pending(False)
        self.out.write("Homeward chat. Type as a texter would; Ctrl-D to quit.\n\n")
        while True:
            self.out.write("you> ")
            self.out.flush()
            line = prompt_in.readline()
            if not line:
                self.out.write("\n")
                return
            for reply in self.send(line.rstrip("\n")).replies:
                self.out.write(f"homeward> {reply.text}\n\n")
