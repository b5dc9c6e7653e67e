"""Every curated file is checked against its schema; a bad one never replaces the last good one.

A misspelt key used to switch a feature off in silence (``stop:`` renamed
``stopp:`` turned STOP off while validate said OK). Each test breaks one file
the way a curator might and reads what ``homeward directory validate`` says.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli_directory import validate
from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.directory.curated_files import CURATED_FILES, check_curated
from bot.directory.sync import load_into_database, refresh_directory
from bot.runtime import build_search
from bot.safety.files import check_files
from bot.settings import Settings
from bot.storage.db import make_engine
from bot.web.console.compose import SAVED_REPLIES_FILE, parse_saved_replies
from tests.conftest import SAMPLE_DIRECTORY


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the whole sample directory, to break."""
    target = tmp_path / "directory"
    shutil.copytree(SAMPLE_DIRECTORY, target)
    return target


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in a file; returns its line number."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _problems(folder: Path) -> list[str]:
    return [str(p) for p in check_curated(folder)]


def test_the_shipped_files_pass_every_schema() -> None:
    assert check_curated(SAMPLE_DIRECTORY) == []


def test_every_curated_file_has_a_schema_and_exists() -> None:
    names = {c.name for c in CURATED_FILES}
    assert {
        "commands.yaml",
        "safety/crisis.yaml",
        "safety/answers.yaml",
        "safety/corpus/*.tsv",
        "vocabulary/*.yaml",
        "places.yaml",
        "taxonomy/hsds-map.yaml",
        "saved_replies.yaml",
        "categories.yaml",
        "care/reminders.yaml",
        "care/help_words.yaml",
        "care/messages.yaml",
        "need_words.yaml",
        "report_reasons.yaml",
    } <= names


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "report_reasons.yaml",
            "\nkinds:",
            "\nkindz:",
            ["kindz: unknown key", "kinds: is missing"],
        ),
        ("report_reasons.yaml", "  moved:", "  moovd:", ["moovd: unknown key"]),
        ("need_words.yaml", "\nneed_words:", "\nneedwords:", ["needwords: unknown key"]),
        ("care/reminders.yaml", "  court:", "  cort:", ["cort: unknown key", "court: is missing"]),
        (
            "care/reminders.yaml",
            "days_before: [7, 1, 0]",
            "days_before: [7, 1, 99]",
            ["between 0 and 60"],
        ),
        ("care/help_words.yaml", "category: transportation", "category: rides", ["rides"]),
        ("care/messages.yaml", '  es: "Hola {first_name}', '  sp: "Hola {first_name}', ["sp"]),
    ],
)
def test_the_later_curated_files_fail_on_a_misspelt_or_missing_key(
    folder: Path, name: str, old: str, new: str, expected: list[str]
) -> None:
    line = _edit(folder / name, old, new)
    found = [p for p in _problems(folder) if f"{name}:" in p]
    assert found, f"{name}: no problem reported"
    assert all(f"{name}:{line}:" in p or f"{name}:" in p for p in found)
    for words in expected:
        assert any(words in p for p in found), (words, found)


def test_a_misspelt_command_fails_with_the_line_and_a_hint(folder: Path) -> None:
    path = folder / "commands.yaml"
    line = _edit(path, "\nstop:", "\nstopp:") + 1
    problems = _problems(folder)
    assert f"{path}:{line}: stopp: unknown key (did you mean stop?)" in problems
    assert f"{path}:{line}: stop: is missing" in problems  # the mapping's first line


def test_a_misspelt_crisis_kind_fails(folder: Path) -> None:
    path = folder / "safety" / "crisis.yaml"
    line = _edit(path, "\nself_harm:", "\nself-harm:") + 1
    assert f"{path}:{line}: self-harm: unknown key (did you mean self_harm?)" in _problems(folder)


def test_a_joke_effect_other_than_none_or_concern_fails(folder: Path) -> None:
    path = folder / "safety" / "crisis.yaml"
    line = _edit(path, "\n  violence: none", "\n  violence: concern") + 1
    assert f"{path}:{line}: jokes.violence: 'concern' is not one of none" in _problems(folder)


