"""The outbox worker: sends what was accepted into the outbox, once, with retries.

It runs inside `homeward serve` (a background thread) and as `homeward worker`.
Claims are rows in the database, so several workers never send one message
twice. A message whose last try may have reached Twilio (a worker that died
mid-send, or a timeout or dropped connection that lost Twilio's answer) is
looked up in Twilio's list before anything is sent again: a message Twilio
took is never sent twice. Each round first hands what is due of continuity of
care (reminders, scheduled messages, follow-ups: ``bot.care.scheduler``) to
the outbox, so one round sends them too.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import Engine

from bot.care.files import load_care
from bot.care.scheduler import CareScheduler
from bot.conversation.gsm import segments
from bot.delivery.outcome import LookupFailed, SendOutcome
from bot.settings import Settings
from bot.storage import outbox
from bot.storage.contacts import keep_for_texter
from bot.storage.db import session_scope
from bot.storage.outbox import OutboxJob

log = logging.getLogger(__name__)
STALE_CLAIM = dt.timedelta(minutes=2)
MAX_BACKOFF = 300.0
BATCH = 10  # messages claimed at once; released unsent when the worker stops


class Sender(Protocol):
    """Sends one job on one platform."""

    def send(self, job: OutboxJob) -> SendOutcome:
        """One attempt."""

    def already_sent(self, job: OutboxJob) -> str | None:
        """The provider's id of this job's message if it already took it."""


class ConsoleSender:
    """The console channel: keep the message for the texter's next `homeward chat`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def send(self, job: OutboxJob) -> SendOutcome:
        with session_scope(self.engine) as session:
            if not keep_for_texter(session, job.contact_id, job.body):
                return SendOutcome("skipped", error="texter opted out")
        return SendOutcome("sent", provider_id=f"console-{job.id}", status="delivered")

    def already_sent(self, job: OutboxJob) -> str | None:
        return None


