"""Checks of a Telegram update's fields before anything reads them (no PTB here).

PTB's ``Update.de_json`` takes whatever the JSON holds: a location whose
latitude is ``null`` or ``"abc"`` was accepted, stored, and then broke that
texter's searches and conversation page for good. Every field the adapter
reads is checked here first, and an update that fails is ignored with a log
line (it names the field, never its value) and is never stored.

Only private chats are answered: in a group or a channel a texter's need
would be read by others (the navigators' group only ever receives alerts).
"""

from __future__ import annotations

import math
from typing import Any

MAX_UPDATE_ID = 2**53
MAX_TEXT = 4096  # Telegram's own limit for one message
MAX_CALLBACK = 64  # Telegram's limit for callback data
ANSWERED = ("message", "callback_query")


def update_problem(data: Any) -> str:
    """Why an update is ignored ("" when it is fine to answer).

    The reason names a field or a kind of chat, never what a texter wrote.
    """
    if not isinstance(data, dict):
        return "not an object"
    if not _whole(data.get("update_id"), 0, MAX_UPDATE_ID):
        return "update_id"
    kinds = [kind for kind in data if kind != "update_id"]
    if len(kinds) != 1 or kinds[0] not in ANSWERED:
        return "not a message or a button press (" + ",".join(sorted(kinds))[:60] + ")"
    if kinds[0] == "message":
        return message_problem(data["message"])
    return _callback_problem(data["callback_query"])


def message_problem(message: Any) -> str:
    """Why a message is not answered: the chat, the sender, the text or the location."""
    if not isinstance(message, dict):
        return "message"
    chat = message.get("chat")
    if not isinstance(chat, dict) or not _whole(chat.get("id"), -(2**63), 2**63):
        return "message.chat"
    if chat.get("type") != "private":
        return "a group or channel chat (only private chats are answered)"
    sender = message.get("from")
    if sender is not None and (
        not isinstance(sender, dict) or not _whole(sender.get("id"), 1, 2**63)
    ):
        return "message.from"
    if not _whole(message.get("message_id"), 0, 2**63) or not _whole(message.get("date"), 0, 2**40):
        return "message.message_id or date"
    if "text" in message and not (
        isinstance(message["text"], str) and len(message["text"]) <= MAX_TEXT
    ):
        return "message.text"
    if "location" in message and not point_ok(message["location"]):
        return "message.location"
    return ""


def _callback_problem(query: Any) -> str:
    if not isinstance(query, dict) or not isinstance(query.get("id"), str):
        return "callback_query"
    sender = query.get("from")
    if not isinstance(sender, dict) or not _whole(sender.get("id"), 1, 2**63):
        return "callback_query.from"
    data = query.get("data")
    if data is not None and not (isinstance(data, str) and len(data) <= MAX_CALLBACK):
        return "callback_query.data"
    message = query.get("message")
    if message is None:
        return "callback_query.message"  # an inline-mode press: not a private chat of ours
    return message_problem(message)


def point_ok(location: Any) -> bool:
    """A location is two finite numbers: latitude within 90, longitude within 180."""
    if not isinstance(location, dict):
        return False
    latitude, longitude = location.get("latitude"), location.get("longitude")
    return point_values_ok(latitude, longitude)


def point_values_ok(latitude: Any, longitude: Any) -> bool:
    """The coordinates as PTB hands them: numbers (not booleans), finite, in range."""
    for value, bound in ((latitude, 90.0), (longitude, 180.0)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if not math.isfinite(value) or abs(value) > bound:
            return False
    return True


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value < high
