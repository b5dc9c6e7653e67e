"""`homeward directory validate|load|stats|import-hsds|export-hsds|review|verify-requests|
train-reader`.

``train-reader`` refits the search's learned reader (``bot.search.reader``) on
``search/reading_corpus/*.tsv`` of the folder (scikit-learn is imported then,
and only then) and writes ``search/reader.npz`` beside the corpus, stamped with
the corpus digest (``directory validate`` reports a reader trained on another
corpus).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
import time
from pathlib import Path

from bot.care.files import read_care_files
from bot.cli_common import UsageError, print_problems, train_and_save, warn_if_newer_files_failed
from bot.directory.inference import Categorizer
from bot.directory.loader import load_directory
from bot.directory.stats import directory_stats, reports_text, stats_text
from bot.directory.sync import load_into_database
from bot.runtime import build_search, check_files, open_runtime
from bot.settings import Settings
from bot.storage.db import make_engine, session_scope
from bot.storage.reports import report_counts, resolve_reports


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run one directory command on the folder given, or HOMEWARD_DIRECTORY."""
    folder = getattr(args, "dir", None) or settings.directory
    if args.action == "validate":
        return validate(folder)
    if args.action == "load":
        return load(settings, folder)
    if args.action in ("import-hsds", "export-hsds"):
        return _hsds(args, settings, folder)
    if args.action == "review":
        return review(folder, args.limit, args.json)
    if args.action == "verify-requests":
        return verify_requests(args, settings, folder)
    if args.action == "train-reader":
        return train_reader(folder)
    return stats(settings, args.json)


def verify_requests(args: argparse.Namespace, settings: Settings, folder: Path) -> int:
    """Entries due for a provider's check; ``--checked ID`` records one as checked."""
    from bot.directory.verify import VerifyError, due_for_check, mark_checked

    today = dt.datetime.now(dt.UTC).date()
    if args.checked:
        try:
            on = dt.date.fromisoformat(args.on) if args.on else today
        except ValueError:
            raise UsageError(f"--on must be a date like 2026-12-06, not {args.on!r}") from None
        if on > today:
            raise UsageError("--on cannot be in the future")
        try:
            path = mark_checked(folder, args.checked, on)
        except VerifyError as exc:
            raise UsageError(str(exc)) from None
        engine = make_engine(settings.database_url, settings.secret_keys)
        with session_scope(engine) as session:
            resolved = resolve_reports(session, args.checked, "verify-requests")
        print(
            f"{args.checked}: last verified {on.isoformat()} in {path}; {resolved} report(s) closed"
        )
        print(f"Next: HOMEWARD_DIRECTORY={folder} homeward directory load")
        return 0
    result = load_directory(folder)
    if result.directory is None or result.problems:
        print_problems(result.problems)
        return 1
    engine = make_engine(settings.database_url, settings.secret_keys)
    with session_scope(engine) as session:
        reports = report_counts(session)
    due = due_for_check(result.directory, reports, today, args.days)
    if args.json:
        print(json.dumps({"due": len(due), "services": [d.as_json() for d in due]}, indent=2))
        return 0
    why = f"reported wrong, never verified, or over {args.days} days"
    print(f"{len(due)} entries due for a check ({why}):")
    for entry in due:
        service = entry.service
        print(f"\n{service.id} {service.name} - {service.organization.name} ({entry.reason})")
        print(f"  file: {service.organization.source_file}")
        print(f"  send: {entry.message}")
    if due:
        print("\nWhen a provider confirms: homeward directory verify-requests --checked ID")
    return 0


def review(folder: Path, limit: int, as_json: bool) -> int:
    """Guessed categories to confirm, least sure first; 1 when a file cannot be read."""
    from bot.directory.review import inferred_services, review_text

    if not folder.is_dir():
        raise UsageError(f"not a folder: {folder}")
    entries, problems = inferred_services(folder)
    if problems:
        print_problems(problems)
        return 1
    shown = entries[: max(limit, 0)]
    if as_json:
        payload = {"total": len(entries), "services": [e.as_json() for e in shown]}
        print(json.dumps(payload, indent=2))
    else:
        print(review_text(shown, len(entries)))
    return 0


def validate(folder: Path) -> int:
    """Every problem of the folder's files at once; 1 when there is any."""
    result = load_directory(folder)
    problems = list(result.problems)
    if result.directory is not None:
        problems += check_files(folder, result.directory)
    problems += read_care_files(folder)[1]  # care/: reminders, help words, messages
    if problems:
        print_problems(sorted(problems))
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    assert result.directory is not None
    found = result.directory
    print(f"OK: {len(found.services)} services from {len(found.organizations)} organizations")
    return 0


