"""`homeward people ...` and `homeward worker --once --now`: the contract's commands and shapes."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HOMEWARD, SAMPLE_DIRECTORY
from tests.conversation_helpers import PACIFIC

pytestmark = pytest.mark.slow
Run = Callable[..., subprocess.CompletedProcess[str]]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


@pytest.fixture
def homeward(tmp_path: Path, sample_database_url: str) -> Run:
    """The real `homeward` on a copy of the seeded database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOMEWARD_", "TWILIO_"))}
    env.update(HOMEWARD_DATABASE_URL=sample_database_url, HOMEWARD_DIRECTORY=str(SAMPLE_DIRECTORY))

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(HOMEWARD), *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            check=False,
        )

    return run


def _local_day(days: int) -> str:
    return (dt.datetime.now(PACIFIC) + dt.timedelta(days=days)).date().isoformat()


def test_enrol_appointment_show_and_worker_keep_the_contract(homeward: Run) -> None:
    enrolled = homeward(
        "people", "enrol", "--first-name", "Maria", "--release-date", _local_day(-1),
        "--zip", "94607", "--needs", "housing,jobs", "--consent", "texts,reminders", "--json",
    )  # fmt: skip
    assert enrolled.returncode == 0, enrolled.stderr
    made = json.loads(enrolled.stdout)
    assert sorted(made) == ["code", "person"]
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", made["code"])
    person = str(made["person"])
    day = _local_day(10)
    added = homeward(
        "people", "appointment", person, "--kind", "court", "--at", f"{day}T10:30",
        "--where", "Courthouse 94607", "--json",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    appointment = json.loads(added.stdout)
    assert sorted(appointment) == ["appointment", "reminders"]
    assert len(appointment["reminders"]) == 3
    assert all(ISO.match(t) and t[11:16] == "09:00" for t in appointment["reminders"])
    assert appointment["reminders"][-1].startswith(day)
    linked = homeward("chat", "--user", "maria", "--json", stdin=made["code"].lower() + "\n")
    assert json.loads(linked.stdout.splitlines()[-1])["intent"] == "linked"
    morning = appointment["reminders"][-1][:16]
    worked = homeward("worker", "--once", "--now", morning)
    assert worked.returncode == 0, worked.stderr
    away = homeward("chat", "--user", "maria", "--json", stdin="")
    pending = json.loads(away.stdout.splitlines()[0])
    assert pending["intent"] == "pending"
    assert "Maria" in pending["replies"][0]
    assert "court date" in pending["replies"][0]
    shown = json.loads(homeward("people", "show", person, "--json").stdout)
    assert shown["person"] == made["person"]
    assert shown["code"] == made["code"]
    assert shown["linked"]["channel"] == "console"
    assert shown["linked"]["user"].endswith("aria")
    assert [a["kind"] for a in shown["timeline"]] == ["court"]
    assert [r["days_before"] for r in shown["reminders_sent"]] == [0]
    assert shown["follow_ups"] == []


def test_wrong_arguments_get_one_plain_line(homeward: Run) -> None:
    bad = homeward(
        "people", "enrol", "--first-name", "Ana", "--release-date", "2026-13-01",
        "--consent", "texts,email", "--zip", "9460",
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    for field in ("--release-date", "--zip", "--consent"):
        assert field in bad.stderr
    missing = homeward("people", "show", "999", "--json")
    assert missing.returncode == 2
    assert "no person 999" in missing.stderr
    night = homeward("worker", "--now", "2026-12-01T09:00")
    assert night.returncode == 2
    assert "--once" in night.stderr


def test_a_roster_with_bad_rows_reports_them_all_and_imports_nobody(
    homeward: Run, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "first_name,release_date,zip,needs,consent,supporter\n"
        "Ana,2026-12-01,94607,housing;jobs,texts,\n"
        "Luis,2026-12-40,94607,housing,texts,\n"
        "Rosa,2026-12-02,94607,spaceships,,\n"
        "Eva,2026-12-02,,food,all,not a number\n",
        encoding="utf-8",
    )
    bad = homeward("people", "import", str(roster))
    assert bad.returncode == 1
    lines = bad.stderr.splitlines()
    assert f"{roster}:3: release_date: must be a date like 2026-12-01 (YYYY-MM-DD)" in lines
    assert any(line.startswith(f"{roster}:4: needs: ") for line in lines)
    assert any(line.startswith(f"{roster}:4: consent: ") for line in lines)
    assert any(line.startswith(f"{roster}:5: supporter: ") for line in lines)
    assert "nobody was imported" in lines[-1]
    roster.write_text(
        "first_name,release_date,zip,needs,consent\nAna,2026-12-01,94607,housing;jobs,texts\n"
        'Luis,2026-12-04,94601,food,"texts,reminders"\n',
        encoding="utf-8",
    )
    good = homeward("people", "import", str(roster), "--json")
    assert good.returncode == 0, good.stderr
    imported = json.loads(good.stdout)
    assert [row["line"] for row in imported] == [2, 3]
    shown = json.loads(homeward("people", "show", str(imported[1]["person"]), "--json").stdout)
    assert shown["needs"] == ["food"]
    assert shown["consent"]["reminders"] is True


def test_a_roster_without_its_header_row_is_refused_without_printing_a_persons_details(
    homeward: Run, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Marisol,2026-12-01,94607,housing,texts,+15105550199\nfrist_name,release_date,consent\n",
        encoding="utf-8",
    )
    bad = homeward("people", "import", str(roster))
    assert bad.returncode == 1
    assert "Marisol" not in bad.stderr
    assert "5105550199" not in bad.stderr
    assert f"{roster}:1: (column 1): unknown column" in bad.stderr
    assert "nobody was imported" in bad.stderr.splitlines()[-1]
    roster.write_text("frist_name,release_date,consent\nAna,2026-12-01,texts\n", encoding="utf-8")
    typo = homeward("people", "import", str(roster))
    assert f"{roster}:1: (column 1): unknown column (did you mean first_name?)" in typo.stderr
