"""Small-cell suppression holds: no published figure lets a reader work out a count of 1 to 10.

The report is built from monthly counts made up at random (many small ones,
as a rural partner would have). The test then plays a determined reader: it
takes only the published JSON, writes down every sum a reader can see in it
(new + returning = total, the months add up to the period, the categories to
the searches, each category's ZIPs to its unmet needs...), and for every
count that is truly 1 to 10 asks a linear program for the least and the most
it could be, given every shown figure and every "<11" (0 to 10) and ">10"
(11 or more). The range must stay at least 3 values wide. The equations are
read from the JSON by this test, not taken from the code under test.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from bot.directory.loader import load_directory
from bot.directory.model import Directory
from bot.reports.report import build_report, span
from bot.storage.care_answers import ANSWERS
from bot.storage.usage import UsageCount
from tests.conftest import SAMPLE_DIRECTORY

TODAY = dt.date(2026, 12, 6)
CATEGORIES = ("housing", "jobs", "food", "legal", "")
ZIPS = ("94607", "94601", "94612", "")
CHANNELS = ("sms", "whatsapp", "telegram")


@pytest.fixture(scope="module")
def directory() -> Directory:
    loaded = load_directory(SAMPLE_DIRECTORY).directory
    assert loaded is not None
    return loaded


def _small_or_not(rng: random.Random, share_small: float) -> int:
    roll = rng.random()
    if roll < 0.25:
        return 0
    if roll < 0.25 + share_small:
        return rng.randint(1, 10)
    return rng.randint(11, 80)


def made_up_counts(seed: int, months: tuple[str, ...], share_small: float) -> list[UsageCount]:
    """Monthly counts of every metric the report reads, many of them small."""
    rng = random.Random(seed)
    out: list[UsageCount] = []

    def add(month: str, metric: str, key: str = "", **columns: str) -> None:
        n = _small_or_not(rng, share_small)
        if n:
            row = {"category": "", "zip_code": "", "channel": "", "language": "", "service_id": ""}
            out.append(UsageCount(month, metric, key, **{**row, **columns}, count=n))

    for month in months:
        for status in ("new", "returning"):
            for channel in CHANNELS:
                for language in ("en", "es"):
                    add(month, "texters", status, channel=channel, language=language)
        for metric in ("texts_in", "texts_out", "segments"):
            add(month, metric)
        for category in CATEGORIES:
            for zip_code in ZIPS:
                add(month, "search", category, zip_code=zip_code)
                for reason in ("none", "far", "person"):
                    if rng.random() < 0.4:
                        add(month, f"unmet_{reason}", category, zip_code=zip_code)
        for kind in ("normal", "urgent", "check_in"):
            add(month, "handoff", kind)
        for outcome in ("connected", "referred", "no_response", "other"):
            add(month, "outcome", outcome)
        for metric in ("first_reply_office", "first_reply_after"):
            for bucket in ("3", "15", "120"):
                add(month, metric, bucket)
        for kind in ("self_harm", "overdose", "violence", "concern"):
            add(month, "crisis", kind)
        for category in ("housing", "jobs"):
            for service in ("svc-a", "svc-b", "svc-c"):
                add(month, "follow_up_asked", category=category, service_id=service)
                for answer in ANSWERS:
                    add(
                        month,
                        "follow_up_answered",
                        answer,
                        category=category,
                        service_id=service,
                    )
        for metric in ("enrolled", "linked", "first_text", "reminder_sent", "reminder_answered"):
            add(month, metric)
    return out


def true_values(counts: list[UsageCount]) -> dict[str, int]:
    """What some published cells truly are, by the test's own sums of the made-up counts."""
    truth: dict[str, int] = defaultdict(int)
    for row in counts:
        for month in (row.month, "period"):
            if row.metric == "texters":
                truth[f"{month}/texters.{row.key}"] += row.count
                truth[f"{month}/texters.by_channel.{row.channel}"] += row.count
                truth[f"{month}/texters.by_language.{row.language}"] += row.count
                truth[f"{month}/texters.total"] += row.count
            elif row.metric == "search":
                truth[f"{month}/needs.{row.key or 'other'}"] += row.count
                truth[f"{month}/needs_by_zip.{row.zip_code or 'unknown'}"] += row.count
                truth[f"{month}/searches"] += row.count
            elif row.metric.startswith("unmet_"):
                category, zip_code = row.key or "other", row.zip_code or "unknown"
                truth[f"{month}/unmet.{category}.{zip_code}"] += row.count
                truth[f"{month}/unmet_total"] += row.count
            elif row.metric == "handoff":
                truth[f"{month}/handoffs.by_kind.{row.key}"] += row.count
                truth[f"{month}/handoffs.requests"] += row.count
            elif row.metric == "crisis":
                truth[f"{month}/crisis.{row.key}"] += row.count
            elif row.metric == "follow_up_answered":
                truth[f"{month}/follow_ups.answers.{row.key}"] += row.count
                truth[f"{month}/follow_ups.answered"] += row.count
    return dict(truth)


