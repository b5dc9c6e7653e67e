"""The partner report at a statewide size, on PostgreSQL: reading a year of counts, and
building the report with its small-cell suppression.

The plan in bench/RESULTS.md ("A statewide deployment, on paper") is
1,000,000 texts a month from 100,000 texters. The report does not read texts:
it reads ``usage_counts``, one row per month and metric and column values.
At a statewide size that is about 55,000 rows a month (about 655,000 for a
year): searches and unmet needs for 13 categories in each of 1,700 ZIPs,
follow-ups and their answers for 5,000 services, wait buckets, texters by
channel and language. The counts are made up (a fixed seed), many of them
small, so suppression has work to do; the sample directory names the
categories.

Each size is measured ``--runs`` times in one process, on one fresh
database of a PostgreSQL server the bench starts: the median seconds to read
the year's rows (``counts_between``), to build the report (tables,
suppression, proof) and the whole, and the process's CPU seconds for the
whole (the machine is shared: CPU time moves less with the load than the
clock does). The baseline in the same run is reading the rows: the report's
build is given as a ratio of it.

With ``--baseline DIR`` (a checkout of older code, e.g. ``git worktree add
/tmp/old <commit>``), the same database is also read and reported by that
code, in turns with this code (``--rounds`` turns each, one process per turn,
started the same way), and the whole is given as a ratio of the older one.

    .venv/bin/python bench/report_bench.py [--sizes county,statewide] [--runs 3]
        [--baseline DIR --rounds 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The code measured: this checkout, or an older one (``--baseline``) put first.
sys.path.insert(0, os.environ.get("REPORT_BENCH_CODE", sys.path[0]))

from sqlalchemy import create_engine, insert
from sqlalchemy.pool import NullPool

from bot.directory.loader import load_directory
from bot.reports.report import build_report, span
from bot.storage.db import make_engine, session_scope
from bot.storage.models import UsageCountRow
from bot.storage.schema import upgrade
from bot.storage.usage import counts_between
from tests.conftest import SAMPLE_DIRECTORY
from tests.postgres_server import running_server

HERE = Path(__file__).resolve().parent.parent
SIZES = {"county": (200, 1000), "statewide": (1700, 5000)}  # ZIPs, services
YEAR = span(dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 31))
CHANNELS = ("sms", "whatsapp", "telegram")
ANSWERS = ("reached", "no_answer", "turned_away", "record")


def made_up_year(zips: int, services: int, categories: list[str]) -> list[dict[str, object]]:
    """A year of monthly counts for ``zips`` ZIPs and ``services`` services."""
    rng = random.Random(1)
    cats = [*categories, ""]
    zip_codes = [f"9{n:04d}" for n in range(zips)]
    rows: list[dict[str, object]] = []
    blank = {"key": "", "category": "", "zip_code": "", "channel": "", "language": ""}

    def add(month: str, metric: str, n: int, **columns: str) -> None:
        if n > 0:
            rows.append(
                {**blank, "service_id": "", **columns, "month": month, "metric": metric, "count": n}
            )

    def some() -> int:
        return int(rng.expovariate(1 / 30))

    for month in YEAR.months:
        for status in ("new", "returning"):
            for channel in CHANNELS:
                for language in ("en", "es"):
                    n = rng.randint(1000, 20000)
                    add(month, "texters", n, key=status, channel=channel, language=language)
        for metric in ("texts_in", "texts_out", "segments"):
            add(month, metric, 1_000_000)
        for category in cats:
            for zip_code in zip_codes:
                add(month, "search", some(), key=category, zip_code=zip_code)
                for reason in ("none", "far", "person"):
                    if rng.random() < 0.3:
                        add(
                            month,
                            f"unmet_{reason}",
                            rng.randint(1, 40),
                            key=category,
                            zip_code=zip_code,
                        )
        for kind in ("normal", "urgent", "check_in"):
            add(month, "handoff", rng.randint(500, 3000), key=kind)
        for metric in ("first_reply_office", "first_reply_after"):
            for bucket in range(0, 240, 5):
                add(month, metric, some(), key=str(bucket))
        for kind in ("self_harm", "overdose", "violence", "concern"):
            add(month, "crisis", rng.randint(5, 300), key=kind)
        for s in range(services):
            category, service = cats[s % len(categories)], f"svc-{s}"
            add(month, "follow_up_asked", rng.randint(0, 12), category=category, service_id=service)
            for answer in ANSWERS:
                if rng.random() < 0.5:
                    n = rng.randint(0, 6)
                    add(
                        month,
                        "follow_up_answered",
                        n,
                        key=answer,
                        category=category,
                        service_id=service,
                    )
    return rows


def load(url: str, size: str) -> int:
    """A fresh year of counts in the database at ``url``; how many rows."""
    loaded = load_directory(SAMPLE_DIRECTORY).directory
    assert loaded is not None
    zips, services = SIZES[size]
    rows = made_up_year(zips, services, [c.slug for c in loaded.categories])
    bare = create_engine(url, poolclass=NullPool)
    upgrade(bare)
    bare.dispose()
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(UsageCountRow.__table__.delete())
        for start in range(0, len(rows), 20_000):
            connection.execute(insert(UsageCountRow), rows[start : start + 20_000])
    engine.dispose()
    return len(rows)


def measure(url: str, runs: int) -> dict[str, float]:
    """Median seconds to read the year's counts and build its report, ``runs`` times."""
    loaded = load_directory(SAMPLE_DIRECTORY).directory
    assert loaded is not None
    engine = make_engine(url)
    reads, builds, wholes, cpus = [], [], [], []
    for _ in range(runs):
        cpu, start = time.process_time(), time.perf_counter()
        with session_scope(engine) as session:
            counts = counts_between(session, YEAR.months[0], YEAR.months[-1])
        read = time.perf_counter()
        build_report(counts, YEAR, loaded, today=dt.date(2026, 12, 31))
        done = time.perf_counter()
        reads.append(read - start)
        builds.append(done - read)
        wholes.append(done - start)
        cpus.append(time.process_time() - cpu)
    engine.dispose()
    read_s, build_s = statistics.median(reads), statistics.median(builds)
    return {
        "read_seconds": round(read_s, 2),
        "build_seconds": round(build_s, 2),
        "whole_seconds": round(statistics.median(wholes), 2),
        "whole_cpu_seconds": round(statistics.median(cpus), 2),
        "build_to_read_ratio": round(build_s / read_s, 1),
    }


