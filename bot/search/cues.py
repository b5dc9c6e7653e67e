"""Who a text is about and what happened: the cues the conversation reads as context.

"just got out" is a texter on release day; "my son gets out friday" and "can
i put money on his books" are a family member; "im stressed out" with five
needs is someone to offer a person first. None of these is a need to search,
so the words are curated data beside the vocabulary (``context.yaml``, English
and Spanish), read here and used by the conversation core. The shape is in
docs/directory-format.md; a file with any problem is reported whole and not
used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.directory.loader import parse_file, shared_file
from bot.directory.problems import Problem, ProblemLog
from bot.directory.yamlfile import LineDict, LineList
from bot.search.text import words

FILE = "context.yaml"
# What each list in a language's section says.
KINDS = (
    "custody",  # being held in general: jail, prison, la carcel
    "released",  # the texter is just out: "just got out", "acabo de salir"
    "released_from",  # counts only before a custody word or place: "got out of", "sali de"
    "release_soon",  # someone gets out soon: "gets out", "va a salir"
    "inside",  # someone is inside now: "locked up", "his books", "esta preso"
    "relatives",  # the text is about someone else: "my son", "mi esposo", "he"
    "distress",  # the texter is overwhelmed: "stressed out", "no se que hacer"
    "supervision",  # parole or probation as the texter's situation: "on parole", "my PO"
)
NEAR_WORDS = 3  # how far after "got out of" a custody word or place may come


@dataclass
class Cues:
    """Phrases per kind, as folded word tuples, all languages together."""

    phrases: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind in KINDS:
            self.phrases.setdefault(kind, set())
        self.longest = max((len(p) for ps in self.phrases.values() for p in ps), default=1)

    def words(self) -> set[str]:
        """Every word the cues use (known words: the typo fixer leaves them alone)."""
        return {w for ps in self.phrases.values() for p in ps for w in p}

    def spans(self, kind: str, seq: Sequence[str]) -> list[tuple[int, int]]:
        """(start, end) of every phrase of a kind in the words, longest first at each start."""
        phrases = self.phrases[kind]
        found = []
        for start in range(len(seq)):
            for length in range(min(self.longest, len(seq) - start), 0, -1):
                if tuple(seq[start : start + length]) in phrases:
                    found.append((start, start + length))
                    break
        return found

    def has(self, kind: str, seq: Sequence[str]) -> bool:
        """Whether any phrase of a kind is in the words."""
        return bool(self.spans(kind, seq))


@dataclass(frozen=True)
class Context:
    """What a text says about the texter's situation (never a need, never a place)."""

    released: bool = False  # the texter is just out
    release_soon: bool = False  # someone gets out soon
    inside: bool = False  # someone is inside now (or a custody place is named)
    relative: bool = False  # the text is about someone else
    distress: bool = False

    @property
    def family(self) -> bool:
        """Written on behalf of someone inside or just out."""
        return self.relative and (self.inside or self.release_soon or self.released)

    @property
    def release(self) -> bool:
        """Someone (the texter, or the person they write about) is out or soon out."""
        return self.released or self.release_soon


def read_context(cues: Cues, seq: Sequence[str], places: Sequence[tuple[int, int]]) -> Context:
    """The context of a text's folded words; ``places`` are custody places' (start, end)."""
    custody = cues.spans("custody", seq) + list(places)
    released_from = [
        (start, end)
        for start, end in cues.spans("released_from", seq)
        if any(0 <= c_start - end <= NEAR_WORDS for c_start, _ in custody)
    ]
    released = cues.spans("released", seq) + released_from
    soon = cues.spans("release_soon", seq)
    # A place someone got out of is not where anyone is held now.
    held_at = [p for p in places if not any(0 <= p[0] - end <= NEAR_WORDS for _, end in released)]
    inside = cues.spans("inside", seq) + held_at
    # "my son gets out", "visit my husband in county", "his books": the relative comes
    # first; in "i just got out, my mom lets me stay" the one out is the texter.
    held = [*released, *soon, *inside, *custody]  # "mi novio ... desde la carcel" too
    relative = any(r_start <= end for r_start, _ in cues.spans("relatives", seq) for _, end in held)
    return Context(
        released=bool(released),
        release_soon=bool(soon),
        inside=bool(inside) or (relative and bool(custody) and not released and not soon),
        relative=relative,
        distress=cues.has("distress", seq),
    )


def merge(contexts: Sequence[Context]) -> Context:
    """The context of a whole text from its clauses'.

    A relative counts only in a clause that also says someone is held or out:
    in "got out of santa rita, staying with my aunt" the aunt is not the one
    who got out, so the texter is the one just released.
    """
    return Context(
        released=any(c.released for c in contexts),
        release_soon=any(c.release_soon for c in contexts),
        inside=any(c.inside for c in contexts),
        relative=any(c.family for c in contexts),
        distress=any(c.distress for c in contexts),
    )


def load_cues(folder: Path) -> tuple[Cues, list[Problem]]:
    """The folder's context file (or the repository's); empty cues when there is none."""
    path = shared_file(folder, FILE)
    if not path.exists():
        return Cues(), []
    problems: list[Problem] = []
    data = parse_file(path, problems)
    if data is None:
        return Cues(), problems
    log = ProblemLog(path)
    phrases = _read(data, log)
    if log.problems:
        return Cues(), sorted(log.problems)
    return Cues(phrases), []


def _read(data: Any, log: ProblemLog) -> dict[str, set[tuple[str, ...]]]:
    phrases: dict[str, set[tuple[str, ...]]] = {kind: set() for kind in KINDS}
    if not isinstance(data, LineDict) or not data:
        log.add(getattr(data, "line", 1), "(file)", "must map languages (en, es) to cue lists")
        return phrases
    for language, section in data.items():
        if not isinstance(section, LineDict):
            log.at(data, language, language, "must map kinds of cue to lists of phrases")
            continue
        for kind, items in section.items():
            path = f"{language}.{kind}"
            if kind not in KINDS:
                log.at(section, kind, path, f"is not one of {', '.join(KINDS)}")
            elif not isinstance(items, LineList):
                log.at(section, kind, path, "must be a list of phrases")
            else:
                phrases[kind] |= _read_phrases(items, path, log)
    return phrases


def _read_phrases(items: LineList, path: str, log: ProblemLog) -> set[tuple[str, ...]]:
    into: set[tuple[str, ...]] = set()
    for i, item in enumerate(items):
        folded = tuple(words(str(item))) if isinstance(item, str | int) else ()
        if not folded or isinstance(item, bool):
            log.at(items, i, f"{path}[{i}]", "must be a word or phrase")
        elif folded in into:
            log.at(items, i, f"{path}[{i}]", f"'{item}' is listed twice")
        else:
            into.add(folded)
    return into
