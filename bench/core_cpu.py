"""CPU time per message through the conversation core on SQLite (process time, not wall time).

Process time barely moves when other processes share the cores, so two
checkouts can be compared on a busy machine; run each one in turn, a few
rounds, and compare the best of each as a ratio:

    HOMEWARD_RATE_LIMITS=1000/minute,100000/day .venv/bin/python bench/core_cpu.py

A fresh SQLite file with the sample directory; 400 texters send searches, MORE,
a result number and greetings, each with a MessageSid (so the process-once
claim runs too); 400 messages warm up, then 3 rounds of 1,000 are timed.
The web layers (uvicorn, middleware) are not in it: bench/load.py measures those.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import open_runtime
from bot.settings import Settings

TEXTS = ("food 94601", "more", "1", "hi", "shelter 94607")


def main() -> None:
    folder = tempfile.mkdtemp()
    settings = Settings.from_env({"HOMEWARD_DATABASE_URL": f"sqlite:///{folder}/h.sqlite3"})
    runtime = open_runtime(settings)
    conversation = Conversation(runtime.engine, runtime.search, settings)

    def run(prefix: str, count: int) -> None:
        for i in range(count):
            message = InboundMessage(
                "sms", f"+1510555{i % 400:04d}", TEXTS[i % 5], message_id=f"{prefix}{i}"
            )
            conversation.handle(message)

    run("W", 400)
    rounds = []
    for rep in range(3):
        started = time.process_time()
        run(f"M{rep}-", 1000)
        rounds.append(time.process_time() - started)
    print(
        f"ms CPU per message, best of 3 x 1000: {min(rounds):.3f} "
        f"(rounds {', '.join(f'{r:.3f}' for r in rounds)})"
    )


if __name__ == "__main__":
    main()
