"""Helpers for the continuity-of-care tests: a core and a scheduler on one clock, enrolments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from bot.care.files import CareData, load_care
from bot.care.plans import add_appointment, enrol_person, read_appointment, read_enrolment
from bot.care.scheduler import CareScheduler
from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage, Turn
from bot.runtime import open_runtime
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.models import ContactRow, OutboxRow
from bot.storage.vault import vault_of
from tests.conftest import SAMPLE_DIRECTORY
from tests.conversation_helpers import PACIFIC


@dataclass
class Clock:
    """A clock the test moves."""

    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, local: str) -> dt.datetime:
        """Move to a local time in the sample directory's zone ("2026-12-01T09:00")."""
        self.now = dt.datetime.fromisoformat(local).replace(tzinfo=PACIFIC)
        return self.now


@dataclass
class Care:
    """The core, the scheduler and the engine of one test, on one clock."""

    engine: Engine
    conversation: Conversation
    scheduler: CareScheduler
    clock: Clock
    data: CareData
    seen: set[int] = field(default_factory=set)

    def text(self, user: str, words: str, channel: str = "sms") -> Turn:
        return self.conversation.handle(InboundMessage(channel, user, words))

    def enrol(self, **values: str) -> tuple[int, str]:
        fields = {"first_name": "Maria", "release_date": "2026-11-20", "consent": "all", **values}
        if "supporter" not in fields and "supporter" in fields["consent"].replace(
            "all", "supporter"
        ):
            fields["supporter"] = "+15105550177"
        enrolment, problems = read_enrolment(fields, consent_by="test@example.org")
        assert enrolment is not None, problems
        return enrol_person(self.engine, enrolment, self.clock.now)

    def appointment(self, person: int, kind: str, at: str, where: str) -> list[dt.datetime]:
        fields, problems = read_appointment(kind, at, where, "", PACIFIC)
        assert fields is not None, problems
        made = add_appointment(self.engine, self.data, person, fields, self.clock.now)
        assert made is not None
        return made[1]

    def run(self, local: str) -> list[tuple[str, str, str]]:
        """One scheduler round at a local time; the new outbox messages (channel, user, body)."""
        self.clock.at(local)
        self.scheduler.run_once()
        return self.outbox()

    def outbox(self) -> list[tuple[str, str, str]]:
        """Outbox messages not seen before by this helper, oldest first."""
        with session_scope(self.engine) as session:
            vault = vault_of(session)
            rows = session.execute(
                select(OutboxRow, ContactRow)
                .join(ContactRow, ContactRow.id == OutboxRow.contact_id)
                .order_by(OutboxRow.id)
            ).all()
            new = [(o, c) for o, c in rows if o.id not in self.seen]
            self.seen |= {o.id for o, _ in new}
            return [(c.channel, c.user_id, vault.open(o.body)) for o, c in new]


def make_care(database_url: str, start: str = "2026-11-24T11:00") -> Care:
    settings = Settings(database_url=database_url, directory=SAMPLE_DIRECTORY, log_level="WARNING")
    runtime = open_runtime(settings)
    clock = Clock(dt.datetime.now(dt.UTC))
    clock.at(start)
    data = load_care(SAMPLE_DIRECTORY)
    conversation = Conversation(runtime.engine, runtime.search, settings, clock=clock)
    scheduler = CareScheduler(runtime.engine, data, {}, clock=clock)
    return Care(runtime.engine, conversation, scheduler, clock, data)
