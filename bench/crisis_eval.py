"""Crisis detection on a labelled file, through the real conversation: the first reply each gets.

Every text is sent as the first message of a new texter to ``Conversation``
(a fresh SQLite database holding the sample directory, a Tuesday at 11:00, so
the office is open). A crisis text counts as right when the turn names the
right kind and its first reply names the numbers that kind needs
(``bot.safety.evaluation.REQUIRED_NUMBERS``); a look-alike is a false alarm
when it gets the crisis answer (and, counted apart, the concern line).

    .venv/bin/python bench/crisis_eval.py tests/data/crisis.frozen.tsv
    .venv/bin/python bench/crisis_eval.py FILE --misses     # then print what went wrong

The columns are those of the corpus: text, kind, level, lang.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.conversation.core import Conversation  # noqa: E402
from bot.conversation.message import InboundMessage  # noqa: E402
from bot.runtime import open_runtime  # noqa: E402
from bot.safety.corpus import read_table  # noqa: E402
from bot.safety.detector import Finding  # noqa: E402
from bot.safety.evaluation import names_numbers, score_findings  # noqa: E402
from bot.settings import Settings  # noqa: E402

SAMPLE = REPO / "resources_directory"
TUESDAY_11AM = dt.datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("America/Los_Angeles"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--misses", action="store_true", help="print the texts that went wrong")
    args = parser.parse_args()
    examples, problems = read_table(args.file)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    numbers = yaml.safe_load((SAMPLE / "safety" / "answers.yaml").read_text())["numbers"]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/eval.sqlite3",
            directory=SAMPLE,
            log_level="WARNING",
        )
        runtime = open_runtime(settings)
        conversation = Conversation(
            runtime.engine, runtime.search, settings, clock=lambda: TUESDAY_11AM
        )
        findings, right_numbers = [], []
        started = time.perf_counter()
        for n, example in enumerate(examples):
            turn = conversation.handle(InboundMessage("eval", f"texter-{n}", example.text))
            if turn.crisis:
                finding = Finding(turn.crisis, "crisis", 1.0)
            elif turn.concern:
                finding = Finding("self_harm", "concern", 1.0)
            else:
                finding = Finding(None, None, 0.0)
            findings.append(finding)
            first = turn.replies[0].text if turn.replies else ""
            right_numbers.append(
                names_numbers(first, example.kind, numbers) if example.kind != "none" else None
            )
        elapsed = time.perf_counter() - started
        runtime.engine.dispose()
    scores = score_findings(examples, findings, right_numbers)
    print(f"{args.file}: {len(examples)} texts, {elapsed:.1f} s through the conversation")
    print(scores.summary())
    print()
    print(scores.report())
    if args.misses:
        print("\nMisses and false alarms (text, truth, found):")
        for text, truth, found in scores.misses:
            print(f"  [{truth} -> {found}] {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
