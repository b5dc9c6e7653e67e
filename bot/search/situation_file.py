"""Reading and checking the situation files (``vocabulary/situations/<lang>.yaml``).

What they mean is in ``bot.search.situations``; the shape is in
docs/directory-format.md. Each file is checked against the categories, the need
vocabulary (a phrase is either a situation or a need) and facilities.yaml (the one
list of custody place names). A file with any problem is reported whole, as
``file:line: field: problem``, and not used (nothing half-loads).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.directory.loader import parse_file
from bot.directory.problems import Problem
from bot.directory.yamlfile import LineDict, LineList
from bot.search.facilities import KINDS as FACILITY_KINDS
from bot.search.situations import (
    LONGEST_GRAMMAR_PHRASE,
    Place,
    Situation,
    Situations,
    SituationTerm,
    situation_stems,
)
from bot.search.text import words

FOLDER = "situations"  # under vocabulary/
_SLUG_RE = re.compile(r"^[a-z][a-z_]*$")
_PHRASE_LISTS = (
    "clause_breaks",
    "results",
    "contrasts",
    "causes",
    "topics",
    "wants",
    "lacks",
    "questions",
    "requirements",
    "purposes",
    "firsts",
    "settled",
    "had",
    "reaching",
    "notes",
    "asides",
    "met",
    "met_ends",
    "news",
    "news_turns",
    "hosts",
)
_LISTS = (
    *_PHRASE_LISTS,
    "numbers",
    "self_words",
    "others_words",
    "possessives",
    "facility_words",
    "occasions",
)
_SITUATION_FIELDS = {
    "when_alone",
    "needs_read_as",
    "reached_read_as",
    "kin_read_as",
    "others_alone",
    "cancels",
    "terms",
    "facility_kinds",
}


@dataclass(frozen=True)
class Known:
    """What a situation file is checked against: the categories, the need terms'
    words per language (a phrase is either a situation or a need), and the custody
    places' names (facilities.yaml is their one list)."""

    categories: set[str]
    need_words: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    custody_names: set[tuple[str, ...]] = field(default_factory=set)


def situation_files(vocabulary_folder: Path) -> list[Path]:
    """The situation files beside a vocabulary folder's language files."""
    return sorted((vocabulary_folder / FOLDER).glob("*.yaml"))


def load_situations(paths: list[Path], known: Known) -> tuple[Situations, list[Problem]]:
    """Read situation files, checked against ``known`` (see ``Known``)."""
    read: list[tuple[Situations, list[Problem], list[tuple[Problem, str]]]] = []
    for path in paths:
        found: list[Problem] = []
        cancels: list[tuple[Problem, str]] = []  # checked once every file is read
        data = parse_file(path, found)
        one = Situations()
        if data is not None:
            _read_file(path, data, known, one, found, cancels)
        read.append((one, found, cancels))
    slugs = {slug for one, _, _ in read for slug in one.situations}
    situations = Situations()
    problems: list[Problem] = []
    claimed: dict[str, str] = {}  # facility kind -> the situation that says it
    for one, found, cancels in read:
        found += [problem for problem, slug in cancels if slug not in slugs]
        found += _kinds_claimed_twice(one, claimed)
        problems += found
        if not found:
            _merge(situations, one)
    # Terms are found by the numbers of every file ("a" is a number in English): a file's
    # terms are stemmed again with them all, so "volver a casa" is found as written.
    situations.terms = [
        replace(t, stems=situation_stems(t.words, t.language, situations.numbers))
        for t in situations.terms
    ]
    return situations, problems


