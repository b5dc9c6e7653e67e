"""The care side of one message: a link code, a plan's numbers, RIDE and CHILD, follow-up answers.

A code texted from any phone links that number to a plan: the reply greets the
person by first name, names their navigator and offers their plan (their needs,
near their ZIP, as ordinary search results by number). Five wrong codes in a
local day and codes from that sender are refused until the next day. After a
reminder, RIDE and CHILD find rides or child care near the appointment. A
follow-up's "1" to "4" is recorded for the service; 2 to 4 get the next best
place and PERSON. Giving a service's details schedules its follow-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.care.codes import read_code
from bot.care.files import CareData, HelpWord
from bot.care.timing import local_day
from bot.conversation import replies
from bot.conversation.commands import Command, Parsed
from bot.conversation.draft import Draft
from bot.conversation.finding import MAX_KEPT_RESULTS, Finder
from bot.conversation.message import Intent, Turn
from bot.conversation.state import Awaiting
from bot.conversation.thread import Need
from bot.conversation.view import DirectoryView
from bot.directory.fields import zip_centroid
from bot.storage import care_answers, people
from bot.storage.texters import Texter

MAX_WRONG_CODES = 5  # a day, from one sender
REMINDER_ANSWER_DAYS = 7  # RIDE, CHILD or PERSON this soon after a reminder answers it
MAX_PLAN_NEEDS = 6
CARE_PLAN = "care"  # the thread's choice when the person's own plan was the last list shown


@dataclass(frozen=True)
class CareRules:
    """What the care side of the core consults: the curated files and the follow-up delay."""

    data: CareData
    follow_up_days: int


class CareDesk:
    """Link codes, plans, help words and follow-up answers for one message."""

    def __init__(
        self,
        rules: CareRules,
        view: DirectoryView,
        session: Session,
        draft: Draft,
        finder: Finder,
        now: dt.datetime,
    ) -> None:
        self.rules = rules
        self.view = view
        self.session = session
        self.draft = draft
        self.texter: Texter = draft.texter
        self.finder = finder
        self.now = now.astimezone(dt.UTC)  # stored times are UTC (SQLite keeps no zone)

    def holds_code(self, text: str) -> bool:
        """Whether the text is a link code someone was given. Such a text is only the
        code: "KMS 4K7" is not "kill myself", so the crisis check does not read it."""
        code = read_code(text)
        return code is not None and people.find_by_code(self.session, code) is not None

    def link(self, text: str) -> Turn | None:
        """A link code: greet and offer the plan, or say the code is wrong (None if no code)."""
        code = read_code(text)
        if code is None:
            return None
        day = local_day(self.now, self.view.timezone)
        if care_answers.code_failures(self.session, self.texter.id, day) >= MAX_WRONG_CODES:
            return self._say("code_refused", Intent.WRONG_CODE)
        person_id = people.find_by_code(self.session, code)
        if person_id is None:
            care_answers.add_code_failure(self.session, self.texter.id, day)
            return self._say("wrong_code", Intent.WRONG_CODE)
        person = people.link(self.session, person_id, self.texter.id, self.now)
        self.texter.language = person.language
        point = zip_centroid(person.zip_code) if person.zip_code else None
        if point is not None:
            self.texter.zip_code, self.texter.location = person.zip_code, point
        self.texter.awaiting = Awaiting.CARE_PLAN if person.needs else Awaiting.NOTHING
        if person.needs:  # the numbered list shown last: PLAN shows it again
            self.finder.thread.choice = Need(CARE_PLAN)
        self.draft.add(self._greeting(person))
        return self.draft.done(Intent.LINKED)

    def plan_again(self) -> Turn | None:
        """PLAN after the person's own plan was the last list shown: that plan again
        (None when another list was shown since, or the plan has no needs)."""
        choice = self.finder.thread.choice
        if choice is None or choice.kind != CARE_PLAN:
            return None
        person = people.person_of_contact(self.session, self.texter.id)
        if person is None or not person.needs:
            return None
        self.texter.awaiting = Awaiting.CARE_PLAN
        navigator = person.navigator or self.rules.data.text("navigator", self.texter.language)
        lines = [*self._plan_lines(person), self._plan_end(navigator)]
        self.draft.add("\n".join(lines))
        return self.draft.done(Intent.PLAN)

    def _greeting(self, person: people.Person) -> str:
        care, language = self.rules.data, self.texter.language
        navigator = person.navigator or care.text("navigator", language)
        lines = [care.text("linked", language, first_name=person.first_name, navigator=navigator)]
        lines += self._plan_lines(person)
        lines.append(self._plan_end(navigator))
        return "\n".join(lines)

    def _plan_lines(self, person: people.Person) -> list[str]:
        """The person's needs, numbered, under a line that says near where."""
        care, language = self.rules.data, self.texter.language
        if not person.needs:
            return []
        if person.zip_code:
            lines = [care.text("plan", language, zip=person.zip_code)]
        else:
            lines = [care.text("plan_nozip", language)]
        for number, slug in enumerate(person.needs[:MAX_PLAN_NEEDS], 1):
            category = self.view.directory.category(slug)
            lines.append(f"{number} {category.name(language) if category else slug}")
        return lines

    def _plan_end(self, navigator: str) -> str:
        return self.rules.data.text("plan_end", self.texter.language, navigator=navigator)

    def answer(self, parsed: Parsed, text: str) -> Turn | None:
        """A follow-up's answer, a plan's number, or RIDE / CHILD; None for anything else."""
        awaiting = self.texter.awaiting
        if parsed.command is Command.NUMBER and awaiting == Awaiting.FOLLOW_UP:
            number = parsed.number or 0
            if 1 <= number <= len(care_answers.ANSWERS):
                return self._follow_up(care_answers.ANSWERS[number - 1])
        if parsed.command is Command.NUMBER and awaiting == Awaiting.CARE_PLAN:
            person = people.person_of_contact(self.session, self.texter.id)
            needs = person.needs[:MAX_PLAN_NEEDS] if person else ()
            if 1 <= (parsed.number or 0) <= len(needs):
                return self.finder.category(needs[(parsed.number or 1) - 1])
            if needs:  # a number past the plan's: say which numbers it has
                count = len(needs)
                return self.draft.say(lambda t: replies.bad_number(t, count), Intent.UNCLEAR)
        if parsed.command is Command.PERSON:
            self._reminder_answered("person")
            return None
        if parsed.command is Command.NEED:
            help_word = self.rules.data.help_for(text)
            if help_word is not None:
                return self._help(help_word, text)
        return None

    def _help(self, help_word: HelpWord, text: str) -> Turn:
        """RIDE or CHILD: the category's services near the appointment, else near the
        texter, ranked by the texter's words ("bus pass" lists bus passes first)."""
        self._reminder_answered(help_word.slug)
        where = people.next_appointment_place(self.session, self.texter.id, self.now)
        parsed = self.view.search.parser.parse(where) if where else None
        if parsed is None or parsed.point is None:
            return self.finder.category(help_word.category, text)
        place = parsed.zip_code or parsed.place_name or parsed.place
        return self.finder.category_near(help_word.category, parsed.point, place, text)

    def _reminder_answered(self, kind: str) -> None:
        since = self.now - dt.timedelta(days=REMINDER_ANSWER_DAYS)
        if care_answers.recent_reminder(self.session, self.texter.id, since) is not None:
            people.record_event(self.session, "reminder_answered", self.now, kind=kind)

    def _follow_up(self, answer: str) -> Turn | None:
        """Record the answer; 2 to 4 get the next best place like it, and PERSON."""
        found = care_answers.answer_follow_up(self.session, self.texter.id, answer, self.now)
        self.texter.awaiting = Awaiting.NOTHING
        if found is None:
            return None
        if answer == "reached":
            return self._say("follow_up_yes", Intent.FOLLOW_UP)
        service_id, category = found
        result = self.view.search.search(
            "",
            near=self.finder.point(),
            category=category or None,
            limit=MAX_KEPT_RESULTS,
            now=self.finder.when,
        )
        hits = [h for h in result.hits if h.service.id != service_id]
        care, language = self.rules.data, self.texter.language
        person_line = care.text("follow_up_person", language)
        if not hits:
            self.draft.add(care.text("follow_up_none", language) + " " + person_line)
            return self.draft.done(Intent.FOLLOW_UP)
        self.texter.last_results = [h.service.id for h in hits]
        self.texter.last_category, self.texter.page = category or None, 0
        self.texter.awaiting = Awaiting.RESULTS
        t = self.draft.translator
        shown = hits[: self.draft.style.page_size][:1]
        self.draft.turn.shown = [h.service.id for h in shown]
        heading = care.text("follow_up_next", language)
        page = replies.results(t, self.draft.style, shown, 1, self.finder.when, heading, False)
        self.draft.add(f"{page}\n{person_line}")
        return self.draft.done(Intent.FOLLOW_UP)

    def _say(self, key: str, intent: Intent) -> Turn:
        self.draft.add(self.rules.data.text(key, self.texter.language))
        return self.draft.done(intent)


def after_turn(
    rules: CareRules,
    view: DirectoryView,
    session: Session,
    texter: Texter,
    turn: Turn,
    now: dt.datetime,
) -> None:
    """After any answer: a service's details schedule its follow-up; a linked person's
    first text after the code is noted (for partner reports)."""
    if turn.erased:
        return
    now = now.astimezone(dt.UTC)
    if turn.intent is Intent.DETAILS and turn.shown:
        service = view.search.index.service(turn.shown[0])
        category = service.categories[0] if service and service.categories else ""
        due = now + dt.timedelta(days=rules.follow_up_days)
        care_answers.note_service_given(
            session, texter.id, turn.shown[0], category, given_by="bot", at=now, due=due
        )
    if turn.intent not in (Intent.LINKED, Intent.WRONG_CODE):
        people.note_first_text_of_contact(session, texter.id, now)