def load(settings: Settings, folder: Path) -> int:
    """Validate, then load into the database in one transaction (nothing on a problem)."""
    if not folder.is_dir():
        raise UsageError(f"not a folder: {folder}")
    engine = make_engine(settings.database_url, settings.secret_keys)
    outcome = load_into_database(engine, folder, check_files)
    if outcome.version is None:
        print_problems(outcome.problems)
        print(
            f"{len(outcome.problems)} problem(s) found; the database was not changed",
            file=sys.stderr,
        )
        return 1
    print(f"Loaded {outcome.services} services (directory version {outcome.version})")
    # Build and save this version's search index now, so workers and commands open
    # it at once instead of each building its own when they next start or notice.
    started = time.monotonic()
    build_search(engine, dataclasses.replace(settings, directory=folder))
    print(f"Search index saved ({time.monotonic() - started:.1f} s): {settings.index_folder}")
    return 0


def stats(settings: Settings, as_json: bool) -> int:
    """Services per category and ZIP, and entries due for a check, of the loaded directory."""
    runtime = open_runtime(settings)
    warn_if_newer_files_failed(runtime.problems)
    directory = runtime.search.index.directory
    found = directory_stats(directory)
    with session_scope(runtime.engine) as session:
        reports = report_counts(session)
    if as_json:
        payload = {
            "services": found.services,
            "organizations": found.organizations,
            "per_category": found.per_category,
            "per_zip": found.per_zip,
            "not_verified_180_days": [s.id for s in found.stale],
            "texters_reports": {
                "open": sum(sum(kinds.values()) for kinds in reports.values()),
                "services": {sid: dict(kinds) for sid, kinds in sorted(reports.items())},
            },
        }
        print(json.dumps(payload, indent=2))
    else:
        print("\n".join([stats_text(found), *reports_text(reports, directory)]))
    return 0


def _categorizer(settings: Settings) -> Categorizer:
    """Guesses imported services' categories from the directory folder's vocabulary."""
    from bot.directory.hsds.importer import map_path
    from bot.directory.hsds.taxonomy import load_map
    from bot.directory.model import CATEGORY_SLUGS
    from bot.search.categorize import WordCategorizer
    from bot.search.vocabulary import load_vocabulary

    vocabulary, problems = load_vocabulary(settings.directory, set(CATEGORY_SLUGS))
    if problems:
        print_problems(problems)
        raise UsageError("fix the vocabulary above; nothing was imported")
    # The map's term names are read in services' texts too (a bad map is reported by the import).
    taxonomy, _ = load_map(map_path(settings.directory), set(CATEGORY_SLUGS))
    return WordCategorizer(vocabulary, CATEGORY_SLUGS, taxonomy.terms)


def _hsds(args: argparse.Namespace, settings: Settings, folder: Path) -> int:
    # The HSDS code (schemas, CSV and JSON readers) is imported only for these two.
    from bot.directory.hsds.commands import run_export, run_import
    from bot.directory.hsds.importer import MapProblems
    from bot.directory.hsds.package import HsdsError

    try:
        if args.action == "import-hsds":
            return run_import(args.path, args.out, settings.directory, _categorizer(settings))
        return run_export(folder, args.out)
    except HsdsError as exc:
        raise UsageError(str(exc)) from None
    except MapProblems as exc:
        print_problems(exc.problems)
        print("homeward: fix the taxonomy map above; nothing was imported", file=sys.stderr)
        return 2


def train_reader(folder: Path) -> int:
    """Fit, measure and save the reader; print its cross-validated figures."""
    if not folder.is_dir():
        raise UsageError(f"not a folder: {folder}")
    done = train_and_save("bot.search.reader_train", folder, "reader")
    if isinstance(done, int):
        return done
    trained, path, seconds = done
    print(
        f"Reader saved: {path} ({len(trained.data) // 1024} KiB, {trained.features} features, "
        f"{trained.examples} texts, {seconds:.0f} s)"
    )
    print("Cross-validated on the training corpus (tuned data, not an unseen measure):")
    print(
        f"  likeliest class right: {trained.right:.1%}; chatter read as none: "
        f"{trained.none_right:.1%}"
    )
    decided = trained.decided
    print(
        f"  need-or-chatter decider (threshold {decided.threshold}): needs answered "
        f"{decided.needs_answered:.1%}, chatter answered {decided.chatter_answered:.1%}"
    )
    return 0
