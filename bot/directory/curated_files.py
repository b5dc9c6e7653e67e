"""Every curated file of a directory folder and its schema, in one declarative list.

To add a file: write its schema with the shapes of ``bot.directory.curated_schema``
and add one ``CuratedFile`` to ``CURATED_FILES``; to add a key to a file, add
one ``Key`` to its ``Keys``. ``homeward directory validate``, ``directory load``
and ``serve`` then check it (docs/directory-format.md). What a schema cannot
say (a rule naming a concept that is not defined, a category slug that does not
exist) stays with the file's reader, which reports it the same way.

The crisis kinds are named here because the crisis files and their readers
(``bot.safety``) must agree on them, and this is the lowest place both see.
"""

from __future__ import annotations

from pathlib import Path

from bot.directory.curated_more import (
    CARE_MESSAGES,
    HELP_WORDS,
    NEED_WORDS,
    REMINDERS,
    REPORT_REASONS,
)
from bot.directory.curated_schema import (
    AnyOf,
    Choice,
    CuratedFile,
    Key,
    Keys,
    ListOf,
    MapOf,
    Number,
    Shape,
    Table,
    Text,
    check_file,
)
from bot.directory.loader import shared_file
from bot.directory.model import CATEGORY_SLUGS, SERVES_VALUES
from bot.directory.problems import Problem, ProblemLog

# What the crisis detector tells apart; each has its own first answer (safety/answers.yaml).
CRISIS_KINDS = (
    "self_harm",
    "overdose",  # someone else's
    "own_overdose",
    "intentional_overdose",
    "poisoning",
    "violence",
    "child_danger",
)
CRISIS_LEVELS = ("crisis", "concern")  # concern is for self_harm only
CORPUS_LANGUAGES = ("en", "es", "mixed")
COMMAND_KEYS = (
    "stop",
    "start",
    "help",
    "privacy",
    "delete",
    "confirm",
    "more",
    "menu",
    "english",
    "spanish",
    "person",
    "thanks",
    "bye",
    "greeting",
    "toggle_language",
    "plan",
    "wrong",
    "about",
)
SMS_SEGMENT = 160  # GSM-7 characters in one SMS segment

_WORDS = ListOf(Text())


def _required(shape: Shape) -> Key:
    return Key(shape, required=True)


COMMANDS = Keys(
    {name: _required(Keys({"whole": Key(_WORDS), "phrases": Key(_WORDS)})) for name in COMMAND_KEYS}
)

CRISIS_WORDS = Keys(
    {
        **{kind: Key(_WORDS) for kind in CRISIS_KINDS},
        "concern": Key(_WORDS),
        "ignore": Key(_WORDS),
        "concepts": Key(MapOf(_WORDS)),
        "rules": Key(Keys({k: Key(ListOf(ListOf(Text(), 1))) for k in (*CRISIS_KINDS, "concern")})),
        "blockers": Key(_WORDS),
        "sure": Key(Keys({kind: Key(_WORDS) for kind in CRISIS_KINDS})),
        "jokes": Key(
            Keys(
                {
                    "markers": Key(_WORDS),
                    **{k: Key(Choice(("none",))) for k in CRISIS_KINDS if k != "self_harm"},
                    "self_harm": Key(Choice(("none", "concern"))),
                }
            )
        ),
    }
)

_ANSWER = Keys({"en": _required(Text()), "es": _required(Text())})
CRISIS_ANSWERS = Keys(
    {
        "numbers": _required(MapOf(Text())),
        "answers": _required(
            Keys({kind: _required(_ANSWER) for kind in (*CRISIS_KINDS, "concern")})
        ),
        "call_now": _required(Keys({kind: _required(Text()) for kind in CRISIS_KINDS})),
    }
)


def _corpus_row(row: dict[str, str], log: ProblemLog, line: int) -> None:
    kind, level = row["kind"], row["level"]
    if kind == "none" and level != "none":
        log.add(line, "level", "must be none when the kind is none")
    elif kind != "none" and level == "none":
        log.add(line, "level", f"must be {' or '.join(CRISIS_LEVELS)} for a crisis kind")
    elif level == "concern" and kind != "self_harm":
        log.add(line, "level", "concern is for self_harm only")


CRISIS_CORPUS = Table(
    {
        "text": Text(max_length=1600),
        "kind": Choice(("none", *CRISIS_KINDS)),
        "level": Choice(("none", *CRISIS_LEVELS)),
        "lang": Choice(CORPUS_LANGUAGES),
    },
    row_check=_corpus_row,
)


def _reading_row(row: dict[str, str], log: ProblemLog, line: int) -> None:
    slugs = [s.strip() for s in row["categories"].split(",")]
    known = ("none", *CATEGORY_SLUGS)
    for slug in slugs:
        if slug not in known:
            log.add(line, "categories", f"{slug!r} is not none or a category slug")
    if "none" in slugs and len(slugs) > 1:
        log.add(line, "categories", "none stands alone")


