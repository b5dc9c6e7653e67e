"""Proof that every hidden small count stays hidden when all equations are read together.

One equation at a time is not enough: a reader may add and subtract several
(a month's row, a category's column, the period's total) and pin a cell that
each equation alone leaves open. For every hidden count of 1 to 10 this
module finds a proof that it can still take ``MIN_VALUES`` values:

- a certificate (``bot.reports.certificates``): a few hidden cells that can
  move together (one up, the next down...) so that every equation still
  holds and every cell stays within its label ("<11" is 0 to 10, ">10" is
  11 or more). Two such tables publish the same figures and differ in the
  cell: nobody can tell which is true. In a table of months and keys these
  are rectangles (two months, two keys);
- or, where no certificate of up to four cells exists, the exact range of the
  cell over every table consistent with the published figures, by linear
  programming (SciPy's HiGHS), which is what a determined reader would run.

Where neither shows enough room, one more cell of its equations is hidden
and the proof is tried again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bot.reports.certificates import Graph, certified
from bot.reports.suppression import Cell, Table

CHEAP_TRIES = 4  # cells hidden around a count in a big component before solving it whole
# The cheap linear programs: how many equations away from a cell they let cells move,
# and how many hidden cells they take from each equation on the way (a wider one next).
NEAR = ((2, 24), (3, 12))
EXACT_CELLS = 5000  # hidden cells in a component solved whole before the last try


def prove(table: Table) -> None:
    """Hide more cells until every hidden small count is proven to stay hidden.

    Each count is tried cheaply first (a certificate, a small linear program);
    a big component is widened (one more cell hidden) up to ``CHEAP_TRIES``
    times before it is solved whole. The loop for a count ends only when it
    is proven, or when no cell is left to hide around it.
    """
    graph = Graph(table)
    cache: dict[frozenset[Cell], _System] = {}
    for cell in sorted(table.primary):
        tries = 0
        while True:
            width = table.width(cell)
            if certified(table, graph, cell) or _near_width(table, cell) >= width:
                break
            whole = tries >= CHEAP_TRIES or _component_within(table, cell, EXACT_CELLS)
            if whole and _exact_width(table, cell, cache) >= width:
                break
            added = _widen(table, cell)
            if not added:
                break
            tries += 1
            for hidden in added:
                graph.add(hidden)


def _component_within(table: Table, cell: Cell, limit: int) -> bool:
    """Whether the hidden cells linked to ``cell`` are at most ``limit`` (stops counting
    past it: a statewide component has hundreds of thousands)."""
    seen, stack, equations = {cell}, [cell], set()
    while stack:
        for n in table.coefficients[stack.pop()]:
            if n in equations:
                continue
            equations.add(n)
            for other in table.cells_of(n):
                if other in table.hidden and other not in seen:
                    if len(seen) >= limit:
                        return False
                    seen.add(other)
                    stack.append(other)
    return True


def _component(table: Table, cell: Cell) -> tuple[list[Cell], list[int]]:
    """The hidden cells linked to ``cell`` through equations, and those equations."""
    cells, equations, seen = [cell], [], {cell}
    seen_equations: set[int] = set()
    i = 0
    while i < len(cells):
        for n in table.coefficients.get(cells[i], {}):
            if n in seen_equations:
                continue
            seen_equations.add(n)
            equations.append(n)
            for other in table.cells_of(n):
                if other in table.hidden and other not in seen:
                    seen.add(other)
                    cells.append(other)
        i += 1
    return cells, equations


def _near(table: Table, cell: Cell, depth: int, per_equation: int) -> list[Cell]:
    """Some hidden cells within ``depth`` equations of ``cell``: from each equation the
    first ``per_equation`` in the table's order, enough to close a rectangle."""
    cells, seen, frontier = [cell], {cell}, [cell]
    hidden_in: dict[int, list[Cell]] = {}  # an equation's hidden cells, listed once
    equations = table.equations
    for _ in range(depth):
        following = []
        for current in frontier:
            for n in sorted(table.coefficients[current], key=lambda e: len(equations[e].members)):
                listed = hidden_in.get(n)
                if listed is None:
                    listed = hidden_in[n] = [c for c in table.cells_of(n) if c in table.hidden]
                taken = 0
                for other in listed:
                    if taken >= per_equation:
                        break
                    if other not in seen:
                        seen.add(other)
                        cells.append(other)
                        following.append(other)
                        taken += 1
        frontier = following
    return cells


