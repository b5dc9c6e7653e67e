"""Issue 17, findings 1 and 2: claims that hold, and every read of a texter audited.

Against the real `homeward serve` (one per module, on a copy of the seeded
database), navigators in the console over HTTP, texters through signed
Twilio webhooks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from bot.storage.db import session_scope
from bot.storage.models import HandoffRow, MessageRow, OutboxRow
from bot.storage.staff import NoteRow
from tests.postgres_server import PostgresServer
from tests.security_helpers import Running, running_server, signed_in
from tests.security_helpers import close_clients as close_clients

pytestmark = pytest.mark.slow
_numbers = itertools.count(5550200)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer | None,
    seeded_database: str,
) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("claims")
    # Navigator replies go to a closed local port: nothing leaves the machine.
    extra = {"TWILIO_API_BASE_URL": "http://127.0.0.1:9"}
    with running_server(postgres, folder, seeded_database, extra) as running:
        yield running


def _waiting_texter(served: Running) -> tuple[str, int]:
    number = f"+1510{next(_numbers)}"
    served.text(number, "I need to talk to a person")
    return number, served.contact_id(number)


def _post(client: httpx.Client, path: str, token: str, **form: str) -> httpx.Response:
    return client.post(path, data={"csrf_token": token, **form})


def _state(served: Running, ident: int) -> tuple[int | None, str, int, int, str]:
    with session_scope(served.engine) as session:
        handoff = session.scalars(select(HandoffRow).where(HandoffRow.contact_id == ident)).one()
        notes = len(session.scalars(select(NoteRow).where(NoteRow.contact_id == ident)).all())
        sent = len(session.scalars(select(OutboxRow).where(OutboxRow.contact_id == ident)).all())
        from bot.storage.models import ContactRow

        contact = session.get(ContactRow, ident)
        assert contact is not None
        return handoff.assigned_to, handoff.status, notes, sent, contact.first_name


def test_only_the_claimant_or_an_admin_acts_on_a_claimed_conversation(served: Running) -> None:
    first = served.account("claim-a@example.org", "Alma")
    second = served.account("claim-b@example.org", "Beto")
    admin = served.account("claim-admin@example.org", "Carla", admin=True)
    _, ident = _waiting_texter(served)
    alma, alma_token = signed_in(served.base, first)
    beto, beto_token = signed_in(served.base, second)
    page = f"/console/conversations/{ident}"
    assert _post(alma, page + "/claim", alma_token).status_code == 303
    before = _state(served, ident)
    assert before[0] is not None
    assert before[1] == "open"

    refused = {
        "reply": {"body": "Hi, Beto here", "action": "send"},
        "notes": {"note": "a note by Beto"},
        "name": {"first_name": "Sam"},
        "release": {},
        "close": {"outcome": "other"},
        "claim": {},
    }
    for action, form in refused.items():
        response = _post(beto, f"{page}/{action}", beto_token, **form)
        assert response.status_code == 403, (action, response.status_code)
        assert "Another navigator has this conversation" in response.text
    assert _state(served, ident) == before  # nothing of it happened

    shown = beto.get(page)  # reading is allowed (and audited, see below)
    assert shown.status_code == 200
    assert "Alma has this conversation" in shown.text
    assert f'action="/console/conversations/{ident}/reply"' not in shown.text
    assert "Take over" in shown.text

    carla, carla_token = signed_in(served.base, admin)  # an admin may act on any conversation
    assert (
        _post(carla, page + "/notes", carla_token, note="checked by the admin").status_code == 303
    )
    assert (
        _post(alma, page + "/reply", alma_token, body="Hi, Alma here", action="send").status_code
        == 303
    )
    assert _post(alma, page + "/close", alma_token, outcome="referred").status_code == 303
    assert _state(served, ident)[1] == "closed"


def test_taking_over_asks_why_is_audited_and_tells_the_first_navigator(served: Running) -> None:
    first = served.account("take-a@example.org", "Dora")
    second = served.account("take-b@example.org", "Eli")
    _, ident = _waiting_texter(served)
    dora, dora_token = signed_in(served.base, first)
    eli, eli_token = signed_in(served.base, second)
    page = f"/console/conversations/{ident}"
    assert _post(dora, page + "/claim", dora_token).status_code == 303
    assert "Dora has it" in eli.get("/console/queue/rows").text  # the queue shows the holder

    no_reason = _post(eli, page + "/take-over", eli_token, reason="  ")
    assert no_reason.status_code == 400
    assert "Say why you take it over" in no_reason.text
    assert _state(served, ident)[0] == served_navigator(served, first[0])

    taken = _post(eli, page + "/take-over", eli_token, reason="Dora is out sick today")
    assert taken.status_code == 303
    assert _state(served, ident)[0] == served_navigator(served, second[0])
    entry = served.audit("take_over")[-1]
    assert (entry.actor, entry.contact_id, entry.detail) == (second[0], ident, f"from {first[0]}")
    assert "Dora is out sick" not in entry.detail  # the reason is a sealed note, not in the log
    assert "Dora is out sick today" in eli.get(page).text  # ... which navigators read

    queue = dora.get("/console").text
    assert f"Eli took over conversation #{ident} from you" in queue
    assert (
        _post(dora, page + "/reply", dora_token, body="still here?", action="send").status_code
        == 403
    )
    assert (
        _post(eli, page + "/reply", eli_token, body="Hi, Eli here", action="send").status_code
        == 303
    )
    dora.get(page)  # opening the conversation clears the notice
    assert "took over conversation" not in dora.get("/console").text


def served_navigator(served: Running, email: str) -> int:
    from bot.storage.navigators import find_navigator

    with session_scope(served.engine) as session:
        row = find_navigator(session, email)
        assert row is not None
        return row.id


def test_every_read_is_audited_live_refreshes_once_per_session(served: Running) -> None:
    reader = served.account("reader@example.org", "Fran")
    admin = served.account("auditor@example.org", "Gus", admin=True)
    _, ident = _waiting_texter(served)
    fran, _ = signed_in(served.base, reader)  # its queue page shows the last words: a read
    fragment = f"/console/conversations/{ident}/transcript"
    for _ in range(3):
        live = fran.get(fragment)
        assert live.status_code == 200
        assert "talk to a person" in live.text
    for _ in range(2):
        assert fran.get("/console/queue/rows").status_code == 200
    fran.get(f"/console/conversations/{ident}")

    def reads(action: str) -> int:
        return sum(
            1 for e in served.audit(action) if e.actor == reader[0] and e.contact_id == ident
        )

    assert reads("read") == 1  # three live refreshes: one entry
    assert reads("queue_read") == 1  # the page and two refreshes of the queue: one entry
    assert reads("view") == 1  # the page itself: every load
    again, _ = signed_in(served.base, reader)  # a new session is a new reader
    again.get(fragment)
    assert reads("read") == 2
    assert reads("queue_read") == 2

    gus, _ = signed_in(served.base, admin)
    navigator = served_navigator(served, reader[0])
    log = gus.get(f"/console/admin/audit?navigator={navigator}&reads=1")
    assert log.status_code == 200
    assert f"#{ident}" in log.text
    assert "read the live transcript" in log.text
    assert "saw the last words in the queue" in log.text
    assert admin[0] not in log.text.split("<tbody>")[1]  # only Fran's entries
    with session_scope(served.engine) as session:  # no texter's words in the log
        words = session.scalars(
            select(MessageRow.body_sealed).where(MessageRow.contact_id == ident)
        ).all()
    assert words
    assert "talk to a person" not in log.text.split("<tbody>")[1]
