"""The real ``homeward chat`` command, as a subprocess with piped input."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from bot.storage.contacts import find_contact, queue_message
from bot.storage.db import make_engine, session_scope

Run = Callable[..., subprocess.CompletedProcess[str]]


def _turns(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_json_turns_have_the_documented_shape(run_cli: Run) -> None:
    turns = _turns(run_cli("chat", "--user", "a", "--json", stdin="hi\nshelter 94607\n1\n"))
    assert [t["in"] for t in turns] == ["hi", "shelter 94607", "1"]
    assert set(turns[0]) == {"in", "replies", "language", "intent", "handoff", "crisis"}
    assert turns[1]["intent"] == "search"
    assert turns[2]["intent"] == "details"
    assert all(t["crisis"] is None for t in turns)


def test_a_second_run_continues_the_same_conversation(run_cli: Run) -> None:
    _turns(run_cli("chat", "--user", "b", "--json", stdin="necesito comida 94601\n"))
    later = _turns(run_cli("chat", "--user", "b", "--json", stdin="mas\n2\n"))
    assert later[0]["intent"] == "more"
    assert later[0]["language"] == "es"
    assert "4. " in later[0]["replies"][0]


def test_messages_sent_while_away_come_first_with_in_null(run_cli: Run, tmp_path: Path) -> None:
    _turns(run_cli("chat", "--user", "c", "--json", stdin="person\n"))
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with session_scope(engine) as session:
        contact = find_contact(session, "console", "c")
        assert contact is not None
        queue_message(session, contact, "Hi, this is Ana from the reentry office.")
    turns = _turns(run_cli("chat", "--user", "c", "--json", stdin="thanks\n"))
    assert turns[0]["in"] is None
    assert turns[0]["replies"] == ["Hi, this is Ana from the reentry office."]
    assert turns[1]["in"] == "thanks"
    again = _turns(run_cli("chat", "--user", "c", "--json", stdin="bye\n"))
    assert again[0]["in"] == "bye"


def test_plain_output_prints_the_replies(run_cli: Run) -> None:
    result = run_cli("chat", "--channel", "telegram", "--user", "d", stdin="hola\n")
    assert result.returncode == 0, result.stderr
    assert "Bienvenido a Homeward" in result.stdout


def test_run_starts_the_chat(run_cli: Run) -> None:
    result = run_cli("run", stdin="food 94601\n")
    assert result.returncode == 0, result.stderr
    assert "Food near 94601" in result.stdout
