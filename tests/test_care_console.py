"""The console's people pages in-process: sign-in and CSRF, wrong fields kept, the audit log,
a service from the picker brings its follow-up, a message sent later."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.storage.audit import recent_audit
from bot.storage.care_models import FollowUpRow, PersonRow, ScheduledRow
from bot.storage.db import session_scope
from tests.console_helpers import (
    console_app,
    console_settings,
    contact_id,
    conversation_of,
    post,
    sign_in,
    text,
)


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    return sample_database_url


def test_enrolling_needs_a_sign_in_and_the_csrf_token(database_url: str) -> None:
    with console_app(console_settings(database_url)) as client:
        assert client.get("/console/people").status_code == 303  # to the sign-in page
        sign_in(client)
        refused = client.post("/console/people", data={"first_name": "Maria"})
        assert refused.status_code == 403
        with session_scope(conversation_of(client).database) as session:
            assert session.scalars(select(PersonRow)).all() == []


def test_wrong_fields_are_named_and_what_was_typed_is_kept(database_url: str) -> None:
    with console_app(console_settings(database_url)) as client:
        token = sign_in(client)
        form = {
            "first_name": "Maria <b>",
            "release_date": "next week",
            "zip": "946",
            "need_food": "1",
        }
        wrong = post(client, "/console/people", token, **form)
        assert wrong.status_code == 400
        page = wrong.text
        for field in ("Release date", "ZIP", "Consent"):
            assert re.search(rf'<a href="#\w+">{field}</a>', page), field
        assert 'value="Maria &lt;b&gt;"' in page  # kept, and escaped
        assert 'name="need_food" value="1" checked' in page


def test_enrolment_appointment_and_letter_are_audited(database_url: str) -> None:
    with console_app(console_settings(database_url)) as client:
        token = sign_in(client)
        made = post(
            client,
            "/console/people",
            token,
            first_name="Maria",
            release_date="2026-12-01",
            zip="94607",
            need_housing="1",
            consent_texts="1",
            consent_reminders="1",
        )
        assert made.status_code == 303
        page = client.get(made.headers["location"])
        person = re.search(r"/console/people/(\d+)/letter", page.text)
        assert person is not None
        ident = person.group(1)
        added = post(
            client,
            f"/console/people/{ident}/appointments",
            token,
            kind="court",
            at="2030-01-15T10:30",
            where="Courthouse 94607",
        )
        assert added.status_code == 303
        assert client.get(f"/console/people/{ident}/letter").status_code == 200
        with session_scope(conversation_of(client).database) as session:
            actions = [row.action for row in recent_audit(session)]
            reminders = session.scalars(select(ScheduledRow)).all()
        assert {"enrol", "view_person", "appointment", "letter"} <= set(actions)
        assert len(reminders) == 3


def test_a_service_sent_from_the_picker_brings_a_follow_up_and_a_message_can_wait(
    database_url: str,
) -> None:
    with console_app(console_settings(database_url)) as client:
        token = sign_in(client)
        text(client, "picker-texter", "talk to someone")
        ident = contact_id(client, "picker-texter")
        reply = f"/console/conversations/{ident}/reply"
        found = post(client, reply, token, body="", action="find", q="dentist")
        service = found.text.split('name="service" id="service-1" value="')[1].split('"')[0]
        inserted = post(
            client, reply, token, body="", action="insert_service", q="dentist", service=service
        )
        given = re.search(r'name="given" value="([^"]*)"', inserted.text)
        assert given is not None
        assert given.group(1) == service
        draft = re.search(r'<textarea id="body" name="body"[^>]*>([^<]*)</textarea>', inserted.text)
        assert draft is not None
        sent = post(client, reply, token, body=draft.group(1), given=service, action="send")
        assert sent.status_code == 303
        later = post(
            client,
            f"/console/conversations/{ident}/later",
            token,
            send_at="2030-01-15T10:30",
            body="Checking in: did the clinic work out?",
        )
        assert "done=scheduled" in later.headers["location"]
        with session_scope(conversation_of(client).database) as session:
            follow_up = session.scalars(select(FollowUpRow)).one()
            waiting = session.scalars(select(ScheduledRow)).one()
        assert (follow_up.service_id, follow_up.given_by) == (service, "navigator")
        assert (waiting.kind, waiting.contact_id, waiting.status) == ("message", ident, "pending")
