"""Choosing the answer to one message: crisis, limits, privacy, STOP, a person, or finding help.

The order is the policy, checked top to bottom:

1. a crisis is answered first, whatever else the text says, even after STOP; a
   concern (hopeless or unclear) gets the answer to what was asked, led by one
   line with 988, and a check-in in the navigators' queue (not after STOP);
2. a flood past the rate limits gets one notice, then silence;
3. a pending "erase everything?" question takes YES, DELETE and PRIVACY always work;
4. a stopped texter hears nothing until START;
5. while a navigator has the conversation the bot stays out of the way;
6. commands (HELP, MENU, MORE, a number, a ZIP, WRONG after details...), the answer to
   "what is wrong?", and anything else is a need to search.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.conversation import replies
from bot.conversation.care_desk import CareDesk, CareRules
from bot.conversation.commands import Command, CommandWords, Parsed
from bot.conversation.corrections import Corrections, ReportReasons
from bot.conversation.draft import Draft
from bot.conversation.finding import Finder
from bot.conversation.guide import Guide
from bot.conversation.message import InboundMessage, Intent, Reply, Turn
from bot.conversation.office import OfficeClock
from bot.conversation.state import Awaiting, next_language
from bot.conversation.view import DirectoryView
from bot.i18n import available_languages
from bot.safety.answers import CrisisAnswers
from bot.safety.detector import Detector
from bot.safety.limits import Limit, count_message
from bot.search.cues import Cues
from bot.search.plans import Plans
from bot.storage.texters import (
    Texter,
    acknowledge_handoff,
    erase_texter,
    open_crisis_kind,
    request_check_in,
    request_person,
    waiting_in_queue,
)

# Commands answered with one fixed reply.
_SIMPLE = {
    Command.START: (replies.greeting, Intent.START),
    Command.HELP: (replies.help_text, Intent.HELP),
    Command.ABOUT: (replies.about_bot, Intent.HELP),
    Command.ENGLISH: (replies.language_set, Intent.LANGUAGE),
    Command.SPANISH: (replies.language_set, Intent.LANGUAGE),
    Command.TOGGLE_LANGUAGE: (replies.language_set, Intent.LANGUAGE),
    Command.THANKS: (replies.thanks, Intent.THANKS),
    Command.BYE: (replies.bye, Intent.BYE),
    Command.GREETING: (replies.greeting, Intent.GREETING),
    Command.EMPTY: (replies.unclear, Intent.UNCLEAR),
}
_WELCOME_ENOUGH = (Command.GREETING, Command.START, Command.EMPTY, Command.HELP)


@dataclass(frozen=True)
class Rules:
    """What every answer consults: the directory version, words, hours, detectors, limits."""

    view: DirectoryView
    commands: CommandWords
    reasons: ReportReasons
    office: OfficeClock
    crisis: Detector
    answers: CrisisAnswers
    rate_per_minute: int
    rate_per_day: int
    retention_days: int
    care: CareRules | None = None  # link codes, plans, follow-ups (bot.conversation.care_desk)
    cues: Cues = dataclasses.field(default_factory=Cues)  # situation words (context.yaml)
    plans: Plans = dataclasses.field(default_factory=Plans)  # numbered plans (plans.yaml)


class Answer:
    """The answer to one message from one texter, inside the message's transaction."""

    def __init__(
        self,
        rules: Rules,
        session: Session,
        message: InboundMessage,
        texter: Texter,
        draft: Draft,
        now: dt.datetime,
    ) -> None:
        self.rules = rules
        self.session = session
        self.message = message
        self.texter = texter
        self.draft = draft
        self.now = now  # as the clock gave it: stored times (the rate window) use this
        self.when = now.astimezone(rules.view.timezone)  # hours and "open now" use this
        self.finder = Finder(rules.view, draft, self.when, message.location)
        self.care = (
            CareDesk(rules.care, rules.view, session, draft, self.finder, now)
            if rules.care
            else None
        )
        self.guide = Guide(self.finder, rules.cues, rules.plans)
        self.corrections = Corrections(rules.view, draft, session, rules.reasons)

    def run(self) -> Turn:
        """Answer the message (the policy in this module's docstring)."""
        parsed = self.rules.commands.classify(self.message.text)
        if self.care is not None and self.care.holds_code(self.message.text):
            return self._answer(parsed)  # a given link code, whatever letters it holds
        finding = self.rules.crisis.check(self.message.text)
        if finding.crisis and finding.kind is not None:
            return self._crisis(finding.kind)
        turn = self._answer(parsed)
        if finding.concern:
            self._lead_with_concern(turn)
        return turn

    def _answer(self, parsed: Parsed) -> Turn:
        self.texter.rate, limit = count_message(
            self.texter.rate, self.now, self.rules.rate_per_minute, self.rules.rate_per_day
        )
        if limit is Limit.SILENT:
            return self.draft.done(Intent.RATE_LIMITED)
        if limit is Limit.NOTICE:
            return self.draft.say(replies.slow_down, Intent.RATE_LIMITED)
        self.texter.language = next_language(self.texter.language, parsed, self._language_counts)
        if self.texter.awaiting == Awaiting.ERASE:
            self.texter.awaiting = Awaiting.NOTHING
            if self.rules.commands.confirms(self.message.text):
                return self._erase()
            self.draft.add(replies.erase_kept(self.draft.translator))
        return self._privacy_or_more(parsed)

    def _privacy_or_more(self, parsed: Parsed) -> Turn:
        if parsed.command is Command.DELETE:
            self.texter.awaiting = Awaiting.ERASE
            return self.draft.say(replies.erase_question, Intent.DELETE)
        if parsed.command is Command.PRIVACY:
            days = self.rules.retention_days
            return self.draft.say(lambda t: replies.privacy_note(t, days), Intent.PRIVACY)
        if self.texter.opted_out:
            return self._while_stopped(parsed)
        if parsed.command is Command.STOP:
            self.texter.opted_out = True
            return self.draft.say(replies.stopped, Intent.STOP)
        if self.message.location is not None:
            self.texter.location = self.message.location
        if self.care is not None and (linked := self.care.link(self.message.text)) is not None:
            return linked  # a link code: the greeting replaces the welcome
        if self.texter.is_new:
            enough = parsed.command in _WELCOME_ENOUGH
            self._welcome(short=not enough)  # with a first answer: within 4 SMS segments
            if enough:
                return self.draft.done(Intent.WELCOME)
        if self.texter.handoff_open:
            return self._with_navigator(parsed)
        return self._command_or_need(parsed)

    def _crisis(self, kind: str) -> Turn:
        """The number that helps now, then the conversation goes to the top of the queue.

        Nothing stands in the way: a first-time texter gets one line saying what
        Homeward is and how to stop (the carrier rule), not the whole welcome, and
        outside office hours the texter hears when a person will read it and the
        number to call until then.
        """
        detected = self._detect_language()
        if detected in available_languages():
            self.texter.language = str(detected)
        t = self.draft.translator
        self.draft.turn.crisis = kind
        self.draft.add(self.rules.answers.answer(kind, t.language))
        request_person(self.session, self.texter, urgent=True, crisis=kind)
        if self.rules.office.is_open(self.when):
            self.draft.add(replies.crisis_followup(t))
        else:
            opening = self.rules.office.next_opening(t, self.when)
            number = self.rules.answers.number(kind)
            self.draft.add(replies.crisis_followup_later(t, opening, number))
        if self.texter.is_new:
            self.draft.add(replies.crisis_first_contact(t))
        return self.draft.done(Intent.CRISIS)

    def _lead_with_concern(self, turn: Turn) -> None:
        """A hopeless or unclear text: one line with 988 first, and a check-in for a person.

        Nothing for a texter who is stopped, erased or past the rate limit; the
        answer to what they asked follows the line unchanged.
        """
        if turn.intent in (Intent.SILENCED, Intent.RATE_LIMITED, Intent.ERASED, Intent.STOP):
            return
        turn.concern = True
        line = self.draft.style.finish(self.rules.answers.concern(self.texter.language))
        turn.replies.insert(0, Reply(line))
        request_check_in(self.session, self.texter)

    def _with_navigator(self, parsed: Parsed) -> Turn:
        """A navigator has the conversation: the bot stays out of the way.

        The text goes to the navigator (it is in the transcript the console
        shows). STOP, START, HELP, PRIVACY and DELETE were handled before this;
        HELP and START answer as usual, PERSON says they are on the list, and
        MENU returns the texter to the bot while they keep their place in the
        queue. Only the first text after the request gets an acknowledgement,
        and none once a navigator has written: a navigator's conversation is
        not interrupted by a bot saying "got it" after every line.
        """
        if parsed.command in (Command.START, Command.HELP, Command.PERSON):
            return self._command_or_need(parsed)
        if parsed.command is Command.MENU:
            self.texter.handoff_open = False
            return self.finder.menu(None, lead=replies.back_to_bot(self.draft.translator))
        if (answered := self._need_while_waiting(parsed)) is not None:
            return answered
        first_text = acknowledge_handoff(self.session, self.texter)
        if first_text is None:  # closed in the console since; the bot answers again
            self.texter.handoff_open = False
            return self._command_or_need(parsed)
        if first_text:
            t = self.draft.translator
            if self.rules.office.is_open(self.when):
                self.draft.add(replies.passed_on(t))
            else:
                opening = self.rules.office.next_opening(t, self.when)
                kind = open_crisis_kind(self.session, self.texter)
                if kind is None:
                    self.draft.add(replies.passed_on_later(t, opening))
                else:  # never contradict "a person has been told": say when, and the number
                    number = self.rules.answers.number(kind)
                    self.draft.add(replies.crisis_followup_later(t, opening, number))
        return self.draft.done(Intent.TO_NAVIGATOR)

    def _need_while_waiting(self, parsed: Parsed) -> Turn | None:
        """A need the search can answer, sent while the request for a person still waits
        untouched ("ok thanks. need food in 94607 for now", "mientras tanto necesito
        comida"): the bot answers it and says the texter is still on the list, and a
        number or MORE then opens that list as usual. Once a
        navigator has taken or answered the conversation, or for a crisis, the texts go
        to the navigator alone, as before (the navigator sees these turns either way)."""
        if not waiting_in_queue(self.session, self.texter):
            return None
        listed = self.texter.awaiting == Awaiting.RESULTS
        if parsed.command in (Command.NUMBER, Command.MORE) and listed:
            return self._command_or_need(parsed)  # the list just shown: its details, its next page
        if parsed.command is not Command.NEED or not self.finder.view.search.need.asks(
            self.message.text
        ):
            return None
        found = self.finder.search(self.message.text)
        if found.chatter or not found.hits:
            return None
        turn = self.guide.need(
            self.message.text
        )  # the next text for the navigator is still acknowledged
        if turn.intent is not Intent.SEARCH:
            return turn
        still = replies.back_to_bot(self.draft.translator)
        turn.replies.append(Reply(self.draft.style.finish(still)))
        return turn

    def _erase(self) -> Turn:
        """DELETE confirmed: the reply is built first, then the data goes."""
        self.draft.add(replies.erased(self.draft.translator, self.texter.opted_out))
        turn = self.draft.done(Intent.ERASED)
        erase_texter(self.session, self.texter)
        turn.erased = True
        return turn

    def _while_stopped(self, parsed: Parsed) -> Turn:
        if parsed.command is Command.START:
            self.texter.opted_out = False
            return self.draft.say(replies.restarted, Intent.START)
        return self.draft.done(Intent.SILENCED)

    def _command_or_need(self, parsed: Parsed) -> Turn:
        if self.care is not None and (cared := self.care.answer(parsed, self.message.text)):
            return cared  # a follow-up's answer, a plan's number, RIDE or CHILD
        if parsed.command in _SIMPLE:
            build, intent = _SIMPLE[parsed.command]
            return self.draft.say(build, intent)
        if parsed.command is Command.MENU or (
            parsed.command is Command.EMPTY and self.message.location is not None
        ):
            return self.finder.menu(None)
        if parsed.command is Command.ZIP:
            return self.guide.zip_code(parsed.zip_code or "")
        if parsed.command is Command.NUMBER:
            return self.guide.number(parsed.number or 0)
        if parsed.command is Command.MORE:
            return self.finder.more()
        if parsed.command is Command.PLAN:
            again = self.care.plan_again() if self.care is not None else None
            return again or self.guide.plan_command()
        if parsed.command is Command.PERSON:
            return self._person()
        if parsed.command is Command.WRONG:
            return self.corrections.wrong(parsed.note)
        if self.texter.awaiting == Awaiting.REPORT:
            return self.corrections.answer(self.message.text)
        return self.guide.need(self.message.text)

    def _person(self) -> Turn:
        if not request_person(self.session, self.texter):
            return self.draft.say(replies.handoff_waiting, Intent.PERSON)
        t = self.draft.translator
        office = self.rules.office
        hours = office.describe(t)
        if office.is_open(self.when):
            self.draft.add(replies.handoff_soon(t, hours))
        else:
            self.draft.add(replies.handoff_later(t, office.next_opening(t, self.when), hours))
        return self.draft.done(Intent.PERSON)

    def _welcome(self, short: bool = False) -> None:
        t, info = self.draft.translator, self.rules.view.info
        text = replies.welcome_short(t, info) if short else replies.welcome(t, info)
        self.draft.add(text, self.draft.welcome_options())

    def _detect_language(self) -> str | None:
        return self.rules.view.search.parser.detect_language(self.message.text)

    def _language_counts(self) -> dict[str, int]:
        return self.rules.view.search.parser.language_counts(self.message.text)
