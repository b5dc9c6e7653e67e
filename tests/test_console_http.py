"""The navigators' console over HTTP: sign-in, CSRF, roles, lock-out, expiry, headers, escaping."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from starlette.testclient import TestClient

from bot.storage.contacts import now
from bot.storage.db import session_scope
from bot.storage.navigators import set_active
from bot.storage.staff import AuditRow, ConsoleSessionRow, LoginThrottleRow, NavigatorRow
from bot.storage.throttle import ACCOUNT_FREE, account_key
from tests.console_helpers import (
    ADMIN,
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
from tests.storage_helpers import outbox_status


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


@pytest.fixture
def client(database_url: str) -> TestClient:
    with console_app(console_settings(database_url)) as app_client:
        yield app_client  # type: ignore[misc]


def _engine(client: TestClient):  # type: ignore[no-untyped-def]
    return conversation_of(client).database


def test_console_pages_need_a_sign_in(client: TestClient) -> None:
    page = client.get("/console")
    assert page.status_code == 303
    assert page.headers["location"] == "/console/login?next=/console"
    assert client.get("/console/conversations/1").status_code == 303
    assert (
        client.get("/console/queue/rows").status_code == 401
    )  # the live part says so to its script


def test_signing_in_sets_a_protected_session_cookie(client: TestClient) -> None:
    login = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"email": "ANA@example.org ", "password": ADMIN[1], "csrf_token": csrf(login.text)},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/console"
    cookie = response.headers["set-cookie"]
    assert "homeward_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http here; see the https test
    assert "Waiting conversations" in client.get("/console").text


def test_the_session_cookie_is_secure_over_https(database_url: str) -> None:
    with console_app(console_settings(database_url), base_url="https://testserver") as secure:
        login = secure.get("/console/login")
        assert "Secure" in login.headers["set-cookie"]
        response = secure.post(
            "/console/login",
            data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": csrf(login.text)},
        )
        assert "Secure" in response.headers["set-cookie"]


def test_a_form_without_its_csrf_token_gets_403_and_changes_nothing(client: TestClient) -> None:
    login = client.get("/console/login")
    assert (
        client.post("/console/login", data={"email": ADMIN[0], "password": ADMIN[1]}).status_code
        == 403
    )
    token = sign_in(client)
    text(client, "csrf-texter", "talk to someone")
    ident = contact_id(client, "csrf-texter")
    reply = f"/console/conversations/{ident}/reply"
    assert client.post(reply, data={"body": "hello", "action": "send"}).status_code == 403
    assert (
        client.post(reply, data={"body": "hello", "csrf_token": csrf(login.text)}).status_code
        == 403
    )
    assert (
        post(client, f"/console/conversations/{ident}/close", "forged", outcome="other").status_code
        == 403
    )
    page = client.get(f"/console/conversations/{ident}")
    assert "Navigator: Ana" not in page.text  # nothing was sent
    assert "None open" not in page.text  # nor closed
    assert post(client, reply, token, body="hello", action="send").status_code == 303


def test_wrong_passwords_make_later_tries_wait_instead_of_locking(client: TestClient) -> None:
    def attempt(password: str, email: str = NAVIGATOR[0]) -> int:
        page = client.get("/console/login")
        response = client.post(
            "/console/login",
            data={"email": email, "password": password, "csrf_token": csrf(page.text)},
        )
        return response.status_code

    codes = []
    for _ in range(ACCOUNT_FREE + 6):  # a try past the wait is counted, so the wait grows
        codes.append(attempt("not the password"))
        if codes[-1] == 429:
            break
    assert codes[:ACCOUNT_FREE] == [401] * ACCOUNT_FREE
    assert codes[-1] == 429  # too soon: refused without checking the password
    with session_scope(_engine(client)) as session:  # a long wait, whatever the machine's pace
        session.execute(
            update(LoginThrottleRow)
            .where(LoginThrottleRow.key == account_key(session, NAVIGATOR[0]))
            .values(failures=ACCOUNT_FREE + 8)
        )
    assert attempt(NAVIGATOR[1]) == 429  # even the right password waits
    unknown = client.post(
        "/console/login",
        data={
            "email": "nobody@example.org",
            "password": "x" * 12,
            "csrf_token": csrf(client.get("/console/login").text),
        },
    )
    assert unknown.status_code == 401
    assert "each new try has to wait" in unknown.text  # the same words, account or not
    with session_scope(_engine(client)) as session:  # the wait has passed
        session.execute(
            update(LoginThrottleRow).values(last_failure_at=now() - dt.timedelta(hours=1))
        )
    assert attempt(NAVIGATOR[1]) == 303
    with session_scope(_engine(client)) as session:
        actions = session.scalars(select(AuditRow.action)).all()
    assert actions.count("login_failed") == codes.count(401) + 1  # refused tries are not
    assert "login" in actions


def test_a_session_ends_after_the_idle_minutes_and_polling_does_not_extend_it(
    client: TestClient,
) -> None:
    sign_in(client, NAVIGATOR)
    with session_scope(_engine(client)) as session:
        row = session.scalars(select(ConsoleSessionRow)).one()
        seen = row.last_seen_at
    assert client.get("/console/queue/rows").status_code == 200
    with session_scope(_engine(client)) as session:
        assert session.scalars(select(ConsoleSessionRow)).one().last_seen_at == seen
        session.execute(
            update(ConsoleSessionRow).values(last_seen_at=now() - dt.timedelta(minutes=121))
        )
    expired = client.get("/console")
    assert expired.status_code == 303
    assert expired.headers["location"].startswith("/console/login")
    with session_scope(_engine(client)) as session:
        assert session.scalars(select(ConsoleSessionRow)).all() == []  # deleted, not just refused


def test_a_session_ends_twelve_hours_after_sign_in_even_when_used(client: TestClient) -> None:
    sign_in(client, NAVIGATOR)
    with session_scope(_engine(client)) as session:
        session.execute(update(ConsoleSessionRow).values(created_at=now() - dt.timedelta(hours=12)))
    assert client.get("/console").status_code == 303


def test_a_post_after_the_session_ended_keeps_what_was_typed(client: TestClient) -> None:
    token = sign_in(client, NAVIGATOR)
    text(client, "late-texter", "talk to someone")
    ident = contact_id(client, "late-texter")
    with session_scope(_engine(client)) as session:
        session.execute(
            update(ConsoleSessionRow).values(last_seen_at=now() - dt.timedelta(hours=3))
        )
    response = post(
        client,
        f"/console/conversations/{ident}/reply",
        token,
        body="I found a bed for you tonight",
        action="send",
    )
    assert response.status_code == 401
    assert "Your session ended, so this was not sent" in response.text
    assert "I found a bed for you tonight" in response.text
    assert f'name="next" value="/console/conversations/{ident}"' in response.text


def test_disabling_an_account_signs_it_out_at_once(client: TestClient) -> None:
    sign_in(client, NAVIGATOR)
    with session_scope(_engine(client)) as session:
        set_active(session, NAVIGATOR[0], False)
    assert client.get("/console").status_code == 303


def test_navigators_cannot_open_admin_pages_or_assign(client: TestClient) -> None:
    token = sign_in(client, NAVIGATOR)
    text(client, "role-texter", "talk to someone")
    ident = contact_id(client, "role-texter")
    assert client.get("/console/admin/audit").status_code == 403
    assert client.get("/console/admin/navigators").status_code == 403
    assert (
        post(client, f"/console/conversations/{ident}/assign", token, navigator_id="1").status_code
        == 403
    )
    assert 'href="/console/admin/audit"' not in client.get("/console").text
    assert post(client, f"/console/conversations/{ident}/claim", token).status_code == 303


def test_admins_read_the_audit_log_of_views_replies_and_closes(client: TestClient) -> None:
    token = sign_in(client, ADMIN)
    text(client, "audit-texter", "talk to someone")
    ident = contact_id(client, "audit-texter")
    client.get(f"/console/conversations/{ident}")
    post(
        client,
        f"/console/conversations/{ident}/reply",
        token,
        body="Hi, this is Ana.",
        action="send",
    )
    post(client, f"/console/conversations/{ident}/close", token, outcome="referred")
    audit = client.get(f"/console/admin/audit?contact={ident}")
    assert audit.status_code == 200
    for words in ("viewed", "replied", "closed", "Referred", ADMIN[0]):
        assert words in audit.text
    assert "Hi, this is Ana." not in audit.text  # the log names actions, not words
    people = client.get("/console/admin/navigators")
    assert NAVIGATOR[0] in people.text
    assert (
        post(client, "/console/admin/navigators", token, email=NAVIGATOR[0], active="0").status_code
        == 303
    )
    with session_scope(_engine(client)) as session:
        assert (
            session.scalars(
                select(NavigatorRow.active).where(NavigatorRow.email == NAVIGATOR[0])
            ).one()
            is False
        )


def test_the_queue_lists_urgent_first_then_the_longest_waiting_with_masked_numbers(
    client: TestClient,
) -> None:
    sign_in(client)
    text(client, "+15105550101", "talk to someone", channel="sms")
    text(client, "+15105550102", "hablar con alguien", channel="sms")
    text(client, "+15105550103", "i want to end it all", channel="sms")
    page = client.get("/console").text
    order = [page.index(f"\u2022\u2022\u2022\u2022 {last}") for last in ("0103", "0101", "0102")]
    assert order == sorted(order)
    assert "URGENT" in page
    assert "Self-harm" in page
    assert "5105550101" not in page
    assert "+1510555" not in page
    assert "Spanish" in page
    assert "SMS" in page
    assert "3 conversations waiting" in client.get("/console/queue/rows").text


def test_a_hopeless_text_waits_as_check_in_below_urgent(client: TestClient) -> None:
    sign_in(client)
    text(client, "+15105550111", "talk to someone", channel="sms")
    text(client, "+15105550112", "nobody would notice if i was gone", channel="sms")
    text(client, "+15105550113", "i want to end it all", channel="sms")
    page = client.get("/console").text
    order = [page.index(f"\u2022\u2022\u2022\u2022 {last}") for last in ("0113", "0112", "0111")]
    assert order == sorted(order)
    assert "Check in" in page
    assert page.index("Check in") > page.index("URGENT")


def test_everything_a_texter_wrote_is_escaped(client: TestClient) -> None:
    token = sign_in(client)
    script, image = "<script>alert(1)</script>", '<img src=x onerror="alert(2)">'
    text(client, "xss-texter", "talk to someone")
    text(client, "xss-texter", script)
    text(client, "xss-texter", image)
    ident = contact_id(client, "xss-texter")
    post(client, f"/console/conversations/{ident}/notes", token, note=image)
    post(client, f"/console/conversations/{ident}/name", token, first_name=script)
    pages = [
        client.get("/console").text,
        client.get("/console/queue/rows").text,
        client.get(f"/console/conversations/{ident}").text,
        client.get(f"/console/conversations/{ident}/transcript").text,
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
    conversation = pages[2]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in conversation
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in conversation


def test_console_pages_carry_security_headers_and_are_not_cached(client: TestClient) -> None:
    sign_in(client)
    text(client, "header-texter", "talk to someone")
    ident = contact_id(client, "header-texter")
    for path in (
        "/console/login",
        "/console",
        f"/console/conversations/{ident}",
        f"/console/conversations/{ident}/transcript",
        "/demo",
    ):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'self'" in csp, path
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store", path
    assert "content-security-policy" not in client.get("/healthz").headers


def test_after_sign_in_only_console_addresses_are_followed(client: TestClient) -> None:
    page = client.get("/console/login?next=//evil.example/console")
    response = client.post(
        "/console/login",
        data={
            "email": ADMIN[0],
            "password": ADMIN[1],
            "csrf_token": csrf(page.text),
            "next": "https://evil.example/",
        },
    )
    assert response.headers["location"] == "/console"


def test_the_interface_speaks_spanish(client: TestClient) -> None:
    token = sign_in(client)
    assert post(client, "/console/language", token, lang="es", next="/console").status_code == 303
    page = client.get("/console").text
    assert "Conversaciones en espera" in page
    assert 'lang="es"' in page
    login = client.get("/console/login", headers={"accept-language": "es-MX,es;q=0.9"})
    assert "Entrar a la consola de navegadores" in login.text


def test_an_unknown_conversation_is_a_404_page(client: TestClient) -> None:
    sign_in(client)
    assert client.get("/console/conversations/9999").status_code == 404


def test_a_reply_is_delivered_and_its_status_shown(client: TestClient) -> None:
    token = sign_in(client)
    text(client, "delivery-texter", "talk to someone")
    ident = contact_id(client, "delivery-texter")
    response = post(
        client,
        f"/console/conversations/{ident}/reply",
        token,
        body="Hi, this is Ana. I can help.",
        action="send",
    )
    assert response.status_code == 303
    with session_scope(_engine(client)) as session:
        from bot.storage.models import MessageRow

        line = session.scalars(select(MessageRow).where(MessageRow.author == "navigator")).one()
        outbox_id = line.outbox_id
    assert outbox_id is not None
    for _ in range(100):  # the app's own outbox worker thread delivers it
        if outbox_status(_engine(client), outbox_id)[0] == "delivered":
            break
        import time

        time.sleep(0.1)
    assert "Delivery: Delivered" in client.get(f"/console/conversations/{ident}/transcript").text


def test_no_template_turns_off_escaping() -> None:
    from bot.web.console.render import ENV, TEMPLATES

    assert ENV.autoescape is not False
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        for unsafe in ("|safe", "| safe", "autoescape false", "Markup("):
            assert unsafe not in source, f"{template.name}: {unsafe}"


def test_navigators_only_read_texters_who_asked_for_a_person(client: TestClient) -> None:
    sign_in(client)
    text(client, "searcher", "food 94601")
    searcher = contact_id(client, "searcher")
    assert client.get(f"/console/conversations/{searcher}").status_code == 404
    assert client.get(f"/console/conversations/{searcher}/transcript").status_code == 404
    text(client, "searcher", "talk to someone")
    assert client.get(f"/console/conversations/{searcher}").status_code == 200


def test_sign_in_returns_to_the_page_asked_for_even_after_a_wrong_password(
    client: TestClient,
) -> None:
    assert 'name="next" value="/console"' in client.get("/console/login").text
    page = client.get("/console/login?next=/console/admin/audit")
    wrong = client.post(
        "/console/login",
        data={
            "email": ADMIN[0],
            "password": "wrong password",
            "csrf_token": csrf(page.text),
            "next": "/console/admin/audit",
        },
    )
    assert 'name="next" value="/console/admin/audit"' in wrong.text
    right = client.post(
        "/console/login",
        data={
            "email": ADMIN[0],
            "password": ADMIN[1],
            "csrf_token": csrf(page.text),
            "next": "/console/login",
        },
    )
    assert right.headers["location"] == "/console"  # never back to the sign-in page