class OutboxWorker:
    """Drains the outbox for the channels it has senders for."""

    def __init__(
        self,
        engine: Engine,
        senders: dict[str, Sender],
        stale_claim: dt.timedelta = STALE_CLAIM,
        backoff: float = 1.0,
        batch: int = BATCH,
    ) -> None:
        self.engine = engine
        self.senders = senders
        self.stale_claim = stale_claim
        self.backoff = backoff  # seconds before the first retry; doubles each time
        self.extra_jobs: list[Callable[[], int]] = []  # e.g. the navigators' alerts
        self.due_jobs: list[Callable[[], int]] = []  # before sending: care's due messages
        self.batch = batch
        self.stop = threading.Event()

    def run_once(self) -> int:
        """Send every due message; returns how many attempts were made.

        Messages are claimed a few at a time. When ``stop`` is set the message
        in hand is finished and the rest of the claim is released at once, so
        a stopping worker leaves nothing claimed behind.
        """
        self.recover()
        for due in self.due_jobs:
            due()
        attempts = 0
        while not self.stop.is_set():
            jobs = outbox.claim_batch(self.engine, tuple(self.senders), self.batch)
            if not jobs:
                break
            # Past half the stale-claim time another worker could take these over
            # as a dead worker's: give the rest back and claim afresh.
            fresh_until = time.monotonic() + self.stale_claim.total_seconds() / 2
            for n, job in enumerate(jobs):
                if self.stop.is_set() or (n and time.monotonic() > fresh_until):
                    outbox.release(self.engine, [j.id for j in jobs[n:]])
                    log.info("released %d claimed outbox message(s)", len(jobs) - n)
                    break
                sender = self.senders[job.channel]
                if job.unsure and self._found_sent(job, sender):
                    continue
                self._handle(job, sender.send(job))
                attempts += 1
        for extra in self.extra_jobs:
            extra()
        return attempts

    def _found_sent(self, job: OutboxJob, sender: Sender) -> bool:
        """Before a resend: True (and marked sent) when the provider already has it.

        When the provider cannot say, the message waits for the next round, still unsure.
        """
        try:
            sid = sender.already_sent(job)
        except LookupFailed as exc:
            delay = dt.timedelta(seconds=min(MAX_BACKOFF, self.backoff * 2.0**job.attempts))
            outbox.retry_later(self.engine, job.id, delay, f"lookup failed: {exc}", unsure=True)
            return True
        if sid:
            outbox.mark_sent(self.engine, job.id, sid, "sent", segments=sms_segments(job))
            log.info("outbox %s: the provider already had it; not sent again", job.id)
            return True
        return False

    def recover(self) -> None:
        """Claims of a dead worker: pending again, to be looked up before any resend."""
        for outbox_id in outbox.take_stale_claims(self.engine, self.stale_claim):
            outbox.retry_later(
                self.engine,
                outbox_id,
                dt.timedelta(0),
                "claim released after a crash",
                unsure=True,
            )

    def run_forever(self, stop: threading.Event | None = None, interval: float = 1.0) -> None:
        """Poll until ``stop`` is set; a failing round is logged and retried."""
        if stop is not None:
            self.stop = stop
        while not self.stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("outbox round failed")
            self.stop.wait(interval)

    def _handle(self, job: OutboxJob, outcome: SendOutcome) -> None:
        if outcome.kind == "sent":
            outbox.mark_sent(
                self.engine,
                job.id,
                outcome.provider_id,
                outcome.status,
                segments=sms_segments(job),
            )
        elif outcome.kind == "retry":
            delay = min(MAX_BACKOFF, self.backoff * 2.0 ** (job.attempts - 1))
            if outcome.retry_after is not None:
                delay = max(delay, outcome.retry_after)
            outbox.retry_later(
                self.engine,
                job.id,
                dt.timedelta(seconds=delay),
                outcome.error,
                unsure=outcome.unsure or job.unsure,
            )
        elif outcome.kind == "skipped":
            outbox.skip(self.engine, job.id, outcome.error)
        else:
            outbox.fail(self.engine, job.id, outcome.error, stop_contact=outcome.stop_contact)
        log.info("outbox %s: %s %s", job.id, outcome.kind, outcome.error)


def sms_segments(job: OutboxJob) -> int:
    """The SMS segments a sent message cost (the partner report counts them); 0 off SMS."""
    return segments(job.body) if job.channel == "sms" else 0


def make_worker(
    engine: Engine, settings: Settings, clock: Callable[[], dt.datetime] | None = None
) -> OutboxWorker:
    """A worker with a sender for every channel the settings switch on, and care's scheduler.

    ``clock`` is what care's scheduler takes as now (`homeward worker --once --now`).
    """
    senders: dict[str, Sender] = {"console": ConsoleSender(engine)}
    if settings.twilio is not None:
        from bot.delivery.twilio_sender import TwilioSender  # twilio only when SMS is on

        twilio = TwilioSender(settings)
        senders["sms"] = twilio
        senders["whatsapp"] = twilio
    if settings.telegram is not None:
        from bot.delivery.telegram_sender import TelegramSender  # PTB only when Telegram is on

        senders["telegram"] = TelegramSender(settings)
    worker = OutboxWorker(engine, senders)
    worker.due_jobs.append(_care_scheduler(engine, settings, clock).run_due)
    if settings.telegram is not None and settings.navigator_chat_id:
        from bot.delivery.navigator_alerts import NavigatorAlerts

        worker.extra_jobs.append(NavigatorAlerts(engine, settings).run_once)
    return worker


def _care_scheduler(
    engine: Engine, settings: Settings, clock: Callable[[], dt.datetime] | None
) -> CareScheduler:
    """Care's scheduler on the curated files (a broken file stops the command, listed)."""
    care = load_care(settings.directory)
    templates = dict(settings.whatsapp_templates)
    if clock is None:
        return CareScheduler(engine, care, templates)
    return CareScheduler(engine, care, templates, clock=clock)
