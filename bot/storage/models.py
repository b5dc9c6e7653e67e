"""SQLAlchemy models of Homeward's tables (others in the modules imported at the end).

Two kinds of rows: the loaded copy of the directory (the YAML files are the
source of truth; the database holds the copy so that several processes share
one version and a load is one transaction), and the texters' side: contacts,
handoff requests, the transcript, the outbox, inbound message ids and pending
messages. Only ``bot.storage`` writes them; other packages go through its
repository functions (a test checks the core, safety, channels and delivery).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session

from bot.storage.points import valid_point

if TYPE_CHECKING:
    from bot.storage.vault import Vault


class Base(DeclarativeBase):
    """Declarative base of every Homeward table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class ContactRow(Base):
    """One texter on one channel, and where their conversation stands.

    Everything the core needs between messages lives here, never in a
    process's memory, so any worker can take the next message. The number or
    chat id is kept only sealed (``user_sealed``) and as a keyed hash
    (``user_hash``) to find the row; the last search and a shared location are
    sealed too. The properties below open and seal them through the vault of
    the session the row belongs to.
    """

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("channel", "user_hash", name="uq_contact_channel_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    user_hash: Mapped[str] = mapped_column(String(64))
    user_sealed: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    zip_code: Mapped[str | None] = mapped_column(String(10))
    location_sealed: Mapped[str] = mapped_column(Text, default="")
    last_query_sealed: Mapped[str] = mapped_column(Text, default="")
    last_category: Mapped[str | None] = mapped_column(String(40))
    last_results: Mapped[list[Any]] = mapped_column(default=list)
    page: Mapped[int] = mapped_column(Integer, default=0)
    awaiting: Mapped[str] = mapped_column(String(20), default="")
    asked_zip: Mapped[bool] = mapped_column(default=False)
    opted_out: Mapped[bool] = mapped_column(default=False)
    # True while the bot stays out of the way: texts go to a navigator (see core).
    handoff_open: Mapped[bool] = mapped_column(default=False)
    first_name_sealed: Mapped[str] = mapped_column(Text, default="")  # a navigator may note it
    # Where the conversation stands beyond the last search: the need carried to a
    # place, the needs still to answer, the place's name, the texter's situation
    # (just released, family of someone inside). Sealed: it holds their words.
    thread_sealed: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # The service whose details were shown last: what a WRONG reply is about.
    detail_service: Mapped[str | None] = mapped_column(String(200))
    # The last month this texter was counted in the partner report (new, then returning),
    # and whether their last search went unmet, so PERSON after it counts once
    # (``bot.storage.usage``): counts only, nothing they wrote.
    counted_month: Mapped[str | None] = mapped_column(String(7))
    search_unmet: Mapped[str] = mapped_column(String(10), default="")

    def _vault(self) -> Vault:
        from bot.storage.vault import vault_of

        session = object_session(self)
        if session is None:
            raise RuntimeError("a contact's sealed fields need its session")
        return vault_of(session)

    @property
    def user_id(self) -> str:
        """The number or chat id, opened (empty once erased)."""
        return self._vault().open(self.user_sealed)

    @property
    def last_query(self) -> str:
        """The texter's last search, for MORE and for the navigator."""
        return self._vault().open(self.last_query_sealed)

    @last_query.setter
    def last_query(self, text: str) -> None:
        self.last_query_sealed = self._vault().seal(text)

    @property
    def thread(self) -> dict[str, Any]:
        """The conversation's thread (see ``bot.conversation.thread``), opened."""
        opened = self._vault().open_json(self.thread_sealed) if self.thread_sealed else None
        return dict(opened) if isinstance(opened, dict) else {}

    @thread.setter
    def thread(self, value: dict[str, Any]) -> None:
        self.thread_sealed = self._vault().seal_json(value) if value else ""

    @property
    def first_name(self) -> str:
        """The texter's first name, if a navigator noted it (for saved replies)."""
        return self._vault().open(self.first_name_sealed)

    @first_name.setter
    def first_name(self, name: str) -> None:
        self.first_name_sealed = self._vault().seal(name)

    @property
    def location(self) -> tuple[float, float] | None:
        """A shared location (latitude, longitude), if the texter sent one.

        A stored point that is not two finite numbers in range (older versions
        kept whatever Telegram sent) reads as no location, never as an error.
        """
        return valid_point(self._vault().open_json(self.location_sealed))

    @location.setter
    def location(self, point: tuple[float, float] | None) -> None:
        self.location_sealed = self._vault().seal_json(list(point)) if point else ""


class HandoffRow(Base):
    """A texter's request to talk to a person (the navigator queue reads these)."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="open")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    crisis: Mapped[str | None] = mapped_column(String(20))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(30))
    assigned_to: Mapped[int | None] = mapped_column(
        ForeignKey("navigators.id", ondelete="SET NULL", name="fk_handoffs_assigned_to")
    )
    closed_by: Mapped[int | None] = mapped_column(
        ForeignKey("navigators.id", ondelete="SET NULL", name="fk_handoffs_closed_by")
    )
    acknowledged: Mapped[bool] = mapped_column(default=False)  # texter told "a navigator will see"
    alerted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    alerted_urgent: Mapped[bool] = mapped_column(default=False)
    # A navigator's first message after the request (its wait is counted once).
    first_reply_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PendingMessageRow(Base):
    """A message for a texter that was not an answer to their text (navigator replies).

    The console channel shows these at the start of the next ``homeward chat``.
    ``body`` is sealed by the vault.
    """

    __tablename__ = "pending_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class InboundRow(Base):
    """A platform message already taken in (Twilio MessageSid, Telegram update_id).

    ``external_id`` is a SHA-256 of the platform's id, never the id itself. The
    row outlives its sealed replies (kept 2 days, for retries) by
    HOMEWARD_MESSAGE_ID_RETENTION_DAYS, so a captured webhook replayed later
    is still recognised and never processed again. The unique constraint, not
    a set in memory, makes a retried webhook get the same reply and be
    processed once, whichever worker it reaches.
    """

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_inbound_channel_external"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="processing")
    replies_sealed: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class OutboxRow(Base):
    """A message to send outside a webhook (navigator replies, follow-ups).

    Accepted into the database first, then sent by a worker, so nothing is lost
    when a process dies; ``provider_id`` ties Twilio's status callbacks to it.
    ``body`` is sealed by the vault.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    provider_id: Mapped[str | None] = mapped_column(String(100), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # An approved WhatsApp template (Twilio Content SID) when the message is sent
    # outside WhatsApp's 24-hour window; "" for a free-form message.
    template_sid: Mapped[str] = mapped_column(String(40), default="")
    # The last try ended without the provider's answer (a timeout, a dropped
    # connection): it may have taken the message, so look before sending again.
    unsure: Mapped[bool] = mapped_column(default=False)


class MessageRow(Base):
    """One line of a texter's transcript: their text, a bot reply, a navigator's message.

    The words are sealed. What the bot understood (intent, category, ZIP, the
    services shown) is kept beside them in clear, for the navigator. The
    monthly counts are kept apart as lines are written (``bot.storage.usage``).
    """

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # "in" or "out"
    author: Mapped[str] = mapped_column(String(20))  # texter, bot, navigator
    body_sealed: Mapped[str] = mapped_column(Text, default="")
    intent: Mapped[str] = mapped_column(String(30), default="")
    category: Mapped[str | None] = mapped_column(String(40))
    zip_code: Mapped[str | None] = mapped_column(String(10))
    crisis: Mapped[str | None] = mapped_column(String(20))
    shown: Mapped[list[Any]] = mapped_column(default=list)
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    navigator_id: Mapped[int | None] = mapped_column(
        ForeignKey("navigators.id", ondelete="SET NULL", name="fk_messages_navigator_id")
    )


class ServiceReportRow(Base):
    """A texter's WRONG: what is wrong with a directory entry, for a curator to check.

    ``note_sealed`` holds the texter's own words, sealed; ``kind`` is what they
    were read as (closed, moved, wrong_number, refused, hours, other). The
    service is named by id only: directory versions come and go, reports stay
    until a navigator or curator marks them checked.
    """

    __tablename__ = "service_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(200), index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="other")
    note_sealed: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str] = mapped_column(String(254), default="")


class UsageCountRow(Base):
    """Monthly counts, kept as things happen and never purged: no person, no words.

    What each ``metric`` counts, and which of the other columns it fills, is
    listed in ``bot.storage.usage``; a column a metric does not use holds "".
    The partner report (``bot.reports``) reads only these rows.
    """

    __tablename__ = "usage_counts"
    __table_args__ = (
        UniqueConstraint(
            "month",
            "metric",
            "key",
            "category",
            "zip_code",
            "channel",
            "language",
            "service_id",
            name="uq_usage_count",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # 2026-11, in the directory's time zone
    metric: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(40), default="")
    zip_code: Mapped[str] = mapped_column(String(10), default="")
    count: Mapped[int] = mapped_column(Integer, default=0)
    category: Mapped[str] = mapped_column(String(40), default="")
    channel: Mapped[str] = mapped_column(String(20), default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    service_id: Mapped[str] = mapped_column(String(200), default="")


class SecretRow(Base):
    """Per-database secrets, sealed under HOMEWARD_SECRET_KEY (the lookup-hash key)."""

    __tablename__ = "secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text)


class JobRunRow(Base):
    """When a periodic job last ran, so one worker of many runs it each day."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_run_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# The directory's tables, the navigators' console tables, continuity of care, the
# per-person counters and the curated files live in their own modules; importing them
# here puts them in ``Base.metadata`` wherever the models are loaded (migrations, tests),
# and the directory's row classes are still found here.
from bot.storage import care_models as _care_models  # noqa: E402, F401
from bot.storage import counters as _counters  # noqa: E402, F401
from bot.storage import curated as _curated  # noqa: E402, F401
from bot.storage import staff as _staff  # noqa: E402, F401
from bot.storage.directory_models import DirectoryState as DirectoryState  # noqa: E402
from bot.storage.directory_models import LocationRow as LocationRow  # noqa: E402
from bot.storage.directory_models import OrganizationRow as OrganizationRow  # noqa: E402
from bot.storage.directory_models import ServiceCategoryRow as ServiceCategoryRow  # noqa: E402
from bot.storage.directory_models import ServiceRow as ServiceRow  # noqa: E402
