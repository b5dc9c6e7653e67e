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
    """Cells and their equations for the months of one report.

    Each cell is numbered as it is put in (``index``): suppression works on the
    numbers (a statewide year has some 360,000 cells, and a tuple of three
    strings is hashed again at every look-up), and each table row's numbers
    are kept in its keys' order (``rows``), so the report reads a row back
    without looking up its cells one by one.
    """

    months: tuple[str, ...]
    index: dict[Cell, int] = field(default_factory=dict)
    values: list[int] = field(default_factory=list)
    equations: list[Equation] = field(default_factory=list)
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rows: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)
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
        keys = self.keys[name] = tuple(dict.fromkeys(keys))
        months, put, equations = self.months, self._put, self.equations
        sums = [0] * len(months)
        columns, period = [], []
        index, values = self.index, self.values
        for key in keys:
            found = [counts.get((month, key), 0) for month in months]
            cells = [(name, month, key) for month in months]
            if any(cell in index for cell in cells):  # a cell put before: it must agree
                column = tuple(map(put, cells, found))
            else:  # new cells (nearly always): numbered in turn
                column = tuple(range(len(values), len(values) + len(cells)))
                index.update(zip(cells, column, strict=True))
                values.extend(found)
            period.append(put((name, PERIOD, key), sum(found)))
            equations.append(Equation(period[-1], column))
            columns.append(column)
            sums = [a + b for a, b in zip(sums, found, strict=True)]
        by_month = list(zip(*columns, strict=True)) if columns else [() for _ in months]
        for month, row in zip(months, by_month, strict=True):
            self.rows[(name, month)] = row
        self.rows[(name, PERIOD)] = tuple(period)
        if total is not None:
            table, total_key = total
            for month, row, n in zip(months, by_month, sums, strict=True):
                equations.append(Equation(put((table, month, total_key), n), row))
            whole = put((table, PERIOD, total_key), sum(sums))
            equations.append(Equation(whole, tuple(period)))
            if total not in self._totals:
                self._totals.add(total)
                column = tuple(self.index[(table, month, total_key)] for month in months)
                equations.append(Equation(whole, column))
        return keys

    def series(self, name: str, counts: Mapping[str, int]) -> None:
        """One figure per month (``counts[month]``) and its sum for the period."""
        self.grid(name, ("",), {(month, ""): n for month, n in counts.items()})

    def period_grid(
        self, name: str, keys: Iterable[str], counts: Mapping[str, int], total: Total
    ) -> tuple[str, ...]:
        """A table shown for the whole period only, summing to the period's ``total`` cell."""
        keys = self.keys[name] = tuple(dict.fromkeys(keys))
        row = tuple(self._put((name, PERIOD, key), counts.get(key, 0)) for key in keys)
        self.rows[(name, PERIOD)] = row
        whole = self._put((total[0], PERIOD, total[1]), sum(self.values[c] for c in row))
        self.equations.append(Equation(whole, row))
        return keys

    def _put(self, cell: Cell, value: int) -> int:
        """Set a cell, returning its number; a cell set twice (a shared total) must agree
        with itself."""
        number = self.index.get(cell)
        if number is None:
            number = self.index[cell] = len(self.values)
            self.values.append(value)
        elif self.values[number] != value:
            raise ValueError(f"{cell}: {self.values[number]} and {value} disagree")
        return number

    def shown(self) -> Figures:
        """What every cell shows once small counts are suppressed."""
        shown = suppress(dict(enumerate(self.values)), self.equations)
        return Figures(list(shown.values()), self.index, self.keys, self.rows)


@dataclass(frozen=True)
class Figures:
    """The suppressed figures, looked up by table, month and key."""

    labels: list[Shown]  # by cell number
    index: dict[Cell, int]
    keys: dict[str, tuple[str, ...]]
    rows: dict[tuple[str, str], tuple[int, ...]]

    def __call__(self, table: str, month: str, key: str = "") -> Shown:
        return self.labels[self.index[(table, month, key)]]

    def listed(self, table: str, month: str, keys: Iterable[str]) -> dict[str, Shown]:
        """The keys whose figure is not a plain 0 (a hidden 0 is listed: it shows "<11")."""
        return {k: v for k, v in self.row(table, month, keys).items() if v != 0}

    def row(self, table: str, month: str, keys: Iterable[str]) -> dict[str, Shown]:
        """Every key's figure for one month (or the period)."""
        keys = tuple(keys)
        labels = self.labels
        if keys == self.keys.get(table):  # the table's own keys: its row, in their order
            return {k: labels[n] for k, n in zip(keys, self.rows[(table, month)], strict=True)}
        return {k: labels[self.index[(table, month, k)]] for k in keys}
