"""HSDS import speed, and search on a real 211 directory beside SQLite FTS5.

Run: .venv/bin/python bench/hsds_bench.py [--repeat 3] [--sizes 5000,20000]

Imports ../shared/data/miami-open211-hsds (HSDS 1.1, 4,089 services) into a
temporary folder, times it (and the validation that follows it in the
command), then builds Homeward's index and an FTS5 table over the imported
services and runs every labelled query through both. A result is judged right
by the categories the taxonomy map gives its AIRS codes (as in the tests), and
also by a second, coarser mapping written here by two-letter AIRS prefix, as a
stand-in for an independent judge. ``--sizes`` imports packages made by
cloning Miami's rows to that many services, to check the import scales.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from search_bench import Fts5, cpu, timed  # noqa: E402

from bot.directory.hsds.importer import import_hsds  # noqa: E402
from bot.directory.loader import load_directory  # noqa: E402
from bot.directory.model import Service  # noqa: E402
from bot.search.engine import SearchEngine  # noqa: E402
from bot.search.evaluation import LabelledQuery, judge, read_queries  # noqa: E402
from bot.search.vocabulary import load_vocabulary  # noqa: E402

MIAMI = REPO.parent / "shared" / "data" / "miami-open211-hsds"
MAP = REPO / "resources_directory" / "taxonomy" / "hsds-map.yaml"
SETS = (
    REPO.parent / "shared" / "eval" / "queries.dev.tsv",
    REPO / "tests" / "data" / "queries.extra.tsv",
    REPO / "tests" / "data" / "queries.holdout.tsv",
)
# A second judge: one category per two-letter AIRS prefix, nothing finer.
COARSE = {
    "BD": "food",
    "BH": "housing",
    "BT": "transportation",
    "BV": "benefits",
    "DF": "id_documents",
    "FC": "legal",
    "FF": "legal",
    "FJ": "legal",
    "FN": "legal",
    "FP": "legal",
    "FT": "legal",
    "HD": "education",
    "HH": "education",
    "HL": "education",
    "LD": "healthcare",
    "LE": "healthcare",
    "LF": "healthcare",
    "LH": "healthcare",
    "LJ": "healthcare",
    "LL": "healthcare",
    "LN": "healthcare",
    "LR": "healthcare",
    "LT": "healthcare",
    "LV": "healthcare",
    "ND": "jobs",
    "NL": "benefits",
    "NS": "benefits",
    "NT": "benefits",
    "PH": "family",
    "PN": "mental_health",
    "RD": "mental_health",
    "RF": "mental_health",
    "RM": "mental_health",
    "RP": "mental_health",
    "RR": "mental_health",
    "RX": "substance_use",
}


def codes_by_service() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with (MIAMI / "data" / "services_taxonomy.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["service_id"], []).append(row["taxonomy_id"])
    return out


def scaled_package(size: int, into: Path) -> Path:
    """Miami's package with its services (and their rows) cloned up to ``size``."""
    data = into / "data"
    data.mkdir(parents=True)
    shutil.copy(MIAMI / "datapackage.json", into / "datapackage.json")
    tables = {}
    for path in (MIAMI / "data").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            tables[path.stem] = (reader.fieldnames or [], list(reader))
    originals = len(tables["services"][1])
    copies = -(-size // originals)
    linked = ("id", "service_id", "location_id", "service_at_location_id")
    for name, (columns, rows) in tables.items():
        out = list(rows)
        if name not in ("organizations", "taxonomy", "eligibility"):
            for n in range(1, copies):
                out += [
                    {k: (f"{v}-{n}" if k in linked and v else v) for k, v in row.items()}
                    for row in rows
                ]
            if name == "services":
                out = out[:size]
        with (data / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(out)
    return into


def time_import(source: Path, repeat: int) -> tuple[float, float, int]:
    """Median seconds to import, and to import then validate; services imported."""
    imports, totals, services = [], [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            result = import_hsds(source, Path(tmp) / "out", MAP)
            imports.append(time.perf_counter() - start)
            loaded = load_directory(Path(tmp) / "out")
            totals.append(time.perf_counter() - start)
            assert loaded.problems == [], loaded.problems[:3]
            services = result.report.imported["services"]
    return statistics.median(imports), statistics.median(totals), services


def accuracy_row(
    name: str,
    search: Callable[[str], list[Service]],
    queries: list[LabelledQuery],
    codes: dict[str, list[str]],
) -> str:
    ours = judge(queries, lambda q: [list(s.categories) for s in search(q.text)])
    coarse = judge(
        queries,
        lambda q: [
            sorted({COARSE[c[:2]] for c in codes.get(s.id, []) if c[:2] in COARSE})
            for s in search(q.text)
        ],
    )
    return (
        f"| {name} | {ours.top1_rate:.1%} | {ours.top3_rate:.1%} "
        f"| {coarse.top1_rate:.1%} | {coarse.top3_rate:.1%} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="imports and query passes")
    parser.add_argument("--sizes", default="5000", help="cloned package sizes to import")
    args = parser.parse_args()
    if not MIAMI.exists():
        sys.exit(f"{MIAMI} is absent: this benchmark needs ../shared beside the checkout")
    print(f"# HSDS benchmark\nmachine: {cpu()}\ncommand: {' '.join(sys.argv)}")
    print("\n## Import (median of runs)\n| package | services | import s | import + validate s |")
    print("|---|---|---|---|")
    took, total, count = time_import(MIAMI, args.repeat)
    print(f"| Miami (HSDS 1.1) | {count:,} | {took:.1f} | {total:.1f} |")
    for size in (int(s) for s in args.sizes.split(",") if s):
        with tempfile.TemporaryDirectory() as tmp:
            package = scaled_package(size, Path(tmp) / "pkg")
            took, total, count = time_import(package, 1)
        print(f"| Miami cloned | {count:,} | {took:.1f} | {total:.1f} |")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "miami"
        import_hsds(MIAMI, out, MAP)
        directory = load_directory(out).directory
        assert directory is not None
        vocabulary, _ = load_vocabulary(out, {c.slug for c in directory.categories})
    start = time.perf_counter()
    engine = SearchEngine(directory, vocabulary)
    build = time.perf_counter() - start
    start = time.perf_counter()
    fts = Fts5(directory)
    fts_build = time.perf_counter() - start
    codes = codes_by_service()
    sets = [p for p in SETS if p.exists()]
    everything = [q for p in sets for q in read_queries(p)]

    def ours(text: str) -> list[Service]:
        return [h.service for h in engine.search(text, limit=3).hits]

    print(f"\n## Accuracy on the imported Miami directory ({len(directory.services):,} services)")
    print(
        "| queries | engine | top-1 (our map) | top-3 (our map) | top-1 (coarse) | top-3 (coarse) |"
    )
    print("|---|---|---|---|---|---|")
    for path in sets:
        queries = read_queries(path)
        label = f"{path.name} ({len(queries)})"
        print(f"| {label} " + accuracy_row("Homeward", ours, queries, codes))
        print(f"| {label} " + accuracy_row("FTS5 bm25", lambda t: fts.search(t, 3), queries, codes))
    texts = [q.text for q in everything]
    mine = timed(
        lambda q: engine.search(q, limit=5),
        texts,
        args.repeat,
        engine.parser.lexicon.correct.cache_clear,
    )
    theirs = timed(lambda q: fts.search(q, 5), texts, args.repeat)
    print(
        f"\n## Latency ({len(texts)} queries x {args.repeat})\n| engine | build s | p50 ms | p99 ms |"
    )
    print("|---|---|---|---|")
    print(f"| Homeward | {build:.2f} | {mine[0]:.2f} | {mine[1]:.2f} |")
    print(f"| FTS5 bm25 | {fts_build:.2f} | {theirs[0]:.2f} | {theirs[1]:.2f} |")
    print(f"\np99 ratio Homeward/FTS5: {mine[1] / theirs[1]:.1f}x")


if __name__ == "__main__":
    main()