def _merge(into: Situations, one: Situations) -> None:
    for slug, situation in one.situations.items():
        known = into.situations.get(slug)
        if known is None:
            into.situations[slug] = situation
        else:  # the same situation in another language: one meaning, both languages' words
            into.situations[slug] = Situation(
                slug,
                {**situation.when_alone, **known.when_alone},
                {**situation.needs_read_as, **known.needs_read_as},
                known.cancels | situation.cancels,
                known.facility_kinds | situation.facility_kinds,
                {**situation.reached_read_as, **known.reached_read_as},
                {**situation.kin_read_as, **known.kin_read_as},
                {**situation.others_alone, **known.others_alone},
            )
    into.terms += one.terms
    into.clause_breaks |= one.clause_breaks
    into.results |= one.results
    into.contrasts |= one.contrasts
    into.causes |= one.causes
    into.topics |= one.topics
    into.wants |= one.wants
    into.lacks |= one.lacks
    into.questions |= one.questions
    into.requirements |= one.requirements
    into.purposes |= one.purposes
    into.firsts |= one.firsts
    into.settled |= one.settled
    into.had |= one.had
    into.reaching |= one.reaching
    into.notes |= one.notes
    into.asides |= one.asides
    into.met |= one.met
    into.met_ends |= one.met_ends
    into.news |= one.news
    into.news_turns |= one.news_turns
    into.hosts |= one.hosts
    into.numbers |= one.numbers
    into.self_words |= one.self_words
    into.others_words |= one.others_words
    into.possessives |= one.possessives
    into.facility_words |= one.facility_words
    into.occasions |= one.occasions


def _kinds_claimed_twice(one: Situations, claimed: dict[str, str]) -> list[Problem]:
    """A kind of custody place says one situation, whatever the file."""
    found = []
    for kind, slug, where in one.claims:
        other = claimed.setdefault(kind, slug)
        if other != slug:
            found.append(
                Problem(where.path, where.line, where.field, f"{kind} is already {other}'s")
            )
    return found


def _read_file(
    path: Path,
    data: Any,
    known: Known,
    into: Situations,
    problems: list[Problem],
    cancels: list[tuple[Problem, str]],
) -> None:
    name = str(path)
    if not isinstance(data, LineDict) or not isinstance(data.get("language"), str):
        problems.append(Problem(name, 1, "language", "needs a language code and situations"))
        return
    language = str(data["language"])
    for key, line in data.lines.items():
        if key not in {"language", "situations", *_LISTS}:
            problems.append(Problem(name, line, key, "is not a field of a situation file"))
    for key in _LISTS:
        longest = LONGEST_GRAMMAR_PHRASE if key in _PHRASE_LISTS else None
        phrases = _phrases(name, data, key, problems, longest=longest)
        if key in _PHRASE_LISTS:
            getattr(into, key).update(phrases)
        else:
            getattr(into, key).update(w for phrase in phrases for w in phrase)
    block = data.get("situations")
    if not isinstance(block, LineDict) or not block:
        problems.append(
            Problem(name, data.lines.get("situations", 1), "situations", "must map situations")
        )
        return
    for slug, item in block.items():
        where = f"situations.{slug}"
        line = block.lines[slug]
        if not _SLUG_RE.match(slug):
            problems.append(Problem(name, line, where, "use lowercase letters and _"))
        if not isinstance(item, LineDict):
            problems.append(Problem(name, line, where, "must have when_alone and terms"))
            continue
        _read_situation(Place(name, line, where), language, slug, item, known, into, problems)
        ends = ["_".join(phrase) for phrase in _phrases(name, item, "cancels", problems, where)]
        cancels += [
            (
                Problem(
                    name, item.lines["cancels"], f"{where}.cancels", f"{end} is not a situation"
                ),
                end,
            )
            for end in ends
        ]
        situation = into.situations[slug]
        into.situations[slug] = replace(situation, cancels=frozenset(ends))


