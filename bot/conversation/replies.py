"""The words Homeward sends, in plain language, through gettext.

Each function returns whole sentences with named placeholders (never glued
fragments), so translators see complete messages. Sizes are checked by the
style: result lists are filled line by line only while they fit the budget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.conversation.gsm import shorten
from bot.conversation.hours_text import open_status, week_hours
from bot.conversation.style import Style
from bot.directory.model import Category, DirectoryInfo, Service
from bot.i18n import Translator
from bot.search.engine import SearchHit
from bot.search.render import main_phone


def welcome(t: Translator, info: DirectoryInfo) -> str:
    """First contact: what Homeward finds, how to ask, a person, language, STOP."""
    text = t.gettext(
        "Welcome to Homeward. I find free help near you: shelter, food, jobs, health care, "
        "legal help, ID and more. Text what you need and your ZIP, like: shelter 94607. "
        "Text MENU for a list, PERSON to talk to a person, ES for Spanish, PRIVACY for what "
        "we keep. Reply STOP to opt out."
    )
    if info.sample:
        text += " " + t.gettext("This is a demo: the local places are made up.")
    return text


def help_text(t: Translator) -> str:
    """HELP: program, what it does, how to reach a person, how to opt out."""
    return t.gettext(
        "Homeward finds free local help for people coming home from jail or prison and "
        "their families. Text a need and ZIP, like: food 94601. MENU: list of help. "
        "PERSON: talk to a person. ES: Spanish. PRIVACY: what we keep. DELETE: erase your "
        "data. STOP: opt out. Msg and data rates may apply."
    )


def menu(t: Translator, categories: Sequence[Category], zip_code: str | None = None) -> str:
    """The numbered category menu."""
    if zip_code:
        head = t.gettext("What do you need near {zip}? Reply with a number:").format(zip=zip_code)
    else:
        head = t.gettext("What do you need? Reply with a number:")
    lines = [f"{n} {c.name(t.language)}" for n, c in enumerate(categories, 1)]
    return "\n".join([head, *lines])


def results(
    t: Translator,
    style: Style,
    hits: Sequence[SearchHit],
    first_number: int,
    when: dt.datetime,
    heading: str,
    has_more: bool,
) -> str:
    """A numbered page of results that fits the channel's budget."""
    footer = (
        t.gettext("Reply a number for details, MORE for more.")
        if has_more
        else t.gettext("Reply a number for details, MENU for other help.")
    )
    lines = [heading]
    for n, hit in enumerate(hits, first_number):
        line = result_line(t, hit, n, when)
        if len(style.finish("\n".join([*lines, line, footer]))) >= style.budget and len(lines) > 1:
            break
        lines.append(line)
    return "\n".join([*lines, footer])


def result_line(t: Translator, hit: SearchHit, number: int, when: dt.datetime) -> str:
    """One result: number, name, phone, short address, open now, miles."""
    service = hit.service
    parts = [f"{number}. {shorten(service.name, 48)}"]
    phone = main_phone(service)
    if phone:
        parts.append(phone)
    if hit.location is not None and hit.location.short_address():
        parts.append(shorten(hit.location.short_address(), 40))
    status = open_status(t, service.schedules, when)
    if status:
        parts.append(status)
    if hit.distance_miles is not None:
        parts.append(t.gettext("{miles} mi").format(miles=hit.distance_miles))
    return ", ".join(parts)


