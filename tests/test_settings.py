"""Settings: defaults, one-line errors, and docs/settings.md listing every setting."""

from __future__ import annotations

import re
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


SETTINGS_PAGE = REPO_ROOT / "docs" / "settings.md"


def settings_table() -> str:
    """The table docs/settings.md must hold: SETTINGS as written in bot/settings.py."""

    def default(value: str) -> str:
        return value if value.startswith("(") else f"`{value}`"

    rows = [f"| `{s.name}` | {default(s.default)} | {s.help} |" for s in SETTINGS]
    return "\n".join(["| variable | default | what it does |", "|---|---|---|", *rows])


def test_settings_page_names_every_setting() -> None:
    page = SETTINGS_PAGE.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in page]
    assert missing == [], f"add these settings to docs/settings.md: {missing}"


def test_settings_page_table_matches_the_code() -> None:
    page = SETTINGS_PAGE.read_text(encoding="utf-8")
    assert settings_table() in page, (
        "docs/settings.md: the settings table differs from bot.settings.SETTINGS; "
        "replace it with:\n" + settings_table()
    )


def test_settings_page_names_no_other_variable() -> None:
    page = SETTINGS_PAGE.read_text(encoding="utf-8")
    named = set(re.findall(r"\b(?:HOMEWARD|TWILIO|TELEGRAM)_[A-Z][A-Z0-9_]*", page))
    assert named - {s.name for s in SETTINGS} == set()


def test_readme_points_to_the_settings_page() -> None:
    assert "(docs/settings.md)" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")
