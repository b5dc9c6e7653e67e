"""The words of replies that follow the person: plans, several needs, a person first.

Beside ``replies.py`` (the words of every other reply) and written the same
way: whole sentences with named placeholders, through gettext, so a
translator sees complete messages. Lists of labels (category names, plan
items) come from data and are already in the texter's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator


def numbered(labels: Sequence[str]) -> str:
    """ "1 ID card" lines, one per label."""
    return "\n".join(f"{n} {label}" for n, label in enumerate(labels, 1))


def release_plan(t: Translator, labels: Sequence[str], family: bool) -> str:
    """The first-week plan: a numbered list whose numbers open matching places."""
    if family:
        head = t.gettext("For the first week after the release, one step at a time:")
    else:
        head = t.gettext("Your first week out, one step at a time:")
    foot = t.gettext("Reply a number to see places, or PERSON to talk it over.")
    return "\n".join([head, numbered(labels), foot])


def family_list(t: Translator, labels: Sequence[str]) -> str:
    """What families of someone inside need, as a numbered list."""
    head = t.gettext("For family of someone inside:")
    foot = t.gettext("Reply a number, or PERSON to talk to a navigator.")
    return "\n".join([head, numbered(labels), foot])


def needs_choice(t: Translator, labels: Sequence[str]) -> str:
    """Several needs at once, too many to answer in one text: pick one."""
    head = t.gettext("You asked about:")
    foot = t.gettext("Reply a number to see places for it.")
    return "\n".join([head, numbered(labels), foot])


def several_footer(t: Translator) -> str:
    """Under the best places for each of several needs."""
    return t.gettext("Reply a number for details, PLAN for the list of your needs.")


def person_first(t: Translator) -> str:
    """A long or overwhelmed text with many needs: a person is offered before anything."""
    return t.gettext("That is a lot at once. A navigator can help with all of it: text PERSON.")


def also_asked(t: Translator, count: int) -> str:
    """The needs not answered yet: PLAN lists them (their names would crowd out places)."""
    return t.ngettext(
        "Text PLAN for {count} more need you asked about.",
        "Text PLAN for {count} more needs you asked about.",
        count,
    ).format(count=count)


def item_follow_up(t: Translator, note: str, label: str) -> str:
    """A question after a family item that the search cannot answer ("can i bring my
    grandkids" after visits): the item's note again, and a person for the rest."""
    more = t.gettext(
        "More questions about {topic}: text PERSON and someone on our team will answer."
    )
    return (
        f"{note} {more.format(topic=label.lower())}" if note else more.format(topic=label.lower())
    )


def offer_plan(t: Translator) -> str:
    """Once, when someone is just out or soon out and the text asked for one thing."""
    return t.gettext("Text PLAN for a list for the first week out.")
