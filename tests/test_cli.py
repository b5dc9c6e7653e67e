"""The real ``homeward`` command, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import write_yaml

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_validate_prints_every_problem_and_exits_1(run_cli: Run, tiny_directory: Path) -> None:
    write_yaml(
        tiny_directory / "organizations" / "bad.yaml",
        "id: bad\nservices:\n  - id: bad-1\n    name: X\n",
    )
    result = run_cli("directory", "validate", str(tiny_directory))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"{tiny_directory}/organizations/bad.yaml:1: name: is missing" in lines
    assert (
        f"{tiny_directory}/organizations/bad.yaml:3: services[0].categories: needs at least one category"
        in lines
    )
    assert "Traceback" not in result.stderr


def test_validate_accepts_the_shipped_sample_directory(run_cli: Run) -> None:
    result = run_cli("directory", "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")


def test_search_json_has_the_documented_shape(run_cli: Run, tiny_directory: Path) -> None:
    env = {"HOMEWARD_DIRECTORY": str(tiny_directory)}
    result = run_cli("search", "shelter 94603", "--json", env=env)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"query", "language", "categories", "chatter", "results"}
    assert payload["chatter"] is False
    assert payload["query"] == "shelter 94603"
    assert payload["categories"][0] == "housing"
    first = payload["results"][0]
    assert set(first) == {
        "id",
        "name",
        "organization",
        "categories",
        "score",
        "distance_miles",
        "phone",
        "address",
        "open_now",
    }
    assert first["id"] == "beta-shelter"
    assert first["phone"] == "(510) 555-0102"
    assert first["address"] == "9800 International Blvd, Oakland, CA 94603"
    assert isinstance(first["distance_miles"], float)


def test_batch_prints_one_json_line_per_query_in_order(
    run_cli: Run, tiny_directory: Path, tmp_path: Path
) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("dental\nasdfgh\nnecesito albergue\n", encoding="utf-8")
    result = run_cli(
        "search", "--batch", str(queries), "--json", env={"HOMEWARD_DIRECTORY": str(tiny_directory)}
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["query"] for r in rows] == ["dental", "asdfgh", "necesito albergue"]
    assert rows[0]["results"][0]["id"] == "alpha-dental"
    assert rows[1]["results"] == []
    assert rows[2]["language"] == "es"


def test_load_then_stats_counts_services(run_cli: Run, tiny_directory: Path) -> None:
    loaded = run_cli("directory", "load", str(tiny_directory))
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded 4 services" in loaded.stdout
    stats = run_cli("directory", "stats", "--json", env={"HOMEWARD_DIRECTORY": str(tiny_directory)})
    payload = json.loads(stats.stdout)
    assert payload["services"] == 4
    assert payload["per_category"]["housing"] == 2
    assert payload["per_zip"] == {"94603": 2, "94607": 2}
    assert "alpha-dental" in payload["not_verified_180_days"]


def test_a_bad_load_leaves_the_database_as_it_was(run_cli: Run, tiny_directory: Path) -> None:
    assert run_cli("directory", "load", str(tiny_directory)).returncode == 0
    write_yaml(tiny_directory / "organizations" / "bad.yaml", "id: bad\n")
    failed = run_cli("directory", "load", str(tiny_directory))
    assert failed.returncode == 1
    assert "the database was not changed" in failed.stderr
    env = {"HOMEWARD_DIRECTORY": str(tiny_directory)}
    still = json.loads(run_cli("search", "dental", "--json", env=env).stdout)
    assert still["results"][0]["id"] == "alpha-dental"


def test_a_wrong_setting_is_one_line_without_traceback(run_cli: Run) -> None:
    result = run_cli("search", "food", env={"HOMEWARD_DIRECTORY": "/no/such/place"})
    assert result.returncode == 2
    assert result.stderr.strip() == "homeward: HOMEWARD_DIRECTORY is not a folder: /no/such/place"


def test_a_wrong_near_is_one_line(run_cli: Run) -> None:
    result = run_cli("search", "food", "--near", "mars")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("homeward: --near must be a US ZIP code")


def test_search_works_on_a_fresh_database_without_a_load(run_cli: Run) -> None:
    result = run_cli("search", "food", "--json", "--limit", "3")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["results"]) == 3


def test_the_default_database_lives_under_var(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("search", "clinic", env={"HOMEWARD_DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "homeward.sqlite3").exists()


def test_an_unusable_database_url_is_one_line(run_cli: Run) -> None:
    for url in (
        "foo://bar",
        "sqlite:////proc/no/such/dir/x.db",
        "mysql://x@127.0.0.1/x",
        "postgresql+psycopg://nobody@127.0.0.1:1/nothing",  # nothing listens on port 1
    ):
        result = run_cli("search", "food", env={"HOMEWARD_DATABASE_URL": url})
        assert result.returncode == 2, url
        assert result.stderr.startswith(
            "homeward: cannot use the database in HOMEWARD_DATABASE_URL"
        ), result.stderr
        assert "Traceback" not in result.stderr


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    from tests.conftest import HOMEWARD

    queries = tmp_path / "q.txt"
    queries.write_text("food\n" * 200, encoding="utf-8")
    env = {
        "HOMEWARD_DATABASE_URL": f"sqlite:///{tmp_path / 'pipe.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        f"'{HOMEWARD}' search --batch '{queries}' --json | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_query_and_batch_together_is_a_usage_error(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "q.txt").write_text("food\n", encoding="utf-8")
    result = run_cli("search", "food", "--batch", str(tmp_path / "q.txt"))
    assert result.returncode == 2
    assert "not both" in result.stderr


HEAVY = (
    "sqlalchemy",
    "alembic",
    "numpy",
    "telegram",
    "twilio",
    "starlette",
    "jsonschema",
    "wordfreq",
)


def _imported_by(code: str) -> list[str]:
    """The heavy top-level packages a fresh interpreter holds after running the code."""
    probe = (
        f"{code}\nimport sys\n"
        f"print('\\n' + ' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout.splitlines()[-1].split() if result.stdout.strip() else []


def test_help_and_a_wrong_option_import_no_heavy_package() -> None:
    code = (
        "from bot.cli import main\n"
        "for argv in (['--help'], ['search', '--no-such-option']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass"
    )
    assert _imported_by(code) == []


def test_search_imports_no_web_server_sdk_or_hsds_reader() -> None:
    assert _imported_by("import bot.cli_search") == ["numpy", "sqlalchemy"]