def _read_situation(
    at: Place,
    language: str,
    slug: str,
    item: LineDict,
    known: Known,
    into: Situations,
    problems: list[Problem],
) -> None:
    """One situation's fields and terms."""
    name, where = at.path, at.field
    for key, key_line in item.lines.items():
        if key not in _SITUATION_FIELDS:
            problems.append(Problem(name, key_line, f"{where}.{key}", "is not a field"))
    when_alone = _weights(name, item, "when_alone", where, known.categories, problems)
    read_as = _read_as(name, item, where, known.categories, problems)
    reached = _read_as(name, item, where, known.categories, problems, "reached_read_as")
    kin = _read_as(name, item, where, known.categories, problems, "kin_read_as")
    others_alone = _weights(name, item, "others_alone", where, known.categories, problems)
    kinds = _phrases(name, item, "facility_kinds", problems, where)
    for i, kind in enumerate("_".join(phrase) for phrase in kinds):
        field_path = f"{where}.facility_kinds[{i}]"
        if kind not in FACILITY_KINDS:
            problems.append(
                Problem(
                    name,
                    item["facility_kinds"].lines[i],
                    field_path,
                    f"{kind} is not a kind of custody place ({', '.join(FACILITY_KINDS)})",
                )
            )
        else:
            into.claims.append(
                (kind, slug, Place(name, item["facility_kinds"].lines[i], field_path))
            )
    kind_set = frozenset("_".join(phrase) for phrase in kinds) & set(FACILITY_KINDS)
    into.situations[slug] = Situation(
        slug, when_alone, read_as, frozenset(), kind_set, reached, kin, others_alone
    )
    terms = _phrases(name, item, "terms", problems, where)
    if not terms and not kind_set:
        problems.append(Problem(name, at.line, f"{where}.terms", "needs at least one term"))
    for i, phrase in enumerate(terms):
        said = " ".join(phrase)
        line = item["terms"].lines[i]
        if phrase in known.need_words.get(language, set()):
            problems.append(
                Problem(
                    name,
                    line,
                    f"{where}.terms[{i}]",
                    f'"{said}" is also a need word of the {language} vocabulary:'
                    " a word is either the situation or the need",
                )
            )
        if phrase in known.custody_names:
            problems.append(
                Problem(
                    name,
                    line,
                    f"{where}.terms[{i}]",
                    f'"{said}" is a custody place of facilities.yaml: name it there only',
                )
            )
        stems = situation_stems(phrase, language, into.numbers)
        into.terms.append(SituationTerm(language, phrase, stems, slug))


def _phrases(
    name: str,
    data: LineDict,
    key: str,
    problems: list[Problem],
    where: str = "",
    longest: int | None = None,
) -> list[tuple[str, ...]]:
    """A list of words or phrases, folded; an empty item is a problem, and so is one of
    more than ``longest`` words (texts are read for phrases up to that long)."""
    items = data.get(key)
    label = f"{where}.{key}" if where else key
    if items is None:
        return []
    if not isinstance(items, LineList):
        problems.append(Problem(name, data.lines.get(key, data.line), label, "must be a list"))
        return []
    out = []
    for i, item in enumerate(items):
        phrase = tuple(words(str(item))) if isinstance(item, str | int) else ()
        if not phrase:
            problems.append(Problem(name, items.lines[i], f"{label}[{i}]", "must be a word"))
            continue
        if longest is not None and len(phrase) > longest:
            problem = f"has {len(phrase)} words; a text is read for phrases of {longest} at most"
            problems.append(Problem(name, items.lines[i], f"{label}[{i}]", problem))
            continue
        out.append(phrase)
    return out


def _weights(
    name: str,
    data: LineDict,
    key: str,
    where: str,
    categories: set[str],
    problems: list[Problem],
) -> dict[str, float]:
    """A mapping of categories to weights in (0, 1]."""
    block = data.get(key)
    if block is None:
        return {}
    label = f"{where}.{key}"
    if not isinstance(block, LineDict):
        problems.append(Problem(name, data.lines[key], label, "must map categories to weights"))
        return {}
    out = {}
    for slug, weight in block.items():
        line = block.lines[slug]
        if slug not in categories:
            problems.append(Problem(name, line, f"{label}.{slug}", "is not a category"))
        elif isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            problems.append(
                Problem(name, line, f"{label}.{slug}", "needs a weight between 0 and 1")
            )
        else:
            out[slug] = float(weight)
    return out


def _read_as(
    name: str,
    data: LineDict,
    where: str,
    categories: set[str],
    problems: list[Problem],
    key: str = "needs_read_as",
) -> dict[str, dict[str, float]]:
    block = data.get(key)
    if block is None:
        return {}
    label = f"{where}.{key}"
    if not isinstance(block, LineDict):
        problems.append(Problem(name, data.lines[key], label, "must map categories to categories"))
        return {}
    out = {}
    for slug in block:
        if slug not in categories:
            problems.append(
                Problem(name, block.lines[slug], f"{label}.{slug}", "is not a category")
            )
            continue
        out[slug] = _weights(name, block, slug, label, categories, problems)
    return out
