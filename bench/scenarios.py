"""Score multi-turn texting scenarios written blind against the real conversation core.

Every scenario is a texter (its own user id) sending its turns one by one
through ``ConsoleChat`` on the SMS form, exactly as ``homeward chat --channel
sms --json`` does, against a fresh SQLite copy of the sample directory and a
fixed clock (a Tuesday at 11 AM in the directory's time zone, as the tests
use, so "open now" is the same on every run). Each turn's expectations are
checked (the keys are described in the scenario writer's brief):

- ``first_category``: the first service listed (``Turn.shown``) is in one of them;
- ``categories_listed``: each category has a listed service;
- ``any_text`` / ``all_text`` / ``no_text``: case-insensitive substrings of the replies;
- ``offers_person``: the replies mention PERSON / PERSONA, a person or a navigator (or not);
- ``language``: the turn was answered in that language;
- ``no_results``: no service was listed;
- ``numbered_choice``: two or more lines "1 Label" (a plan, needs, the category menu);
- ``max_segments``: every message of the turn within that many SMS segments.

A scenario passes when every check of every turn does. The report gives
scenarios, turns and checks passed, per language, per behaviour (read from
the scenario's id and "about" words, see BEHAVIOURS) and per kind of check.

    .venv/bin/python bench/scenarios.py tests/data/scenarios.frozen.yaml
    .venv/bin/python bench/scenarios.py FILE --misses misses.txt   # every failed check
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.channels.console import ConsoleChat  # noqa: E402
from bot.conversation.core import Conversation  # noqa: E402
from bot.conversation.gsm import segments  # noqa: E402
from bot.conversation.message import Turn  # noqa: E402
from bot.runtime import Runtime, open_runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402

CLOCK = dt.datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
_PERSON = re.compile(r"\b(person|persona|navigator|navegador|navigators|navegadores)\b", re.I)
_CHOICE_LINE = re.compile(r"^\d{1,2} \S", re.M)
# Behaviours of the issue, recognised in a scenario's id and "about" words (first match).
BEHAVIOURS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "custody places",
        ("jail", "prison", "custody", "facility", "santa rita", "quentin", "carcel"),
    ),
    (
        "family members",
        (
            "family",
            "familia",
            "mother",
            "mom",
            "son",
            "daughter",
            "partner",
            "wife",
            "husband",
            "child",
            "kids",
            "hijo",
            "madre",
            "esposo",
            "visit",
            "books",
            "commissary",
        ),
    ),
    ("release day", ("release", "got out", "just out", "salir", "sali", "first week", "plan")),
    (
        "several needs",
        (
            "several",
            "multiple",
            "two needs",
            "many needs",
            "needs at once",
            "stress",
            "overwhelm",
            "varias",
            "multi",
        ),
    ),
    (
        "need carried to a place",
        ("carr", "zip", "place", "neighbourhood", "neighborhood", "near", "location", "header"),
    ),
    ("language", ("language", "spanish", "english", "idioma", "switch", "flip", "typo")),
    ("who a service is for", ("women", "veteran", "group", "limit", "who it is for", "youth")),
)


@dataclass
class Tally:
    """Passed and total counts."""

    passed: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.passed += ok
        self.total += 1

    def __str__(self) -> str:
        share = f"{self.passed / self.total:.0%}" if self.total else "-"
        return f"{self.passed}/{self.total} ({share})"


@dataclass
class Report:
    """Everything counted in one run."""

    scenarios: Tally = field(default_factory=Tally)
    turns: Tally = field(default_factory=Tally)
    checks: Tally = field(default_factory=Tally)
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_behaviour: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_check: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[str] = field(default_factory=list)


def _words(turn: Turn) -> str:
    return "\n".join(r.text for r in turn.replies)


def check(key: str, want: Any, turn: Turn, categories: Callable[[str], set[str]]) -> bool:
    """Whether one expectation holds for a turn; ``categories`` gives a service's."""
    text = _words(turn)
    low = text.lower()
    shown = list(turn.shown)
    if key == "first_category":
        return bool(shown) and bool(categories(shown[0]) & set(_listed(want)))
    if key == "categories_listed":
        found = set().union(*(categories(s) for s in shown)) if shown else set()
        return set(_listed(want)) <= found
    if key == "any_text":
        return any(str(w).lower() in low for w in _listed(want))
    if key == "all_text":
        return all(str(w).lower() in low for w in _listed(want))
    if key == "no_text":
        return not any(str(w).lower() in low for w in _listed(want))
    if key == "offers_person":
        return bool(_PERSON.search(text)) == bool(want)
    if key == "language":
        return turn.language == str(want)
    if key == "no_results":
        return (not shown) == bool(want)
    if key == "numbered_choice":
        return (len(_CHOICE_LINE.findall(text)) >= 2) == bool(want)
    if key == "max_segments":
        return all(segments(r.text) <= int(want) for r in turn.replies)
    raise ValueError(f"unknown expectation {key!r}")


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def behaviour(scenario: dict[str, Any]) -> str:
    """The issue's behaviour a scenario is about, from its id and "about" words."""
    said = f"{scenario.get('id', '')} {scenario.get('about', '')}".lower().replace("-", " ")
    for name, marks in BEHAVIOURS:
        if any(re.search(rf"\b{re.escape(mark)}", said) for mark in marks):
            return name
    return "ordinary use"


