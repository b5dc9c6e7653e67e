"""Search accuracy on labelled queries (``query<TAB>categories<TAB>lang[<TAB>kind]`` files).

Used by the accuracy tests and by ``bench/``; the same judging rule as the
evaluation data's README: the first result is right when one of its categories
is expected (top-1), and top-3 when any of the first three is. Sets that say
what kind of text each line is (``context``, ``inside``, ``soundalike``...)
are also judged kind by kind and language by language (``judge_groups``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class LabelledQuery:
    """A realistic text and the categories a right answer belongs to."""

    text: str
    expected: frozenset[str]
    language: str
    kind: str = ""


@dataclass
class Accuracy:
    """Top-1 and top-3 accuracy, with the misses for reading."""

    total: int = 0
    top1: int = 0
    top3: int = 0
    misses: list[tuple[LabelledQuery, list[list[str]]]] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        """Share of queries whose first result is right."""
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_rate(self) -> float:
        """Share of queries with a right result among the first three."""
        return self.top3 / self.total if self.total else 0.0

    def summary(self, name: str) -> str:
        """One line for reports."""
        rates = f"top-1 {self.top1_rate:.1%} top-3 {self.top3_rate:.1%}"
        return f"{name}: {rates} of {self.total} queries"

    def report(self, name: str) -> str:
        """The summary and every miss: what a failed accuracy assertion shows."""
        lines = [self.summary(name)]
        lines += [f"  miss: {q.text!r} wants {sorted(q.expected)} got {r}" for q, r in self.misses]
        return "\n".join(lines)


def read_queries(path: Path) -> list[LabelledQuery]:
    """Labelled queries from a TSV file, skipping comments, blank lines and a header
    row (one whose second column is "expected"). Categories are separated by commas
    (or semicolons or bars); a fourth column, when present, is the kind of text."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or parts[1].strip().casefold() == "expected":
            continue
        categories = frozenset(c.strip() for c in _SEPARATORS.split(parts[1]) if c.strip())
        language = parts[2].strip() if len(parts) > 2 and parts[2].strip() else "en"
        kind = parts[3].strip() if len(parts) > 3 else ""
        out.append(LabelledQuery(parts[0].strip(), categories, language, kind))
    return out


_SEPARATORS = re.compile(r"[,;|]")


def judge(
    queries: Sequence[LabelledQuery], rank: Callable[[LabelledQuery], list[list[str]]]
) -> Accuracy:
    """Score a ranker that returns each result's categories, best first."""
    accuracy = Accuracy()
    for query in queries:
        ranked = rank(query)
        accuracy.total += 1
        first = bool(ranked) and bool(query.expected & set(ranked[0]))
        any3 = any(query.expected & set(cats) for cats in ranked[:3])
        accuracy.top1 += first
        accuracy.top3 += any3
        if not first:
            accuracy.misses.append((query, ranked[:3]))
    return accuracy


def judge_groups(
    queries: Sequence[LabelledQuery], rank: Callable[[LabelledQuery], list[list[str]]]
) -> dict[tuple[str, str], Accuracy]:
    """Accuracy per (kind, language), plus ("all", language), (kind, "all") and
    ("all", "all"); each query is ranked once."""
    ranked = {id(q): rank(q) for q in queries}
    groups: dict[tuple[str, str], list[LabelledQuery]] = defaultdict(list)
    for query in queries:
        kind = query.kind or "-"
        for key in ((kind, query.language), ("all", query.language), (kind, "all")):
            groups[key].append(query)
        groups[("all", "all")].append(query)
    return {key: judge(group, lambda q: ranked[id(q)]) for key, group in groups.items()}
