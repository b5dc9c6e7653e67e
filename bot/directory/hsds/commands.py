"""What ``homeward directory import-hsds`` and ``export-hsds`` print.

The import says what it read, counts what it imported, repaired and skipped,
lists every skipped row with its ``file:row``, then checks the written folder
with the same validator curators use, so "ready to load" is a fact, not a hope.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from bot.directory.hsds.exporter import write_export
from bot.directory.hsds.importer import NothingImported, import_hsds, map_path
from bot.directory.hsds.report import ImportReport
from bot.directory.inference import Categorizer
from bot.directory.loader import load_directory


def run_import(
    path: Path,
    out: Path,
    directory: Path,
    categorizer: Categorizer | None = None,
    stdout: TextIO = sys.stdout,
) -> int:
    """Import, report, validate; 0 when the written directory is valid."""
    started = time.perf_counter()
    try:
        result = import_hsds(path, out, map_path(directory), categorizer=categorizer)
    except NothingImported as exc:
        print(f"Read {path} as HSDS {_version(exc.report)}; nothing written", file=stdout)
        print_report(exc.report, stdout)
        raise
    took = time.perf_counter() - started
    report = result.report
    print(f"Read {path} as HSDS {_version(report)}; wrote {out} in {took:.1f} s", file=stdout)
    print_report(report, stdout)
    started = time.perf_counter()
    check = load_directory(out)
    took = time.perf_counter() - started
    if check.problems or check.directory is None:
        for problem in check.problems:
            print(problem, file=sys.stderr)
        print(
            f"homeward: {out} has {len(check.problems)} problem(s) after the import",
            file=sys.stderr,
        )
        return 1
    services = len(check.directory.services)
    print(f"Checked {out}: {services:,} services valid ({took:.1f} s).", file=stdout)
    print(f"Next: HOMEWARD_DIRECTORY={out} homeward directory load", file=stdout)
    return 0


def _version(report: ImportReport) -> str:
    return f"{report.version} ({report.evidence})" if report.evidence else report.version


def print_report(report: ImportReport, stdout: TextIO) -> None:
    """The counts, then every row left out as ``file:row: reason``."""
    for line in report.summary()[1:]:
        print(line, file=stdout)
    if report.skips:
        print("Rows left out (file:row, row 1 is the header):", file=stdout)
        for line in report.skip_lines():
            print(line, file=stdout)


def run_export(folder: Path, out: Path, stdout: TextIO = sys.stdout) -> int:
    """Validate the directory folder, then write HSDS 3.0; 1 when the folder has problems."""
    result = load_directory(folder)
    if result.directory is None or result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{len(result.problems)} problem(s) found; nothing was exported", file=sys.stderr)
        return 1
    names = write_export(result.directory, out)
    tables = sum(name.endswith(".csv") for name in names)
    found = result.directory
    print(
        f"Exported {len(found.services):,} services of {len(found.organizations):,} "
        f"organizations as HSDS 3.0 to {out}: services.json, datapackage.json and "
        f"{tables} CSV tables",
        file=stdout,
    )
    return 0
