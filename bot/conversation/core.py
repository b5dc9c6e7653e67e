"""The conversation core: one inbound message in, replies and what happened out.

``Conversation.handle`` is the one entry for every channel. It owns the
message's database transaction and "process once": a message that carries a
platform id (Twilio's MessageSid, Telegram's update_id) is claimed in the same
transaction that answers it and stores its replies, so a retry or a copy on
another worker gets the stored replies instead of a second answer. All state
lives in the database, so any worker can take the next message. This package
imports no channel SDK (a test scans for that).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.care.files import load_care
from bot.conversation import counted, replies
from bot.conversation.answer import Answer, Rules
from bot.conversation.care_desk import CareRules, after_turn
from bot.conversation.commands import CommandWords
from bot.conversation.corrections import ReportReasons
from bot.conversation.draft import Draft
from bot.conversation.message import InboundMessage, Intent, Reply, Turn
from bot.conversation.office import OfficeClock
from bot.conversation.state import first_language
from bot.conversation.style import style_for
from bot.conversation.view import DirectoryView
from bot.directory.problems import Problem
from bot.directory.sync import loaded_runtime_files
from bot.i18n import Translator
from bot.safety.files import safety_from_files
from bot.search.cues import load_cues
from bot.search.engine import SearchEngine
from bot.search.plans import load_plans
from bot.settings import Settings
from bot.storage import inbound
from bot.storage.contacts import now
from bot.storage.db import checkpoint, run_transaction
from bot.storage.texters import (
    open_texter,
    record_turn_of,
    save_texter,
    stop_texter,
    take_pending,
)
from bot.storage.transcript import TurnRecord

log = logging.getLogger(__name__)
_T = TypeVar("_T")

MAX_TEXT = 1600  # characters of one message the core reads (Twilio's own limit)


class Conversation:
    """The flow every channel shares."""

    def __init__(
        self,
        database: Engine,
        search: SearchEngine,
        settings: Settings,
        clock: Callable[[], dt.datetime] = now,
    ) -> None:
        self.database = database
        self.clock = clock
        self.folder = settings.directory
        files = loaded_runtime_files(database, self.folder)
        self.files = files  # the curated files of the version in use (the console's replies)
        detector, answers = safety_from_files(files)
        self.rules = Rules(
            view=DirectoryView.of(search),
            commands=CommandWords(text=files["commands.yaml"].decode("utf-8")),
            reasons=ReportReasons.of(settings.directory),
            office=OfficeClock(settings.office_hours),
            crisis=detector,
            answers=answers,
            rate_per_minute=settings.rate_per_minute,
            rate_per_day=settings.rate_per_day,
            retention_days=settings.retention_days,
            care=CareRules(load_care(settings.directory), settings.follow_up_days),
            cues=_curated(load_cues(settings.directory)),
            plans=_curated(load_plans(settings.directory, set(search.index.category_slugs))),
        )

    @property
    def view(self) -> DirectoryView:
        """The directory version in use, with its time zone (the console shows times in it)."""
        return self.rules.view

    @property
    def search(self) -> SearchEngine:
        """The search engine of the directory version in use."""
        return self.rules.view.search

    def use(self, search: SearchEngine) -> None:
        """Answer from another directory version from the next message on.

        Messages already being answered keep the rules (and the version) they started with.
        The command words and the crisis rules, model and answers are the ones that
        version was loaded with (``bot.storage.curated``).
        """
        files = loaded_runtime_files(self.database, self.folder)
        self.files = files
        detector, answers = safety_from_files(files)
        self.rules = dataclasses.replace(
            self.rules,
            view=DirectoryView.of(search),
            commands=CommandWords(text=files["commands.yaml"].decode("utf-8")),
            crisis=detector,
            answers=answers,
        )

    def warm_up(self) -> None:
        """Load what first use loads lazily (word-frequency lists, ZIP data, caches).

        That takes a second or two; a worker does it before taking requests, so
        its first texters are not the ones who wait.
        """
        self.rules.crisis.check("warm up the suicidal lists")
        for text in ("shelter 94607", "necesito trabajo", "hosing clinik fruitvale"):
            self.search.search(text)

    def handle(self, message: InboundMessage) -> Turn:
        """Answer one message once: claim, answer, transcript and replies commit together."""
        text = message.text[:MAX_TEXT].replace("\x00", "")  # PostgreSQL text holds no NUL
        if text != message.text:
            message = dataclasses.replace(message, text=text)
        rules = self.rules  # one directory version for the whole message
        turn = run_transaction(self.database, lambda session: self._once(session, rules, message))
        if turn.erased:  # committed: now push the erased pages out of SQLite's WAL
            checkpoint(self.database)
        return turn

    def pending(self, channel: str, user_id: str) -> list[str]:
        """Messages that reached a texter while they were away, now delivered."""
        return take_pending(self.database, channel, user_id)

    def unreachable(self, channel: str, user_id: str) -> None:
        """The platform says the texter blocked us: treat it as STOP."""
        stop_texter(self.database, channel, user_id)

    def _once(self, session: Session, rules: Rules, message: InboundMessage) -> Turn:
        if message.message_id is None:
            return self._answer(session, rules, message)
        stored = inbound.claim(session, message.channel, message.message_id)
        if stored is not None:
            return Turn(replies=[Reply(r) for r in stored], intent=Intent.REPEAT, repeated=True)
        turn = self._answer(session, rules, message)
        inbound.store_replies(
            session, message.channel, message.message_id, [r.text for r in turn.replies]
        )
        return turn

    def _answer(self, session: Session, rules: Rules, message: InboundMessage) -> Turn:
        """The answer, then the texter's state and the transcript.

        The texter's words and the replies go into the transcript, except after
        DELETE and for a flood past the rate limit.
        """
        received = self.clock()
        texter = open_texter(
            session,
            message.channel,
            message.user_id,
            lambda: first_language(
                rules.view.search.parser.detect_language(message.text), message.language_hint
            ),
            received,
        )
        draft = Draft(texter, style_for(message.kind))
        turn = Answer(rules, session, message, texter, draft, received).run()
        if rules.care is not None:
            after_turn(rules.care, rules.view, session, texter, turn, received)
        save_texter(session, texter)
        flooding = turn.intent is Intent.RATE_LIMITED and not turn.replies
        if not turn.erased and not flooding:
            point = message.location or texter.location
            record = TurnRecord(
                message.text,
                tuple(r.text for r in turn.replies),
                str(turn.intent or ""),
                turn.category,
                turn.zip_code,
                turn.crisis,
                tuple(turn.shown),
                segments=counted.sms_segments(message.channel, turn.replies),
                unmet=counted.unmet(rules.view, turn, texter.last_results, point, received),
            )
            record_turn_of(session, texter, record)
        if message.media:  # after the transcript, as before: it records the answer to the words
            _add_text_only_notice(turn, message)
        return turn


def _curated(loaded: tuple[_T, list[Problem]]) -> _T:
    """A curated file as loaded (empty when it has problems: nothing half-loads).

    Its problems are the validator's to report (``homeward directory validate``
    and every load); a conversation answers without the file rather than fail.
    """
    found, problems = loaded
    if problems:
        log.warning(
            "%d problem(s) in a curated file; see `homeward directory validate`", len(problems)
        )
    return found


def _add_text_only_notice(turn: Turn, message: InboundMessage) -> None:
    """A picture or a voice note: say that only text is read (not to a stopped texter).

    With words beside it, the words are answered too; a picture alone gets the notice only.
    """
    if turn.intent is Intent.SILENCED:
        return
    notice = Reply(replies.text_only(Translator(turn.language)))
    if message.text.strip() or turn.intent is Intent.WELCOME:
        turn.replies.insert(0, notice)
    else:
        turn.replies[:] = [notice]
