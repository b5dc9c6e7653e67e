"""Categories from words on a real 211 directory whose taxonomy was taken away.

Run: .venv/bin/python bench/inference_bench.py [--sets dev,extra,holdout]

Copies ../shared/data/miami-open211-hsds without ``taxonomy.csv`` and
``services_taxonomy.csv``, imports it with the categorizer (as
``homeward directory import-hsds`` does), and judges two things against the
AIRS codes that were removed, mapped through
resources_directory/taxonomy/hsds-map.yaml (the judge the taxonomy figures
use): how often a service's guessed main category is one of its AIRS
categories (per service, on odd and even ids: the categorizer was developed
looking at the odd ones; "every decision" also counts a service left without a
category as right when its codes map to none), and search top-1 / top-3 on the labelled query sets,
beside the same search on the import with the taxonomy and without any
guessing. Nothing here changes what the categorizer does.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.directory.hsds.importer import import_hsds  # noqa: E402
from bot.directory.hsds.records import RawTerm  # noqa: E402
from bot.directory.hsds.taxonomy import load_map  # noqa: E402
from bot.directory.loader import load_directory  # noqa: E402
from bot.directory.model import CATEGORY_SLUGS, Directory  # noqa: E402
from bot.search.categorize import WordCategorizer  # noqa: E402
from bot.search.engine import SearchEngine  # noqa: E402
from bot.search.evaluation import judge, read_queries  # noqa: E402
from bot.search.vocabulary import load_vocabulary  # noqa: E402

MIAMI = REPO.parent / "shared" / "data" / "miami-open211-hsds"
MAP = REPO / "resources_directory" / "taxonomy" / "hsds-map.yaml"
SETS = {
    "dev": REPO.parent / "shared" / "eval" / "queries.dev.tsv",
    "extra": REPO / "tests" / "data" / "queries.extra.tsv",
    "holdout": REPO / "tests" / "data" / "queries.holdout.tsv",
}
TAXONOMY_FILES = ("taxonomy.csv", "services_taxonomy.csv")


def truth() -> dict[str, tuple[str, ...]]:
    """Each service's categories from its AIRS codes, through the shipped map."""
    taxonomy, _ = load_map(MAP, set(CATEGORY_SLUGS))
    codes: dict[str, list[RawTerm]] = {}
    with (MIAMI / "data" / "services_taxonomy.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            codes.setdefault(row["service_id"], []).append(RawTerm(row["taxonomy_id"], ""))
    return {sid: taxonomy.categories(terms) for sid, terms in codes.items()}


def imported(folder: Path, *, taxonomy: bool, guess: bool) -> tuple[Directory, float]:
    """Miami imported into ``folder`` (with or without its taxonomy and the guessing)."""
    package = folder / "package"
    shutil.copytree(MIAMI, package)
    if not taxonomy:
        for name in TAXONOMY_FILES:
            (package / "data" / name).unlink()
    vocabulary, _ = load_vocabulary(REPO / "resources_directory", set(CATEGORY_SLUGS))
    taxonomy, _ = load_map(MAP, set(CATEGORY_SLUGS))
    categorizer = WordCategorizer(vocabulary, CATEGORY_SLUGS, taxonomy.terms) if guess else None
    start = time.perf_counter()
    import_hsds(package, folder / "out", MAP, categorizer=categorizer)
    took = time.perf_counter() - start
    loaded = load_directory(folder / "out")
    assert loaded.directory is not None, loaded.problems[:3]
    return loaded.directory, took


def per_service(directory: Directory, answers: dict[str, tuple[str, ...]]) -> str:
    """Main category right, by odd and even service id."""
    rows = []
    for parity, name in ((1, "odd ids (looked at)"), (0, "even ids (not looked at)")):
        judged = [
            s
            for s in directory.services
            if s.id.isdigit() and int(s.id) % 2 == parity and answers.get(s.id)
        ]
        right = sum(bool(s.categories) and s.categories[0] in answers[s.id] for s in judged)
        none = sum(not s.categories for s in judged)
        # Every coded service: right when its main category is one of its AIRS
        # categories, or when it is left without one and its codes map to none.
        coded = [
            s
            for s in directory.services
            if s.id.isdigit() and int(s.id) % 2 == parity
            if s.id in answers
        ]
        decided = sum(
            (s.categories[0] in answers[s.id]) if s.categories else not answers[s.id] for s in coded
        )
        rows.append(
            f"  {name}: main category right {right / len(judged):.1%} of {len(judged)}"
            f" (left without a category: {none}); every decision right"
            f" {decided / len(coded):.1%} of {len(coded)} coded services"
        )
    return "\n".join(rows)


def searches(directory: Directory, answers: dict[str, tuple[str, ...]], sets: list[str]) -> str:
    vocabulary, _ = load_vocabulary(REPO / "resources_directory", set(CATEGORY_SLUGS))
    engine = SearchEngine(directory, vocabulary)
    rows = []
    for name in sets:
        accuracy = judge(
            read_queries(SETS[name]),
            lambda q: [
                list(answers.get(h.service.id, ())) for h in engine.search(q.text, limit=3).hits
            ],
        )
        rows.append(f"  {accuracy.summary(name)}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="dev,extra,holdout")
    args = parser.parse_args()
    sets = args.sets.split(",")
    answers = truth()
    runs = (
        ("with its taxonomy", True, False),
        ("without its taxonomy, no guessing", False, False),
        ("without its taxonomy, categories from words", False, True),
    )
    for title, taxonomy, guess in runs:
        with tempfile.TemporaryDirectory() as tmp:
            directory, took = imported(Path(tmp), taxonomy=taxonomy, guess=guess)
        print(f"Miami {title} (import {took:.1f} s):")
        if guess:
            print(per_service(directory, answers))
        print(searches(directory, answers, sets))


if __name__ == "__main__":
    main()
