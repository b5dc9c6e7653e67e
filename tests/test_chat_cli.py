"""The real ``homeward chat`` command, as a subprocess with piped input."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest

from bot.conversation.gsm import is_gsm, segments
from bot.storage.contacts import find_contact, queue_message
from bot.storage.db import make_engine, session_scope

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def database_url(sample_database_url: str) -> str:
    """Every test here starts from a copy of a database that already holds the sample directory."""
    return sample_database_url


def _turns(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_json_turns_have_the_documented_shape(run_cli: Run) -> None:
    turns = _turns(run_cli("chat", "--user", "a", "--json", stdin="hi\nshelter 94607\n1\n"))
    assert [t["in"] for t in turns] == ["hi", "shelter 94607", "1"]
    assert set(turns[0]) == {"in", "replies", "language", "intent", "handoff", "crisis", "concern"}
    assert turns[1]["intent"] == "search"
    assert turns[2]["intent"] == "details"
    assert all(t["crisis"] is None and t["concern"] is False for t in turns)


def test_a_second_run_continues_the_same_conversation(run_cli: Run) -> None:
    _turns(run_cli("chat", "--user", "b", "--json", stdin="necesito comida 94601\n"))
    later = _turns(run_cli("chat", "--user", "b", "--json", stdin="mas\n2\n"))
    assert later[0]["intent"] == "more"
    assert later[0]["language"] == "es"
    assert "4. " in later[0]["replies"][0]


def test_messages_sent_while_away_come_first_with_in_null(run_cli: Run, database_url: str) -> None:
    _turns(run_cli("chat", "--user", "c", "--json", stdin="person\n"))
    engine = make_engine(database_url)
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


WHOLE_CONVERSATIONS = {
    "en": [
        ("hi", "welcome", "Welcome to Homeward"),
        ("shelter 94607", "search", "near 94607"),
        ("1", "details", "Hours:"),
        ("more", "more", "4. "),
        ("menu", "menu", "1 Housing"),
        ("7", "category", "Food near 94607"),
        ("help", "help", "STOP"),
        ("talk to someone", "person", "navigator"),
        ("i need a place tonight", "search", "still on the list"),  # asked while waiting
        ("my name is sam by the way", "to_navigator", "A navigator will read your message"),
        ("and food", "to_navigator", None),
        ("menu", "menu", "still on the list"),
        ("stop", "stop", "START"),
        ("food", "silenced", None),
        ("start", "start", "Welcome back"),
        ("es", "language", "español"),
    ],
    "es": [
        ("hola", "welcome", "Bienvenido a Homeward"),
        ("necesito comida 94601", "search", "Comida cerca de 94601"),
        ("2", "details", "Horario:"),
        ("mas", "more", "4. "),
        ("menu", "menu", "1 Vivienda"),
        ("1", "category", "Vivienda y albergue cerca de 94601"),
        ("ayuda", "help", "PARAR"),
        ("hablar con alguien", "person", "persona de nuestro equipo"),
        # a need while the request waits untouched: answered (the reader reads "un lugar")
        ("necesito un lugar hoy", "search", "Vivienda y albergue"),
        ("y comida", "to_navigator", "leera su mensaje"),
        ("menu", "menu", "Sigue en la lista"),
        ("parar", "stop", "INICIAR"),
        ("comida", "silenced", None),
        ("iniciar", "start", "Bienvenido otra vez"),
        ("english", "language", "English"),
    ],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_whole_conversation_through_the_real_command(run_cli: Run, language: str) -> None:
    script = WHOLE_CONVERSATIONS[language]
    stdin = "".join(f"{text}\n" for text, _, _ in script)
    turns = _turns(run_cli("chat", "--user", f"whole-{language}", "--json", stdin=stdin))
    assert [t["intent"] for t in turns] == [intent for _, intent, _ in script]
    for turn, (text, _, fragment) in zip(turns, script, strict=True):
        replies = turn["replies"]
        assert isinstance(replies, list)
        if fragment is None:
            assert replies == [], text
        else:
            assert fragment in "\n".join(replies), (text, replies)
        for reply in replies:
            assert is_gsm(reply)
            assert segments(reply) <= 3, reply
    assert turns[7]["handoff"] is True
