"""The words Homeward sends, in plain language, through gettext.

Each function returns whole sentences with named placeholders (never glued
fragments), so translators see complete messages. Sizes are checked by the
style: result lists are filled line by line only while they fit the budget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.conversation.audience import who_for
from bot.conversation.gsm import shorten
from bot.conversation.hours_text import open_status
from bot.conversation.style import Style
from bot.directory.model import Category, DirectoryInfo
from bot.i18n import Translator
from bot.search.engine import SearchHit
from bot.search.render import main_phone


def welcome_short(t: Translator, info: DirectoryInfo) -> str:
    """First contact when the first text is a need: one SMS segment, STOP included,
    so that with the first answer it stays within 4 segments."""
    if info.sample:
        return t.gettext(
            "Welcome to Homeward: free local help (a demo: local places are made up). "
            "PERSON: talk to a person. MENU: list. ES: Spanish. Reply STOP to opt out."
        )
    return t.gettext(
        "Welcome to Homeward: free local help. PERSON: talk to a person. MENU: list. "
        "ES: Spanish. Reply STOP to opt out."
    )


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
    *,
    lead: str = "",
    tail: str = "",
    to_list: bool = False,
) -> str:
    """A numbered page of results that fits the channel's budget.

    ``lead`` comes before the heading (a how-to note, an offer of a person),
    ``tail`` after the footer (the ZIP question, the other needs); both count
    in the budget, so fewer results are listed rather than a reply cut short.
    ``to_list``: the footer points back to the texter's list (PLAN).
    """
    if to_list:
        footer = (
            t.gettext("Reply a number for details, MORE for more, PLAN for your list.")
            if has_more
            else t.gettext("Reply a number for details, PLAN for your list.")
        )
    else:
        footer = (
            t.gettext("Reply a number for details, MORE for more.")
            if has_more
            else t.gettext("Reply a number for details, MENU for other help.")
        )
    head = [lead, heading] if lead else [heading]
    end = [footer, tail] if tail else [footer]
    lines = list(head)
    for n, hit in enumerate(hits, first_number):
        line = result_line(t, hit, n, when)
        too_long = style.overflow("\n".join([*lines, line, *end])) > 0
        if too_long and len(lines) > len(head):
            break
        lines.append(line)
    return "\n".join([*lines, *end])


def result_line(t: Translator, hit: SearchHit, number: int, when: dt.datetime) -> str:
    """One result: number, name, phone, short address, open now, miles."""
    service = hit.service
    parts = [f"{number}. {shorten(service.name, 48)}"]
    if who := who_for(t, service):
        parts[0] += f" ({who})"
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


def search_heading(
    t: Translator, total: int, place: str | None, category: str | None, near_you: bool = False
) -> str:
    """The first line of a results page, naming the place distances are from."""
    if near_you and not place:
        if category:
            return t.gettext("{category} near you:").format(category=category)
        return t.ngettext("{count} place near you:", "{count} places near you:", total).format(
            count=total
        )
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


def crisis_followup(t: Translator) -> str:
    """After the crisis answer (the first answer per kind is data: safety/answers.yaml).

    During office hours: a person is told, and will reach out.
    """
    return t.gettext("A person from our team has been told and will text you as soon as they can.")


def crisis_followup_later(t: Translator, when: str, number: str) -> str:
    """After a crisis answer outside office hours: when a person reads it, and the number now."""
    return t.gettext(
        "A person from our team has been told and will read this when the office opens {when}. "
        "Until then, call {number} now if you need help."
    ).format(when=when, number=number)


def crisis_first_contact(t: Translator) -> str:
    """A first text that was a crisis: one line instead of the welcome (the carrier rule)."""
    return t.gettext("Homeward finds free local help. Reply STOP to opt out.")


def slow_down(t: Translator) -> str:
    """Once, past the per-sender limit."""
    return t.gettext("You have sent a lot of texts. Please wait a little, then text again.")


def thanks(t: Translator) -> str:
    """A thank-you."""
    return t.gettext("You are welcome. Text MENU anytime you need help.")


def bye(t: Translator) -> str:
    """A goodbye."""
    return t.gettext("Take care. Text us anytime you need help.")


def about_bot(t: Translator) -> str:
    """Asked "are you a bot?": an honest answer, and how to reach a person."""
    return t.gettext(
        "I am an automated helper, not a person. I find free local help: text a need "
        "and ZIP, like: food 94601. To talk to a person on our team, text PERSON."
    )


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
