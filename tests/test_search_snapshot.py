"""One search index per directory load: saved once, mapped by every process that serves it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from bot import runtime
from bot.directory.loader import load_directory
from bot.runtime import build_search, open_runtime
from bot.search.engine import SearchEngine, SearchResult
from bot.search.evaluation import read_queries
from bot.search.index import quality_on
from bot.search.snapshot import (
    MAGIC,
    ServiceTable,
    SnapshotError,
    load_snapshot,
    save_snapshot,
)
from bot.search.vocabulary import load_vocabulary
from bot.settings import REPO_ROOT, Settings, SettingsError
from bot.storage.db import make_engine
from tests.conftest import HOMEWARD, SAMPLE_DIRECTORY, Run

BUILT_LINE = "built the search index"
QUERIES = [q.text for q in read_queries(REPO_ROOT / "tests" / "data" / "queries.extra.tsv")]
WHEN = dt.datetime(2026, 12, 2, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def built() -> SearchEngine:
    """The sample directory's engine, built from the directory files."""
    directory = load_directory(SAMPLE_DIRECTORY).directory
    assert directory is not None
    vocabulary, _ = load_vocabulary(SAMPLE_DIRECTORY, {c.slug for c in directory.categories})
    return SearchEngine(directory, vocabulary, 7)


@pytest.fixture(scope="module")
def opened(built: SearchEngine, tmp_path_factory: pytest.TempPathFactory) -> SearchEngine:
    """The same engine, its index saved to a file and opened from it."""
    path = tmp_path_factory.mktemp("snapshot") / "index.bin"
    save_snapshot(path, built.index, built.centrality)
    return SearchEngine(built.index.directory, built.vocabulary, 7, prebuilt=load_snapshot(path))


def _answer(result: SearchResult) -> list[tuple[str, float, float | None, bool | None]]:
    return [(h.service.id, h.score, h.distance_miles, h.open_now) for h in result.hits]


def test_an_index_opened_from_its_file_answers_every_query_as_the_built_one(
    built: SearchEngine, opened: SearchEngine
) -> None:
    assert len(QUERIES) > 50
    for query in QUERIES:
        for options in ({}, {"near": "94607", "open_now": True}, {"language": "es"}):
            first = built.search(query, limit=8, now=WHEN, **options)  # type: ignore[arg-type]
            again = opened.search(query, limit=8, now=WHEN, **options)  # type: ignore[arg-type]
            assert _answer(again) == _answer(first), (query, options)
            assert (again.categories, again.total) == (first.categories, first.total)


def test_sound_alike_spellings_are_found_the_same_from_the_saved_index(
    built: SearchEngine, opened: SearchEngine
) -> None:
    assert bytes(opened.index.sound_table) == bytes(built.index.sound_table)
    assert len(opened.index.sound_table) > 1000
    for query in ("resumay", "klinika", "methadoan clinic", "salvashun army", "stait aydee"):
        first = built.search(query, limit=5, now=WHEN)
        assert _answer(opened.search(query, limit=5, now=WHEN)) == _answer(first), query


def test_an_opened_index_maps_its_arrays_and_reads_only_the_services_it_shows(
    opened: SearchEngine,
) -> None:
    index = opened.index
    assert not index.postings.services.flags.writeable  # mapped from the file, read-only
    assert not index.category_mask.flags.writeable
    services = index.services
    assert isinstance(services, ServiceTable)
    services._decode.cache_clear()
    hits = opened.search("shelter 94607", limit=3, now=WHEN).hits
    assert len(hits) == 3
    assert services._decode.cache_info().currsize == 3
    # for tonight, the hours of the services a raise could bring into the first three
    services._decode.cache_clear()
    assert len(opened.search("shelter tonight 94607", limit=3, now=WHEN).hits) == 3
    assert 3 <= services._decode.cache_info().currsize < len(services) // 4
    assert index.service(hits[0].service.id) == hits[0].service
    assert index.service("no-such-service") is None


def test_a_service_read_back_from_the_file_equals_the_one_saved(
    built: SearchEngine, opened: SearchEngine
) -> None:
    assert list(opened.index.services) == list(built.index.services)
    assert opened.index.services[-1] == built.index.services[-1]
    assert opened.index.directory.categories == built.index.directory.categories


def test_recently_verified_is_judged_on_the_day_the_index_is_opened() -> None:
    assured = np.array([dt.date(2026, 6, 1).toordinal(), 0], dtype=np.int32)
    base = np.array([0.05, 0.0], dtype=np.float32)
    assert quality_on(base, assured, dt.date(2026, 7, 1)).tolist() == pytest.approx([0.07, 0.0])
    assert quality_on(base, assured, dt.date(2027, 7, 1)).tolist() == pytest.approx([0.05, 0.0])


