"""Settings: defaults, one-line errors, and the README listing every setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import REPO_ROOT, SETTINGS, Settings, SettingsError


def test_defaults_need_no_environment() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///var/homeward.sqlite3"
    assert settings.directory == REPO_ROOT / "resources_directory"
    assert settings.log_level == "WARNING"


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"HOMEWARD_DATABASE_URL": "homeward.db"}, "HOMEWARD_DATABASE_URL must be a database URL"),
        ({"HOMEWARD_DIRECTORY": "/no/such/folder"}, "HOMEWARD_DIRECTORY is not a folder"),
        ({"HOMEWARD_LOG_LEVEL": "LOUD"}, "HOMEWARD_LOG_LEVEL must be one of"),
    ],
)
def test_a_wrong_setting_is_one_plain_line(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message


def test_directory_setting_accepts_an_existing_folder(tmp_path: Path) -> None:
    assert Settings.from_env({"HOMEWARD_DIRECTORY": str(tmp_path)}).directory == tmp_path


def test_readme_documents_every_setting() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in readme]
    assert missing == []
