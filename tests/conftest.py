"""Shared fixtures: real SQLite files, real YAML folders, the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.runtime import Runtime, open_runtime
from bot.search.engine import SearchEngine
from bot.settings import REPO_ROOT, Settings

pytest_plugins = ["tests.twilio_mock", "tests.fake_telegram"]

SAMPLE_DIRECTORY = REPO_ROOT / "resources_directory"
SHARED = REPO_ROOT.parent / "shared"
HOMEWARD = Path(sys.executable).with_name("homeward")


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A fresh SQLite file per test."""
    return f"sqlite:///{tmp_path / 'homeward.sqlite3'}"


@pytest.fixture(scope="session")
def sample_runtime(tmp_path_factory: pytest.TempPathFactory) -> Runtime:
    """The sample directory loaded once into a shared SQLite file (read-only tests)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'sample.sqlite3'}"
    return open_runtime(Settings(database_url=url, directory=SAMPLE_DIRECTORY, log_level="WARNING"))


@pytest.fixture(scope="session")
def engine(sample_runtime: Runtime) -> SearchEngine:
    """The search engine over the sample directory."""
    return sample_runtime.search


@pytest.fixture
def tiny_directory(tmp_path: Path) -> Path:
    """A copy of the sample's shared files with two small organizations of our own."""
    folder = tmp_path / "directory"
    (folder / "organizations").mkdir(parents=True)
    for name in ("directory.yaml", "categories.yaml", "places.yaml"):
        shutil.copy(SAMPLE_DIRECTORY / name, folder / name)
    shutil.copytree(SAMPLE_DIRECTORY / "vocabulary", folder / "vocabulary")
    write_yaml(folder / "organizations" / "alpha.yaml", ALPHA)
    write_yaml(folder / "organizations" / "beta.yaml", BETA)
    return folder


def write_yaml(path: Path, text: str) -> Path:
    """Write a YAML file from an indented literal."""
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


ALPHA = """
    id: alpha
    name: Alpha Reentry Center
    fictional: true
    phones:
      - number: "(510) 555-0101"
        type: voice
    locations:
      - id: alpha-downtown
        name: Downtown office
        address_1: 100 Broadway
        city: Oakland
        state_province: CA
        postal_code: "94607"
        latitude: 37.8000
        longitude: -122.2740
    services:
      - id: alpha-shelter
        name: Alpha Night Shelter
        categories: [housing]
        description: Emergency shelter beds for adults coming home from jail.
        description_es: Camas de albergue de emergencia.
        locations: [alpha-downtown]
        schedules:
          - weekday: weekdays
            opens_at: "09:00"
            closes_at: "17:00"
        accepts_records: "yes"
        languages: [en, es]
        assured_date: 2026-10-01
      - id: alpha-dental
        name: Alpha Dental Clinic
        categories: [healthcare]
        description: Free dental care and teeth cleaning.
        locations: [alpha-downtown]
        languages: [en]
"""

BETA = """
    id: beta
    name: Beta Community Services
    fictional: true
    phones:
      - number: "(510) 555-0102"
    locations:
      - id: beta-east
        name: East Oakland office
        address_1: 9800 International Blvd
        city: Oakland
        state_province: CA
        postal_code: "94603"
        latitude: 37.7400
        longitude: -122.1700
    services:
      - id: beta-shelter
        name: Beta Family Shelter
        categories: [housing, family]
        description: Shelter rooms for families with children.
        locations: [beta-east]
        languages: [en, es]
      - id: beta-counseling
        name: Beta Counseling
        categories: [mental_health]
        description: Free counseling and therapy for stress and depression.
        locations: [beta-east]
"""


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real ``homeward`` command in a subprocess with its own database."""
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("HOMEWARD_")}
    base_env["HOMEWARD_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.sqlite3'}"

    def run(
        *args: str, env: dict[str, str] | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(HOMEWARD), *args],
            env={**base_env, **(env or {})},
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            check=False,
        )

    return run
