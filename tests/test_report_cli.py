"""`homeward report`: the same figures in text, JSON and CSV, kept after the purge, audited.

Texts go through the real core at two past months (its clock set there), a
navigator answers a request; then the real `homeward` command prints the
report. The transcripts are purged and the report is printed again: the
monthly counts it reads outlive them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.reports.export import figures
from bot.runtime import open_runtime
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.models import MessageRow
from bot.storage.retention import purge
from bot.storage.staff import AuditRow
from tests.care_helpers import Clock
from tests.conftest import SAMPLE_DIRECTORY

Run = Callable[..., subprocess.CompletedProcess[str]]
PERIOD = ("--from", "2026-08-01", "--to", "2026-09-30")
TEXTERS = 12


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    return sample_database_url


@pytest.fixture
def traffic(database_url: str) -> Settings:
    """A dozen SMS texters in August, the same dozen back in September."""
    settings = Settings(database_url=database_url, directory=SAMPLE_DIRECTORY, log_level="WARNING")
    runtime = open_runtime(settings)
    clock = Clock(dt.datetime.now(dt.UTC))
    conversation = Conversation(runtime.engine, runtime.search, settings, clock=clock)
    clock.at("2026-08-11T10:00")
    for n in range(TEXTERS):
        conversation.handle(InboundMessage("sms", f"+1510555{n:04d}", "food 94607"))
    clock.at("2026-09-08T10:00")
    for n in range(TEXTERS):
        conversation.handle(InboundMessage("sms", f"+1510555{n:04d}", "housing 94601"))
    runtime.engine.dispose()
    return settings


def _report(run_cli: Run, *shape: str) -> str:
    done = run_cli("report", *PERIOD, *shape)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_json_csv_and_text_show_the_same_figures(run_cli: Run, traffic: Settings) -> None:
    report = json.loads(_report(run_cli, "--json"))
    august, september = report["months"]
    assert (august["month"], september["month"]) == ("2026-08", "2026-09")
    assert august["texters"] == {**august["texters"], "new": TEXTERS, "returning": 0}
    assert september["texters"]["returning"] == TEXTERS
    assert august["texts"]["in"] == september["texts"]["in"] == TEXTERS
    assert august["needs"]["food"] == september["needs"]["housing"] == TEXTERS
    assert august["texts"]["sms_segments"] >= TEXTERS
    assert report["period"]["texters"]["by_channel"] == {"sms": 2 * TEXTERS}
    rows = list(csv.DictReader(io.StringIO(_report(run_cli, "--csv"))))
    assert rows
    from_csv = {(r["month"], r["measure"]): r["value"] for r in rows}
    for month, measure, value in figures(report):
        assert from_csv.pop((month, measure)) == ("" if value is None else str(value))
    assert not from_csv
    text = _report(run_cli)
    line = next(x for x in text.splitlines() if x.startswith("2026-08"))
    assert line.split()[1:3] == [str(TEXTERS), "0"]


def test_the_report_outlives_the_purged_transcripts(run_cli: Run, traffic: Settings) -> None:
    before = _report(run_cli, "--json")
    engine = open_runtime(traffic, refresh=False).engine
    purge(engine, 30, at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(MessageRow)) == 0
    engine.dispose()
    assert _report(run_cli, "--json") == before


def test_every_export_is_in_the_audit_log(run_cli: Run, traffic: Settings) -> None:
    _report(run_cli, "--csv")
    _report(run_cli, "--json")
    engine = open_runtime(traffic, refresh=False).engine
    with session_scope(engine) as session:
        rows = session.execute(
            select(AuditRow.actor, AuditRow.action, AuditRow.detail).order_by(AuditRow.id)
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows[-2:]] == [
        ("(command line)", "report_csv", "2026-08-01..2026-09-30"),
        ("(command line)", "report_json", "2026-08-01..2026-09-30"),
    ]


def test_bad_dates_get_one_plain_line(run_cli: Run) -> None:
    for args, problem in (
        (("--from", "2026-02-30"), "--from must be a date YYYY-MM-DD"),
        (("--from", "2026-05-01", "--to", "2026-04-01"), "is after --to"),
        (("--from", "2000-01-01", "--to", "2026-04-01"), "at most 120 months"),
    ):
        done = run_cli("report", *args)
        assert done.returncode == 2
        assert problem in done.stderr
        assert "Traceback" not in done.stderr
    both = run_cli("report", "--json", "--csv")
    assert both.returncode == 2


def test_a_partner_account_is_made_from_the_command_line(run_cli: Run) -> None:
    added = run_cli(
        "navigator",
        "add",
        "pat@example.org",
        "--role",
        "partner",
        "--password-stdin",
        stdin="a partner's long password\n",
    )
    assert added.returncode == 0, added.stderr
    assert "Added pat@example.org (partner)." in added.stdout
    listed = json.loads(run_cli("navigator", "list", "--json").stdout)
    assert [a["role"] for a in listed if a["email"] == "pat@example.org"] == ["partner"]
