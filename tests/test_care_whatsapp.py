"""WhatsApp outside its 24-hour window: an approved template per message kind, or the message
waits; sent with the real twilio client against the Prism mock of Twilio's API."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs

from sqlalchemy import select

from bot.delivery.twilio_sender import TwilioSender
from bot.delivery.worker import OutboxWorker
from bot.settings import Settings
from bot.storage.care_models import FollowUpRow
from bot.storage.db import session_scope
from tests.care_helpers import make_care
from tests.conftest import SAMPLE_DIRECTORY
from tests.conversation_helpers import PACIFIC
from tests.twilio_mock import FaultProxy

TEMPLATE = "HX" + "ab" * 16


def _day(days: int) -> str:
    """A local day from tomorrow on: the sender checks WhatsApp's window on the real clock."""
    return (dt.datetime.now(PACIFIC).date() + dt.timedelta(days=1 + days)).isoformat()


def test_a_reminder_outside_the_window_goes_as_the_template_and_a_follow_up_waits(
    sample_database_url: str, twilio_proxy: FaultProxy
) -> None:
    settings = Settings.from_env(
        {
            "TWILIO_ACCOUNT_SID": "AC" + "2" * 32,
            "TWILIO_AUTH_TOKEN": "template-test-token",
            "TWILIO_FROM": "+15105550100",
            "HOMEWARD_PUBLIC_URL": "https://homeward.example.org",
            "TWILIO_API_BASE_URL": twilio_proxy.url,
            "TWILIO_WHATSAPP_REMINDER_TEMPLATE_SID": TEMPLATE,
            "HOMEWARD_DATABASE_URL": sample_database_url,
            "HOMEWARD_DIRECTORY": str(SAMPLE_DIRECTORY),
        }
    )
    care = make_care(sample_database_url, f"{_day(0)}T11:00")
    care.scheduler.templates = dict(settings.whatsapp_templates)
    person, code = care.enrol(consent="texts,reminders")
    care.text("+15105551234", code, channel="whatsapp")
    care.text("+15105551234", "shelter 94607", channel="whatsapp")
    care.text("+15105551234", "1", channel="whatsapp")  # a follow-up in two days
    care.appointment(person, "court", f"{_day(9)}T10:30", "Courthouse 94607")
    assert len(care.run(f"{_day(2)}T09:00")) == 1  # the week-before reminder
    sender = TwilioSender(settings)
    OutboxWorker(care.engine, {"whatsapp": sender}).run_once()
    created = parse_qs(twilio_proxy.created[0])
    assert created["ContentSid"] == [TEMPLATE]
    assert created["To"] == ["whatsapp:+15105551234"]
    assert created["From"] == ["whatsapp:+15105550100"]
    assert "Body" not in created
    assert "court date" in json.loads(created["ContentVariables"][0])["1"]
    assert care.run(f"{_day(2)}T11:00") == []  # the follow-up is due, but no template
    with session_scope(care.engine) as session:
        follow_up = session.scalars(select(FollowUpRow)).one()
        assert (follow_up.status, follow_up.detail) == (
            "pending",
            "outside WhatsApp's 24-hour window, no template",
        )
    care.clock.at(f"{_day(2)}T11:30")
    care.text("+15105551234", "thanks", channel="whatsapp")  # the window opens again
    asked = care.run(f"{_day(2)}T12:05")
    assert [body.startswith("Did you reach") for _, _, body in asked] == [True]
    OutboxWorker(care.engine, {"whatsapp": sender}).run_once()
    free_form = parse_qs(twilio_proxy.created[1])
    assert free_form["Body"][0].startswith("Did you reach")
    assert "ContentSid" not in free_form
