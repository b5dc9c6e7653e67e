"""A texter's conversation state, read and saved by the core in its message's transaction.

The core never touches ORM rows: it opens a ``Texter`` (a plain record of where
the conversation stands), changes it while it answers, and saves it back.
Handoff requests, erasure and the transcript go through the functions here
too, so the ``contacts`` and ``handoffs`` rows are written from one package.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.storage.contacts import (
    CHECK_IN,
    URGENT,
    as_utc,
    contact_for,
    current_handoff,
    find_contact,
    open_check_in,
    open_handoff,
)
from bot.storage.contacts import take_pending as take_pending_rows
from bot.storage.db import run_transaction, session_scope
from bot.storage.erase import erase_contact
from bot.storage.models import ContactRow
from bot.storage.rates import RateWindow, open_rate, person_key, save_rate
from bot.storage.reports import add_report
from bot.storage.transcript import TurnRecord, record_turn
from bot.storage.usage import count, month_of

Point = tuple[float, float]
PERSON_AFTER_SEARCH = dt.timedelta(days=1)  # PERSON this soon after a search: it went unmet


@dataclass
class Texter:
    """Where one texter's conversation stands; the core changes it, ``save_texter`` keeps it."""

    id: int
    channel: str
    is_new: bool
    language: str
    awaiting: str
    zip_code: str | None
    location: Point | None
    last_query: str
    last_category: str | None
    last_results: list[str]
    page: int
    asked_zip: bool
    opted_out: bool
    handoff_open: bool
    last_seen_at: dt.datetime
    rate: RateWindow = field(default_factory=RateWindow)
    erased: bool = False
    thread: dict[str, Any] = field(default_factory=dict)  # sealed; the core gives it a shape
    person: str = ""  # the key of the counts in ``rate`` (one per phone number)
    detail_service: str | None = None  # the service shown in full last (what WRONG is about)


# Compared with what was loaded, so that a message rewrites (and reseals) only what changed.
_PLAIN = (
    "language",
    "awaiting",
    "zip_code",
    "last_category",
    "page",
    "asked_zip",
    "opted_out",
    "handoff_open",
    "last_seen_at",
    "detail_service",
)


def open_texter(
    session: Session, channel: str, user_id: str, language: Callable[[], str], when: dt.datetime
) -> Texter:
    """The texter's state, locked for this transaction (created on their first message).

    ``language`` is asked only for a new texter. ``when`` becomes their last-seen time.
    """
    row, created = contact_for(session, channel, user_id, language)
    _count_texter(session, row, when)
    person = person_key(row.channel, row.user_hash)
    texter = Texter(
        id=row.id,
        channel=row.channel,
        is_new=created,
        language=row.language,
        awaiting=row.awaiting or "",
        zip_code=row.zip_code,
        location=row.location,
        last_query=row.last_query,
        last_category=row.last_category,
        last_results=[str(i) for i in row.last_results or []],
        page=row.page or 0,
        asked_zip=bool(row.asked_zip),
        opted_out=bool(row.opted_out),
        handoff_open=bool(row.handoff_open),
        last_seen_at=when,
        rate=open_rate(session, person),
        person=person,
        thread=row.thread,
        detail_service=row.detail_service,
    )
    # What the row holds, to compare with at save time.
    session.info.setdefault("texters_loaded", {})[texter.id] = replace(
        texter,
        last_results=list(texter.last_results),
        last_seen_at=row.last_seen_at,
        thread=copy.deepcopy(texter.thread),
    )
    return texter


def _count_texter(session: Session, row: ContactRow, when: dt.datetime) -> None:
    """A texter's first text of a month counts them once: new the first month, then returning."""
    month = month_of(session, when)
    if row.counted_month == month:
        return
    status = "new" if row.counted_month is None else "returning"
    count(session, "texters", when, key=status, channel=row.channel, language=row.language)
    row.counted_month = month


def save_texter(session: Session, texter: Texter) -> None:
    """Write back what the core changed (nothing once the texter's data was erased)."""
    if texter.erased:
        return
    row = _row(session, texter.id)
    loaded: Texter = session.info.get("texters_loaded", {}).get(texter.id) or texter
    for name in _PLAIN:
        value = getattr(texter, name)
        if value != getattr(loaded, name) or texter is loaded:
            setattr(row, name, value)
    if texter.location != loaded.location:
        row.location = texter.location
    if texter.last_query != loaded.last_query:
        row.last_query = texter.last_query
    if texter.last_results != loaded.last_results:
        row.last_results = list(texter.last_results)
    if texter.thread != loaded.thread:
        row.thread = dict(texter.thread)
    if texter.rate != loaded.rate or texter is loaded:
        save_rate(session, texter.person, texter.rate)


