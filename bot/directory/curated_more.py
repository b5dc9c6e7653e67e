"""Schemas of the curated files added after the first list: continuity of care, the chatter
gate's words and the kinds of texters' reports (``bot.directory.curated_files`` lists them).

Each file also has a reader that checks what a schema cannot say (a message's placeholders,
a reminder time inside the quiet hours); the schema is what catches a misspelt or missing
key, which a reader with defaults would otherwise take in silence ("kindz:" in
``report_reasons.yaml`` once filed every report as "other").
"""

from __future__ import annotations

from bot.directory.curated_schema import Choice, Key, Keys, ListOf, MapOf, Number, Text
from bot.directory.model import CATEGORY_SLUGS

APPOINTMENT_KINDS = ("probation", "parole", "court", "service", "benefits", "other")
REPORT_KINDS = ("closed", "moved", "wrong_number", "refused", "hours")

_WORDS = ListOf(Text())
_BOTH = Keys({"en": Key(Text(), required=True), "es": Key(Text(), required=True)})

REMINDERS = Keys(
    {
        "quiet_hours": Key(
            Keys({"from": Key(Text(), required=True), "until": Key(Text(), required=True)}),
            required=True,
        ),
        "kinds": Key(
            Keys(
                {
                    kind: Key(
                        Keys(
                            {
                                "en": Key(Text(), required=True),
                                "es": Key(Text(), required=True),
                                "days_before": Key(ListOf(Number(0, 60), 1), required=True),
                                "at": Key(Text(), required=True),
                            }
                        ),
                        required=True,
                    )
                    for kind in APPOINTMENT_KINDS
                }
            ),
            required=True,
        ),
    }
)

_HELP_WORD = Keys(
    {"category": Key(Choice(CATEGORY_SLUGS), required=True), "words": Key(_WORDS, required=True)}
)
HELP_WORDS = Keys({"ride": Key(_HELP_WORD, required=True), "child": Key(_HELP_WORD, required=True)})

# The message names and their placeholders are the care reader's (bot.care.files).
CARE_MESSAGES = MapOf(_BOTH)

NEED_WORDS = Keys({"need_words": Key(MapOf(_WORDS), required=True)})

REPORT_REASONS = Keys(
    {"kinds": Key(Keys({kind: Key(_WORDS) for kind in REPORT_KINDS}), required=True)}
)