def test_a_corpus_row_with_a_wrong_label_fails(folder: Path) -> None:
    path = folder / "safety" / "corpus" / "en.tsv"
    with path.open("a", encoding="utf-8") as out:
        out.write("my mom hit me\tviolence\tconcern\ten\n")
        out.write("ok then\tnone\tnone\tenglish\n")
    total = len(path.read_text(encoding="utf-8").splitlines())
    problems = _problems(folder)
    assert f"{path}:{total - 1}: level: concern is for self_harm only" in problems
    assert f"{path}:{total}: lang: 'english' is not one of en, es, mixed" in problems


def test_a_vocabulary_file_with_a_misspelt_key_fails(folder: Path) -> None:
    path = folder / "vocabulary" / "en.yaml"
    line = _edit(path, "\nsynonyms:", "\nsynonym:") + 1
    assert f"{path}:{line}: synonym: unknown key (did you mean synonyms?)" in _problems(folder)


def test_a_place_without_its_latitude_fails(folder: Path) -> None:
    path = folder / "places.yaml"
    line = _edit(path, "latitude: 37.8110, ", "")
    assert f"{path}:{line}: places[1].latitude: is missing" in _problems(folder)


def test_a_taxonomy_map_with_an_unknown_category_fails(folder: Path) -> None:
    path = folder / "taxonomy" / "hsds-map.yaml"
    line = _edit(path, "BD: [food]", "BD: [fod]")
    assert f"{path}:{line}: airs.BD[0]: 'fod' is not one of" in "\n".join(_problems(folder))


def test_a_saved_reply_with_a_misspelt_key_fails(folder: Path) -> None:
    path = folder / "saved_replies.yaml"
    line = _edit(path, "    title: {en: Say hello", "    titel: {en: Say hello")
    problems = _problems(folder)
    assert f"{path}:{line}: replies[0].titel: unknown key (did you mean title?)" in problems
    assert f"{path}:{line - 1}: replies[0].title: is missing" in problems


def test_a_category_without_its_spanish_name_fails(folder: Path) -> None:
    path = folder / "categories.yaml"
    line = _edit(path, "    es: Trabajo\n", "    ES: Trabajo\n")
    problems = _problems(folder)
    assert f"{path}:{line}: categories[1].ES: unknown key (did you mean es?)" in problems


def test_crisis_answers_are_checked_for_keys_numbers_and_length(folder: Path) -> None:
    path = folder / "safety" / "answers.yaml"
    _edit(
        path,
        "Call {emergency} now. If you have naloxone",
        "Call {emergncy} now. If you have naloxone",
    )
    _edit(path, "Childhelp hotline, 24/7", "Childhelp hotline, " + "open day and night " * 5)
    line = _edit(path, "\n  poisoning:\n", "\n  poisonning:\n") + 1
    problems = [str(p) for p in check_files(folder, _loaded_directory())]
    assert f"{path}:{line}: answers.poisonning: unknown key (did you mean poisoning?)" in problems
    assert any(
        "answers.overdose.en: names {emergncy}, which is not under numbers" in p for p in problems
    )
    assert any("answers.child_danger.en: is " in p and "one SMS holds 160" in p for p in problems)


def test_a_model_trained_on_another_corpus_or_broken_fails(folder: Path) -> None:
    with (folder / "safety" / "corpus" / "es.tsv").open("a", encoding="utf-8") as out:
        out.write("texto nuevo de un curador\tnone\tnone\tes\n")
    problems = [str(p) for p in check_files(folder, _loaded_directory())]
    model = folder / "safety" / "model.npz"
    assert (
        f"{model}:1: corpus: was trained on another corpus: run homeward safety train" in problems
    )
    model.write_bytes(b"not a model")
    problems = [str(p) for p in check_files(folder, _loaded_directory())]
    assert any(p.startswith(f"{model}:1: (file): is not a model file") for p in problems)


