"""Writing a reply: saved replies with variables, the directory picker, the SMS rules.

Saved replies are data (``saved_replies.yaml`` in the directory folder, or the
repository's copy, stored with each good load), read whole or not at all: a
broken file gives the console no saved replies and a list of its problems,
never half of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.conversation.audience import who_for
from bot.conversation.gsm import MAX_SEGMENTS, segments, to_gsm
from bot.conversation.hours_text import week_hours
from bot.conversation.style import TELEGRAM_LIMIT
from bot.directory.loader import shared_file
from bot.i18n import Translator
from bot.search.engine import SearchEngine, SearchHit
from bot.search.render import main_phone

VARIABLES = ("first_name", "navigator_name", "office_address")
SMS_LIKE = ("sms", "whatsapp", "console")  # the console channel stands in for SMS
MAX_REPLY = 1600
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class SavedReply:
    """One saved reply: a title and a text per language."""

    id: str
    titles: dict[str, str]
    texts: dict[str, str]

    def title(self, language: str) -> str:
        """The title in the navigator's language (English when missing)."""
        return self.titles.get(language) or self.titles.get("en") or self.id

    def text(self, language: str) -> str:
        """The text in the texter's language (English when missing)."""
        return self.texts.get(language) or self.texts.get("en", "")


SAVED_REPLIES_FILE = "saved_replies.yaml"


def load_saved_replies(folder: Path) -> tuple[tuple[SavedReply, ...], list[str]]:
    """The saved replies of a folder's file and its problems (see ``parse_saved_replies``)."""
    path = shared_file(folder, SAVED_REPLIES_FILE)
    if not path.exists():
        return (), []
    return parse_saved_replies(path.read_bytes(), path.name)


def parse_saved_replies(
    body: bytes, name: str = SAVED_REPLIES_FILE
) -> tuple[tuple[SavedReply, ...], list[str]]:
    """The saved replies in a file's bytes and its problems (no replies when there are any).

    The console reads the copy stored with the loaded directory
    (``Conversation.files``), so a file broken after the last good load is
    refused by the next load and the last good replies stay offered.
    """
    try:
        data = yaml.safe_load(body.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return (), [f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0]}"]
    entries = data.get("replies") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return (), [f"{name}: replies: must be a list"]
    replies, problems, seen = [], [], set()
    for number, entry in enumerate(entries, 1):
        where = f"{name}: reply {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(f"{where}: id: missing")
            continue
        if entry["id"] in seen:
            problems.append(f"{where}: id: {entry['id']!r} is used twice")
        seen.add(entry["id"])
        titles = entry["title"] if isinstance(entry.get("title"), dict) else {}
        texts = {lang: str(entry[lang]) for lang in ("en", "es") if entry.get(lang)}
        if "en" not in texts:
            problems.append(f"{where}: en: missing")
        for lang, text in texts.items():
            unknown = set(_PLACEHOLDER.findall(text)) - set(VARIABLES)
            if unknown:
                problems.append(f"{where}: {lang}: unknown variable {{{sorted(unknown)[0]}}}")
        replies.append(SavedReply(entry["id"], {k: str(v) for k, v in titles.items()}, texts))
    return (() if problems else tuple(replies)), problems


def fill(template: str, values: dict[str, str]) -> str:
    """Put the variables in; an empty one goes with the space before it ("Hi , " -> "Hi, ")."""
    text = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), "").strip(), template)
    text = re.sub(r" +([,.!?;:])", r"\1", text)
    return re.sub(r"  +", " ", text).strip()


def service_text(t: Translator, hit: SearchHit) -> str:
    """A service's details to paste into a reply, in the texter's language."""
    service = hit.service
    hours = week_hours(t, service.schedules)
    who = who_for(t, service)
    lines = [
        f"{service.name} ({service.organization.name})" + (f", {who}" if who else ""),
        main_phone(service) or "",
        hit.location.full_address() if hit.location else "",
        t.gettext("Hours: {hours}").format(hours=hours) if hours else "",
    ]
    return "\n".join(line for line in lines if line)


def find_services(
    search: SearchEngine, query: str, point: tuple[float, float] | None, when: dt.datetime
) -> tuple[SearchHit, ...]:
    """The picker's results: the bot's own search, near the texter when their place is known."""
    if not query.strip():
        return ()
    return search.search(query[:200], near=point, limit=8, now=when).hits


def service_hit(
    search: SearchEngine, service_id: str, point: tuple[float, float] | None, when: dt.datetime
) -> SearchHit | None:
    """One service by id, as a hit (with its distance from the texter)."""
    found = search.index.service(service_id)
    return search.hits_for([found], point, when)[0] if found else None


@dataclass(frozen=True)
class Checked:
    """A reply ready to send, or the reason it cannot go."""

    text: str
    problem: str = ""
    segments: int = 0


def check_reply(text: str, channel: str) -> Checked:
    """SMS-like channels: folded to GSM-7, at most 3 segments; Telegram: 4,096 characters."""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().splitlines())
    if not text:
        return Checked("", "empty")
    if channel in SMS_LIKE:
        text = "\n".join(line.rstrip() for line in to_gsm(text).strip().splitlines())
        count = segments(text)
        if count > MAX_SEGMENTS or len(text) > MAX_REPLY:
            return Checked(text, "too_long", count)
        return Checked(text, segments=count)
    if len(text) > TELEGRAM_LIMIT:
        return Checked(text, "too_long")
    return Checked(text)
