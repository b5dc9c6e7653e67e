"""Crash test: kill -9 a worker in the middle of the load, then count what was lost.

`homeward serve --workers N` runs against a counting stand-in for Twilio's
Messages API (tests/fake_twilio_api.py: it remembers every message it took and
lists them as Twilio does). The outbox is filled with navigator messages (each
body unique) while signed webhooks arrive at a steady rate (bench/load.py's
texters, 10% retries). Partway through, one worker process gets SIGKILL; gunicorn
starts a new one. Afterwards:

- every webhook that got a 200 must have its reply stored (the inbound row is
  done and its replies render to exactly the TwiML that went out);
- the webhooks that failed at the kill are sent again with the same MessageSid
  (as Twilio's retry would) and must now be answered;
- once the killed worker's claims are recovered (after the claim timeout, two
  minutes, the running workers check Twilio's list before sending again),
  every outbox message must have reached Twilio exactly once.

    .venv/bin/python bench/crash.py                        # PostgreSQL, 2 workers
    .venv/bin/python bench/crash.py --database sqlite --seconds 20 --rate 100

``--recover worker`` stops the server after the load and recovers with an
outbox worker in this process instead of waiting for the claim timeout (the
slow test in tests/test_crash.py does that).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import uvloop
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.load import (
    ENV,
    Outcome,
    Request,
    Target,
    Traffic,
    bench_postgres,
    database_url,
    run_step,
)
from bot.channels.sms import twiml
from bot.delivery.twilio_sender import TwilioSender
from bot.delivery.worker import OutboxWorker
from bot.settings import Settings
from bot.storage import outbox
from bot.storage.db import make_engine, read_scope, session_scope
from bot.storage.inbound import message_key
from bot.storage.models import InboundRow, OutboxRow
from bot.storage.vault import vault_of
from tests.fake_twilio_api import FakeTwilioAPI
from tests.storage_helpers import create_contact

KEYS = (ENV["HOMEWARD_SECRET_KEY"],)  # the key bench/load.py gives the server

FINAL = ("queued", "sent", "delivered", "failed", "skipped")


@dataclass
class CrashReport:
    backend: str
    workers: int
    webhooks: int = 0
    answered: int = 0  # got a 200
    failed_at_kill: int = 0
    answered_on_retry: int = 0
    replies_missing: int = 0  # a 200 whose reply is not stored, or differs
    outbox_messages: int = 0
    claims_left_by_kill: int = 0  # outbox messages the dead worker had claimed
    found_in_twilio_list: int = 0  # of those, Twilio had taken before the kill: not resent
    outbox_sent_once: int = 0
    outbox_lost: int = 0
    outbox_duplicated: int = 0
    recovery_seconds: float = 0.0
    killed_pid: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (
            self.replies_missing == 0
            and self.outbox_lost == 0
            and self.outbox_duplicated == 0
            and self.answered_on_retry == self.failed_at_kill
            and self.killed_pid != 0
        )


def fill_outbox(url: str, count: int) -> list[str]:
    """Navigator messages to ``count`` texters; returns the bodies (each unique)."""
    engine = make_engine(url, KEYS)
    bodies = []
    with session_scope(engine) as session:
        for n in range(count):
            contact = create_contact(session, "sms", f"+1415555{n:04d}", "en")
            bodies.append(f"Crash test note {n}: your appointment is Monday at 10.")
            outbox.enqueue(session, contact, bodies[-1])
    engine.dispose()
    return bodies


def check_replies(url: str, requests: list[Request], outcomes: list[Outcome]) -> int:
    """How many webhooks answered 200 have no stored reply, or a different one."""
    engine = make_engine(url, KEYS)
    # The database keeps a hash of each MessageSid (bot.storage.inbound.message_key).
    answered = {
        message_key(r.sid): o.body
        for r, o in zip(requests, outcomes, strict=True)
        if o.status == 200
    }
    with read_scope(engine) as session:
        stored = {
            row.external_id: (row.status, list(vault_of(session).open_json(row.replies_sealed, [])))
            for row in session.scalars(
                select(InboundRow).where(InboundRow.external_id.in_(list(answered)))
            )
        }
    engine.dispose()
    missing = 0
    for sid, body in answered.items():
        status, replies = stored.get(sid, ("absent", []))
        if status != "done" or twiml(replies).encode() != body:
            missing += 1
    return missing


def claimed_before(url: str, moment: dt.datetime) -> int:
    """Outbox messages still claimed that were claimed before ``moment`` (the kill)."""
    engine = make_engine(url, KEYS)
    with read_scope(engine) as session:
        count = session.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.status == "sending", OutboxRow.claimed_at < moment)
        )
    engine.dispose()
    return int(count or 0)


def outbox_counts(url: str) -> dict[str, int]:
    engine = make_engine(url, KEYS)
    with read_scope(engine) as session:
        rows = session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))
        counts = {status: int(n) for status, n in rows}
    engine.dispose()
    return counts


def run_crash(
    url: str,
    folder: Path,
    *,
    workers: int = 2,
    seconds: float = 30.0,
    rate: float = 100.0,
    outbox_messages: int = 600,
    kill_after: float = 0.4,
    twilio_delay: float = 0.05,
    recover: str = "wait",
    recovery_timeout: float = 300.0,
) -> CrashReport:
    """The whole crash test against one database; see the module's docstring."""
    report = CrashReport("sqlite" if url.startswith("sqlite") else "postgresql", workers)
    fake = FakeTwilioAPI(delay=twilio_delay).start()
    target = Target(url, workers, folder, {"TWILIO_API_BASE_URL": fake.url})
    try:
        target.start()
        bodies = fill_outbox(url, outbox_messages)
        report.outbox_messages = len(bodies)
        traffic = Traffic(0.10, seed=int(time.time()))
        requests = traffic.batch(int(rate * seconds))

        killed_at: list[dt.datetime] = []

        def kill() -> None:
            victim = target.worker_pids()[-1]
            os.kill(victim, signal.SIGKILL)
            killed_at.append(dt.datetime.now(dt.UTC))
            report.killed_pid = victim

        timer = threading.Timer(seconds * kill_after, kill)
        timer.start()
        outcomes, _ = uvloop.run(run_step(target.base, requests, rate))
        timer.join()
        report.webhooks = len(outcomes)
        report.answered = sum(1 for o in outcomes if o.status == 200)
        report.claims_left_by_kill = claimed_before(url, killed_at[0]) if killed_at else 0
        report.replies_missing = check_replies(url, requests, outcomes)

        # Twilio's retry of what failed: the same requests, byte for byte.
        failed = [r for r, o in zip(requests, outcomes, strict=True) if o.status != 200]
        report.failed_at_kill = len(failed)
        retried, _ = uvloop.run(run_step(target.base, failed, 20.0)) if failed else ([], 0.0)
        report.answered_on_retry = sum(1 for o in retried if o.status == 200)
        report.replies_missing += check_replies(url, failed, retried)

        started = time.monotonic()
        if recover == "worker":
            target.stop()
            settings = Settings.from_env({**target.env, "HOMEWARD_DATABASE_URL": url})
            sender = TwilioSender(settings)
            engine = make_engine(url, KEYS)
            worker = OutboxWorker(engine, {"sms": sender}, stale_claim=dt.timedelta(0))
            worker.run_once()
            engine.dispose()
        while time.monotonic() - started < recovery_timeout:
            counts = outbox_counts(url)
            if sum(n for status, n in counts.items() if status not in FINAL) == 0:
                break
            time.sleep(2.0)
        else:
            report.notes.append(f"outbox not drained after {recovery_timeout:.0f} s: {counts}")
        report.recovery_seconds = round(time.monotonic() - started, 1)
        # A normal send records Twilio's answer ("queued"); a claim recovered by
        # finding the message in Twilio's list is marked "sent".
        report.found_in_twilio_list = outbox_counts(url).get("sent", 0)
    finally:
        target.stop()
        fake.stop()
    taken = fake.bodies()
    report.outbox_sent_once = sum(1 for b in bodies if taken[b] == 1)
    report.outbox_lost = sum(1 for b in bodies if taken[b] == 0)
    report.outbox_duplicated = sum(1 for b in bodies if taken[b] > 1)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the load")
    parser.add_argument("--rate", type=float, default=150.0, help="webhooks per second")
    parser.add_argument("--outbox", type=int, default=600, help="navigator messages queued")
    parser.add_argument("--recover", choices=("wait", "worker"), default="wait")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="homeward-crash-"))
    try:
        with bench_postgres(args.database == "postgresql") as postgres:
            url = database_url(args.database, postgres, folder, "crash")
            report = run_crash(
                url,
                folder,
                workers=args.workers,
                seconds=args.seconds,
                rate=args.rate,
                outbox_messages=args.outbox,
                recover=args.recover,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for key, value in asdict(report).items():
        print(f"{key}: {value}")
    print("PASSED" if report.passed else "FAILED")
    return 0 if report.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