def score(scenarios: Iterable[dict[str, Any]], conversation: Conversation) -> Report:
    """Send every scenario's turns through the core and count what held."""
    report = Report()
    index = conversation.search.index

    def categories(service_id: str) -> set[str]:
        service = index.service(service_id)
        return set(service.categories) if service else set()

    for scenario in scenarios:
        user = f"scenario-{scenario['id']}"
        chat = ConsoleChat(conversation, user, str(scenario.get("channel") or "sms"), io.StringIO())
        lang, kind = str(scenario.get("lang", "en")), behaviour(scenario)
        all_ok = True
        for n, step in enumerate(scenario.get("turns") or [], 1):
            turn = chat.send(str(step.get("say", "")))
            turn_ok = True
            for key, want in (step.get("expect") or {}).items():
                ok = check(key, want, turn, categories)
                report.checks.add(ok)
                report.by_check[key].add(ok)
                turn_ok = turn_ok and ok
                if not ok:
                    report.misses.append(
                        f"{scenario['id']} turn {n} {step.get('say')!r}: {key}={want!r}\n"
                        + "    "
                        + _words(turn).replace("\n", "\n    ")
                    )
            report.turns.add(turn_ok)
            all_ok = all_ok and turn_ok
        report.scenarios.add(all_ok)
        report.by_language[lang].add(all_ok)
        report.by_behaviour[kind].add(all_ok)
    return report


def render(report: Report, source: str) -> str:
    """The report as Markdown."""
    lines = [
        f"Scenarios from `{source}`, through the core on the SMS form:",
        "",
        "| measure | passed |",
        "|---|---|",
        f"| scenarios (every check of every turn) | {report.scenarios} |",
        f"| turns | {report.turns} |",
        f"| checks | {report.checks} |",
        "",
        "| language | scenarios passed |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in sorted(report.by_language.items())),
        "",
        "| behaviour | scenarios passed |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in sorted(report.by_behaviour.items())),
        "",
        "| check | passed |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in sorted(report.by_check.items())),
    ]
    return "\n".join(lines)


def open_sample(folder: Path) -> Runtime:
    """A fresh SQLite database in ``folder`` with the sample directory loaded."""
    env = dict(os.environ)
    env["HOMEWARD_DATABASE_URL"] = f"sqlite:///{folder / 'scenarios.sqlite3'}"
    env["HOMEWARD_ENV"] = "development"
    env.pop("HOMEWARD_DIRECTORY", None)
    env.pop("HOMEWARD_INDEX_DIR", None)
    return open_runtime(Settings.from_env(env))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="a scenarios YAML file")
    parser.add_argument("--misses", type=Path, help="write every failed check here")
    args = parser.parse_args(argv)
    scenarios = yaml.safe_load(args.file.read_text(encoding="utf-8")) or []
    with tempfile.TemporaryDirectory() as tmp:
        runtime = open_sample(Path(tmp))
        conversation = Conversation(
            runtime.engine, runtime.search, runtime.settings, clock=lambda: CLOCK
        )
        report = score(scenarios, conversation)
        runtime.engine.dispose()
    print(render(report, str(args.file)))
    if args.misses:
        args.misses.write_text("\n\n".join(report.misses) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
