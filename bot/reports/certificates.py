"""Certificates: a few hidden cells that can move together, so a hidden count is not pinned.

A certificate is a cycle of hidden cells (one up, the next down...) along
which every equation still holds and every cell stays within its label
("<11" is 0 to 10, ">10" is 11 or more). Two tables that differ by such a
move publish the same figures and differ in the cell: nobody can tell which
is true. In a table of months and keys these are rectangles (two months, two
keys). ``bot.reports.protection`` tries a certificate first for every hidden
small count, before any linear program.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from bot.reports.suppression import Cell, Table

FREE = -1  # the end of a cell that sits in one equation only: nothing holds it there
CANDIDATES = 4000  # certificates looked at per cell before turning to linear programming


class Graph:
    """Hidden cells as edges between their equations (or FREE): a cell in three or four
    equations is an edge between each two of them, and a cycle found through it counts
    only when every equation of its cells still balances (``_balanced``)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.edges: dict[int, dict[int, list[Cell]]] = {}
        self._ends: dict[Cell, list[tuple[int, int]]] = {}
        for cell in table.hidden:
            self.add(cell)

    def ends(self, cell: Cell) -> list[tuple[int, int]]:
        """The pairs of equations the cell links (kept: a cell's equations never change)."""
        known = self._ends.get(cell)
        if known is not None:
            return known
        found = sorted(self.table.coefficients.get(cell, {}))
        if len(found) == 1:
            known = [(found[0], FREE)]
        elif len(found) > 4:
            known = []  # a total shared by many tables: linear programming decides
        else:
            known = [(a, b) for i, a in enumerate(found) for b in found[i + 1 :]]
        self._ends[cell] = known
        return known

    def add(self, cell: Cell) -> None:
        for a, b in self.ends(cell):
            self.edges.setdefault(a, {}).setdefault(b, []).append(cell)
            self.edges.setdefault(b, {}).setdefault(a, []).append(cell)

    def between(self, a: int, b: int) -> list[Cell]:
        return self.edges.get(a, {}).get(b, [])


def _coefficient(table: Table, cell: Cell, node: int) -> int:
    return table.coefficients[cell][node]


def certified(table: Table, graph: Graph, cell: Cell) -> bool:
    count = 0
    for ends in graph.ends(cell):
        for cells, nodes in _cycles(graph, cell, ends):
            count += 1
            if count > CANDIDATES:
                return False
            signs = _signs(table, cells, nodes)
            if (
                signs is not None
                and _balanced(table, cells, signs)
                and _room(table, cells, signs) >= table.width(cell)
            ):
                return True
    return False


def _balanced(table: Table, cells: list[Cell], signs: list[int]) -> bool:
    """Whether moving the cells by their signs keeps every equation they are in true.

    A cycle of distinct cells that are each in exactly two equations (a table's
    column and row) balances by its signs alone: every equation on it holds
    two of its cells, one up and one down. Only cells in one, three or four
    equations need the sums.
    """
    if len(set(cells)) != len(cells):
        return False
    coefficients = table.coefficients
    if all(len(coefficients[cell]) == 2 for cell in cells):
        return True
    sums: dict[int, int] = {}
    for cell, sign in zip(cells, signs, strict=True):
        for n, coefficient in table.coefficients[cell].items():
            sums[n] = sums.get(n, 0) + coefficient * sign
    return not any(sums.values())


def _cycles(
    graph: Graph, cell: Cell, ends: tuple[int, int]
) -> Iterator[tuple[list[Cell], list[int]]]:
    """Cycles of up to four hidden cells through ``cell``: the cells, and the equation
    between each cell and the next (the last one closes back to ``cell``)."""
    a, b = ends
    for other in graph.between(b, a):
        if other != cell:
            yield [cell, other], [b, a]
    near_a, near_b = graph.edges.get(a, {}), graph.edges.get(b, {})
    for x in near_b.keys() & near_a.keys():
        if x in (a, b):
            continue
        for r in near_b[x]:
            for q in near_a[x]:
                if len({cell, r, q}) == 3:
                    yield [cell, r, q], [b, x, a]
    for x, to_x in near_b.items():
        if x in (a, b):
            continue
        near_x = graph.edges.get(x, {})
        for y in near_x.keys() & near_a.keys():
            if y in (a, b, x) or (FREE in (x, y) and FREE in (a, b)):
                continue
            for r in to_x:
                for s in near_x[y]:
                    for q in near_a[y]:
                        if len({cell, r, s, q}) == 4:
                            yield [cell, r, s, q], [b, x, y, a]


def _signs(table: Table, cells: list[Cell], nodes: list[int]) -> list[int] | None:
    """+1 or -1 per cell so that every equation on the cycle still holds (None if none do).

    ``nodes[i]`` is the equation between ``cells[i]`` and the next cell. At FREE
    nothing must balance, so the signs run from the first cell both ways to it.
    """
    size = len(cells)
    signs = [0] * size
    signs[0] = 1
    free = [i for i, node in enumerate(nodes) if node == FREE]
    if len(free) > 1:
        return None
    stop = free[0] if free else size - 1
    for i in range(stop):
        node = nodes[i]
        signs[i + 1] = (
            -_coefficient(table, cells[i], node)
            * _coefficient(table, cells[i + 1], node)
            * signs[i]
        )
    if not free:
        last = nodes[size - 1]
        balance = _coefficient(table, cells[-1], last) * signs[-1]
        balance += _coefficient(table, cells[0], last) * signs[0]
        return signs if balance == 0 else None
    for i in range(size - 1, stop, -1):  # back from the first cell to FREE
        node = nodes[i]
        after = cells[(i + 1) % size]
        signs[i] = (
            -_coefficient(table, after, node)
            * _coefficient(table, cells[i], node)
            * (signs[(i + 1) % size])
        )
    return signs


def _room(table: Table, cells: list[Cell], signs: list[int]) -> float:
    """How far the cells can move together, up and down, within their labels."""
    up = down = math.inf
    for cell, sign in zip(cells, signs, strict=True):
        low, high = table.bounds(cell)
        value = table.values[cell]
        rise, fall = high - value, value - low
        up = min(up, rise if sign > 0 else fall)
        down = min(down, fall if sign > 0 else rise)
    return up + down
