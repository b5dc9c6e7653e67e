"""One engine per directory load in a process: opened once, again when anything it reads changes."""

from __future__ import annotations

from pathlib import Path

from bot.directory.sync import load_into_database
from bot.runtime import build_search, check_vocabulary, open_runtime
from bot.settings import Settings
from bot.storage.db import make_engine
from tests.conftest import ALPHA, SAMPLE_DIRECTORY, fresh_database, write_yaml
from tests.postgres_server import PostgresServer


def _settings(url: str, folder: Path) -> Settings:
    return Settings(database_url=url, directory=folder, log_level="WARNING")


def test_copies_of_one_loaded_database_share_one_engine(
    postgres: PostgresServer | None, seeded_database: str, tmp_path: Path
) -> None:
    with (
        fresh_database(postgres, tmp_path, "one", seeded=seeded_database) as one,
        fresh_database(postgres, tmp_path, "two", seeded=seeded_database) as two,
    ):
        first = open_runtime(_settings(one, SAMPLE_DIRECTORY))
        assert open_runtime(_settings(one, SAMPLE_DIRECTORY)).search is first.search
        assert open_runtime(_settings(two, SAMPLE_DIRECTORY)).search is first.search


def test_two_loads_of_the_same_files_each_get_their_own_engine(
    database_url: str, postgres: PostgresServer | None, tiny_directory: Path, tmp_path: Path
) -> None:
    first = open_runtime(_settings(database_url, tiny_directory))
    with fresh_database(postgres, tmp_path, "second") as second_url:
        second = open_runtime(_settings(second_url, tiny_directory))
        assert second.search.version == first.search.version  # both a first load
        assert second.search is not first.search


def test_a_new_load_or_a_vocabulary_edit_builds_a_new_engine(
    database_url: str, tiny_directory: Path
) -> None:
    settings = _settings(database_url, tiny_directory)
    engine = make_engine(database_url)
    first = open_runtime(settings).search
    write_yaml(
        tiny_directory / "organizations" / "alpha.yaml",
        ALPHA.replace("Alpha Night Shelter", "Alpha Evening Shelter"),
    )
    load_into_database(engine, tiny_directory, check_vocabulary)
    after_load, _ = build_search(engine, settings)
    assert after_load is not first
    assert after_load.version == first.version + 1
    assert "Alpha Evening Shelter" in {s.name for s in after_load.index.directory.services}
    vocabulary = sorted((tiny_directory / "vocabulary").glob("*.yaml"))[0]
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    assert build_search(engine, settings)[0] is after_load  # the search reads the stored copy
    after_edit = open_runtime(settings).search  # which the next load replaces
    assert after_edit is not after_load
    assert after_edit.version == after_load.version + 1
    assert build_search(engine, settings)[0] is after_edit
    situations = tiny_directory / "vocabulary" / "situations" / "en.yaml"
    situations.write_text(situations.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    assert build_search(engine, settings)[0] is after_edit  # situations are stored copies too
    after_situations = open_runtime(settings).search
    assert after_situations is not after_edit
    assert after_situations.version == after_edit.version + 1