def published(report: dict[str, Any]) -> dict[str, object]:
    """Every count the report publishes, named "month/path"."""
    cells: dict[str, object] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            if set(value) == {"median", "p90"}:
                return  # a wait, not a count
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if not prefix.endswith("/") else prefix + key, inner)
        elif isinstance(value, list):
            for item in value:
                if "zip" in item:
                    cells[f"{prefix}.{item['category']}.{item['zip']}"] = item["count"]
        elif value is None or isinstance(value, int | str):
            cells[prefix] = value

    for month in report["months"]:
        walk(f"{month['month']}/", {k: v for k, v in month.items() if k != "month"})
    walk("period/", {k: v for k, v in report["period"].items() if k != "follow_ups"})
    walk("period/follow_ups", {k: v for k, v in report["period"]["follow_ups"].items()})
    return cells


def equations(report: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """Every sum a reader sees in the JSON: (the total's name, the members' names)."""
    months = [m["month"] for m in report["months"]]
    entries = [(m["month"], m) for m in report["months"]] + [("period", report["period"])]
    for name, e in entries:
        t = e["texters"]
        yield f"{name}/texters.total", [f"{name}/texters.new", f"{name}/texters.returning"]
        for part in ("by_channel", "by_language"):
            yield f"{name}/texters.total", [f"{name}/texters.{part}.{k}" for k in t[part]]
        yield f"{name}/searches", [f"{name}/needs.{k}" for k in e["needs"]]
        yield f"{name}/searches", [f"{name}/needs_by_zip.{k}" for k in e["needs_by_zip"]]
        unmet = [f"{name}/unmet.{u['category']}.{u['zip']}" for u in e["unmet"]]
        yield f"{name}/unmet_total", unmet
        yield f"{name}/unmet_total", [f"{name}/unmet_reasons.{k}" for k in e["unmet_reasons"]]
        h = e["handoffs"]
        yield f"{name}/handoffs.requests", [f"{name}/handoffs.by_kind.{k}" for k in h["by_kind"]]
        yield f"{name}/handoffs.closed", [f"{name}/handoffs.outcomes.{k}" for k in h["outcomes"]]
        yield (
            f"{name}/handoffs.replied",
            [
                f"{name}/handoffs.in_office_hours.replied",
                f"{name}/handoffs.out_of_office_hours.replied",
            ],
        )
        f = e["follow_ups"]
        yield (
            f"{name}/follow_ups.answered",
            [f"{name}/follow_ups.answers.{k}" for k in f["answers"]],
        )
        yield (
            f"{name}/follow_ups.asked",
            [f"{name}/follow_ups.by_category.{c}.asked" for c in f["by_category"]],
        )
        for answer in ANSWERS:
            yield (
                f"{name}/follow_ups.answers.{answer}",
                [f"{name}/follow_ups.by_category.{c}.{answer}" for c in f["by_category"]],
            )
    period = report["period"]
    for path, _ in _leaves(period):
        if path.startswith("follow_ups.by_service"):
            continue
        yield f"period/{path}", [f"{m}/{path}" for m in months]
    for unmet in period["unmet"]:
        path = f"unmet.{unmet['category']}.{unmet['zip']}"
        yield f"period/{path}", [f"{m}/{path}" for m in months]


def _leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        if set(value) == {"median", "p90"}:
            return
        for key, inner in value.items():
            yield from _leaves(inner, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, int | str) and not isinstance(value, bool):
        yield prefix, value


def attack(report: dict[str, Any], cell: str) -> tuple[float, float]:
    """The least and the most ``cell`` can be, given everything the report publishes."""
    cells = published(report)
    hidden = sorted(name for name, v in cells.items() if isinstance(v, str))
    index = {name: i for i, name in enumerate(hidden)}
    rows = [
        (total, members)
        for total, members in equations(report)
        if any(name in index for name in (total, *members))
    ]
    matrix = lil_matrix((len(rows), len(hidden)))
    right = np.zeros(len(rows))
    for r, (total, members) in enumerate(rows):
        for name, sign in ((total, -1.0), *((m, 1.0) for m in members)):
            value = cells.get(name, 0)  # a key not listed in a month is a shown 0
            if name in index:
                matrix[r, index[name]] += sign
            else:
                assert isinstance(value, int), name
                right[r] -= sign * value
    bounds = [(0, 10) if cells[name] == "<11" else (11, None) for name in hidden]
    objective = np.zeros(len(hidden))
    objective[index[cell]] = 1.0
    low = linprog(objective, A_eq=matrix.tocsr(), b_eq=right, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=matrix.tocsr(), b_eq=right, bounds=bounds, method="highs")
    assert low.status == 0, f"the published figures do not add up: {low.message}"
    top = math.inf if high.status == 3 else -high.fun
    return low.fun, top


MONTHS = span(dt.date(2026, 1, 1), dt.date(2026, 6, 30), TODAY)


@pytest.mark.parametrize(("seed", "share_small"), [(1, 0.3), (2, 0.5), (3, 0.7), (4, 0.9)])
def test_no_small_count_can_be_worked_out_from_the_published_figures(
    directory: Directory, seed: int, share_small: float
) -> None:
    counts = made_up_counts(seed, MONTHS.months, share_small)
    report = build_report(counts, MONTHS, directory, today=TODAY)
    truth = true_values(counts)
    cells = published(report)
    small = [name for name, n in truth.items() if 0 < n < 11 and name in cells]
    assert len(small) > 20  # the made-up data has plenty of small counts to protect
    for name in small:
        assert cells[name] == "<11", f"{name} is {truth[name]} and shows {cells[name]}"
        low, high = attack(report, name)
        assert high - low >= 2 - 1e-6, f"{name} ({truth[name]}) narrowed to {low}..{high}"


def test_published_figures_are_true_and_hidden_ones_honest(directory: Directory) -> None:
    counts = made_up_counts(5, MONTHS.months, 0.5)
    report = build_report(counts, MONTHS, directory, today=TODAY)
    truth = true_values(counts)
    for name, shown in published(report).items():
        if name not in truth:
            continue
        if isinstance(shown, int):
            assert shown == truth[name], name
            assert shown == 0 or shown >= 11, name
        elif shown == "<11":
            assert truth[name] <= 10, name
        else:
            assert shown == ">10"
            assert truth[name] >= 11, name


def test_one_small_category_beside_a_total_hides_a_second_figure(directory: Directory) -> None:
    months = span(dt.date(2026, 3, 1), dt.date(2026, 3, 31), TODAY)
    blank = {"category": "", "zip_code": "", "channel": "sms", "language": "en", "service_id": ""}
    counts = [
        UsageCount("2026-03", "texters", "new", **blank, count=4),
        UsageCount("2026-03", "texters", "returning", **blank, count=40),
    ]
    report = build_report(counts, months, directory, today=TODAY)
    texters = report["months"][0]["texters"]
    assert texters["new"] == "<11"
    # 40 returning and 44 in all would give the 4 away: one of them is hidden too.
    assert not (isinstance(texters["returning"], int) and isinstance(texters["total"], int))
    low, high = attack(report, "2026-03/texters.new")
    assert high - low >= 2


def test_the_json_has_the_shape_of_the_contract(directory: Directory) -> None:
    counts = made_up_counts(6, MONTHS.months, 0.3)
    report = build_report(counts, MONTHS, directory, today=TODAY)
    assert report["from"] == "2026-01-01"
    assert report["to"] == "2026-06-30"
    assert report["suppressed_below"] == 11
    assert [m["month"] for m in report["months"]] == [f"2026-0{n}" for n in range(1, 7)]
    for month in report["months"]:
        assert {"month", "texters", "needs", "unmet", "handoffs", "follow_ups", "crisis"} <= set(
            month
        )
        assert {"new", "returning"} <= set(month["texters"])
        assert all(isinstance(v, int) or v in ("<11", ">10") for v in month["needs"].values())
        for unmet in month["unmet"]:
            assert set(unmet) == {"category", "zip", "count"}
        assert {"requests", "first_reply_minutes"} <= set(month["handoffs"])
        assert set(month["handoffs"]["first_reply_minutes"]) == {"median", "p90"}
        assert {"self_harm", "overdose", "violence"} <= set(month["crisis"])


def test_a_wait_is_shown_only_over_enough_replies(directory: Directory) -> None:
    months = span(dt.date(2026, 3, 1), dt.date(2026, 4, 30), TODAY)
    blank = {"category": "", "zip_code": "", "channel": "", "language": "", "service_id": ""}
    counts = [
        UsageCount("2026-03", "first_reply_office", "4", **blank, count=20),
        UsageCount("2026-04", "first_reply_office", "5", **blank, count=15),
        UsageCount("2026-04", "first_reply_office", "60", **blank, count=5),
    ]
    report = build_report(counts, months, directory, today=TODAY)
    march, april = (m["handoffs"] for m in report["months"])
    assert march["first_reply_minutes"] == {"median": 4, "p90": 4}
    assert april["first_reply_minutes"] == {"median": 5, "p90": 60}
    assert april["in_office_hours"]["median"] == 5
    assert april["out_of_office_hours"]["median"] is None
    assert report["period"]["handoffs"]["first_reply_minutes"] == {"median": 4, "p90": 60}


def test_a_wait_of_ten_replies_or_fewer_is_not_shown(directory: Directory) -> None:
    months = span(dt.date(2026, 3, 1), dt.date(2026, 3, 31), TODAY)
    blank = {"category": "", "zip_code": "", "channel": "", "language": "", "service_id": ""}
    counts = [UsageCount("2026-03", "first_reply_office", "4", **blank, count=10)]
    march = build_report(counts, months, directory, today=TODAY)["months"][0]["handoffs"]
    assert march["replied"] == "<11"
    assert march["first_reply_minutes"] == {"median": None, "p90": None}


def test_a_wait_of_a_group_whose_count_is_hidden_is_not_shown(directory: Directory) -> None:
    months = span(dt.date(2026, 4, 1), dt.date(2026, 4, 30), TODAY)
    blank = {"category": "", "zip_code": "", "channel": "", "language": "", "service_id": ""}
    counts = [
        UsageCount("2026-04", "first_reply_office", "5", **blank, count=20),
        UsageCount("2026-04", "first_reply_after", "600", **blank, count=5),
    ]
    handoffs = build_report(counts, months, directory, today=TODAY)["months"][0]["handoffs"]
    assert handoffs["out_of_office_hours"] == {"replied": "<11", "median": None, "p90": None}
    for group in ("in_office_hours", "first_reply_minutes"):
        shown = handoffs[group]
        counted = handoffs["replied"] if group == "first_reply_minutes" else shown["replied"]
        if not isinstance(counted, int):  # hidden to protect the 5: so is its wait
            assert shown["median"] is None
