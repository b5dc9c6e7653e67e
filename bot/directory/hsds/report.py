"""What an import did: counts imported, values repaired, rows skipped and why.

Real exports are messy, and a curator must be able to trust the result without
reading 4,000 services: every repair is counted by kind, and every skipped row
is listed with its ``file:row`` and the reason, so nothing is lost silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

NO_POINT = "locations without a point (neither coordinates nor a US ZIP: distance unknown)"
GUESSED = "services given categories from their words"


@dataclass(frozen=True, order=True)
class Where:
    """A row of the source: ``services.csv:12`` (row 1 is the CSV header) or a JSON path."""

    file: str
    row: int = 0
    path: str = ""

    def __str__(self) -> str:
        if self.path:
            return f"{self.file}:{self.path}"
        return f"{self.file}:{self.row}"


@dataclass(frozen=True)
class Skip:
    """A row left out, where it was, and why (in plain words)."""

    where: Where
    reason: str
    detail: str = ""


@dataclass
class ImportReport:
    """Counts and lists for the summary the import prints."""

    version: str = ""
    evidence: str = ""  # what told the version apart ("addresses.csv has address_type")
    imported: Counter[str] = field(default_factory=Counter)
    repairs: Counter[str] = field(default_factory=Counter)
    repaired_records: set[str] = field(default_factory=set)
    skips: list[Skip] = field(default_factory=list)

    def repaired(self, kind: str, record: str, count: int = 1) -> None:
        """Note that ``count`` values of one kind were repaired in a record."""
        self.repairs[kind] += count
        self.repaired_records.add(record)

    def skipped(self, where: Where, reason: str, detail: str = "") -> None:
        """Note a row left out: ``reason`` is counted, ``detail`` only listed."""
        self.skips.append(Skip(where, reason, detail))

    def skip_lines(self) -> list[str]:
        """One line per skip, in file order; runs of rows with one reason share a line."""
        lines: list[str] = []
        runs: list[list[Skip]] = []
        for skip in sorted(self.skips, key=lambda k: (k.where.file, k.where.row, k.where.path)):
            last = runs[-1][-1] if runs else None
            if (
                last is not None
                and last.reason == skip.reason
                and not skip.where.path
                and last.where.file == skip.where.file
                and skip.where.row == last.where.row + 1
            ):
                runs[-1].append(skip)
            else:
                runs.append([skip])
        for run in runs:
            first, last = run[0], run[-1]
            detail = f": {first.detail}" if first.detail else ""
            if len(run) == 1:
                lines.append(f"  skipped {first.where}: {first.reason}{detail}")
            else:
                example = f" (first{detail})" if detail else ""
                lines.append(
                    f"  skipped {first.where}-{last.where.row}: {first.reason}, "
                    f"{len(run):,} rows{example}"
                )
        return lines

    def summary(self) -> list[str]:
        """The counts, for people: imported, repaired by kind, skipped by reason."""
        lines = [f"HSDS {self.version}"]
        for kind in ("organizations", "services", "locations", "phones", "schedules"):
            lines.append(f"imported {self.imported[kind]:,} {kind}")
        no_category = self.imported["services without a category"]
        if no_category:
            lines.append(
                f"  of the services, {no_category:,} map to no category (still searchable)"
            )
        if self.imported[GUESSED]:
            lines.append(
                f"  of the services, {self.imported[GUESSED]:,} got categories from their words"
                " (marked inferred: for review; homeward directory review lists them)"
            )
        if self.imported[NO_POINT]:
            lines.append(
                f"  of the locations, {self.imported[NO_POINT]:,} have no point (distance unknown)"
            )
        total = sum(self.repairs.values())
        lines.append(
            f"repaired {total:,} values in {len(self.repaired_records):,} records:"
            if total
            else "repaired nothing"
        )
        for kind, count in sorted(self.repairs.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {count:,} {kind}")
        reasons = Counter(skip.reason for skip in self.skips)
        lines.append(f"skipped {len(self.skips):,} rows" + (":" if self.skips else ""))
        for reason, count in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {count:,} {reason}")
        return lines
