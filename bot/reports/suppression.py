"""Small-cell suppression: no count from 1 to 10 is shown, and none can be worked out.

The rule US health data uses (CMS's cell size suppression policy): a count
of 1 to 10 is shown as "<11". That alone is not enough when sums are shown
beside it: a month's total minus the other categories gives the hidden one
back. So every published sum is an equation (``total = member + member ...``)
and more cells are hidden (complementary suppression) until no hidden small
count can be narrowed to fewer than ``MIN_VALUES`` possible values by any
reader who knows the rule and reads every equation at once:

- a cell hidden only to protect another is shown as "<11" when it is 0 (a
  zero is hidden where that helps, so "<11" may also mean none) and as ">10"
  when it is larger: both labels are true, and a reader learns from them
  only that a "<11" is 0 to 10 and a ">10" is 11 or more;
- cheap rules first: each equation alone must leave every hidden small count
  that wide (``bot.reports.protection`` then proves it for all equations
  together, hiding more where it cannot).

The tests attack the published figures with linear programming, as a
determined reader would, and never narrow a hidden small count.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SMALL = "<11"  # a count from 1 to 10 (or a 0 hidden to protect one)
LARGE = ">10"  # a count of 11 or more, hidden to protect a small one
BELOW = 11  # counts under this (and over 0) are never shown
MIN_VALUES = 3  # a hidden small count must stay at least this many values wide

Cell = int  # a cell's number (``bot.reports.book`` numbers a report's cells)
Shown = int | str


@dataclass(frozen=True)
class Equation:
    """``total`` is the sum of ``members``: both sides are published (or hidden)."""

    total: Cell
    members: tuple[Cell, ...]


def suppress(values: Mapping[Cell, int], equations: Sequence[Equation]) -> dict[Cell, Shown]:
    """What each cell shows: its count, "<11" or ">10"."""
    from bot.reports.protection import prove

    table = Table(values, equations)
    table.protect_locally(range(len(table.equations)))
    prove(table)
    hidden = table.hidden
    return {
        cell: (SMALL if value < BELOW else LARGE) if cell in hidden else value
        for cell, value in values.items()
    }


class Table:
    """Cells, the equations between them, and which cells are hidden so far.

    Each equation keeps running sums of its members' bounds (the least they
    add up to, the most, and how many have no upper bound), so what one
    equation says of one cell is worked out at once, and hiding a cell
    updates the sums of its equations only. Hiding a cell only widens what
    the equations say of the others, so after a cell is hidden only that cell
    needs checking.
    """

    def __init__(self, values: Mapping[Cell, int], equations: Sequence[Equation]) -> None:
        self.values = dict(values)
        self.equations = [e for e in equations if e.members]
        # cell -> {equation: coefficient} (-1 for the total, +1 for a member).
        self.coefficients: dict[Cell, dict[int, int]] = {}
        coefficients, known = self.coefficients, self.values
        # Per equation: the sum of its members' lower bounds, of their finite upper
        # bounds, and how many members have none. At first only the small counts are
        # hidden ("<11": 0 to 10), every other cell is its count.
        self._low = [0.0] * len(self.equations)
        self._high = [0.0] * len(self.equations)
        self._open = [0] * len(self.equations)
        for n, equation in enumerate(self.equations):
            total = equation.total
            found = coefficients.get(total)
            if found is None:
                found = coefficients[total] = {}
                known.setdefault(total, 0)
            found[n] = -1
            low = high = 0
            for member in equation.members:
                found = coefficients.get(member)
                if found is None:
                    found = coefficients[member] = {}
                    known.setdefault(member, 0)
                found[n] = 1
                value = known[member]
                if 0 < value < BELOW:
                    high += BELOW - 1
                else:
                    low += value
                    high += value
            self._low[n], self._high[n] = float(low), float(high)
        self.hidden: set[Cell] = {c for c, v in self.values.items() if 0 < v < BELOW}
        self.primary = frozenset(self.hidden)
        self._shown_order: dict[int, list[Cell]] = {}
        self._skip: dict[int, int] = {}

    def _add_bounds(self, n: int, member: Cell, sign: int) -> None:
        low, high = self.bounds(member)
        self._low[n] += sign * low
        if math.isinf(high):
            self._open[n] += sign
        else:
            self._high[n] += sign * high

    def hide(self, cell: Cell) -> None:
        """Hide one more cell, keeping its equations' sums right."""
        if cell in self.hidden:
            return
        members = [n for n, c in self.coefficients.get(cell, {}).items() if c > 0]
        for n in members:
            self._add_bounds(n, cell, -1)
        self.hidden.add(cell)
        for n in members:
            self._add_bounds(n, cell, 1)

    def label(self, cell: Cell) -> Shown:
        """What the cell shows."""
        if cell not in self.hidden:
            return self.values[cell]
        return SMALL if self.values[cell] < BELOW else LARGE

    def bounds(self, cell: Cell) -> tuple[float, float]:
        """What a reader knows of a cell from its label alone."""
        value = self.values[cell]
        if cell not in self.hidden:
            return value, value
        return (0, BELOW - 1) if value < BELOW else (BELOW, math.inf)

    def width(self, cell: Cell) -> int:
        """How wide a hidden cell must stay: a small count ``MIN_VALUES`` values; a cell
        hidden to protect one must not be worked out exactly, or it protects nothing."""
        return MIN_VALUES - 1 if cell in self.primary else 1

    def cells_of(self, n: int) -> tuple[Cell, ...]:
        equation = self.equations[n]
        return (equation.total, *equation.members)

    def range_in(self, n: int, cell: Cell, changed: Cell | None = None) -> tuple[float, float]:
        """What equation ``n`` alone says of ``cell``, with every other cell's label (and
        ``changed`` taken as hidden, to try hiding it): whole-number bounds."""
        low_sum, high_sum, open_high = self._low[n], self._high[n], self._open[n]
        total = self.equations[n].total
        total_bounds = self.bounds(total)
        if changed is not None and changed not in self.hidden:
            value = self.values[changed]
            wide = (0.0, float(BELOW - 1)) if value < BELOW else (float(BELOW), math.inf)
            if changed == total:
                total_bounds = wide
            else:
                low_sum += wide[0] - value
                if math.isinf(wide[1]):
                    open_high, high_sum = open_high + 1, high_sum - value
                else:
                    high_sum += wide[1] - value
        own = self.bounds(cell) if cell != changed else ((0.0, math.inf))
        if cell == changed:
            value = self.values[cell]
            own = (0.0, float(BELOW - 1)) if value < BELOW else (float(BELOW), math.inf)
        t_low, t_high = total_bounds
        if cell == total:
            high = math.inf if open_high else high_sum
            return max(t_low, low_sum), min(t_high, high)
        low, high = own
        others_low = low_sum - low
        others_open = open_high - (1 if math.isinf(high) else 0)
        others_high = math.inf if others_open else high_sum - (0 if math.isinf(high) else high)
        new_low = max(low, t_low - others_high)
        new_high = min(high, t_high - others_low)
        return (
            float(math.ceil(new_low)),
            new_high if math.isinf(new_high) else float(math.floor(new_high)),
        )

    def weak_in(self, n: int, cell: Cell) -> bool:
        """Whether equation ``n`` alone narrows the hidden ``cell`` too much."""
        low, high = self.range_in(n, cell)
        return high - low < self.width(cell)

    def protect_locally(self, equations: Sequence[int] | range) -> list[Cell]:
        """Hide cells until no equation alone narrows a hidden cell; returns what was hidden."""
        added: list[Cell] = []
        queue: deque[tuple[int, Cell]] = deque()
        for n in equations:
            queue.extend((n, c) for c in self.cells_of(n) if c in self.hidden)
        while queue:
            n, weak = queue.popleft()
            while self.weak_in(n, weak):
                cell = self.hide_for(n, weak)
                if cell is None:
                    break
                added.append(cell)
                queue.extend((e, cell) for e in self.coefficients[cell])
        return added

    def hide_for(self, n: int, weak: Cell) -> Cell | None:
        """Hide the cheapest shown cell of equation ``n`` that widens ``weak`` enough (or,
        when none does alone, the one that widens it most); None when none is left."""
        order = self._shown_order.get(n)
        if order is None:
            equation = self.equations[n]
            order = sorted(
                self.cells_of(n),
                key=lambda c: (c == equation.total, self.values[c], c),
            )
            self._shown_order[n] = order
        start = self._skip.get(n, 0)
        while start < len(order) and order[start] in self.hidden:
            start += 1
        self._skip[n] = start
        best, best_width = None, -1.0
        for candidate in order[start:]:
            if candidate in self.hidden:
                continue
            low, high = self.range_in(n, weak, changed=candidate)
            if high - low >= self.width(weak):
                best = candidate
                break
            if high - low > best_width:
                best, best_width = candidate, high - low
        if best is None:
            return None
        self.hide(best)
        return best