def details(t: Translator, style: Style, hit: SearchHit, records: str, tail: str = "") -> str:
    """Everything about one service; long free text is trimmed until it fits the budget.

    ``tail`` (how to report the listing wrong) ends the text and is never trimmed.
    """
    service = hit.service
    lang = t.language
    fixed_head = [
        f"{service.name} - {service.organization.name}",
        main_phone(service) or "",
        hit.location.full_address() if hit.location else t.gettext("Call or go online."),
    ]
    for limit in (300, 150, 90, 60, 40):
        trimmed = [
            shorten(_hours(t, service), limit),
            _labelled(
                t.gettext("Who: {text}"),
                shorten(service.text("eligibility_description", lang), limit),
            ),
            records,
            _labelled(t.gettext("Bring: {text}"), shorten(", ".join(_bring(service, lang)), limit)),
            _labelled(
                t.gettext("Cost: {text}"), shorten(service.text("fees_description", lang), limit)
            ),
            _labelled(
                t.gettext("Languages: {text}"),
                ", ".join(t.language_name(c) for c in service.languages),
            ),
            _labelled(
                t.gettext("Checked: {text}"),
                service.assured_date.isoformat() if service.assured_date else "",
            ),
        ]
        text = "\n".join(line for line in [*fixed_head, *trimmed, tail] if line)
        if len(style.finish(text)) < style.budget:
            return text
    return text


def _hours(t: Translator, service: Service) -> str:
    notes = service.text("hours_notes", t.language)
    hours = week_hours(t, service.schedules)
    text = " ".join(p for p in (hours, notes) if p)
    return t.gettext("Hours: {hours}").format(hours=text) if text else ""


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


def search_heading(t: Translator, total: int, place: str | None, category: str | None) -> str:
    """The first line of a results page."""
    if category and place:
        return t.gettext("{category} near {place}:").format(category=category, place=place)
    if category:
        return t.gettext("{category}:").format(category=category)
    if place:
        return t.ngettext(
            "{count} place near {place}:", "{count} places near {place}:", total
        ).format(count=total, place=place)
    return t.ngettext("I found {count} place:", "I found {count} places:", total).format(
        count=total
    )


def ask_zip(t: Translator) -> str:
    """Asked once when results depend on place and no ZIP is known."""
    return t.gettext("Text your ZIP code to see places near you.")


def no_results(t: Translator) -> str:
    """Nothing matched: point to simple words and the menu, never an error."""
    return t.gettext(
        "Sorry, I found nothing for that. Try one word like food, shelter or job, or text MENU."
    )


def can_help(t: Translator) -> str:
    """A text that asks for nothing (chatter): what Homeward does, and no list."""
    return t.gettext(
        "I can help you find food, shelter, jobs, health care, legal help and more. "
        "Text what you need, like food or shelter, or MENU for a list."
    )


def no_more(t: Translator) -> str:
    """MORE with nothing left."""
    return t.gettext("No more results. Text a new need, or MENU for the list.")


def nothing_to_page(t: Translator) -> str:
    """MORE before any search."""
    return t.gettext("Text what you need first, like food or shelter, or MENU for the list.")


def bad_number(t: Translator, count: int) -> str:
    """A number that is not on the list."""
    return t.gettext("Please reply with a number from 1 to {count}, or text MENU.").format(
        count=count
    )


def stopped(t: Translator) -> str:
    """STOP is confirmed once; then silence."""
    return t.gettext("You will get no more messages from Homeward. Reply START to come back.")


def restarted(t: Translator) -> str:
    """START after STOP."""
    return t.gettext("Welcome back to Homeward. Text what you need, or MENU for a list.")


def language_set(t: Translator) -> str:
    """Confirms the language, in that language."""
    return t.gettext("OK, I will answer in English. Text what you need, or MENU for a list.")


def handoff_soon(t: Translator, hours: str) -> str:
    """PERSON during office hours."""
    return t.gettext(
        "OK. A navigator will text you back soon. Office hours: {hours}. "
        "Text MENU to keep searching. If you are in danger, call 911."
    ).format(hours=hours)


def handoff_later(t: Translator, when: str, hours: str) -> str:
    """PERSON outside office hours: say honestly when."""
    return t.gettext(
        "OK. The office is closed now. A navigator will text you back after it opens {when}. "
        "Office hours: {hours}. If you are in danger, call 911."
    ).format(when=when, hours=hours)


