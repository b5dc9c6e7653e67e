"""Continuity of care through the core and the scheduler, on the suite's database.

Link codes, plans, reminders with help attached, follow-ups, the sending rules
(quiet hours, consent, STOP), exactly once across schedulers, erasure.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.care.plans import read_enrolment
from bot.care.scheduler import CareScheduler
from bot.conversation.message import Intent
from bot.storage import care_answers, people
from bot.storage.care_models import PersonRow, ScheduledRow
from bot.storage.db import session_scope
from bot.storage.retention import purge
from tests.care_helpers import Care, make_care
from tests.conversation_helpers import check_sms_rules

MARIA = "+15105551234"


@pytest.fixture
def care(sample_database_url: str) -> Care:
    return make_care(sample_database_url)


def _record(care: Care, person: int) -> people.Person:
    with session_scope(care.engine) as session:
        found = people.get_person(session, person)
        assert found is not None
        return found


def _enrol_with_code(care: Care, code: str) -> None:
    fields = {"first_name": "Maria", "release_date": "2026-11-20", "consent": "texts"}
    enrolment, problems = read_enrolment(fields, consent_by="test@example.org")
    assert enrolment is not None, problems
    with session_scope(care.engine) as session:
        people.enrol(session, enrolment, care.clock.now, lambda: code)


def test_a_given_code_that_spells_a_crisis_word_links_and_is_not_read_as_a_crisis(
    care: Care,
) -> None:
    _enrol_with_code(care, "KMS4K7")  # "kms" is "kill myself" in a text
    turn = care.text(MARIA, "kms 4k7")
    assert turn.intent is Intent.LINKED
    assert turn.crisis is None


def test_the_same_words_that_are_no_given_code_still_get_the_crisis_answer(care: Care) -> None:
    turn = care.text(MARIA, "kms 4k7")
    assert turn.intent is Intent.CRISIS


def test_a_code_texted_with_spaces_and_small_letters_greets_by_name_and_offers_the_plan(
    care: Care,
) -> None:
    person, code = care.enrol(zip="94607", needs="housing,jobs", language="es")
    turn = care.text(MARIA, f" {code[:3].lower()} {code[3:]} ")
    check_sms_rules(turn)
    greeting = turn.replies[0].text
    assert turn.intent is Intent.LINKED
    assert "Hola Maria" in greeting
    assert "su navegador" in greeting  # enrolled from the command line: no navigator's name
    assert "1 Vivienda y albergue\n2 Trabajo" in greeting
    assert "94607" in greeting
    jobs = care.text(MARIA, "2")  # a plan's number: ordinary search results near the ZIP
    assert jobs.intent is Intent.CATEGORY
    assert jobs.category == "jobs"
    assert "94607" in jobs.replies[0].text
    assert _record(care, person).linked_user.endswith("1234")


def test_plan_after_a_link_code_shows_the_persons_own_plan_until_another_list(
    care: Care,
) -> None:
    _, code = care.enrol(zip="94607", needs="housing,jobs")
    care.text(MARIA, code)
    care.text(MARIA, "2")
    again = care.text(MARIA, "PLAN")  # the person's plan, not the first-week list
    assert again.intent is Intent.PLAN
    assert "Your plan near 94607" in again.replies[0].text
    assert "1 Housing and shelter\n2 Jobs" in again.replies[0].text
    past = care.text(MARIA, "3")
    assert "from 1 to 2" in past.replies[0].text  # the plan's numbers, not the results'
    care.text(MARIA, "need food and a bed tonight")  # several needs: the list shown last
    assert "You asked about" in care.text(MARIA, "PLAN").replies[0].text


def test_the_same_code_from_a_new_number_moves_the_link(care: Care) -> None:
    person, code = care.enrol()
    care.text(MARIA, code)
    moved = care.text("+15105559876", code.lower())
    assert moved.intent is Intent.LINKED
    assert _record(care, person).linked_user.endswith("9876")


def test_five_wrong_codes_in_a_day_and_codes_are_refused_until_the_next_day(care: Care) -> None:
    _, code = care.enrol()
    for wrong in ("AB2CDE", "ZZ9ZZZ", "QW3RTY", "MN4BVC", "HG5FDS"):
        turn = care.text(MARIA, wrong)
        assert "does not match" in turn.replies[0].text
    refused = care.text(MARIA, code)
    assert refused.intent is Intent.WRONG_CODE
    assert "Too many wrong codes today" in refused.replies[0].text
    care.clock.at("2026-11-25T08:00")
    assert care.text(MARIA, code).intent is Intent.LINKED


def test_words_that_look_like_codes_are_still_searched(care: Care) -> None:
    care.enrol()
    assert care.text(MARIA, "pantry").intent is not Intent.WRONG_CODE
    after_a_need = care.text(MARIA, "94607")  # the need carried to the ZIP (issue 15)
    assert after_a_need.intent is Intent.SEARCH
    assert "near 94607" in after_a_need.replies[0].text


def test_reminders_go_at_nine_in_the_persons_language_and_never_at_night(care: Care) -> None:
    person, code = care.enrol(language="es", consent="texts,reminders")
    care.text(MARIA, code)
    times = care.appointment(person, "probation", "2026-12-03T10:30", "400 Broadway, Oakland 94607")
    assert [t.isoformat() for t in times] == [
        "2026-11-26T09:00:00-08:00",
        "2026-12-02T09:00:00-08:00",
        "2026-12-03T09:00:00-08:00",
    ]
    assert care.run("2026-11-26T08:59") == []
    assert care.run("2026-11-26T23:30") == []  # the worker was down at 9:00: at night it waits
    with session_scope(care.engine) as session:
        waiting = session.scalars(select(ScheduledRow).order_by(ScheduledRow.id)).first()
        assert waiting is not None
        assert waiting.detail == "quiet hours"
    sent = care.run("2026-11-27T09:00")
    assert len(sent) == 1
    channel, user, body = sent[0]
    assert (channel, user) == ("sms", MARIA)
    assert "Maria" in body
    assert "cita de libertad condicional" in body
    assert "400 Broadway" in body
    assert "RAITE" in body
    assert care.run("2026-11-27T09:05") == []  # exactly once


def test_ride_after_a_reminder_finds_rides_near_the_appointment(care: Care) -> None:
    person, code = care.enrol(zip="94621", consent="texts,reminders")
    care.text(MARIA, code)
    care.appointment(person, "court", "2026-12-03T10:30", "Courthouse, 661 Washington St 94607")
    assert len(care.run("2026-12-02T09:00")) == 1
    ride = care.text(MARIA, "RIDE")
    assert ride.intent is Intent.CATEGORY
    assert ride.category == "transportation"
    with session_scope(care.engine) as session:
        counted = care_answers.event_counts(session)
    assert {"event": "reminder_answered", "kind": "ride"}.items() <= next(
        e for e in counted if e["event"] == "reminder_answered"
    ).items()


def test_details_of_a_service_bring_a_follow_up_and_4_is_recorded_with_the_next_place(
    care: Care,
) -> None:
    person, code = care.enrol(consent="texts")
    care.text(MARIA, code)
    care.text(MARIA, "shelter 94607")
    details = care.text(MARIA, "1")
    assert details.intent is Intent.DETAILS
    service = details.shown[0]
    assert care.run("2026-11-26T10:00") == []  # not yet: two days
    asked = care.run("2026-11-26T11:05")
    assert len(asked) == 1
    assert asked[0][2].startswith("Did you reach ")
    assert asked[0][2].endswith("4 Turned away because of my record")
    answer = care.text(MARIA, "4")
    check_sms_rules(answer)
    assert answer.intent is Intent.FOLLOW_UP
    text = answer.replies[0].text
    assert "another place" in text
    assert "PERSON" in text
    assert service not in answer.shown
    with session_scope(care.engine) as session:
        follow_ups = care_answers.follow_ups_of(session, _record(care, person).contact_id)
    assert [(f["service"], f["answer"]) for f in follow_ups] == [(service, "record")]


def test_at_most_one_follow_up_a_day_and_none_while_a_navigator_has_the_conversation(
    care: Care,
) -> None:
    care.text(MARIA, "shelter 94607")
    care.text(MARIA, "1")
    care.text(MARIA, "2")
    care.text(MARIA, "talk to someone")  # an open handoff
    assert care.run("2026-11-26T12:00") == []
    with session_scope(care.engine) as session:
        from bot.storage.contacts import find_contact
        from bot.storage.handoffs import close_handoff
        from bot.storage.staff import NavigatorRow

        contact = find_contact(session, "sms", MARIA)
        assert contact is not None
        navigator = NavigatorRow(
            email="n@example.org", password_hash="x", created_at=care.clock.now
        )
        session.add(navigator)
        session.flush()
        close_handoff(session, contact, navigator, "connected")
    assert len(care.run("2026-11-27T12:10")) == 1
    assert care.run("2026-11-27T15:00") == []  # one a day
    assert len(care.run("2026-11-28T09:30")) == 1


def test_stop_stops_every_reminder_and_the_supporters_too(care: Care) -> None:
    person, code = care.enrol()  # consent to everything, with a supporter
    care.text(MARIA, code)
    care.appointment(person, "service", "2026-12-03T13:00", "Clinic 94601")
    sent = care.run("2026-11-26T09:00")
    assert sorted(user for _, user, _ in sent) == ["+15105550177", MARIA]
    supporter_text = next(body for _, user, body in sent if user != MARIA)
    assert "You get this because Maria asked us to" in supporter_text
    care.text(MARIA, "STOP")
    assert care.run("2026-12-02T09:00") == []
    assert care.run("2026-12-03T09:00") == []


def test_without_consent_for_reminders_none_is_sent(care: Care) -> None:
    person, code = care.enrol(consent="texts")
    care.text(MARIA, code)
    care.appointment(person, "benefits", "2026-12-03T13:00", "Benefits office 94612")
    assert care.run("2026-12-03T09:00") == []
    with session_scope(care.engine) as session:
        details = {r.detail for r in session.scalars(select(ScheduledRow))}
    assert details == {"no consent for reminders"}


def test_two_schedulers_at_once_hand_each_message_over_once(care: Care) -> None:
    people_made = [care.enrol(first_name=f"P{n}", consent="texts,reminders") for n in range(6)]
    for n, (person, code) in enumerate(people_made):
        care.text(f"+1510555{2000 + n}", code)
        care.appointment(person, "parole", "2026-12-03T13:00", "Parole office 94607")
    care.clock.at("2026-12-03T09:30")
    schedulers = [
        CareScheduler(care.engine, care.data, {}, clock=care.clock, batch=2) for _ in range(2)
    ]
    threads = [threading.Thread(target=s.run_once) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = care.outbox()
    assert len(sent) == 6  # the morning-of reminder of each, once
    assert len({user for _, user, _ in sent}) == 6


def test_delete_erases_the_plan_and_the_purge_forgets_old_plans(care: Care, tmp_path: Path) -> None:
    person, code = care.enrol()
    care.text(MARIA, code)
    care.text(MARIA, "DELETE")
    care.text(MARIA, "YES")
    with session_scope(care.engine) as session:
        assert session.get(PersonRow, person) is None
    old, _ = care.enrol(first_name="Old")
    report = purge(care.engine, 30, care.clock.now.replace(year=2027))
    assert report.people == 1
    with session_scope(care.engine) as session:
        assert session.get(PersonRow, old) is None
