"""What continuity of care adds to every message, and how long a scheduler round takes.

One fresh SQLite database with the sample directory. The same texts (a
greeting, a search, a number, MORE, a ZIP) go through the conversation core
twice per round, once with care's checks switched off (``Rules.care`` None:
the baseline) and once with them on (link-code shape, plan numbers, help
words, the first-text UPDATE, a follow-up noted after details); the ratio is
the cost of care on an ordinary message. Then N enrolled people with an
appointment each, and one scheduler round that hands their due reminders to
the outbox is timed.

    .venv/bin/python bench/care_bench.py [--messages 300] [--people 200]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import open_runtime
from bot.settings import Settings
from tests.care_helpers import make_care
from tests.conftest import SAMPLE_DIRECTORY

TEXTS = ("hi", "shelter 94607", "1", "more", "94601", "food near fruitvale")


def per_message(conversation: Conversation, users: range, tag: str) -> list[float]:
    times = []
    for user in users:
        for text in TEXTS:
            start = time.perf_counter()
            conversation.handle(InboundMessage("sms", f"+1510555{user:04d}{tag}", text))
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--people", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        settings = Settings(database_url=url, directory=SAMPLE_DIRECTORY, log_level="WARNING")
        runtime = open_runtime(settings)
        with_care = Conversation(runtime.engine, runtime.search, settings)
        without = Conversation(runtime.engine, runtime.search, settings)
        without.rules = dataclasses.replace(without.rules, care=None)
        with_care.warm_up()
        users = max(1, args.messages // len(TEXTS))
        off, on = [], []
        for block in range(5):  # interleaved, so both see the same database growth
            chunk = range(block * users // 5, (block + 1) * users // 5)
            off += per_message(without, chunk, "0")
            on += per_message(with_care, chunk, "1")
        base, cared = statistics.median(off), statistics.median(on)
        print(f"messages: {len(on)} with care, {len(off)} without (the baseline)")
        print(f"median per message: {cared:.2f} ms with care, {base:.2f} ms without")
        print(f"ratio: {cared / base:.3f}")
    with tempfile.TemporaryDirectory() as folder:
        care = make_care(f"sqlite:///{folder}/round.sqlite3", "2026-11-24T11:00")
        for n in range(args.people):
            person, code = care.enrol(first_name=f"P{n}", consent="texts,reminders")
            care.text(f"+1510556{n:04d}", code)
            care.appointment(person, "court", "2026-12-10T10:30", "Courthouse 94607")
        care.clock.at("2026-12-03T09:00")
        start = time.perf_counter()
        handed = care.scheduler.run_once()
        took = (time.perf_counter() - start) * 1000
        print(f"one scheduler round: {handed} reminders to the outbox in {took:.0f} ms")
        start = time.perf_counter()
        again = care.scheduler.run_once()
        print(f"an idle round: {again} in {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
