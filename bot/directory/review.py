"""``homeward directory review``: the guessed categories a curator should check first.

An import that had no usable taxonomy writes the categories it read from a
service's words with a mark (``inferred: {confidence, evidence}``). This reads
the organization files as they are now, so a mark the curator deleted (the
categories confirmed) is gone from the list, and lists the least sure first
with the file and line to edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.directory.loader import organization_files, parse_file
from bot.directory.problems import Problem
from bot.directory.yamlfile import LineDict, LineList


@dataclass(frozen=True)
class Inferred:
    """One service whose categories were guessed at import and not yet confirmed."""

    file: str
    line: int
    service_id: str
    name: str
    categories: tuple[str, ...]
    confidence: float
    evidence: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        """The ``--json`` shape of one entry."""
        return {
            "file": self.file,
            "line": self.line,
            "id": self.service_id,
            "name": self.name,
            "categories": list(self.categories),
            "confidence": self.confidence,
            "evidence": list(self.evidence),
        }


def inferred_services(folder: Path) -> tuple[list[Inferred], list[Problem]]:
    """Every service marked ``inferred``, least sure first (then by file and line)."""
    found: list[Inferred] = []
    problems: list[Problem] = []
    for path in organization_files(folder):
        data = parse_file(path, problems)
        services = data.get("services") if isinstance(data, LineDict) else None
        if not isinstance(services, LineList):
            continue
        for item in services:
            mark = item.get("inferred") if isinstance(item, LineDict) else None
            if not isinstance(mark, LineDict):
                continue
            confidence = mark.get("confidence")
            found.append(
                Inferred(
                    file=str(path.relative_to(folder)),
                    line=item.lines.get("inferred", item.line),
                    service_id=str(item.get("id", "")),
                    name=str(item.get("name", "")),
                    categories=tuple(str(c) for c in item.get("categories") or ()),
                    confidence=float(confidence) if isinstance(confidence, int | float) else 0.0,
                    evidence=tuple(str(w) for w in mark.get("evidence") or ()),
                )
            )
    found.sort(key=lambda e: (e.confidence, e.file, e.line))
    return found, problems


def review_text(entries: list[Inferred], total: int) -> str:
    """The list for people: where, what was guessed, how sure, from which words."""
    if not total:
        return (
            "No guessed categories to review: every category was given by a curator or a taxonomy."
        )
    lines = [
        f"{total:,} services have categories guessed from their words; the least sure first.",
        "Check each one, fix its categories if needed, then delete its 'inferred:' block.",
        "",
    ]
    for entry in entries:
        words = ", ".join(entry.evidence) or "-"
        lines.append(
            f"{entry.file}:{entry.line}: {entry.service_id} {entry.name}: "
            f"{', '.join(entry.categories)} (confidence {entry.confidence:.2f}; words: {words})"
        )
    if len(entries) < total:
        lines.append(f"... and {total - len(entries):,} more (--limit to see more)")
    return "\n".join(lines)