def test_validate_reports_every_broken_file_at_once(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(folder / "commands.yaml", "\nstop:", "\nstopp:")
    _edit(folder / "safety" / "crisis.yaml", "\nself_harm:", "\nself-harm:")
    _edit(folder / "places.yaml", "latitude: 37.8110, ", "")
    assert validate(folder) == 1
    err = capsys.readouterr().err
    for name in ("commands.yaml", "crisis.yaml", "places.yaml"):
        assert name in err
    assert "problem(s) found" in err


def test_load_refuses_a_broken_file_and_the_last_good_version_keeps_answering(
    folder: Path, database_url: str
) -> None:
    engine = make_engine(database_url)
    assert load_into_database(engine, folder, check_files).version == 1
    _edit(folder / "commands.yaml", "\nstop:", "\nstopp:")
    outcome = load_into_database(engine, folder, check_files)
    assert outcome.version is None
    assert any("stopp: unknown key" in str(p) for p in outcome.problems)
    settings = Settings(database_url=database_url, directory=folder, log_level="WARNING")
    search, _ = build_search(engine, settings)
    conversation = Conversation(engine, search, settings)
    conversation.handle(InboundMessage("test", "curator", "hi"))
    turn = conversation.handle(InboundMessage("test", "curator", "STOP"))
    assert turn.intent == "stop"  # the stored commands of version 1, not the broken file


def test_a_vocabulary_or_place_broken_after_the_last_good_load_never_reaches_the_search(
    folder: Path, database_url: str
) -> None:
    engine = make_engine(database_url)
    assert load_into_database(engine, folder, check_files).version == 1
    _edit(folder / "places.yaml", "{name: Uptown, latitude: 37.8110, ", "{name: Uptown, ")
    _edit(folder / "vocabulary" / "en.yaml", "\nsynonyms:", "\nsynonym:")
    outcome = load_into_database(engine, folder, check_files)
    assert outcome.version is None
    assert {Path(p.path).name for p in outcome.problems} == {"places.yaml", "en.yaml"}
    settings = Settings(database_url=database_url, directory=folder, log_level="WARNING")
    search, problems = build_search(engine, settings)
    assert problems == []  # the stored copies of version 1, not the broken files
    assert ("uptown",) in {place.words for place in search.vocabulary.places}
    assert search.vocabulary.synonyms  # the synonyms the broken key would have dropped


def test_a_good_vocabulary_edit_loads_a_new_version_that_the_search_reads(
    folder: Path, database_url: str
) -> None:
    engine = make_engine(database_url)
    assert load_into_database(engine, folder, check_files).version == 1
    _edit(folder / "places.yaml", "{name: Uptown,", "{name: Uptown, aliases: [koreatown],")
    assert refresh_directory(engine, folder, check_files) == []
    settings = Settings(database_url=database_url, directory=folder, log_level="WARNING")
    search, _ = build_search(engine, settings)
    assert search.version == 2
    assert ("koreatown",) in {place.words for place in search.vocabulary.places}


def test_saved_replies_broken_after_the_last_good_load_stay_the_last_good_ones(
    folder: Path, database_url: str
) -> None:
    engine = make_engine(database_url)
    assert load_into_database(engine, folder, check_files).version == 1
    good = parse_saved_replies((folder / SAVED_REPLIES_FILE).read_bytes())
    _edit(folder / SAVED_REPLIES_FILE, "    title: {en: Say hello", "    titel: {en: Say hello")
    assert load_into_database(engine, folder, check_files).version is None
    settings = Settings(database_url=database_url, directory=folder, log_level="WARNING")
    search, _ = build_search(engine, settings)
    conversation = Conversation(engine, search, settings)
    replies, problems = parse_saved_replies(conversation.files[SAVED_REPLIES_FILE])
    assert problems == []
    assert replies
    assert replies == good[0]


def _loaded_directory():  # type: ignore[no-untyped-def]
    from bot.directory.loader import load_directory

    found = load_directory(SAMPLE_DIRECTORY).directory
    assert found is not None
    return found
