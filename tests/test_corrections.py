"""Texters' corrections: WRONG after details reaches the console, stats and the provider check.

A texter opens a place's details, replies WRONG (MAL in Spanish) and says
what is wrong; the report is kept with their words sealed, shown per service
in the console (escaped, with the file to edit), counted by ``directory
stats``, and ``directory verify-requests`` lists the entry with the message
for its provider; ``--checked`` writes the date into the file.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.conversation.corrections import ReportReasons
from bot.directory.loader import load_directory
from bot.storage.db import session_scope
from bot.storage.models import ServiceReportRow
from bot.storage.reports import open_reports
from tests.conftest import SAMPLE_DIRECTORY
from tests.console_helpers import (
    NAVIGATOR,
    console_app,
    console_settings,
    conversation_of,
    csrf,
    sign_in,
    text,
)

Run = Callable[..., subprocess.CompletedProcess[str]]
EDIT = "https://example.org/edit/main/resources_directory/"


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    return sample_database_url


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    settings = console_settings(database_url, HOMEWARD_DIRECTORY_EDIT_URL=EDIT)
    with console_app(settings) as app_client:
        yield app_client


def _details(client: TestClient, user: str, need: str = "food 94607") -> str:
    """Search, open the first result; the id of the service shown."""
    text(client, user, "hi")
    text(client, user, need)
    turn = text(client, user, "1")
    assert turn.intent == "details"
    assert "Reply WRONG" in turn.replies[0].text or "Responda MAL" in turn.replies[0].text
    return turn.shown[0]


def test_wrong_asks_what_and_files_the_answer_by_kind(client: TestClient) -> None:
    service_id = _details(client, "w1")
    asked = text(client, "w1", "WRONG")
    assert "What is wrong with" in asked.replies[0].text
    thanked = text(client, "w1", "it was closed when I got there")
    assert "Thank you" in thanked.replies[0].text
    assert thanked.intent == "report"
    with session_scope(conversation_of(client).database) as session:
        row = session.scalars(select(ServiceReportRow)).one()
        assert (row.service_id, row.kind, row.language) == (service_id, "closed", "en")
        assert "closed" not in row.note_sealed  # the texter's words are sealed
        (entry,) = open_reports(session)
        assert entry.reports[0].note == "it was closed when I got there"
    assert text(client, "w1", "food").intent == "search"  # back to searching


def test_wrong_with_its_reason_files_at_once_and_mal_works_in_spanish(client: TestClient) -> None:
    _details(client, "w2")
    assert "Thank you" in text(client, "w2", "wrong number").replies[0].text
    _details(client, "w3", "comida 94607")
    asked = text(client, "w3", "MAL")
    assert "Que esta mal" in asked.replies[0].text
    text(client, "w3", "no me aceptaron por mi record")
    with session_scope(conversation_of(client).database) as session:
        kinds = sorted(r.kind for r in session.scalars(select(ServiceReportRow)))
    assert kinds == ["refused", "wrong_number"]


def test_after_a_report_a_number_opens_another_of_the_results(client: TestClient) -> None:
    first = _details(client, "w5")
    text(client, "w5", "WRONG")
    text(client, "w5", "closed when I went")
    turn = text(client, "w5", "2")
    assert turn.intent == "details"
    assert turn.shown
    assert turn.shown[0] != first


def test_mal_from_an_english_texter_answers_in_spanish_and_wrong_keeps_spanish(
    client: TestClient,
) -> None:
    _details(client, "w6")
    assert text(client, "w6", "mal").language == "es"  # a Spanish command word: Spanish
    _details(client, "w7", "necesito comida en 94607")
    turn = text(client, "w7", "WRONG")
    assert (turn.language, turn.replies[0].text[:12]) == ("es", "Que esta mal")


def test_wrong_before_any_details_says_how(client: TestClient) -> None:
    text(client, "w4", "hi")
    turn = text(client, "w4", "wrong")
    assert "open it first" in turn.replies[0].text
    with session_scope(conversation_of(client).database) as session:
        assert session.scalars(select(ServiceReportRow)).all() == []


def test_a_report_reaches_the_console_escaped_with_the_file_to_edit(client: TestClient) -> None:
    service_id = _details(client, "w5")
    text(client, "w5", "wrong")
    text(client, "w5", "moved <script>alert(1)</script>")
    sign_in(client, NAVIGATOR)
    page = client.get("/console/corrections")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "Moved: 1" in page.text
    service = conversation_of(client).search.index.service(service_id)
    assert service is not None
    assert f'href="{EDIT}{service.organization.source_file}"' in page.text
    done = client.post(
        "/console/corrections/checked",
        data={"service_id": service_id, "csrf_token": csrf(page.text)},
    )
    assert done.status_code == 303
    assert "No open reports." in client.get("/console/corrections").text


def test_reports_need_a_signed_in_navigator(client: TestClient) -> None:
    assert client.get("/console/corrections").status_code == 303


def test_erasing_a_texter_keeps_the_report_without_their_words(client: TestClient) -> None:
    _details(client, "w6")
    text(client, "w6", "wrong closed for good")
    text(client, "w6", "DELETE")
    text(client, "w6", "YES")
    with session_scope(conversation_of(client).database) as session:
        row = session.scalars(select(ServiceReportRow)).one()
        assert (row.contact_id, row.note_sealed, row.kind) == (None, "", "closed")


def test_stats_count_reports_and_verify_requests_lists_them_first(
    run_cli: Run, database_url: str, client: TestClient, tmp_path: Path
) -> None:
    service_id = _details(client, "w7")
    text(client, "w7", "wrong disconnected phone")
    stats = run_cli("directory", "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    reports = json.loads(stats.stdout)["texters_reports"]
    assert reports == {"open": 1, "services": {service_id: {"wrong_number": 1}}}
    folder = tmp_path / "directory"
    shutil.copytree(SAMPLE_DIRECTORY, folder)
    listed = run_cli("directory", "verify-requests", str(folder), "--json")
    assert listed.returncode == 0, listed.stderr
    due = json.loads(listed.stdout)["services"]
    assert due[0]["id"] == service_id
    assert due[0]["reason"].startswith("1 texters' report(s): wrong_number 1")
    assert "Is this still right? Reply YES" in due[0]["message"]
    checked = run_cli("directory", "verify-requests", str(folder), "--checked", service_id)
    assert checked.returncode == 0, checked.stderr
    assert "1 report(s) closed" in checked.stdout
    loaded = load_directory(folder)
    assert loaded.problems == []
    assert loaded.directory is not None
    (service,) = [s for s in loaded.directory.services if s.id == service_id]
    assert service.assured_date == dt.datetime.now(dt.UTC).date()
    assert json.loads(run_cli("directory", "stats", "--json").stdout)["texters_reports"] == {
        "open": 0,
        "services": {},
    }


def test_verify_requests_refuses_an_unknown_service_in_one_line(
    run_cli: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "directory"
    shutil.copytree(SAMPLE_DIRECTORY, folder)
    result = run_cli("directory", "verify-requests", str(folder), "--checked", "no-such-service")
    assert result.returncode == 2
    assert "no service 'no-such-service'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("closed", "closed"),
        ("they moved", "moved"),
        ("nobody answers the phone", "wrong_number"),
        ("would not take me", "refused"),
        ("cerrado", "closed"),
        ("no tienen comida", "other"),
    ],
)
def test_report_reasons_file_reports_by_kind(words: str, kind: str) -> None:
    assert ReportReasons.of(SAMPLE_DIRECTORY).kind(words) == kind


def test_retention_keeps_a_reports_kind_and_drops_the_words(client: TestClient) -> None:
    from bot.storage.retention import purge

    _details(client, "w8")
    text(client, "w8", "wrong moved away")
    database = conversation_of(client).database
    purge(database, 90, at=dt.datetime.now(dt.UTC) + dt.timedelta(days=91))
    with session_scope(database) as session:
        row = session.scalars(select(ServiceReportRow)).one()
        assert (row.kind, row.note_sealed, row.contact_id) == ("moved", "", None)