@pytest.mark.parametrize(
    "content", [b"", b"HWINDEX1", b"not an index at all", b"HWINDEX1" + b"\xff" * 40]
)
def test_a_broken_index_file_is_refused_with_a_reason(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "index.bin"
    path.write_bytes(content)
    with pytest.raises(SnapshotError):
        load_snapshot(path)


def test_a_truncated_index_file_is_refused(built: SearchEngine, tmp_path: Path) -> None:
    path = tmp_path / "index.bin"
    save_snapshot(path, built.index, built.centrality)
    path.write_bytes(path.read_bytes()[:-1000])
    with pytest.raises(SnapshotError, match="truncated"):
        load_snapshot(path)


def test_a_process_finds_a_broken_saved_index_and_builds_a_good_one(
    sample_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(sample_database_url, SAMPLE_DIRECTORY, "WARNING", index_dir=tmp_path / "ix")
    runtime._BUILT.clear()  # another test's copy of the same seeded load may be open in memory
    open_runtime(settings)  # builds and saves
    (saved,) = (tmp_path / "ix").glob("index-v*.bin")
    saved.write_bytes(b"HWINDEX1 and then nothing")
    engine = make_engine(sample_database_url)
    search, _ = _fresh_process_build(engine, settings)
    assert search.search("food 94607", now=WHEN).hits
    load_snapshot(saved)  # whole again


def test_an_index_saved_in_the_previous_format_is_rebuilt(
    sample_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(sample_database_url, SAMPLE_DIRECTORY, "WARNING", index_dir=tmp_path / "ix")
    runtime._BUILT.clear()
    open_runtime(settings)
    (saved,) = (tmp_path / "ix").glob("index-v*.bin")
    assert MAGIC != b"HWINDEX1"  # format 2 added the guessed categories' doubt
    whole = saved.read_bytes()
    saved.write_bytes(b"HWINDEX1" + whole[len(MAGIC) :])  # as an older Homeward left it
    with pytest.raises(SnapshotError, match="format"):
        load_snapshot(saved)
    search, _ = _fresh_process_build(make_engine(sample_database_url), settings)
    assert search.search("food 94607", now=WHEN).hits
    assert load_snapshot(saved)[0].category_doubt.shape == (search.index.size,)


def _fresh_process_build(engine: Engine, settings: Settings) -> tuple[SearchEngine, object]:
    """build_search as a new process meets it: nothing opened in memory yet."""
    runtime._BUILT.clear()
    return build_search(engine, settings)


def test_directory_load_saves_the_index_and_the_next_command_opens_it(
    run_cli: Run, tmp_path: Path
) -> None:
    env = {"HOMEWARD_INDEX_DIR": str(tmp_path / "ix"), "HOMEWARD_LOG_LEVEL": "INFO"}
    loaded = run_cli("directory", "load", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "Search index saved" in loaded.stdout
    assert len(list((tmp_path / "ix").glob("index-v1-*.bin"))) == 1
    searched = run_cli("search", "food 94607", "--json", env=env)
    assert searched.returncode == 0, searched.stderr
    assert BUILT_LINE not in searched.stderr  # opened, not built again
    assert '"id"' in searched.stdout


def test_processes_starting_together_build_the_index_once(
    sample_database_url: str, tmp_path: Path
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HOMEWARD_")},
        "HOMEWARD_DATABASE_URL": sample_database_url,
        "HOMEWARD_INDEX_DIR": str(tmp_path / "ix"),
        "HOMEWARD_LOG_LEVEL": "INFO",
    }
    processes = [
        subprocess.Popen(
            [str(HOMEWARD), "search", "shelter 94607", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [err for _, err in outputs]
    assert sum(err.count(BUILT_LINE) for _, err in outputs) == 1
    assert len({out for out, _ in outputs}) == 1  # the same answer from each


def test_the_index_folder_follows_the_database_unless_set(tmp_path: Path) -> None:
    beside = Settings(f"sqlite:///{tmp_path}/h.sqlite3", SAMPLE_DIRECTORY, "WARNING")
    assert beside.index_folder == tmp_path / "h.sqlite3.index"
    server = Settings("postgresql+psycopg://u@db/h", SAMPLE_DIRECTORY, "WARNING")
    assert server.index_folder == Path("var") / "index"
    chosen = Settings.from_env({"HOMEWARD_INDEX_DIR": str(tmp_path / "ix")})
    assert chosen.index_folder == tmp_path / "ix"
    (tmp_path / "file").write_text("x")
    with pytest.raises(SettingsError, match="HOMEWARD_INDEX_DIR is not a folder"):
        Settings.from_env({"HOMEWARD_INDEX_DIR": str(tmp_path / "file")})
