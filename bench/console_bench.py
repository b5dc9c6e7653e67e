"""How long the navigators' console takes to answer as the queue grows.

Runs the real app in-process (Starlette's TestClient, the app's lifespan and
all), fills a fresh SQLite database with N waiting conversations of three
texts each through the conversation core, signs in, then times the queue's
live fragment (fetched every 3 s by each open queue page) and one
conversation page. The baseline, in the same run, is /healthz through the
same client: the ratio says how much the console adds to a bare request.

    .venv/bin/python bench/console_bench.py [--sizes 10,50,200] [--repeat 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.conversation.message import InboundMessage  # noqa: E402
from tests.console_helpers import console_app, console_settings, sign_in  # noqa: E402


def timed(client, path: str, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, path
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,50,200")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(
        "| waiting | /healthz p50 ms | queue fragment p50 / p95 ms | ratio | conversation page p50 ms |"
    )
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        folder = tempfile.mkdtemp()
        with console_app(console_settings(f"sqlite:///{folder}/bench.sqlite3")) as client:
            conversation = client.app.state.conversation
            for n in range(size):
                for words in ("shelter 94607", "talk to someone", "i have nowhere to go tonight"):
                    conversation.handle(InboundMessage("sms", f"+1510555{n:04d}", words))
            sign_in(client)
            base, _ = timed(client, "/healthz", args.repeat)
            queue, queue95 = timed(client, "/console/queue/rows", args.repeat)
            page, _ = timed(client, "/console/conversations/1", args.repeat)
        print(
            f"| {size} | {base:.1f} | {queue:.1f} / {queue95:.1f} | {queue / base:.0f}x | {page:.1f} |"
        )


if __name__ == "__main__":
    main()
