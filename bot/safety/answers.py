"""The first answer to each crisis kind, and the concern line, from ``safety/answers.yaml``.

Texts and numbers are data: a curator changes a hotline number in one place
and every answer that names it follows. Each text must fit one SMS segment
once its numbers are in (the schema checks the keys; this reader checks the
numbers each text names and the length).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.directory.curated_files import CRISIS_KINDS, SMS_SEGMENT
from bot.directory.loader import shared_file
from bot.directory.problems import Problem

# libyaml's loader when PyYAML has it: the rules load in a few milliseconds.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ANSWERS_FILE = "safety/answers.yaml"
LANGUAGES = ("en", "es")
_FIELD = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class CrisisAnswers:
    """Filled texts: (kind or "concern", language) -> text, and the number to call now."""

    texts: dict[tuple[str, str], str]
    call_now: dict[str, str]

    def answer(self, kind: str, language: str) -> str:
        """The first answer to a crisis of this kind (English when the language has none)."""
        return self.texts.get((kind, language)) or self.texts[(kind, "en")]

    def concern(self, language: str) -> str:
        """The short line that leads the answer to a hopeless text."""
        return self.answer("concern", language)

    def number(self, kind: str) -> str:
        """The number to call now for this kind (said again when the office is closed)."""
        return self.call_now.get(kind, "911")


def parse_answers(text: str, name: str = ANSWERS_FILE) -> tuple[CrisisAnswers, list[Problem]]:
    """Answers from the file's text, and problems (a missing number, a text too long)."""
    problems: list[Problem] = []
    try:
        data: Any = yaml.load(text, Loader=_LOADER) or {}  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        return CrisisAnswers({}, {}), [Problem(name, 1, "(file)", f"not valid YAML: {exc}")]
    numbers = {str(k): str(v) for k, v in (data.get("numbers") or {}).items()}
    texts: dict[tuple[str, str], str] = {}
    for kind in (*CRISIS_KINDS, "concern"):
        entry = (data.get("answers") or {}).get(kind) or {}
        for language in LANGUAGES:
            where = f"answers.{kind}.{language}"
            filled = _fill(str(entry.get(language) or ""), numbers, name, where, problems)
            if filled is None:
                continue
            if not filled:
                problems.append(Problem(name, 1, where, "is missing"))
            elif len(filled) > SMS_SEGMENT:
                problems.append(
                    Problem(
                        name,
                        _line(text, where),
                        where,
                        f"is {len(filled)} characters with its numbers; one SMS holds "
                        f"{SMS_SEGMENT}",
                    )
                )
            texts[(kind, language)] = filled
    call_now: dict[str, str] = {}
    for kind in CRISIS_KINDS:
        raw = str((data.get("call_now") or {}).get(kind) or "{emergency}")
        filled = _fill(raw, numbers, name, f"call_now.{kind}", problems)
        call_now[kind] = filled or numbers.get("emergency", "911")
    return CrisisAnswers(texts, call_now), problems


def read_answers(folder: Path) -> tuple[CrisisAnswers, list[Problem]]:
    """The answers file of a directory folder (or the repository's)."""
    path = shared_file(folder, ANSWERS_FILE)
    return parse_answers(path.read_text(encoding="utf-8"), str(path))


def _fill(
    raw: str, numbers: dict[str, str], name: str, where: str, problems: list[Problem]
) -> str | None:
    unknown = [f for f in _FIELD.findall(raw) if f not in numbers]
    if unknown:
        problems.append(
            Problem(name, 1, where, f"names {{{unknown[0]}}}, which is not under numbers")
        )
        return None
    try:
        return string.Formatter().vformat(raw, (), numbers)
    except (ValueError, IndexError, KeyError):
        problems.append(Problem(name, 1, where, "has a { or } that is not a {number}"))
        return None


def _line(text: str, where: str) -> int:
    """The line of an answer's text, found by its kind then its language key."""
    _, kind, language = where.split(".")
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == f"{kind}:":
            for j in range(i + 1, min(i + 4, len(lines))):
                if lines[j].strip().startswith(f"{language}:"):
                    return j + 1
    return 1
