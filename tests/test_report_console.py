"""The partner report in the console: admins and partners see it, partners nothing else.

One app on a copy of the seeded database, with real traffic through the
core (a dozen texters searching, asking for a person, a navigator's reply),
shared by the module's tests: the page, its charts, its exports and the
audit log are read from it; no test changes what another reads.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.navigators import add_navigator
from bot.storage.staff import AuditRow
from tests.conftest import fresh_database
from tests.console_helpers import (
    NAVIGATOR,
    console_app,
    console_settings,
    contact_id,
    conversation_of,
    csrf,
    post,
    sign_in,
    text,
)
from tests.postgres_server import PostgresServer

PARTNER = ("pat@example.org", "a partner's long password", "Pat")
TEXTERS = 13


@pytest.fixture(scope="module")
def app(
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer | None,
    seeded_database: str,
) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("report-console")
    with (
        fresh_database(postgres, folder, "report", seeded_database) as url,
        console_app(console_settings(url)) as client,
    ):
        with session_scope(conversation_of(client).database) as session:
            add_navigator(
                session, PARTNER[0], PARTNER[1], at=now(), name=PARTNER[2], role="partner"
            )
        for n in range(TEXTERS):
            text(client, f"texter-{n}", "food 94607")
        for n in range(3):
            text(client, f"texter-{n}", "PERSON")
        token = sign_in(client)
        post(
            client,
            f"/console/conversations/{contact_id(client, 'texter-0')}/reply",
            token,
            body="Hello, this is Ana.",
        )
        client.post("/console/logout", data={"csrf_token": token})
        client.cookies.clear()
        yield client


def _sign_in(client: TestClient, account: tuple[str, str, str]) -> str:
    """Sign in through the form; returns where the console sent the account."""
    client.cookies.clear()
    page = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"email": account[0], "password": account[1], "csrf_token": csrf(page.text)},
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


def _cell(html: str, ident: str) -> str:
    found = re.search(rf'<dd id="{ident}">([^<]*)</dd>', html)
    assert found is not None, ident
    return found.group(1).replace("&lt;", "<").replace("&gt;", ">")


def test_an_admin_sees_the_report_with_charts_and_the_figures_of_its_exports(
    app: TestClient,
) -> None:
    _sign_in(app, ("ana@example.org", "correct horse battery", "Ana"))
    page = app.get("/console/reports")
    assert page.status_code == 200
    assert page.text.count("<svg") == 4
    assert "<script" not in page.text.split("</head>")[1]
    exported = app.get("/console/reports/export?format=json")
    assert exported.status_code == 200
    report = json.loads(exported.text)
    whole = report["period"]
    assert whole["texters"]["new"] == TEXTERS
    assert _cell(page.text, "period-new") == str(TEXTERS)
    assert _cell(page.text, "period-searches") == str(whole["searches"])
    assert _cell(page.text, "period-requests") == str(whole["handoffs"]["requests"]) == "<11"
    rows = list(csv.DictReader(io.StringIO(app.get("/console/reports/export?format=csv").text)))
    by_measure = {(r["month"], r["measure"]): r["value"] for r in rows}
    assert by_measure[("period", "texters.new")] == str(TEXTERS)
    assert by_measure[("period", "handoffs.requests")] == "<11"
    for month in report["months"]:
        assert by_measure[(month["month"], "texts.in")] == str(month["texts"]["in"])


def test_no_texter_number_or_words_appear_in_the_report(app: TestClient) -> None:
    _sign_in(app, ("ana@example.org", "correct horse battery", "Ana"))
    for body in (
        app.get("/console/reports").text,
        app.get("/console/reports/export?format=json").text,
        app.get("/console/reports/export?format=csv").text,
    ):
        assert "texter-" not in body
        assert "Hello, this is Ana" not in body
        assert "food 94607" not in body


def test_a_partner_lands_on_the_report_and_gets_403_everywhere_else(app: TestClient) -> None:
    assert _sign_in(app, PARTNER) == "/console/reports"
    page = app.get("/console/reports")
    assert page.status_code == 200
    assert 'href="/console/people"' not in page.text  # the nav shows the report only
    token = csrf(page.text)
    ident = contact_id(app, "texter-0")
    for path in (
        "/console",
        "/console/",
        "/console/queue/rows",
        f"/console/conversations/{ident}",
        f"/console/conversations/{ident}/transcript",
        "/console/people",
        "/console/people/new",
        "/console/corrections",
        "/console/admin/audit",
        "/console/admin/navigators",
    ):
        assert app.get(path).status_code == 403, path
    for path, form in (
        (f"/console/conversations/{ident}/reply", {"body": "hi"}),
        (f"/console/conversations/{ident}/notes", {"note": "x"}),
        (f"/console/conversations/{ident}/claim", {}),
        (f"/console/conversations/{ident}/close", {"outcome": "other"}),
        ("/console/people", {}),
        ("/console/corrections/checked", {"service_id": "x"}),
        ("/console/admin/navigators", {}),
    ):
        assert post(app, path, token, **form).status_code == 403, path
    assert app.get("/console/reports/export?format=csv").status_code == 200


def test_a_navigator_cannot_see_the_partner_report(app: TestClient) -> None:
    _sign_in(app, NAVIGATOR)
    assert app.get("/console/reports").status_code == 403
    assert app.get("/console/reports/export?format=json").status_code == 403


def test_every_view_and_export_is_in_the_audit_log(app: TestClient) -> None:
    _sign_in(app, PARTNER)
    app.get("/console/reports?from=2026-01-01&to=2026-03-31")
    app.get("/console/reports/export?format=csv&from=2026-01-01&to=2026-03-31")
    with session_scope(conversation_of(app).database) as session:
        rows = session.execute(
            select(AuditRow.actor, AuditRow.action, AuditRow.detail, AuditRow.session_id)
            .where(AuditRow.actor == PARTNER[0], AuditRow.action.like("report_%"))
            .order_by(AuditRow.id)
        ).all()
    assert [(r.action, r.detail) for r in rows[-2:]] == [
        ("report_view", "2026-01-01..2026-03-31"),
        ("report_csv", "2026-01-01..2026-03-31"),
    ]
    assert all(r.session_id for r in rows)


def test_a_bad_period_is_a_plain_message(app: TestClient) -> None:
    _sign_in(app, PARTNER)
    page = app.get("/console/reports?from=2026-05-01&to=2026-01-01")
    assert page.status_code == 400
    assert "is after" in page.text
    assert app.get("/console/reports/export?format=xml").status_code == 400
