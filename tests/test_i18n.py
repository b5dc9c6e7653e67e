"""Catalogs: complete, not fuzzy, placeholders intact, in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES, Translator, available_languages, compile_catalog
from bot.settings import REPO_ROOT

PLACEHOLDER = re.compile(r"\{(\w+)\}")
CATALOGS = sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))


def _messages(path: Path) -> list[tuple[object, object, bool]]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [(m.id, m.string, m.fuzzy) for m in catalog if m.id]


def test_spanish_catalog_exists() -> None:
    assert "es" in available_languages()


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_message_is_translated_and_not_fuzzy(path: Path) -> None:
    problems = []
    for msgid, msgstr, fuzzy in _messages(path):
        strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        if fuzzy or not all(strings):
            problems.append(msgid)
    assert problems == []


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_placeholders_match_the_english_text(path: Path) -> None:
    for msgid, msgstr, _ in _messages(path):
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert set(PLACEHOLDER.findall(str(text))) == wanted, msgid


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_catalog_compiles(path: Path) -> None:
    assert compile_catalog(path).gettext("Open now") != ""


def test_catalogs_hold_every_message_in_the_code() -> None:
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(REPO_ROOT / "bot", method_map=[("**.py", "python")], keywords=keywords)
    in_code = {message[2] for message in found}
    in_code = {m if isinstance(m, str) else m[0] for m in in_code}
    assert len(in_code) > 20
    for path in CATALOGS:
        in_catalog = {m[0] if isinstance(m[0], str) else m[0][0] for m in _messages(path)}
        assert in_code - in_catalog == set(), f"{path}: run the pybabel update step in the README"


def test_dates_and_times_follow_the_language() -> None:
    assert Translator("en").time("09:00") == "9:00 AM"
    assert Translator("es").time("17:30") == "5:30 pm"
    assert Translator("en").weekday(0) == "Monday"
    assert Translator("es").weekday(0) == "Lunes"


def test_an_unknown_language_falls_back_to_english() -> None:
    assert Translator("xx").gettext("Open now") == "Open now"


def test_catalogs_hold_every_message_of_the_console_templates() -> None:
    templates = REPO_ROOT / "bot" / "web" / "console" / "templates"
    found = extract_from_dir(templates, method_map=[("**.html", "jinja2")])
    in_templates = {m[2] if isinstance(m[2], str) else m[2][0] for m in found}
    assert len(in_templates) > 50
    for path in CATALOGS:
        in_catalog = {m[0] if isinstance(m[0], str) else m[0][0] for m in _messages(path)}
        assert in_templates - in_catalog == set(), f"{path}: run the pybabel update step"
