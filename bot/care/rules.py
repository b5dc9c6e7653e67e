"""The sending rules, as pure decisions: send now, wait until a time, or never.

Nothing goes to an opted-out number, or without the consent it needs, or in
the quiet hours (it waits); WhatsApp outside its 24-hour window needs an
approved template, else the message waits for the texter to write or for an
SMS number to be linked. A person's STOP stops their supporter's reminders too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.care.files import CareData
from bot.care.timing import is_quiet, local_day, next_local_day, quiet_ends
from bot.storage.care_schedule import DueFollowUp, DueMessage, Target

WHATSAPP_WINDOW = dt.timedelta(hours=24)
LOOK_AGAIN = dt.timedelta(hours=1)  # a message waiting for a number or WhatsApp's window
TOO_LATE = dt.timedelta(days=7)  # a follow-up not asked by then is dropped
HANDOFF_WAIT = dt.timedelta(days=1)


@dataclass(frozen=True)
class Decision:
    """What to do with one due message."""

    action: str  # "send", "wait", "skip"
    until: dt.datetime | None = None
    reason: str = ""
    template_sid: str = ""


@dataclass(frozen=True)
class Rules:
    """What the decisions consult."""

    care: CareData
    zone: ZoneInfo
    templates: Mapping[str, str]  # message kind -> approved WhatsApp template (Content SID)


def _skip(reason: str) -> Decision:
    return Decision("skip", reason=reason)


def _wait(until: dt.datetime, reason: str) -> Decision:
    return Decision("wait", until=until, reason=reason)


def decide_message(rules: Rules, due: DueMessage, now: dt.datetime) -> Decision:
    """A reminder or a navigator's message for later."""
    plan = due.plan
    if due.kind == "reminder":
        if due.appointment is None or plan is None:
            return _skip("the appointment was removed")
        if due.appointment[1] <= now:
            return _skip("the appointment has passed")
        if plan.linked is not None and plan.linked.opted_out:
            return _skip("the person opted out (STOP)")
        if not plan.consent_reminders:
            return _skip("no consent for reminders")
        if due.audience == "supporter" and not plan.consent_supporter:
            return _skip("no consent for a supporter")
        if due.superseded:
            return _skip("late: a newer reminder of it goes instead")
    elif plan is not None and not plan.consent_texts:
        return _skip("no consent for texts")
    if due.target is None:
        if due.audience == "person" and plan is not None:
            return _wait(now + LOOK_AGAIN, "no number linked yet")
        return _skip("no number to send to")
    return _channel_rules(rules, due.target, due.kind, now)


def decide_follow_up(
    rules: Rules, due: DueFollowUp, now: dt.datetime, service: str | None, asked_today: bool
) -> Decision:
    """A follow-up: also at most one a day, none while a navigator has the conversation."""
    if due.target.opted_out:
        return _skip("opted out (STOP)")
    if due.plan is not None and not due.plan.consent_texts:
        return _skip("no consent for texts")
    if service is None:
        return _skip("the service is no longer listed")
    if now - due.due_at > TOO_LATE:
        return _skip("too late to ask")
    if due.target.in_handoff:
        return _wait(now + HANDOFF_WAIT, "talking with a navigator")
    last = due.last_asked_at
    if asked_today or (
        last is not None and local_day(last, rules.zone) == local_day(now, rules.zone)
    ):
        return _wait(next_local_day(rules.care, now, rules.zone), "one follow-up a day")
    return _channel_rules(rules, due.target, "follow_up", now)


def _channel_rules(rules: Rules, target: Target, kind: str, now: dt.datetime) -> Decision:
    if target.opted_out:
        return _skip("opted out (STOP)")
    if is_quiet(rules.care, now, rules.zone):
        return _wait(quiet_ends(rules.care, now, rules.zone), "quiet hours")
    if target.channel == "whatsapp" and now - target.last_seen_at > WHATSAPP_WINDOW:
        template = rules.templates.get(kind, "")
        if not template:
            return _wait(now + LOOK_AGAIN, "outside WhatsApp's 24-hour window, no template")
        return Decision("send", template_sid=template)
    return Decision("send")
