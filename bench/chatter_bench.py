"""Chatter gets no results: off-topic texts answered, and real needs taken for chatter.

Run: .venv/bin/python bench/chatter_bench.py

On the sample directory and on Miami's 211 export (4,089 services, imported
with its taxonomy; skipped when ../shared is absent), counts the off-topic
texts that still get a list of services, with the gate (bot/search/need.py)
and without it (the same engine, the gate told every text is a need), on:
tests/data/chatter.dev.tsv and nonsense.txt (tuned on), and
tests/data/chatter.frozen.tsv (written blind, never tuned on); and the
labelled queries the gate takes for chatter (dev, extra, holdout).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.directory.hsds.importer import import_hsds  # noqa: E402
from bot.directory.loader import load_directory  # noqa: E402
from bot.directory.model import CATEGORY_SLUGS, Directory  # noqa: E402
from bot.search.engine import SearchEngine  # noqa: E402
from bot.search.evaluation import read_queries  # noqa: E402
from bot.search.need import NeedReading  # noqa: E402
from bot.search.vocabulary import load_vocabulary  # noqa: E402

DATA = REPO / "tests" / "data"
MIAMI = REPO.parent / "shared" / "data" / "miami-open211-hsds"
MAP = REPO / "resources_directory" / "taxonomy" / "hsds-map.yaml"
OFF_TOPIC = {
    "chatter.dev.tsv + nonsense.txt (tuned on)": ("chatter.dev.tsv", "nonsense.txt"),
    "chatter.frozen.tsv (blind)": ("chatter.frozen.tsv",),
}
NEEDS = {
    "dev": REPO.parent / "shared" / "eval" / "queries.dev.tsv",
    "extra": DATA / "queries.extra.tsv",
    "holdout": DATA / "queries.holdout.tsv",
}


def texts(names: tuple[str, ...]) -> list[str]:
    out = []
    for name in names:
        path = DATA / name
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            out += [x.split("\t")[0] for x in lines if x.strip() and not x.startswith("#")]
    return out


def measure(title: str, directory: Directory) -> None:
    vocabulary, _ = load_vocabulary(REPO / "resources_directory", set(CATEGORY_SLUGS))
    engine = SearchEngine(directory, vocabulary)
    print(f"{title} ({len(directory.services):,} services):")
    for name, files in OFF_TOPIC.items():
        lines = texts(files)
        if not lines:
            continue
        with_gate = sum(bool(engine.search(t).hits) for t in lines)
        gate = engine.need
        engine.need = _Always()  # type: ignore[assignment]
        without = sum(bool(engine.search(t).hits) for t in lines)
        engine.need = gate
        print(f"  off-topic with results, {name}: {with_gate} of {len(lines)} (no gate: {without})")
    for name, path in NEEDS.items():
        if path.exists():
            queries = read_queries(path)
            blocked = [q.text for q in queries if engine.search(q.text).chatter]
            print(f"  {name} needs taken for chatter: {len(blocked)} of {len(queries)} {blocked}")


class _Always:
    def read(self, parsed: object) -> NeedReading:
        return NeedReading(True, "no gate")


def main() -> None:
    sample = load_directory(REPO / "resources_directory").directory
    assert sample is not None
    measure("Sample directory", sample)
    if MIAMI.exists():
        with tempfile.TemporaryDirectory() as tmp:
            import_hsds(MIAMI, Path(tmp) / "out", MAP)
            miami = load_directory(Path(tmp) / "out").directory
        assert miami is not None
        measure("Miami 211 export", miami)


if __name__ == "__main__":
    main()
