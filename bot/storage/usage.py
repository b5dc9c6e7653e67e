"""Monthly counts that outlive the transcripts: what the partner report reads, and only that.

Each count is added as the thing happens, in the transaction of the event
(a text answered, a navigator's first reply, a follow-up answered), so it
stands or falls with it and is never counted twice. The words, the number and
the person are never part of a count. The retention purge and a texter's
DELETE remove transcripts and people but never these rows, so a report
covers months whose transcripts are long gone.

Counts wait in the session until the transaction ends, then are added with
one upsert per row, in a fixed order, after the transaction's own writes
(``bot.storage.db.before_commit``): the hot rows (this month's texts) are
locked only for the commit itself, and two transactions never wait for each
other in opposite orders.

Months are calendar months in the loaded directory's time zone. The metrics,
and the columns each one fills (the others hold ""):

===================  =========================================  ==========================
metric               counts                                     key / other columns
===================  =========================================  ==========================
texters              a texter's first text of a month           new, returning; channel,
                                                                language
texts_in             texts answered or kept                     channel, language
texts_out            messages sent to texters                   bot, navigator; channel
segments             SMS segments sent (channel sms only)       reply, outbox; channel
search               searches (a text, or a menu category)      the category; zip_code
unmet_none           searches that found nothing                the category; zip_code
unmet_far            ... whose results were all over 10 miles   the category; zip_code
unmet_person         ... followed by PERSON within a day        the category; zip_code
crisis               crisis answers (and the concern line)      the kind, or concern
handoff              requests for a person                      normal, urgent, check_in
outcome              requests closed (month of the request)     connected, referred, ...
first_reply_office   waits for a navigator's first message,     minutes, as a bucket
first_reply_after    requested in / out of office hours         (``minute_bucket``)
enrolled ...         each care event (``care_events``)          its answer or kind;
                                                                category, service_id
days_to_first_text   release day to a person's first text       days, as a bucket
days_to_connection   release day to their first "I reached it"  days, as a bucket
===================  =========================================  ==========================
"""

from __future__ import annotations

import datetime as dt
import gc
import time
import weakref
import zoneinfo
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Engine, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.contacts import as_utc
from bot.storage.db import before_commit
from bot.storage.directory_models import DirectoryState
from bot.storage.models import UsageCountRow

_PENDING = "homeward_usage_counts"
_ZONE_SECONDS = 300.0  # a process looks the directory's time zone up again this often
_ZONES: weakref.WeakKeyDictionary[Engine, tuple[float, dt.tzinfo]] = weakref.WeakKeyDictionary()
MAX_MINUTES = 30 * 1440  # waits longer than 30 days are counted as 30 days
MAX_DAYS = 365


@dataclass(frozen=True, order=True)
class CountKey:
    """Where one count goes: its month, its metric and the columns the metric fills."""

    month: str
    metric: str
    key: str = ""
    category: str = ""
    zip_code: str = ""
    channel: str = ""
    language: str = ""
    service_id: str = ""


def count(
    session: Session,
    metric: str,
    at: dt.datetime,
    n: int = 1,
    *,
    key: str = "",
    category: str = "",
    zip_code: str = "",
    channel: str = "",
    language: str = "",
    service_id: str = "",
) -> None:
    """Add ``n`` to a monthly count when this transaction commits (nothing if it fails)."""
    if n <= 0:
        return
    pending: Counter[CountKey] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = Counter()
        before_commit(session, _write)
    pending[
        CountKey(
            month_of(session, at),
            metric[:20],
            key[:40],
            category[:40],
            zip_code[:10],
            channel[:20],
            language[:8],
            service_id[:200],
        )
    ] += n


def month_of(session: Session, at: dt.datetime) -> str:
    """The month (YYYY-MM) a time is counted in: its month in the directory's time zone."""
    return as_utc(at).astimezone(_zone(session)).strftime("%Y-%m")


def local_date(session: Session, at: dt.datetime) -> dt.date:
    """The day a time falls on in the directory's time zone (release days are local days)."""
    return as_utc(at).astimezone(_zone(session)).date()


def pending_counts(session: Session) -> dict[CountKey, int]:
    """What this transaction will add when it commits (for tests and the bench)."""
    return dict(session.info.get(_PENDING) or {})