def measure_apart(url: str, runs: int, code: Path) -> dict[str, float]:
    """``measure`` in a new process, with the code of the checkout ``code``."""
    found = subprocess.run(
        [sys.executable, __file__, "--measure", url, "--runs", str(runs)],
        env={**os.environ, "REPORT_BENCH_CODE": str(code)},
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode:
        raise SystemExit(f"the measuring process ({code}) failed:\n{found.stderr}")
    return dict(json.loads(found.stdout.splitlines()[-1]))


def compare(url: str, runs: int, baseline: Path, rounds: int) -> dict[str, object]:
    """This code and the older one on the same database, in turns; medians of the turns."""
    turns: dict[str, list[dict[str, float]]] = {"new": [], "old": []}
    for _ in range(rounds):
        turns["old"].append(measure_apart(url, runs, baseline))
        turns["new"].append(measure_apart(url, runs, HERE))
    out: dict[str, object] = {}
    for name, found in turns.items():
        out[name] = {k: round(statistics.median(t[k] for t in found), 2) for k in found[0]}
    new, old = out["new"], out["old"]
    assert isinstance(new, dict)
    assert isinstance(old, dict)
    out["old_to_new_whole"] = round(old["whole_seconds"] / new["whole_seconds"], 1)
    out["old_to_new_cpu"] = round(old["whole_cpu_seconds"] / new["whole_cpu_seconds"], 1)
    return out


def load_average() -> str:
    """The machine's load (1, 5, 15 minutes): it is shared."""
    return " ".join(f"{n:.1f}" for n in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="county,statewide")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a checkout of older code to compare")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # one turn, in its own process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs)))
        return 0
    with running_server() as server:
        for size in args.sizes.split(","):
            url = server.create_database(f"report_{size}")
            zips, services = SIZES[size]
            found: dict[str, object] = {
                "size": size,
                "zips": zips,
                "services": services,
                "rows": load(url, size),
                "runs": args.runs,
                "load_before": load_average(),
            }
            if args.baseline:
                found.update(compare(url, args.runs, args.baseline.resolve(), args.rounds))
            else:
                found.update(measure_apart(url, args.runs, HERE))
            found["load_after"] = load_average()
            print(json.dumps(found), flush=True)
    print(
        f"machine: {platform.machine()}, {platform.processor() or platform.system()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
