"""Charts for the partner report, drawn as SVG on the server: no script, no CDN.

This module only computes geometry (bars, ticks, labels) from the report's
figures; ``templates/_chart.html`` draws it, so every label goes through the
templates' autoescaping like any other text. A suppressed count has no
height of its own: a "<11" is drawn as an outlined bar up to 10 and a ">10"
as an outlined bar from 11 with an open top, each labelled as the report
shows it, so the chart never tells more than the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SMALL_HEIGHT = 10  # a "<11" is drawn as tall as 10 (it is 0 to 10)
LARGE_HEIGHT = 11  # a ">10" is drawn from 11 up, with an open top


@dataclass(frozen=True)
class Bar:
    """One bar: where it is, its series (colour) and what its label says."""

    x: float
    y: float
    width: float
    height: float
    series: int
    value: str  # the figure as the report shows it: "42", "<11", ">10"
    hidden: bool  # suppressed: drawn outlined, never at a height of its own
    title: str  # the tooltip: what the bar counts


@dataclass(frozen=True)
class Label:
    """A piece of text on the chart."""

    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    """What ``_chart.html`` draws."""

    title: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    labels: tuple[Label, ...]
    gridlines: tuple[tuple[float, str], ...]  # (y, the count it marks)
    legend: tuple[tuple[int, str], ...]  # (series, name)
    left: float
    right: float


def _height(value: object) -> float:
    if isinstance(value, int):
        return float(value)
    return float(SMALL_HEIGHT if value == "<11" else LARGE_HEIGHT)


def _nice_top(largest: float) -> int:
    """A round top for the axis (1, 2 or 5 times a power of ten) at or above ``largest``."""
    if largest <= 10:
        return 10
    magnitude = int(10 ** math.floor(math.log10(largest)))
    return next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= largest)


def columns(
    title: str,
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[object]]],
    *,
    width: int = 420,
    height: int = 220,
) -> Chart:
    """Vertical bars: one group per month (``groups``), one bar per series in each."""
    left, right, top_pad, bottom = 40.0, 8.0, 12.0, 30.0
    plot_h = height - top_pad - bottom
    values = [v for _, vs in series for v in vs]
    top = _nice_top(max([_height(v) for v in values] + [1.0]))
    slot = (width - left - right) / max(1, len(groups))
    bar_w = max(2.0, (slot * 0.8) / max(1, len(series)))
    bars: list[Bar] = []
    for g, group in enumerate(groups):
        for s, (name, vs) in enumerate(series):
            value = vs[g]
            h = plot_h * _height(value) / top
            x = left + g * slot + slot * 0.1 + s * bar_w
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(top_pad + plot_h - h, 1),
                    width=round(bar_w - 1, 1),
                    height=round(h, 1),
                    series=s,
                    value=str(value),
                    hidden=not isinstance(value, int),
                    title=f"{group} {name}: {value}",
                )
            )
    labels = [
        Label(round(left + g * slot + slot / 2, 1), height - bottom + 16, _short(group))
        for g, group in enumerate(groups)
    ]
    grid = tuple(
        (round(top_pad + plot_h - plot_h * k / 4, 1), f"{top * k // 4:,}") for k in range(5)
    )
    legend = tuple((s, name) for s, (name, _) in enumerate(series))
    return Chart(
        title, width, height, tuple(bars), tuple(labels), grid, legend, left, width - right
    )


def rows(
    title: str, items: Sequence[tuple[str, object]], *, width: int = 420, row_h: int = 20
) -> Chart:
    """Horizontal bars, one per item (a category, a ZIP), largest figures as given."""
    left, right, top_pad = 150.0, 40.0, 8.0
    height = int(top_pad * 2 + row_h * max(1, len(items)))
    top = _nice_top(max([_height(v) for _, v in items] + [1.0]))
    plot_w = width - left - right
    bars, labels = [], []
    for i, (name, value) in enumerate(items):
        y = top_pad + i * row_h
        w = plot_w * _height(value) / top
        bars.append(
            Bar(
                x=left,
                y=y + 3,
                width=round(w, 1),
                height=row_h - 6,
                series=0,
                value=str(value),
                hidden=not isinstance(value, int),
                title=f"{name}: {value}",
            )
        )
        labels.append(Label(left - 6, y + row_h - 7, name, "end"))
        labels.append(Label(round(left + w + 4, 1), y + row_h - 7, str(value), "start"))
    return Chart(title, width, height, tuple(bars), tuple(labels), (), (), left, width - right)


def _short(month: str) -> str:
    """ "2026-03" -> "03/26" under a column (the table beside it has the full month)."""
    if len(month) == 7 and month[4] == "-":
        return f"{month[5:]}/{month[2:4]}"
    return month