# The search reader's labelled texts: categories are the right answers, the first is learned.
READING_CORPUS = Table(
    {
        "text": Text(max_length=1600),
        "categories": Text(),
        "lang": Choice(("en", "es")),
    },
    row_check=_reading_row,
)

_TERM = AnyOf((Text(), Keys({"term": _required(Text()), "weight": Key(Number(0.01, 1))})))
VOCABULARY = Keys(
    {
        "language": _required(Choice(("en", "es"))),
        "stop_words": Key(_WORDS),
        "tonight": Key(_WORDS),
        "night_needs": Key(ListOf(Choice(CATEGORY_SLUGS))),
        "categories": _required(Keys({slug: Key(ListOf(_TERM)) for slug in CATEGORY_SLUGS})),
        "synonyms": Key(ListOf(ListOf(Text(), 2))),
        "groups": Key(Keys({group: Key(_WORDS) for group in SERVES_VALUES})),
    }
)

PLACES = Keys(
    {
        "places": _required(
            ListOf(
                Keys(
                    {
                        "name": _required(Text()),
                        "aliases": Key(_WORDS),
                        "latitude": _required(Number(-90, 90)),
                        "longitude": _required(Number(-180, 180)),
                    }
                ),
                1,
            )
        )
    }
)

_CATEGORY_LIST = ListOf(Choice(CATEGORY_SLUGS))
_GROUPS = Keys(
    {"airs": Key(MapOf(Choice(SERVES_VALUES))), "terms": Key(MapOf(Choice(SERVES_VALUES)))}
)
TAXONOMY_MAP = Keys(
    {
        "airs": Key(MapOf(_CATEGORY_LIST)),
        "terms": Key(MapOf(_CATEGORY_LIST)),
        "serves": Key(_GROUPS),
        "accepts_records": Key(Keys({"airs": Key(_WORDS), "terms": Key(_WORDS)})),
        "languages": Key(MapOf(Text())),
    }
)

_BOTH = Keys({"en": _required(Text()), "es": _required(Text())})
SAVED_REPLIES = Keys(
    {
        "replies": _required(
            ListOf(
                Keys(
                    {
                        "id": _required(Text()),
                        "title": _required(_BOTH),
                        "en": _required(Text()),
                        "es": _required(Text()),
                    }
                )
            )
        )
    }
)

CATEGORIES = Keys(
    {
        "categories": _required(
            ListOf(
                Keys(
                    {
                        "slug": _required(Choice(CATEGORY_SLUGS)),
                        "en": _required(Text()),
                        "es": _required(Text()),
                    }
                ),
                1,
            )
        )
    }
)

CURATED_FILES: tuple[CuratedFile, ...] = (
    CuratedFile("commands.yaml", COMMANDS, "command words: STOP, HELP, MORE..."),
    CuratedFile("categories.yaml", CATEGORIES, "the 12 categories and their names"),
    CuratedFile("vocabulary/*.yaml", VOCABULARY, "search words per language"),
    CuratedFile("places.yaml", PLACES, "neighbourhoods texters name instead of a ZIP"),
    CuratedFile("taxonomy/hsds-map.yaml", TAXONOMY_MAP, "HSDS taxonomy terms to categories"),
    CuratedFile("saved_replies.yaml", SAVED_REPLIES, "the console's saved replies"),
    CuratedFile("safety/crisis.yaml", CRISIS_WORDS, "crisis phrases, idioms and rules"),
    CuratedFile("safety/answers.yaml", CRISIS_ANSWERS, "the first answer to each crisis kind"),
    CuratedFile("safety/corpus/*.tsv", CRISIS_CORPUS, "labelled texts the crisis model learns"),
    CuratedFile("search/reading_corpus/*.tsv", READING_CORPUS, "texts the search reader learns"),
    CuratedFile("care/reminders.yaml", REMINDERS, "reminder defaults per appointment kind"),
    CuratedFile("care/help_words.yaml", HELP_WORDS, "RIDE and CHILD after a reminder"),
    CuratedFile("care/messages.yaml", CARE_MESSAGES, "what Homeward writes first, en and es"),
    CuratedFile("need_words.yaml", NEED_WORDS, "words that say a text asks for something"),
    CuratedFile("report_reasons.yaml", REPORT_REASONS, "what a WRONG report says is wrong"),
)


def curated_paths(folder: Path, name: str) -> list[Path]:
    """The files a declared name stands for in a folder (its own, else the repository's)."""
    if "*" not in name:
        path = shared_file(folder, name)
        return [path] if path.exists() else []
    parent, pattern = name.rsplit("/", 1)
    own = sorted((folder / parent).glob(pattern))
    return own or sorted(shared_file(folder, parent).glob(pattern))


def check_curated(folder: Path) -> list[Problem]:
    """Every schema problem of every curated file of a folder, all at once."""
    problems: list[Problem] = []
    for curated in CURATED_FILES:
        paths = curated_paths(folder, curated.name)
        if not paths:
            problems.append(Problem(str(folder / curated.name), 1, "(file)", "is missing"))
        for path in paths:
            problems += check_file(path, curated.schema)
    return problems
