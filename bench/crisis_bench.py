"""Crisis detector speed: the model's load time and p50/p99 per text, beside the rules alone.

The detector runs first on every inbound text, so its cost is paid by every
webhook. In one run this measures:

- load: reading ``safety/model.npz`` and the rules (what a worker pays once);
- per text, over every text of the corpus and the old labelled sets, a few
  passes: the whole detector (model + rules, as the conversation calls it),
  the rules alone (what they fire and the signals the model reads) as the
  baseline, and the model's arithmetic alone, with the ratio to the baseline;
- the longest text a texter can send (1,600 characters of junk);
- with ``--against DIR``: another directory's detector (an earlier model and
  rules, e.g. from ``git show``) timed in the same passes, the two alternating,
  so a busy machine weighs on both alike.

    .venv/bin/python bench/crisis_bench.py --repeat 3
    .venv/bin/python bench/crisis_bench.py --against /tmp/round2   # a copy of resources_directory
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.directory.loader import runtime_files  # noqa: E402
from bot.safety.crisis import CrisisDetector, parse_crisis_words  # noqa: E402
from bot.safety.detector import Detector  # noqa: E402
from bot.safety.model import read_model  # noqa: E402

SAMPLE = REPO / "resources_directory"


def texts() -> list[str]:
    """Every text of the corpus and of tests/data's older labelled sets."""
    out = []
    paths = [*sorted((SAMPLE / "safety" / "corpus").glob("*.tsv"))]
    paths += [
        REPO / "tests" / "data" / f"crisis{n}.tsv" for n in ("", ".second", ".third", ".fourth")
    ]
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out.append(line.split("\t")[0])
    return out


def per_text(check: Callable[[str], object], items: list[str], repeat: int) -> list[float]:
    """Microseconds per text, every text timed on its own, ``repeat`` passes."""
    times = []
    for _ in range(repeat):
        for text in items:
            started = time.perf_counter()
            check(text)
            times.append((time.perf_counter() - started) * 1e6)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", type=Path, help="a directory whose detector to time beside")
    args = parser.parse_args()
    files = runtime_files(SAMPLE)
    loads = []
    for _ in range(5):
        started = time.perf_counter()
        model = read_model(files["safety/model.npz"])
        rules = CrisisDetector(parse_crisis_words(files["safety/crisis.yaml"].decode()))
        loads.append((time.perf_counter() - started) * 1000)
    detector = Detector(rules, model)
    items = texts()
    for text in items[:200]:  # warm the caches (word frequencies, typo aliases)
        detector.check(text)
    print(f"Machine: {platform.machine()}, {platform.python_version()}, {platform.system()}")
    print(f"Model: {len(files['safety/model.npz']) // 1024} KiB, {len(model.index)} features")
    print(f"Load (model + rules): median {statistics.median(loads):.1f} ms of 5")
    baseline = per_text(rules.detect, items, args.repeat)
    rows = [
        ("rules alone", baseline),
        (
            "model alone (without the rules' signals)",
            per_text(model.probabilities, items, args.repeat),
        ),
        ("detector (model + rules)", per_text(detector.check, items, args.repeat)),
    ]
    if args.against:
        other = _detector(args.against)
        for text in items[:200]:
            other.check(text)
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(args.repeat):
            ours += per_text(detector.check, items, 1)
            theirs += per_text(other.check, items, 1)
        rows += [
            ("detector, alternating with the other", ours),
            (f"the other detector ({args.against.name})", theirs),
        ]
    print(f"{len(items)} texts x {args.repeat} passes, microseconds per text:")
    print("| what | p50 | p99 | p50 ratio to the rules |")
    print("|---|---|---|---|")
    base = pct(baseline, 0.5)
    for name, values in rows:
        print(
            f"| {name} | {pct(values, 0.5):.0f} | {pct(values, 0.99):.0f} | "
            f"{pct(values, 0.5) / base:.1f}x |"
        )
    junk = ("asdf qwer zxcv " * 120)[:1600]
    worst = per_text(detector.check, [junk], 20)
    print(f"1,600 characters of junk: p50 {pct(worst, 0.5) / 1000:.1f} ms")
    return 0


def _detector(folder: Path) -> Detector:
    files = runtime_files(folder)
    return Detector(
        CrisisDetector(parse_crisis_words(files["safety/crisis.yaml"].decode())),
        read_model(files["safety/model.npz"]),
    )


if __name__ == "__main__":
    raise SystemExit(main())
