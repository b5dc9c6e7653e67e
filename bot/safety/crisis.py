"""The rules of crisis detection: phrases and concept rules for the sure cases and idioms.

The trained model (``bot.safety.model``) reads meaning; these rules are kept
beside it for what must never be missed or never fire, and the detector
(``bot.safety.detector``) combines both. The word lists are data
(``resources_directory/safety/crisis.yaml``). A phrase matches when its words
appear in order with at most two other words between them; a rare long word
may carry one typo ("sucidal"), but a common word must be spelled as written.
Idioms ("dying to see my kids", "me muero de hambre") are removed first, so
they never fire.

Phrases alone are too narrow: texters say the same thing a hundred ways. Rules
add a general net: each names concepts (lists of phrases) that must all appear
in the text, such as someone + intent + harming oneself. Blockers (the past, a
record, a class, "lol") switch the net and one-word phrases off, because those
texts talk about a crisis without being one; explicit phrases of two or more
words still fire. Joke markers ("lol", "jk", "jaja", a laughing emoji) then
turn what was found into less: "my mom is gonna kill me lol" is an idiom, not
violence, and "im gonna kill myself lol" gets the 988 line, not the emergency
answer (``jokes`` in the file says what each kind becomes; ``bot.safety.detector``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz.distance import DamerauLevenshtein

from bot.directory.loader import shared_file
from bot.safety.features import tokens
from bot.search.frequency import is_common
from bot.search.text import words

# libyaml's loader when PyYAML has it: the rules load in a few milliseconds.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The order rules are tried in: the most specific kind first; "concern" (the level
# below crisis, hopeless or unclear self-harm texts) only when no crisis rule fires.
KINDS = (
    "self_harm",
    "intentional_overdose",
    "own_overdose",
    "poisoning",
    "overdose",
    "child_danger",
    "violence",
    "concern",
)
# A phrase is a sequence of slots; a slot is a set of words ("kill|hurt myself|himself").
Phrase = tuple[frozenset[str], ...]
# What a phrase belongs to: ("p", kind), ("k", concept), ("s", kind) for a sure phrase,
# or ("b", "") for the blockers.
Group = tuple[str, str]
MAX_GAP = 2
FUZZY_MIN_LENGTH = 6
COMMON_ZIPF = 3.0


@dataclass(frozen=True)
class CrisisWords:
    """Phrases and rules per kind, idioms to remove first, and blockers."""

    phrases: dict[str, tuple[Phrase, ...]]
    ignore: tuple[tuple[str, ...], ...]
    concepts: dict[str, tuple[Phrase, ...]] = field(default_factory=dict)
    rules: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    blockers: tuple[Phrase, ...] = ()
    jokes: frozenset[str] = frozenset()  # markers ("lol", "jk", "jaja"), stretched letters cut
    joke_effects: dict[str, str] = field(default_factory=dict)  # kind -> "none" | "concern"
    sure: dict[str, tuple[Phrase, ...]] = field(default_factory=dict)  # never overruled


@dataclass(frozen=True)
class Reading:
    """What the rules see in one text (``CrisisDetector.read``)."""

    kind: str | None  # the first kind whose phrases or rules fire
    signals: tuple[str, ...]  # "p self_harm", "k intent", "k blocked": features of the model
    joking: bool  # a joke marker ("lol", "jk"): see ``jokes`` in the file
    sure: str | None = None  # the kind of a ``sure`` phrase found: the model cannot overrule it

    @property
    def explicit(self) -> bool:
        """Whether the kind came from one of its phrases (not from the concept net)."""
        return self.kind is not None and f"p {self.kind}" in self.signals


class CrisisListError(ValueError):
    """The crisis file names a concept it does not define."""


CRISIS_FILE = "safety/crisis.yaml"


def load_crisis_words(folder: Path) -> CrisisWords:
    """The crisis lists of a directory folder (or the repository's)."""
    return parse_crisis_words(shared_file(folder, CRISIS_FILE).read_text(encoding="utf-8"))


def parse_crisis_words(text: str) -> CrisisWords:
    """The crisis lists from the file's text (CrisisListError: a rule names no concept)."""
    data = yaml.load(text, Loader=_LOADER) or {}  # noqa: S506 - a SafeLoader
    phrases = {
        kind: tuple(_phrase(str(p)) for p in data.get(kind) or [] if words(str(p)))
        for kind in KINDS
    }
    ignore = tuple(tuple(words(str(p))) for p in data.get("ignore") or [] if words(str(p)))
    concepts = {
        str(name): tuple(_phrase(str(p)) for p in entries or [] if words(str(p)))
        for name, entries in (data.get("concepts") or {}).items()
    }
    rules: dict[str, tuple[tuple[str, ...], ...]] = {}
    for kind in KINDS:
        kind_rules = tuple(
            tuple(str(c) for c in rule) for rule in (data.get("rules") or {}).get(kind) or []
        )
        for rule in kind_rules:
            missing = [name for name in rule if name not in concepts]
            if missing:
                raise CrisisListError(f"crisis.yaml: rules: {kind}: unknown concept {missing[0]}")
        rules[kind] = kind_rules
    blockers = tuple(_phrase(str(p)) for p in data.get("blockers") or [] if words(str(p)))
    jokes = data.get("jokes") or {}
    markers = frozenset(_unstretched(w) for p in jokes.get("markers") or [] for w in words(str(p)))
    effects = {str(k): str(v) for k, v in jokes.items() if k != "markers"}
    sure = {
        kind: tuple(
            _phrase(str(p)) for p in (data.get("sure") or {}).get(kind) or [] if words(str(p))
        )
        for kind in KINDS
    }
    return CrisisWords(phrases, ignore, concepts, rules, blockers, markers, effects, sure)


def _unstretched(word: str) -> str:
    """A word with doubled letters cut to one: "lmaooo" and "lmao" are one marker."""
    return _DOUBLED.sub(r"\1", word)


_DOUBLED = re.compile(r"(.)\1+")


def _phrase(text: str) -> Phrase:
    """ "kill|hurt myself" -> ({kill, hurt}, {myself})."""
    slots = []
    for part in text.split():
        options = frozenset(w for option in part.split("|") for w in words(option))
        if options:
            slots.append(options)
    return tuple(slots)


class CrisisDetector:
    """Says which crisis, if any, a text is about."""

    def __init__(self, crisis_words: CrisisWords) -> None:
        self.words = crisis_words
        groups: list[tuple[Group, tuple[Phrase, ...]]] = [(("b", ""), crisis_words.blockers)]
        groups += [(("p", kind), phrases) for kind, phrases in crisis_words.phrases.items()]
        groups += [(("k", name), phrases) for name, phrases in crisis_words.concepts.items()]
        groups += [(("s", kind), phrases) for kind, phrases in crisis_words.sure.items()]
        slots = [slot for _, phrases in groups for phrase in phrases for slot in phrase]
        self._long_words = tuple(
            sorted({w for slot in slots for w in slot if len(w) >= FUZZY_MIN_LENGTH})
        )
        self._aliases: dict[str, frozenset[str]] = {}
        # Every phrase under each word of its first slot: a text is matched only against
        # the phrases that can start with one of its words (a few dozen of thousands).
        self._starting: dict[str, list[tuple[Group, bool, Phrase]]] = {}
        for group, phrases in groups:
            for phrase in phrases:
                for word in phrase[0]:
                    self._starting.setdefault(word, []).append((group, len(phrase) > 1, phrase))

    def detect(self, text: str) -> str | None:
        """The first kind (of ``KINDS``) whose phrases or rules fire, or None."""
        return self.read(text).kind

    def read(self, text: str) -> Reading:
        """What the rules make of a text: the kind that fires and every signal seen.

        The signals (the concepts present, the kinds whose phrases match, a
        blocker, a joke marker) are features of the trained model too: it
        learns how much each weighs in which company, so a word a curator adds
        to a concept ("strap" to ``weapon``) reaches the model at once.
        """
        joking = self.joking(text)
        raw = _without_idioms(words(text[:2000]), self.words.ignore)
        if not raw:
            return Reading(None, ("k joking",) if joking else (), joking)
        tokens = [self._alias(token) for token in raw]
        found: set[tuple[Group, bool]] = set()
        for word in frozenset().union(*tokens):
            for group, long, phrase in self._starting.get(word, ()):
                if (group, long) not in found and _matches(tokens, phrase):
                    found.add((group, long))
        blocked = any(group == ("b", "") for group, _ in found)
        signals: list[str] = []
        kind: str | None = None
        for name in KINDS:
            if (("p", name), True) in found or ((("p", name), False) in found and not blocked):
                signals.append(f"p {name}")
                kind = kind or name
        present = {group[1] for group, _ in found if group[0] == "k"}
        signals += [f"k {name}" for name in sorted(present)]
        if kind is None and not blocked:
            kind = next(
                (
                    name
                    for name in KINDS
                    for rule in self.words.rules.get(name, ())
                    if all(concept in present for concept in rule)
                ),
                None,
            )
        signals += ["k blocked"] * blocked + ["k joking"] * joking
        sure = next((n for n in KINDS if {(("s", n), True), (("s", n), False)} & found), None)
        return Reading(kind, tuple(signals), joking, sure)

    def joking(self, text: str) -> bool:
        """Whether the text carries a joke marker ("lol", "jk", "jaja", a laughing emoji)."""
        return any(_unstretched(token) in self.words.jokes for token in tokens(text))

    def _alias(self, token: str) -> frozenset[str]:
        """The token and the listed words it may be a typo of (computed once per token)."""
        found = self._aliases.get(token)
        if found is None:
            if len(token) < FUZZY_MIN_LENGTH - 1 or _common(token):
                found = frozenset((token,))
            else:
                near = (w for w in self._long_words if _one_typo(token, w))
                found = frozenset((token, *near))
            if len(self._aliases) > 100_000:
                self._aliases.clear()
            self._aliases[token] = found
        return found


def _without_idioms(tokens: list[str], idioms: tuple[tuple[str, ...], ...]) -> list[str]:
    out = list(tokens)
    for idiom in idioms:
        n = len(idiom)
        i = 0
        while i + n <= len(out):
            if tuple(out[i : i + n]) == idiom:
                del out[i : i + n]
            else:
                i += 1
    return out


def _matches(tokens: list[frozenset[str]], phrase: Phrase) -> bool:
    """Phrase words in order, each within MAX_GAP words of the previous one."""
    for start, token in enumerate(tokens):
        if _in(token, phrase[0]) and _rest(tokens, start + 1, phrase[1:]):
            return True
    return False


def _rest(tokens: list[frozenset[str]], position: int, phrase: Phrase) -> bool:
    if not phrase:
        return True
    for offset in range(MAX_GAP + 1):
        i = position + offset
        if i < len(tokens) and _in(tokens[i], phrase[0]) and _rest(tokens, i + 1, phrase[1:]):
            return True
    return False


def _in(aliases: frozenset[str], slot: frozenset[str]) -> bool:
    return not aliases.isdisjoint(slot)


def _one_typo(token: str, word: str) -> bool:
    return bool(DamerauLevenshtein.distance(token, word, score_cutoff=1) <= 1)


@lru_cache(maxsize=65536)
def _common(token: str) -> bool:
    return any(is_common(token, lang, COMMON_ZIPF) for lang in ("en", "es"))
