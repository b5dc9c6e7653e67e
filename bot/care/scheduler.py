"""What is due: reminders, navigators' messages for later and follow-ups, into the outbox.

One round (``run_once``) takes what is due as of its clock, decides each by the
sending rules (``bot.care.rules``), and hands what may go to the outbox in the
same transaction that marks it done (``bot.storage.care_schedule``): exactly
once, however many workers run it. The outbox worker then sends it. Run by
`homeward worker` and inside `homeward serve`; `homeward worker --once --now`
runs one round at a given time.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.care import texts
from bot.care.files import CareData
from bot.care.rules import Decision, Rules, decide_follow_up, decide_message
from bot.storage import care_schedule as due_work
from bot.storage.care_schedule import DueFollowUp, DueMessage
from bot.storage.contacts import now as real_now
from bot.storage.db import session_scope
from bot.storage.people import record_event

log = logging.getLogger(__name__)
BATCH = 50  # rows taken in one transaction
EVERY = 15.0  # seconds between rounds in a running worker: reminders are minute-precise


class CareScheduler:
    """One round of due care messages at a time."""

    def __init__(
        self,
        engine: Engine,
        care: CareData,
        templates: Mapping[str, str],
        clock: Callable[[], dt.datetime] = real_now,
        batch: int = BATCH,
    ) -> None:
        self.engine = engine
        self.care = care
        self.templates = dict(templates)
        self.clock = clock
        self.batch = batch
        self._last_round: float | None = None

    def run_due(self, every: float = EVERY) -> int:
        """A round, unless one ran less than ``every`` seconds ago in this process.

        The outbox worker polls every second; on SQLite each round is a write
        transaction, so care's rounds are spaced out. The first call always runs.
        """
        started = time.monotonic()
        if self._last_round is not None and started - self._last_round < every:
            return 0
        self._last_round = started
        return self.run_once()

    def run_once(self) -> int:
        """Hand every due message to the outbox (or move it on); how many were handed over."""
        now = self.clock().astimezone(dt.UTC)  # stored times are UTC (SQLite keeps no zone)
        sent = 0
        while True:
            with session_scope(self.engine) as session:
                rules = Rules(
                    self.care, ZoneInfo(due_work.directory_timezone(session)), self.templates
                )
                messages = due_work.take_due_messages(session, now, self.batch)
                sent += sum(self._message(session, rules, due, now) for due in messages)
            if len(messages) < self.batch:
                break
        while True:
            with session_scope(self.engine) as session:
                rules = Rules(
                    self.care, ZoneInfo(due_work.directory_timezone(session)), self.templates
                )
                follow_ups = due_work.take_due_follow_ups(session, now, self.batch)
                asked: set[int] = set()
                sent += sum(self._follow_up(session, rules, due, now, asked) for due in follow_ups)
            if len(follow_ups) < self.batch:
                break
        return sent

    def _message(self, session: Session, rules: Rules, due: DueMessage, now: dt.datetime) -> int:
        decision = decide_message(rules, due, now)
        if decision.action != "send" or due.target is None:
            _settle(session, due.id, decision, scheduled=True)
            return 0
        body = due.body
        if due.kind == "reminder" and due.plan is not None and due.appointment is not None:
            kind, at, where = due.appointment
            body = texts.reminder(
                self.care,
                supporter=due.audience == "supporter",
                language=due.target.language,
                first_name=due.plan.first_name,
                kind=kind,
                at=at,
                where=where,
                zone=rules.zone,
            )
        outbox_id = due_work.send_scheduled(
            session, due.id, due.target.contact_id, body, decision.template_sid, now
        )
        if outbox_id is None:
            return 0
        if due.kind == "reminder" and due.appointment is not None:
            record_event(
                session, "reminder_sent", now, kind=due.appointment[0], answer=due.audience
            )
        log.info("scheduled message %s: outbox %s", due.id, outbox_id)
        return 1

    def _follow_up(
        self, session: Session, rules: Rules, due: DueFollowUp, now: dt.datetime, asked: set[int]
    ) -> int:
        facts = due_work.service_facts(session, due.service_id)
        name = facts[0] if facts else None
        decision = decide_follow_up(rules, due, now, name, due.target.contact_id in asked)
        if decision.action != "send" or name is None:
            _settle(session, due.id, decision, scheduled=False)
            return 0
        body = texts.follow_up(self.care, due.target.language, name)
        outbox_id = due_work.ask_follow_up(
            session, due.id, due.target.contact_id, body, decision.template_sid, now
        )
        if outbox_id is None:
            return 0
        asked.add(due.target.contact_id)
        record_event(
            session, "follow_up_asked", now, service_id=due.service_id, category=due.category
        )
        log.info("follow-up %s: outbox %s", due.id, outbox_id)
        return 1


def _settle(session: Session, row_id: int, decision: Decision, *, scheduled: bool) -> None:
    """Wait or skip, as decided (logged without words or numbers)."""
    if decision.action == "wait" and decision.until is not None:
        waiting = due_work.wait_scheduled if scheduled else due_work.wait_follow_up
        waiting(session, row_id, decision.until, decision.reason)
    else:
        skipping = due_work.skip_scheduled if scheduled else due_work.skip_follow_up
        skipping(session, row_id, decision.reason)
    log.info(
        "%s %s: %s (%s)",
        "scheduled" if scheduled else "follow-up",
        row_id,
        decision.action,
        decision.reason,
    )