def _near_width(table: Table, cell: Cell) -> float:
    """A lower bound of the cell's range, cheaply: only some hidden cells near it may move,
    every other one held at its true count. Every table this allows is one the published
    figures allow, so a range this wide is a proof."""
    width = table.width(cell)
    found = 0.0
    for depth, per_equation in NEAR:
        found = _width_in(_system(table, _near(table, cell, depth, per_equation)), cell)
        if found >= width:
            break
    return found


def _width_in(system: _System, cell: Cell) -> float:
    import numpy as np
    from scipy.optimize import linprog

    objective = np.zeros(len(system.index))
    objective[system.index[cell]] = 1.0
    found: list[float] = []
    for direction in (1.0, -1.0):
        result = linprog(
            direction * objective,
            A_eq=system.matrix,
            b_eq=system.right,
            bounds=system.bounds,
            method="highs",
        )
        if result.status != 0:  # unbounded above (a ">10" with nothing over it): wide open
            return math.inf
        found.append(float(direction * result.fun))
    low, high = math.ceil(found[0] - 1e-6), math.floor(found[1] + 1e-6)
    return float(high - low)


def _exact_width(table: Table, cell: Cell, cache: dict[frozenset[Cell], _System]) -> float:
    """The cell's whole range over every table the published figures allow (HiGHS).

    The system of a component is built once and used for each of its cells
    while no more cells are hidden in it (``cache``, keyed by its hidden cells).
    """
    cells, _ = _component(table, cell)
    key = frozenset(cells)
    system = cache.get(key)
    if system is None:
        system = cache[key] = _system(table, cells)
    return _width_in(system, cell)


@dataclass(frozen=True)
class _System:
    """The equations of one component of hidden cells, as HiGHS reads them."""

    index: dict[Cell, int]
    matrix: Any
    right: Any
    bounds: list[tuple[float, float | None]]


def _system(table: Table, cells: list[Cell]) -> _System:
    """The equations the ``cells`` are in, with every other cell held at its true count.

    Every equation holds for the true counts, so the right-hand side is what
    the moving cells truly add up to there: no other cell needs reading.
    """
    import numpy as np
    from scipy.sparse import csr_matrix

    index = {c: i for i, c in enumerate(cells)}
    rows_of: dict[int, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    data: list[float] = []
    right: list[float] = []
    for position, cell in enumerate(cells):
        for n, coefficient in table.coefficients[cell].items():
            row = rows_of.get(n)
            if row is None:
                row = rows_of[n] = len(right)
                right.append(0.0)
            rows.append(row)
            columns.append(position)
            data.append(coefficient)
            right[row] += coefficient * table.values[cell]
    matrix = csr_matrix((data, (rows, columns)), shape=(len(right), len(cells)))
    bounds = [(low, None if math.isinf(high) else high) for low, high in map(table.bounds, cells)]
    return _System(index, matrix, np.array(right), bounds)


def _widen(table: Table, cell: Cell) -> list[Cell]:
    """Hide one more cell beside ``cell`` (and what that needs locally); what was hidden.

    The cell comes from the shortest of those equations that has a shown cell
    (a column of months before a row of thousands of ZIPs: that is where a
    rectangle of hidden cells closes). A count of 11 or more gives the most
    room (a ">10" has no upper bound), so the smallest of those goes first,
    then a total, and a zero only when nothing else is left. When every cell
    of its equations is hidden already, the equations of those cells are next.
    """
    beside, equations = _nearest_shown(table, cell)
    if not beside:
        return []
    shortest = min(
        (n for n in equations if any(c in beside for c in table.cells_of(n))),
        key=lambda n: (len(table.cells_of(n)), n),
    )
    beside = {c for c in table.cells_of(shortest) if c in beside}
    totals = {table.equations[n].total for n in equations}
    chosen = min(
        beside,
        key=lambda c: (table.values[c] == 0, c in totals, table.values[c], c),
    )
    table.hide(chosen)
    return [chosen, *table.protect_locally(list(table.coefficients[chosen]))]


def _nearest_shown(table: Table, cell: Cell) -> tuple[set[Cell], set[int]]:
    """The shown cells of the nearest equations around ``cell`` that have any, and those
    equations (through hidden cells, one equation further each step)."""
    frontier, seen_cells = [cell], {cell}
    seen_equations: set[int] = set()
    while frontier:
        equations = {n for c in frontier for n in table.coefficients.get(c, {})} - seen_equations
        seen_equations |= equations
        shown = {o for n in equations for o in table.cells_of(n) if o not in table.hidden}
        if shown:
            return shown, equations
        frontier = [o for n in equations for o in table.cells_of(n) if o not in seen_cells]
        seen_cells.update(frontier)
    return set(), set()