def _write(session: Session) -> None:
    pending: Counter[CountKey] | None = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()  # the transaction's own rows first: the shared count rows are locked last
    rows = [{**asdict(key), "count": n} for key, n in sorted(pending.items())]
    statement = _upsert(session.get_bind().dialect.name)
    session.connection().execute(statement, rows)


@lru_cache(maxsize=2)
def _upsert(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT (every key column) DO UPDATE SET count = count + new``."""
    table = UsageCountRow.__table__
    assert isinstance(table, Table)
    module = postgresql if dialect == "postgresql" else sqlite
    insert = module.insert(table)
    return insert.on_conflict_do_update(
        index_elements=[c for c in CountKey.__dataclass_fields__],
        set_={"count": table.c["count"] + insert.excluded["count"]},
    )


def _zone(session: Session) -> dt.tzinfo:
    """The loaded directory's time zone (months are counted in it), looked up now and then."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    found = _ZONES.get(engine)
    if found is not None and found[0] > time.monotonic():
        return found[1]
    state = session.get(DirectoryState, 1)
    name = str((state.info or {}).get("timezone") or "UTC") if state is not None else "UTC"
    try:
        zone: dt.tzinfo = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    _ZONES[engine] = (time.monotonic() + _ZONE_SECONDS, zone)
    return zone


def minute_bucket(minutes: float) -> int:
    """A wait in minutes, rounded down to its bucket (what a wait is counted as).

    Whole minutes under an hour, 5 minutes up to 4 hours, 15 up to a day, an
    hour up to a week, then whole days up to 30 days: a median read from the
    buckets is as exact as anyone reads a wait of that length.
    """
    m = min(max(0, int(minutes)), MAX_MINUTES)
    for limit, step in ((60, 1), (240, 5), (1440, 15), (7 * 1440, 60)):
        if m < limit:
            return m - m % step
    return m - m % 1440


def day_bucket(days: int) -> int:
    """Days between two dates, kept within a year either way."""
    return max(-MAX_DAYS, min(MAX_DAYS, days))


class UsageCount(NamedTuple):
    """One stored monthly count, as the report reads it (a tuple: a statewide year is
    some 650,000 of them, read in one go)."""

    month: str
    metric: str
    key: str
    category: str
    zip_code: str
    channel: str
    language: str
    service_id: str
    count: int  # type: ignore[assignment]  # the field, not tuple.count: read as .count


@contextmanager
def paused_collection() -> Iterator[None]:
    """No cyclic garbage collection inside the block (then as before).

    Reading a statewide year (650,000 tuples) and building its report (some
    360,000 cells and their equations) make millions of objects and no cycles
    worth collecting; the collector would walk that heap over and over (about
    15% of the build, measured). Reference counting still frees
    everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def counts_between(session: Session, first_month: str, last_month: str) -> list[UsageCount]:
    """Every count of the months from ``first_month`` to ``last_month`` (YYYY-MM), inclusive.

    Read through the connection as plain tuples, not ORM rows: a statewide year
    is some 650,000 rows, and the ORM's row objects cost several times the query.
    """
    with paused_collection():
        return _counts_between(session, first_month, last_month)


def _counts_between(session: Session, first_month: str, last_month: str) -> list[UsageCount]:
    statement = select(
        UsageCountRow.month,
        UsageCountRow.metric,
        UsageCountRow.key,
        UsageCountRow.category,
        UsageCountRow.zip_code,
        UsageCountRow.channel,
        UsageCountRow.language,
        UsageCountRow.service_id,
        UsageCountRow.count,
    ).where(UsageCountRow.month >= first_month, UsageCountRow.month <= last_month)
    # The driver's own cursor, in the session's transaction: its rows are plain tuples,
    # and SQLAlchemy's row objects cost more than the query (measured on PostgreSQL).
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    params = compiled.construct_params()
    names = compiled.positiontup
    arguments: Any = tuple(params[name] for name in names) if names is not None else params
    cursor = connection.connection.cursor()
    try:
        cursor.execute(compiled.string, arguments)
        return list(map(UsageCount._make, cursor.fetchall()))
    finally:
        cursor.close()


def counted_months(session: Session) -> tuple[str, str] | None:
    """The first and last month that have any count (None before the first)."""
    first = session.scalar(select(UsageCountRow.month).order_by(UsageCountRow.month).limit(1))
    last = session.scalar(select(UsageCountRow.month).order_by(UsageCountRow.month.desc()).limit(1))
    return (str(first), str(last)) if first and last else None
