"""Every figure a report publishes, and every sum that ties figures together.

A report is a set of tables with months down the side and keys across
(categories, ZIPs, channels...), each month's row summing to a published
total and each key's column summing to the figure for the whole period. The
``Book`` keeps the counts of those cells and the equations between them, so
suppression sees every way a reader could add or subtract published figures.

A cell is ``(table, month, key)``; ``PERIOD`` stands for the whole period's
column. A total is the cell ``(name, month, key)`` it is given as: several
tables may share one (texters by status, channel and language all sum to the
month's texters), and a table's total may be another table's cell (the
"reached" follow-ups per category sum to the month's "reached").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.reports.suppression import Equation, Shown, suppress

PERIOD = "period"
Total = tuple[str, str]  # (table, key) of the cell a row sums to
Cell = tuple[str, str, str]  # (table, month or PERIOD, key)


@dataclass
class Book:
    """Cells and their equations for the months of one report."""

    months: tuple[str, ...]
    values: dict[Cell, int] = field(default_factory=dict)
    equations: list[tuple[Cell, tuple[Cell, ...]]] = field(default_factory=list)
    _totals: set[Total] = field(default_factory=set)

    def grid(
        self,
        name: str,
        keys: Iterable[str],
        counts: Mapping[tuple[str, str], int],
        total: Total | None = None,
    ) -> tuple[str, ...]:
        """A table: ``counts[(month, key)]`` for every month and key (0 when missing).

        Each key's period figure is the sum of its months; with ``total``, each
        month's row sums to that cell, and so does the period's row. Returns the keys.
        """
        keys = tuple(dict.fromkeys(keys))
        months, put, equations = self.months, self._put, self.equations
        sums = dict.fromkeys(months, 0)
        for key in keys:
            column = tuple((name, month, key) for month in months)
            found = [counts.get((month, key), 0) for month in months]
            for cell, value in zip(column, found, strict=True):
                put(cell, value)
            for month, value in zip(months, found, strict=True):
                sums[month] += value
            put((name, PERIOD, key), sum(found))
            equations.append(((name, PERIOD, key), column))
        if total is not None:
            table, total_key = total
            for month in months:
                row = tuple((name, month, key) for key in keys)
                put((table, month, total_key), sums[month])
                equations.append(((table, month, total_key), row))
            row = tuple((name, PERIOD, key) for key in keys)
            put((table, PERIOD, total_key), sum(sums.values()))
            equations.append(((table, PERIOD, total_key), row))
            if total not in self._totals:
                self._totals.add(total)
                column = tuple((table, month, total_key) for month in months)
                equations.append(((table, PERIOD, total_key), column))
        return keys

    def series(self, name: str, counts: Mapping[str, int]) -> None:
        """One figure per month (``counts[month]``) and its sum for the period."""
        self.grid(name, ("",), {(month, ""): n for month, n in counts.items()})

    def period_grid(
        self, name: str, keys: Iterable[str], counts: Mapping[str, int], total: Total
    ) -> tuple[str, ...]:
        """A table shown for the whole period only, summing to the period's ``total`` cell."""
        keys = tuple(dict.fromkeys(keys))
        for key in keys:
            self._put((name, PERIOD, key), counts.get(key, 0))
        row = tuple((name, PERIOD, key) for key in keys)
        self._put((total[0], PERIOD, total[1]), sum(self.values[c] for c in row))
        self.equations.append(((total[0], PERIOD, total[1]), row))
        return keys

    def _put(self, cell: Cell, value: int) -> None:
        """Set a cell; a cell set twice (a shared total) must agree with itself."""
        known = self.values.setdefault(cell, value)
        if known != value:
            raise ValueError(f"{cell}: {known} and {value} disagree")

    def shown(self) -> Figures:
        """What every cell shows once small counts are suppressed.

        Suppression sees each cell as a number (its place in the book): a
        statewide year has some 360,000 cells, and a tuple of three strings is
        hashed again at every look-up.
        """
        ids = {cell: n for n, cell in enumerate(self.values)}
        number = ids.__getitem__
        equations = [
            Equation(number(total), tuple(map(number, members)))
            for total, members in self.equations
        ]
        shown = suppress(dict(enumerate(self.values.values())), equations)
        return Figures(dict(zip(self.values, shown.values(), strict=True)))


@dataclass(frozen=True)
class Figures:
    """The suppressed figures, looked up by table, month and key."""

    cells: dict[Cell, Shown]

    def __call__(self, table: str, month: str, key: str = "") -> Shown:
        return self.cells[(table, month, key)]

    def listed(self, table: str, month: str, keys: Iterable[str]) -> dict[str, Shown]:
        """The keys whose figure is not a plain 0 (a hidden 0 is listed: it shows "<11")."""
        return {k: v for k in keys if (v := self.cells[(table, month, k)]) != 0}

    def row(self, table: str, month: str, keys: Iterable[str]) -> dict[str, Shown]:
        """Every key's figure for one month (or the period)."""
        return {k: self.cells[(table, month, k)] for k in keys}
