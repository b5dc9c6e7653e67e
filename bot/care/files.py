"""The curated care files: reminder defaults, help words, and the words Homeward writes first.

Three files under ``care/`` in the directory folder (or the repository's copy):
``reminders.yaml`` (when reminders go out, per kind of appointment, and the
quiet hours), ``help_words.yaml`` (RIDE, CHILD: the one-word replies to a
reminder) and ``messages.yaml`` (the greeting after a link code, reminders,
follow-ups, in English and Spanish). They are read whole or not at all: every
problem is reported as ``file:line: key: problem``, all at once, and nothing
half-loads.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.directory.loader import shared_file
from bot.directory.model import CATEGORY_SLUGS
from bot.directory.problems import DirectoryUnavailable, Problem, ProblemLog
from bot.directory.yamlfile import LineDict, LineList, YamlFileError, line_of, load_yaml
from bot.search.text import words

# The appointment kinds of `homeward people appointment --kind` (a contract).
KINDS = ("probation", "parole", "court", "service", "benefits", "other")
HELP_KINDS = ("ride", "child")
LANGUAGES = ("en", "es")
# Each message and the placeholders it may use.
MESSAGES: dict[str, frozenset[str]] = {
    "linked": frozenset({"first_name", "navigator"}),
    "plan": frozenset({"zip"}),
    "plan_nozip": frozenset(),
    "plan_end": frozenset({"navigator"}),
    "navigator": frozenset(),
    "wrong_code": frozenset(),
    "code_refused": frozenset(),
    "reminder": frozenset({"first_name", "kind", "when", "where"}),
    "supporter_reminder": frozenset({"first_name", "kind", "when", "where"}),
    "follow_up": frozenset({"name"}),
    "follow_up_yes": frozenset(),
    "follow_up_next": frozenset(),
    "follow_up_none": frozenset(),
    "follow_up_person": frozenset(),
}
FILES = ("care/reminders.yaml", "care/help_words.yaml", "care/messages.yaml")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_PLAIN = re.compile(r"^[\x20-\x7e\n]*$")  # printable ASCII: always GSM-7, one byte a letter


class CareFilesError(DirectoryUnavailable):
    """The care files have problems; ``problems`` lists them all (the command line prints
    them as it prints a directory's)."""


@dataclass(frozen=True)
class KindDefaults:
    """When reminders of one kind of appointment go out, and its name in each language."""

    slug: str
    names: dict[str, str]
    days_before: tuple[int, ...]
    at: dt.time


@dataclass(frozen=True)
class HelpWord:
    """A one-word reply (RIDE, CHILD) and the category it finds near the appointment."""

    slug: str
    category: str
    words: frozenset[str]


@dataclass(frozen=True)
class CareData:
    """Everything the care files say, checked."""

    quiet_from: dt.time
    quiet_until: dt.time
    kinds: dict[str, KindDefaults]
    help_words: tuple[HelpWord, ...]
    messages: dict[str, dict[str, str]]

    def text(self, key: str, language: str, **values: str) -> str:
        """A message in the language (English when the language has none), filled in."""
        texts = self.messages[key]
        return (texts.get(language) or texts["en"]).format(**values)

    def kind_name(self, kind: str, language: str) -> str:
        """What an appointment kind is called in a reminder."""
        names = self.kinds[kind].names
        return names.get(language) or names["en"]

    def help_for(self, text: str) -> HelpWord | None:
        """The help word a whole message is (RIDE, "need a ride", NINOS), if any."""
        folded = " ".join(words(text))
        return next((h for h in self.help_words if folded and folded in h.words), None)


def load_care(folder: Path) -> CareData:
    """The checked care files of a directory folder; CareFilesError lists every problem."""
    data, problems = read_care_files(folder)
    if data is None:
        raise CareFilesError(problems)
    return data


def read_care_files(folder: Path) -> tuple[CareData | None, list[Problem]]:
    """The care data and every problem of the three files (no data when there is one)."""
    problems: list[Problem] = []
    parsed = [_parse(shared_file(folder, name), problems) for name in FILES]
    if any(p is None for p in parsed):
        return None, problems
    reminders, help_words, messages = (p for p in parsed if p is not None)
    quiet, kinds = _reminders(reminders, ProblemLog(_path(folder, FILES[0])))
    helps = _help_words(help_words, ProblemLog(_path(folder, FILES[1])))
    texts = _messages(messages, ProblemLog(_path(folder, FILES[2])))
    for log in (quiet.log, helps.log, texts.log):
        problems += log.problems
    if problems:
        return None, sorted(problems)
    return CareData(quiet.value[0], quiet.value[1], kinds, helps.value, texts.value), []


@dataclass
class _Read:
    log: ProblemLog
    value: Any


def _path(folder: Path, name: str) -> Path:
    return shared_file(folder, name)


def _parse(path: Path, problems: list[Problem]) -> LineDict | None:
    if not path.exists():
        problems.append(Problem(str(path), 1, "(file)", "is missing"))
        return None
    try:
        data = load_yaml(path)
    except YamlFileError as exc:
        problems.append(Problem(str(path), exc.line, "(file)", str(exc)))
        return None
    if not isinstance(data, LineDict):
        problems.append(Problem(str(path), 1, "(file)", "must be a mapping of keys"))
        return None
    return data


def _unknown(data: LineDict, allowed: tuple[str, ...], log: ProblemLog, prefix: str = "") -> None:
    for key in data:
        if key not in allowed:
            log.at(data, key, prefix + key, f"unknown key (expected one of {', '.join(allowed)})")
    for key, line in data.duplicates:
        log.add(line, prefix + key, "written twice; the second one would win")


def _time(data: LineDict, key: str, path: str, log: ProblemLog) -> dt.time | None:
    value = data.get(key)
    if not isinstance(value, str) or not _TIME.match(value):
        log.at(data, key, path, 'must be a time like "09:00" (in quotes)')
        return None
    return dt.time.fromisoformat(value)


def _reminders(data: LineDict, log: ProblemLog) -> tuple[_Read, dict[str, KindDefaults]]:
    _unknown(data, ("quiet_hours", "kinds"), log)
    quiet = data.get("quiet_hours")
    window: tuple[dt.time, dt.time] = (dt.time(21), dt.time(9))
    if not isinstance(quiet, LineDict):
        log.at(data, "quiet_hours", "quiet_hours", "must have from: and until: times")
    else:
        _unknown(quiet, ("from", "until"), log, "quiet_hours.")
        start = _time(quiet, "from", "quiet_hours.from", log)
        end = _time(quiet, "until", "quiet_hours.until", log)
        if start and end:
            window = (start, end)
    kinds: dict[str, KindDefaults] = {}
    table = data.get("kinds")
    if not isinstance(table, LineDict):
        log.at(data, "kinds", "kinds", "must list every kind: " + ", ".join(KINDS))
        return _Read(log, window), kinds
    _unknown(table, KINDS, log, "kinds.")
    for kind in KINDS:
        if kind not in table:
            log.at(table, kind, f"kinds.{kind}", "is missing")
        elif (found := _kind(table, kind, window, log)) is not None:
            kinds[kind] = found
    return _Read(log, window), kinds


def _kind(
    table: LineDict, kind: str, quiet: tuple[dt.time, dt.time], log: ProblemLog
) -> KindDefaults | None:
    entry, path = table[kind], f"kinds.{kind}"
    if not isinstance(entry, LineDict):
        log.at(table, kind, path, "must have en, es, days_before and at")
        return None
    _unknown(entry, ("en", "es", "days_before", "at"), log, path + ".")
    names = {}
    for language in LANGUAGES:
        value = entry.get(language)
        if not isinstance(value, str) or not value.strip() or not _PLAIN.match(value):
            log.at(entry, language, f"{path}.{language}", "must be plain text (no accents)")
        else:
            names[language] = value.strip()
    days: list[Any] = entry.get("days_before") or []
    ok_days = isinstance(days, LineList) and all(
        isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 60 for d in days
    )
    if not ok_days or not days or len(set(days)) != len(days):
        log.at(entry, "days_before", path + ".days_before", "must be a list of days 0 to 60")
    at = _time(entry, "at", path + ".at", log)
    if at is not None and _quiet(at, quiet):
        log.at(entry, "at", path + ".at", "falls in the quiet hours")
    if len(names) < len(LANGUAGES) or not ok_days or at is None:
        return None
    return KindDefaults(kind, names, tuple(sorted(set(days), reverse=True)), at)


def _quiet(at: dt.time, quiet: tuple[dt.time, dt.time]) -> bool:
    start, end = quiet
    return (at >= start or at < end) if start > end else start <= at < end


def _help_words(data: LineDict, log: ProblemLog) -> _Read:
    _unknown(data, HELP_KINDS, log)
    found = []
    for slug in HELP_KINDS:
        entry = data.get(slug)
        if not isinstance(entry, LineDict):
            log.at(data, slug, slug, "is missing (it needs category: and words:)")
            continue
        _unknown(entry, ("category", "words"), log, slug + ".")
        category = entry.get("category")
        if category not in CATEGORY_SLUGS:
            log.at(entry, "category", slug + ".category", "must be one of the 12 category slugs")
        listed = entry.get("words")
        if not isinstance(listed, LineList) or not listed:
            log.at(entry, "words", slug + ".words", "must be a list of words")
            continue
        folded = set()
        for i, word in enumerate(listed):
            if not isinstance(word, str) or not words(word):
                log.add(line_of(listed, i), f"{slug}.words[{i}]", "must be a word")
            else:
                folded.add(" ".join(words(word)))
        found.append(HelpWord(slug, str(category), frozenset(folded)))
    return _Read(log, tuple(found))


def _messages(data: LineDict, log: ProblemLog) -> _Read:
    _unknown(data, tuple(MESSAGES), log)
    texts: dict[str, dict[str, str]] = {}
    for key, allowed in MESSAGES.items():
        entry = data.get(key)
        if not isinstance(entry, LineDict):
            log.at(data, key, key, "is missing (it needs en: and es:)")
            continue
        _unknown(entry, LANGUAGES, log, key + ".")
        texts[key] = {}
        for language in LANGUAGES:
            path = f"{key}.{language}"
            value = entry.get(language)
            if not isinstance(value, str) or not value.strip():
                log.at(entry, language, path, "is missing")
                continue
            if not _PLAIN.match(value):
                log.at(entry, language, path, "use plain letters only (no accents, curly quotes)")
            used = set(_PLACEHOLDER.findall(value))
            for name in sorted(used - allowed):
                listed = ", ".join(sorted(allowed)) or "none"
                log.at(entry, language, path, f"unknown placeholder {{{name}}} (allowed: {listed})")
            texts[key][language] = value.strip()
    return _Read(log, texts)
