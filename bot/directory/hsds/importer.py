"""``homeward directory import-hsds PATH --out DIR``: the whole import.

Open the publication, read it into plain records (tabular or JSON), build the
organization files with the taxonomy map, write them, and say what happened.
The result is checked with the same validator as curated files.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.directory.hsds.assemble import Assembler, OrgDoc, directory_region
from bot.directory.hsds.guessing import add_guesses
from bot.directory.hsds.json_reader import read_json
from bot.directory.hsds.package import HsdsError, open_source
from bot.directory.hsds.records import RawPublication
from bot.directory.hsds.report import ImportReport
from bot.directory.hsds.tabular import read_tabular
from bot.directory.hsds.taxonomy import MAP_FILE, load_map
from bot.directory.hsds.writer import timezone_of, write_directory
from bot.directory.inference import Categorizer
from bot.directory.loader import shared_file
from bot.directory.model import CATEGORY_SLUGS
from bot.directory.problems import Problem


class NothingImported(HsdsError):
    """Every service was left out: the message names the reasons, the report lists the rows."""

    def __init__(self, message: str, report: ImportReport) -> None:
        super().__init__(message)
        self.report = report


class MapProblems(Exception):
    """The taxonomy map file has problems; nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"the taxonomy map has {len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    """The report and what was written."""

    report: ImportReport
    files: int = 0
    organizations: list[OrgDoc] = field(default_factory=list)


def map_path(directory: Path) -> Path:
    """The taxonomy map: the directory folder's own, else the repository's."""
    return shared_file(directory, MAP_FILE)


def import_hsds(
    path: Path,
    out: Path,
    taxonomy_file: Path,
    today: dt.date | None = None,
    categorizer: Categorizer | None = None,
) -> ImportResult:
    """Import the HSDS publication at ``path`` into the directory folder ``out``.

    With a ``categorizer``, services their taxonomy leaves without a category
    get the categories their words read as, marked ``inferred`` for review.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    taxonomy, problems = load_map(taxonomy_file, set(CATEGORY_SLUGS))
    if problems:
        raise MapProblems(problems)
    report = ImportReport()
    source = open_source(path, report)
    report.version = f"{source.version} {source.kind}"
    report.evidence = source.evidence
    pub = read_tabular(source, report) if source.tables else read_json(source, report)
    assembler = Assembler(pub, taxonomy, report, today)
    docs = assembler.build()
    if not report.imported["services"]:
        raise NothingImported(nothing_imported(path, pub, report), report)
    if categorizer is not None:
        add_guesses(docs, assembler.settled, categorizer, report)
    files = write_directory(out, docs, directory_info(pub, docs, today), path.name)
    return ImportResult(report, files, docs)


def nothing_imported(path: Path, pub: RawPublication, report: ImportReport) -> str:
    """Why no service could be imported, in one line: the reasons that left them out."""
    rows = {service.where for service in pub.services}
    reasons = Counter(skip.reason for skip in report.skips if skip.where in rows)
    if not pub.services:
        return f"{path} holds no service that could be imported: the services table is empty"
    why = "; ".join(f"{count:,} {reason}" for reason, count in reasons.most_common())
    return (
        f"{path} holds no service that could be imported: all {len(pub.services):,} "
        f"were left out ({why or 'no reason recorded'})"
    )


def directory_info(pub: RawPublication, docs: list[OrgDoc], today: dt.date) -> dict[str, Any]:
    """directory.yaml: our own export's metadata when present, else derived from the data."""
    own = pub.directory
    if own.get("name"):
        return {
            "name": own["name"],
            "region": own.get("region", ""),
            "timezone": own.get("timezone")
            or timezone_of(z for d in docs for z in d.timezone_zips),
            "sample": own.get("sample", "").lower() == "true",
            "notice": own.get("notice", ""),
            "notice_es": own.get("notice_es", ""),
        }
    title = pub.title if pub.title and "template" not in pub.title.lower() else pub.source
    return {
        "name": f"{title} (imported from HSDS {pub.version} on {today.isoformat()})",
        "region": directory_region(docs),
        "timezone": timezone_of(z for d in docs for z in d.timezone_zips),
        "sample": False,
    }