def handoff_waiting(t: Translator) -> str:
    """PERSON again while a request is open."""
    return t.gettext("You are already on the list to talk to a person. They will text you back.")


def passed_on(t: Translator) -> str:
    """The first text after asking for a person, during office hours: it reached a navigator."""
    return t.gettext(
        "Got it. A navigator will read your message and text you back. "
        "Text MENU to use the bot while you wait."
    )


def passed_on_later(t: Translator, when: str) -> str:
    """The same outside office hours: say honestly when someone will read it."""
    return t.gettext(
        "Got it. A navigator will read your message after the office opens {when}. "
        "Text MENU to use the bot while you wait."
    ).format(when=when)


def back_to_bot(t: Translator) -> str:
    """MENU while waiting for a navigator: back with the bot, still on the list."""
    return t.gettext("You are still on the list for a navigator.")


def button_more(t: Translator) -> str:
    """Label of the More button."""
    return t.gettext("More")


def button_person(t: Translator) -> str:
    """Label of the talk-to-a-person button."""
    return t.gettext("Talk to a person")


def button_location(t: Translator) -> str:
    """Label of the share-my-location button."""
    return t.gettext("Share my location")


def crisis(t: Translator, kind: str) -> str:
    """The first answer to a crisis text: one SMS segment, the number that helps now."""
    if kind == "self_harm":
        return t.gettext(
            "Please call or text 988 now, any time, free (Suicide & Crisis Lifeline). "
            "In danger now? Call 911."
        )
    if kind == "overdose":
        return t.gettext("Call 911 now. If you have naloxone (Narcan), use it. Stay with them.")
    return t.gettext(
        "If you are in danger, call 911. National Domestic Violence Hotline: 1-800-799-7233, "
        "or text START to 88788."
    )


def crisis_followup(t: Translator) -> str:
    """After the crisis answer: a person is told, and will reach out."""
    return t.gettext("A person from our team has been told and will text you as soon as they can.")


def slow_down(t: Translator) -> str:
    """Once, past the per-sender limit."""
    return t.gettext("You have sent a lot of texts. Please wait a little, then text again.")


def thanks(t: Translator) -> str:
    """A thank-you."""
    return t.gettext("You are welcome. Text MENU anytime you need help.")


def bye(t: Translator) -> str:
    """A goodbye."""
    return t.gettext("Take care. Text us anytime you need help.")


def greeting(t: Translator) -> str:
    """Hello, after the first contact."""
    return t.gettext("Hi. Text what you need, like food or shelter, or MENU for a list.")


def unclear(t: Translator) -> str:
    """Anything else: helpful, never an error."""
    return t.gettext(
        "Sorry, I did not get that. Text what you need, like food or shelter, or MENU for a list."
    )


def privacy_note(t: Translator, days: int) -> str:
    """PRIVACY: what is kept, for how long, who sees it, how to erase it."""
    return t.gettext(
        "Privacy: we keep your number and texts locked (encrypted) for {days} days, then "
        "delete them. Only Homeward navigators helping you can read them. We do not sell or "
        "share them. Text DELETE to erase them now. STOP ends texts."
    ).format(days=days)


def erase_question(t: Translator) -> str:
    """DELETE: what it does, and how to say yes."""
    return t.gettext(
        "This erases your texts, searches and profile from Homeward. Reply YES to erase "
        "them, or anything else to keep them."
    )


def erased(t: Translator, stopped: bool) -> str:
    """Done erasing; an opted-out texter learns that STOP still holds."""
    if stopped:
        return t.gettext("Done. Your data is erased. We keep only a code so STOP still holds.")
    return t.gettext("Done. Your data is erased. Text us anytime to start again.")


def erase_kept(t: Translator) -> str:
    """They did not say yes: nothing was erased."""
    return t.gettext("OK, nothing was erased.")


def text_only(t: Translator) -> str:
    """A picture or voice note came in: only text is read."""
    return t.gettext("I can read text only. Please type what you need.")
