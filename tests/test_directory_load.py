"""Loading: all or nothing, automatic on a fresh database, refreshed after edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.directory.model import Directory
from bot.directory.problems import Problem
from bot.directory.sync import (
    DirectoryUnavailable,
    load_into_database,
    read_loaded,
    refresh_directory,
)
from bot.storage.db import make_engine, session_scope
from bot.storage.models import ServiceRow
from tests.conftest import write_yaml


def current_directory(engine: Engine, folder: Path) -> tuple[Directory, list[Problem]]:
    """What a process starting now serves: the refreshed, loaded directory and the problems."""
    problems = refresh_directory(engine, folder)
    loaded = read_loaded(engine)
    if loaded is None:
        raise DirectoryUnavailable(problems)
    return loaded[0], problems


def _service_ids(url: str) -> set[str]:
    with session_scope(make_engine(url)) as session:
        return set(session.scalars(select(ServiceRow.id)))


def test_load_writes_every_service_and_bumps_the_version(
    tiny_directory: Path, database_url: str
) -> None:
    engine = make_engine(database_url)
    first = load_into_database(engine, tiny_directory)
    second = load_into_database(engine, tiny_directory)
    assert (first.version, second.version) == (1, 2)
    assert first.services == 4
    assert _service_ids(database_url) == {
        "alpha-shelter",
        "alpha-dental",
        "beta-shelter",
        "beta-counseling",
    }


def test_an_invalid_directory_changes_nothing(tiny_directory: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    load_into_database(engine, tiny_directory)
    (tiny_directory / "organizations" / "beta.yaml").unlink()
    write_yaml(
        tiny_directory / "organizations" / "bad.yaml", "id: bad\nname: Bad\nservices: [{id: x}]\n"
    )
    outcome = load_into_database(engine, tiny_directory)
    assert outcome.version is None
    assert outcome.problems
    assert "beta-shelter" in _service_ids(database_url)


def test_a_removed_service_disappears_on_reload(tiny_directory: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    load_into_database(engine, tiny_directory)
    (tiny_directory / "organizations" / "beta.yaml").unlink()
    load_into_database(engine, tiny_directory)
    assert _service_ids(database_url) == {"alpha-shelter", "alpha-dental"}
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ServiceRow)) == 2


def test_a_fresh_database_loads_the_files_by_itself(
    tiny_directory: Path, database_url: str
) -> None:
    directory, problems = current_directory(make_engine(database_url), tiny_directory)
    assert problems == []
    assert len(directory.services) == 4


@pytest.mark.sqlite_only("the folder of a SQLite file is created on first use")
def test_a_new_sqlite_file_gets_its_folders(tiny_directory: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'db.sqlite3'}"
    directory, problems = current_directory(make_engine(url), tiny_directory)
    assert problems == []
    assert len(directory.services) == 4


def test_edited_files_are_loaded_again_without_a_command(
    tiny_directory: Path, database_url: str
) -> None:
    engine = make_engine(database_url)
    current_directory(engine, tiny_directory)
    (tiny_directory / "organizations" / "beta.yaml").unlink()
    directory, _ = current_directory(engine, tiny_directory)
    assert {s.id for s in directory.services} == {"alpha-shelter", "alpha-dental"}


def test_broken_edits_keep_serving_the_last_good_version(
    tiny_directory: Path, database_url: str
) -> None:
    engine = make_engine(database_url)
    current_directory(engine, tiny_directory)
    write_yaml(tiny_directory / "organizations" / "bad.yaml", "id: bad\n")
    directory, problems = current_directory(engine, tiny_directory)
    assert len(directory.services) == 4
    assert any("bad.yaml:1: name: is missing" in str(p) for p in problems)


def test_a_broken_directory_on_an_empty_database_is_an_error(
    tiny_directory: Path, database_url: str
) -> None:
    write_yaml(tiny_directory / "organizations" / "bad.yaml", "id: bad\n")
    with pytest.raises(DirectoryUnavailable) as caught:
        current_directory(make_engine(database_url), tiny_directory)
    assert caught.value.problems


def test_database_copy_matches_the_files(tiny_directory: Path, database_url: str) -> None:
    from bot.directory.loader import load_directory

    engine = make_engine(database_url)
    from_db, _ = current_directory(engine, tiny_directory)
    from_files = load_directory(tiny_directory).directory
    assert from_files is not None
    assert from_db.services == from_files.services
    assert from_db.info == from_files.info


def test_a_broken_vocabulary_stops_the_load(tiny_directory: Path, database_url: str) -> None:
    from bot.runtime import check_vocabulary

    engine = make_engine(database_url)
    vocab = tiny_directory / "vocabulary" / "en.yaml"
    vocab.write_text(
        vocab.read_text(encoding="utf-8").replace(
            "stop_words: [", "stop_words: 5\nold_stop_words: ["
        ),
        encoding="utf-8",
    )
    outcome = load_into_database(engine, tiny_directory, check_vocabulary)
    assert outcome.version is None
    assert any(
        "en.yaml" in str(p) and "stop_words: must be a list" in str(p) for p in outcome.problems
    )


def test_the_database_follows_the_configured_folder(
    tiny_directory: Path, tmp_path: Path, database_url: str
) -> None:
    import shutil

    other = tmp_path / "other"
    shutil.copytree(tiny_directory, other)
    (other / "organizations" / "beta.yaml").unlink()
    engine = make_engine(database_url)
    current_directory(engine, tiny_directory)
    directory, _ = current_directory(engine, other)
    assert {s.id for s in directory.services} == {"alpha-shelter", "alpha-dental"}
