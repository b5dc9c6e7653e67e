"""The words of one service's details: everything about it, said once, within the budget.

A texter who replies a number gets the full address, the week's hours, who
is served, whether records are welcome, what to bring, the cost, languages
and when the entry was last checked. Long free text is trimmed only when the
whole is over the channel's budget, field by field at a word boundary, and a
line that repeats what the eligibility text says is left out.
"""

from __future__ import annotations

from bot.conversation.gsm import shorten
from bot.conversation.hours_text import week_hours
from bot.conversation.style import Style
from bot.directory.model import Service
from bot.i18n import Translator
from bot.search.engine import SearchHit
from bot.search.render import main_phone
from bot.search.text import words

# Words that show an eligibility text already says whether records are welcome, so the
# records line would say it twice ("Having a record is OK." then "People with records: welcome.").
_RECORD_WORDS = frozenset(
    {"record", "records", "conviction", "convictions", "felony", "felonies", "antecedentes"}
)
MIN_FIELD = 40  # a trimmed field keeps at least this many characters


def details(t: Translator, style: Style, hit: SearchHit, records: str, tail: str = "") -> str:
    """Everything about one service, said once.

    Only when the whole is over the budget are the long free-text fields
    trimmed, the longest first, at a word boundary, each only as much as
    needed; when that is not enough, the last lines go. ``tail`` (how to
    report the listing wrong) ends the text and is never trimmed.
    """
    service = hit.service
    lang = t.language
    who = service.text("eligibility_description", lang)
    if _RECORD_WORDS & set(words(who)):
        records = ""
    head = [
        f"{service.name} - {service.organization.name}",
        main_phone(service) or "",
        hit.location.full_address() if hit.location else t.gettext("Call or go online."),
    ]
    # (template, value, may be trimmed)
    fields = [
        (t.gettext("Hours: {text}"), _hours_text(t, service), True),
        (t.gettext("Who: {text}"), who, True),
        ("{text}", records, False),
        (t.gettext("Bring: {text}"), ", ".join(_bring(service, lang)), True),
        (t.gettext("Cost: {text}"), service.text("fees_description", lang), True),
        (
            t.gettext("Languages: {text}"),
            ", ".join(t.language_name(c) for c in service.languages),
            False,
        ),
        (
            t.gettext("Checked: {text}"),
            service.assured_date.isoformat() if service.assured_date else "",
            False,
        ),
    ]
    while True:
        text = "\n".join(
            line for line in [*head, *(_labelled(tpl, v) for tpl, v, _ in fields), tail] if line
        )
        over = style.overflow(text)
        if over <= 0:
            return text
        longest = max(
            (i for i, (_, v, trim) in enumerate(fields) if trim and len(v) > MIN_FIELD),
            key=lambda i: len(fields[i][1]),
            default=None,
        )
        if longest is not None:
            tpl, value, _ = fields[longest]
            fields[longest] = (tpl, shorten(value, max(MIN_FIELD, len(value) - over)), True)
        elif any(v for _, v, _ in fields):
            last = max(i for i, (_, v, _) in enumerate(fields) if v)
            fields[last] = (fields[last][0], "", False)
        else:
            return text


def _hours_text(t: Translator, service: Service) -> str:
    notes = service.text("hours_notes", t.language)
    return " ".join(p for p in (week_hours(t, service.schedules), notes) if p)


def _bring(service: Service, language: str) -> tuple[str, ...]:
    if language == "es" and service.what_to_bring_es:
        return service.what_to_bring_es
    return service.what_to_bring


def _labelled(template: str, value: str) -> str:
    return template.format(text=value) if value else ""


def records_line(t: Translator, accepts_records: str) -> str:
    """Whether people with records are welcome, in words."""
    if accepts_records == "yes":
        return t.gettext("People with records: welcome.")
    if accepts_records == "case_by_case":
        return t.gettext("People with records: case by case.")
    if accepts_records == "no":
        return t.gettext("People with records: not accepted.")
    return ""
