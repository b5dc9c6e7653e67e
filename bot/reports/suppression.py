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
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

SMALL = "<11"  # a count from 1 to 10 (or a 0 hidden to protect one)
LARGE = ">10"  # a count of 11 or more, hidden to protect a small one
BELOW = 11  # counts under this (and over 0) are never shown
MIN_VALUES = 3  # a hidden small count must stay at least this many values wide

Cell = Hashable
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
    return {cell: table.label(cell) for cell in values}


class Table:
    """Cells, the equations between them, and which cells are hidden so far."""

    def __init__(self, values: Mapping[Cell, int], equations: Sequence[Equation]) -> None:
        self.values = dict(values)
        self.equations = [e for e in equations if e.members]
        self.where: dict[Cell, list[tuple[int, int]]] = {}  # cell -> (equation, coefficient)
        for n, equation in enumerate(self.equations):
            for cell, coefficient in ((equation.total, -1), *((m, 1) for m in equation.members)):
                self.values.setdefault(cell, 0)
                self.where.setdefault(cell, []).append((n, coefficient))
        # The same, looked up by equation: cell -> {equation: coefficient}.
        self.coefficients = {cell: dict(pairs) for cell, pairs in self.where.items()}
        self.hidden: set[Cell] = {c for c, v in self.values.items() if 0 < v < BELOW}
        self.primary = frozenset(self.hidden)

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

    def protect_locally(self, equations: Sequence[int] | range) -> list[Cell]:
        """Hide cells until no equation alone narrows a hidden cell; returns what was hidden."""
        added: list[Cell] = []
        queue = deque(equations)
        while queue:
            n = queue.popleft()
            while (weak := self._weak_in(n)) is not None:
                cell = self.hide_for(n, weak)
                if cell is None:
                    break
                added.append(cell)
                queue.extend(e for e, _ in self.where[cell])
        return added

    def _weak_in(self, n: int) -> Cell | None:
        bounds = {c: self.bounds(c) for c in self.cells_of(n)}
        for cell, (low, high) in solve(self.equations[n], bounds).items():
            if high - low < self.width(cell):
                return cell
        return None

    def hide_for(self, n: int, weak: Cell) -> Cell | None:
        """Hide the cheapest shown cell of equation ``n`` that widens ``weak`` enough (or,
        when none does alone, the one that widens it most); None when none is left."""
        equation = self.equations[n]
        shown = [c for c in self.cells_of(n) if c not in self.hidden]
        if not shown:
            return None
        # Zeros first (nothing is lost), then the smallest counts, the total last.
        shown.sort(key=lambda c: (c == equation.total, self.values[c], repr(c)))
        best, best_width = shown[0], -1.0
        for candidate in shown:
            self.hidden.add(candidate)
            bounds = {c: self.bounds(c) for c in self.cells_of(n)}
            low, high = solve(equation, bounds).get(weak, self.bounds(weak))
            self.hidden.discard(candidate)
            if high - low >= self.width(weak):
                best = candidate
                break
            if high - low > best_width:
                best, best_width = candidate, high - low
        self.hidden.add(best)
        return best


def solve(
    equation: Equation, bounds: Mapping[Cell, tuple[float, float]]
) -> dict[Cell, tuple[float, float]]:
    """What ``total = sum(members)`` alone says of each cell not known exactly.

    Whole-number bounds, within each cell's own.
    """
    members = equation.members
    lows = [bounds[m][0] for m in members]
    highs = [bounds[m][1] for m in members]
    low_sum, finite_high = sum(lows), sum(h for h in highs if not math.isinf(h))
    open_high = sum(1 for h in highs if math.isinf(h))
    t_low, t_high = bounds[equation.total]
    out: dict[Cell, tuple[float, float]] = {}
    if t_low != t_high:
        high_sum = math.inf if open_high else finite_high
        out[equation.total] = (max(t_low, low_sum), min(t_high, high_sum))
    for m, low, high in zip(members, lows, highs, strict=True):
        if low == high:
            continue
        others_open = open_high - (1 if math.isinf(high) else 0)
        others_high = math.inf if others_open else finite_high - (0 if math.isinf(high) else high)
        new_low = max(low, t_low - others_high)
        new_high = min(high, t_high - (low_sum - low))
        out[m] = (math.ceil(new_low), new_high if math.isinf(new_high) else math.floor(new_high))
    return out
