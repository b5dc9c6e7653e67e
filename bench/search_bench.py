"""Search latency and accuracy, beside SQLite FTS5 (bm25) over the same text.

Run: .venv/bin/python bench/search_bench.py [--sizes 5000,100000] [--repeat 5]

Reports, for the sample directory and generated directories: index build time,
p50/p99 latency over the dev queries, and top-1/top-3 accuracy of Homeward's
engine and of FTS5 in the same run, with the ratio between them. Generated
directories clone the sample's services (same text and categories, new ids and
places around the Bay Area), so accuracy stays judgeable at any size.
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import random
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.directory.loader import load_directory  # noqa: E402
from bot.directory.model import Directory, Service  # noqa: E402
from bot.search.engine import SearchEngine  # noqa: E402
from bot.search.evaluation import Accuracy, LabelledQuery, judge, read_queries  # noqa: E402
from bot.search.text import fold  # noqa: E402
from bot.search.vocabulary import load_vocabulary  # noqa: E402

SAMPLE = REPO / "resources_directory"
DEV_SET = REPO.parent / "shared" / "eval" / "queries.dev.tsv"
EXTRA_SET = REPO / "tests" / "data" / "queries.extra.tsv"
HOLDOUT_SET = REPO / "tests" / "data" / "queries.holdout.tsv"


def generated(directory: Directory, size: int, seed: int = 7) -> Directory:
    """A directory of ``size`` services cloned from the sample's, spread around."""
    rng = random.Random(seed)
    local = [s for s in directory.services if s.locations]
    services = []
    for i in range(size):
        base = rng.choice(local)
        lat = 37.80 + rng.uniform(-0.25, 0.25)
        lon = -122.25 + rng.uniform(-0.25, 0.25)
        loc = dataclasses.replace(base.locations[0], id=f"gen-loc-{i}", latitude=lat, longitude=lon)
        services.append(
            dataclasses.replace(
                base, id=f"gen-{i}", name=f"{base.name} {i % 997}", locations=(loc,)
            )
        )
    return dataclasses.replace(directory, services=tuple(services))


class Fts5:
    """SQLite FTS5 with bm25 over the same fields, OR of the query's words."""

    def __init__(self, directory: Directory) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE s USING fts5(name, keywords, organization, description, description_es,"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        self.services = directory.services
        self.db.executemany(
            "INSERT INTO s(rowid, name, keywords, organization, description, description_es) VALUES (?,?,?,?,?,?)",
            [
                (
                    i,
                    s.name,
                    " ".join(s.keywords),
                    s.organization.name,
                    s.description,
                    s.description_es,
                )
                for i, s in enumerate(directory.services)
            ],
        )

    def search(self, text: str, limit: int = 3) -> list[Service]:
        words = re.findall(r"[a-z0-9]+", fold(text))
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        rows = self.db.execute(
            "SELECT rowid FROM s WHERE s MATCH ? ORDER BY bm25(s, 3.0, 2.5, 1.2, 1.0, 1.0) LIMIT ?",
            (match, limit),
        ).fetchall()
        return [self.services[r[0]] for r in rows]


def timed(
    fn: Callable[[str], object],
    queries: list[str],
    repeat: int,
    reset: Callable[[], None] = lambda: None,
) -> tuple[float, float]:
    """p50 and p99 latency in milliseconds over ``repeat`` passes of the queries.

    ``reset`` runs before each pass, so caches (typo corrections) start cold.
    """
    samples = []
    for _ in range(repeat):
        reset()
        for q in queries:
            start = time.perf_counter()
            fn(q)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def accuracy(search: Callable[[str], list[Service]], queries: list[LabelledQuery]) -> Accuracy:
    return judge(queries, lambda q: [list(s.categories) for s in search(q.text)])


def run(
    label: str,
    directory: Directory,
    vocabulary_dir: Path,
    queries: list[LabelledQuery],
    repeat: int,
) -> None:
    vocabulary, _ = load_vocabulary(vocabulary_dir, {c.slug for c in directory.categories})
    start = time.perf_counter()
    engine = SearchEngine(directory, vocabulary)
    build = time.perf_counter() - start
    start = time.perf_counter()
    fts = Fts5(directory)
    fts_build = time.perf_counter() - start
    texts = [q.text for q in queries]
    ours = timed(
        lambda q: engine.search(q, limit=5),
        texts,
        repeat,
        engine.parser.lexicon.correct.cache_clear,
    )
    theirs = timed(lambda q: fts.search(q, 5), texts, repeat)
    acc_ours = accuracy(lambda q: [h.service for h in engine.search(q, limit=3).hits], queries)
    acc_fts = accuracy(lambda q: fts.search(q, 3), queries)
    print(f"\n## {label}: {len(directory.services):,} services, {len(queries)} queries x {repeat}")
    print("| engine | build s | p50 ms | p99 ms | top-1 | top-3 |")
    print("|---|---|---|---|---|---|")
    print(
        f"| Homeward | {build:.2f} | {ours[0]:.2f} | {ours[1]:.2f} | {acc_ours.top1_rate:.1%} | {acc_ours.top3_rate:.1%} |"
    )
    print(
        f"| FTS5 bm25 | {fts_build:.2f} | {theirs[0]:.2f} | {theirs[1]:.2f} | {acc_fts.top1_rate:.1%} | {acc_fts.top3_rate:.1%} |"
    )
    print(
        f"\np99 ratio Homeward/FTS5: {ours[1] / theirs[1]:.1f}x; top-1 gain: {(acc_ours.top1_rate - acc_fts.top1_rate) * 100:+.1f} points"
    )


def cpu() -> str:
    """CPU model and core count, from /proc/cpuinfo where there is one."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown cpu"
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return f"{models[0] if models else 'unknown cpu'} x {len(models)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="5000,100000", help="generated directory sizes")
    parser.add_argument(
        "--repeat", type=int, default=5, help="passes over the queries per measurement"
    )
    args = parser.parse_args()
    print(
        f"# Search benchmark\nmachine: {cpu()}, {platform.machine()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(f"command: {' '.join(sys.argv)}")
    sample = load_directory(SAMPLE).directory
    assert sample is not None, "the sample directory does not validate"
    sets = [p for p in (DEV_SET, EXTRA_SET, HOLDOUT_SET) if p.exists()]
    queries = [q for p in sets for q in read_queries(p)]
    print(f"queries: {', '.join(p.name for p in sets)}")
    run("sample directory", sample, SAMPLE, queries, args.repeat)
    for size in (int(s) for s in args.sizes.split(",") if s):
        run(
            "generated directory",
            generated(sample, size),
            SAMPLE,
            queries,
            max(1, args.repeat // 2),
        )


if __name__ == "__main__":
    main()