def request_person(
    session: Session, texter: Texter, *, urgent: bool = False, crisis: str | None = None
) -> bool:
    """Put the texter in the navigators' queue; False if they already were (may turn urgent)."""
    texter.handoff_open = True
    row = _row(session, texter.id)
    opened = open_handoff(session, row, urgent=urgent, crisis=crisis)
    if opened:
        count(session, "handoff", texter.last_seen_at, key="urgent" if urgent else "normal")
        if not urgent:
            _count_person_after_search(session, texter, row)
    return opened


def _count_person_after_search(session: Session, texter: Texter, row: ContactRow) -> None:
    """PERSON within a day of a search that found something near: that need went unmet."""
    before: Texter | None = session.info.get("texters_loaded", {}).get(texter.id)
    if before is None or row.search_unmet != "met":
        return
    if texter.last_seen_at - as_utc(before.last_seen_at) > PERSON_AFTER_SEARCH:
        return
    count(
        session,
        "unmet_person",
        texter.last_seen_at,
        key=before.last_category or "",
        zip_code=before.zip_code or "",
    )
    row.search_unmet = "person"


def request_check_in(session: Session, texter: Texter) -> None:
    """A hopeless text: a check-in in the navigators' queue; the texter stays with the bot."""
    count(session, "crisis", texter.last_seen_at, key=CHECK_IN)  # the concern line was given
    if open_check_in(session, _row(session, texter.id)):
        count(session, "handoff", texter.last_seen_at, key="check_in")


def open_crisis_kind(session: Session, texter: Texter) -> str | None:
    """The crisis kind of the texter's open urgent request, if it has one."""
    handoff = current_handoff(session, _row(session, texter.id))
    if handoff is None or handoff.priority < URGENT or handoff.crisis == CHECK_IN:
        return None
    return handoff.crisis


def acknowledge_handoff(session: Session, texter: Texter) -> bool | None:
    """Note the first text after a request for a person.

    None when no request is open any more (a navigator closed it); True for the
    first text since the request, which the bot acknowledges; False after that.
    """
    handoff = current_handoff(session, _row(session, texter.id))
    if handoff is None:
        return None
    if handoff.acknowledged:
        return False
    handoff.acknowledged = True
    return True


def waiting_in_queue(session: Session, texter: Texter) -> bool:
    """Whether the texter's request for a person waits untouched: open, not a crisis,
    taken by no navigator and answered by none yet."""
    handoff = current_handoff(session, _row(session, texter.id))
    return (
        handoff is not None
        and handoff.crisis is None
        and handoff.assigned_to is None
        and handoff.first_reply_at is None
    )


def erase_texter(session: Session, texter: Texter) -> None:
    """Erase what Homeward holds on the texter (DELETE, confirmed); an opt-out stays."""
    save_texter(session, texter)  # what this message changed (an opt-out) counts
    erase_contact(session, _row(session, texter.id))
    texter.erased = True


def report_wrong(session: Session, texter: Texter, service_id: str, kind: str, note: str) -> None:
    """Keep a texter's report that an entry is wrong (their words sealed)."""
    add_report(session, service_id, texter.id, kind, note, texter.language)


def record_turn_of(session: Session, texter: Texter, record: TurnRecord) -> None:
    """Keep the texter's message and the replies in the transcript."""
    record_turn(session, _row(session, texter.id), record)


def take_pending(engine: Engine, channel: str, user_id: str) -> list[str]:
    """Messages that reached a texter while they were away, marked delivered now."""
    with session_scope(engine) as session:
        row = find_contact(session, channel, user_id)
        return take_pending_rows(session, row) if row else []


def stop_texter(engine: Engine, channel: str, user_id: str) -> None:
    """Stop a texter the platform says we cannot reach (they blocked the bot)."""

    def work(session: Session) -> None:
        row = find_contact(session, channel, user_id)
        if row is not None:
            row.opted_out = True

    run_transaction(engine, work)


def _row(session: Session, texter_id: int) -> ContactRow:
    """The contact row, from the session's identity map (loaded by ``open_texter``)."""
    row = session.get(ContactRow, texter_id)
    if row is None:
        raise LookupError(f"texter {texter_id} is not in this transaction")
    return row
