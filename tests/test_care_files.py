"""The curated care files, link codes and reminder times: pure checks, no database."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.care.codes import ALPHABET, new_code, read_code
from bot.care.files import load_care, read_care_files
from bot.care.timing import is_quiet, quiet_ends, reminder_times
from bot.cli_directory import validate
from tests.conftest import SAMPLE_DIRECTORY
from tests.conversation_helpers import PACIFIC

CARE = load_care(SAMPLE_DIRECTORY)


def test_codes_have_no_look_alikes_and_are_read_forgivingly() -> None:
    assert not set("0O1IL") & set(ALPHABET)
    for _ in range(200):
        code = new_code()
        assert read_code(code) == code
        assert read_code(f" {code[:3].lower()} {code[3:]}\n") == code
        assert read_code(f"{code[:2]}-{code[2:4]} {code[4:].lower()}") == code
    for not_a_code in ("PANTRY", "123456", "K7M2QX7", "K7M2Q", "K0M2QX", "hello there", "94607"):
        assert read_code(not_a_code) is None, not_a_code


def test_reminders_go_a_week_a_day_and_the_morning_before_at_nine() -> None:
    at = dt.datetime(2026, 12, 10, 10, 30, tzinfo=PACIFIC)
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=PACIFIC)
    times = reminder_times(CARE, "court", at, PACIFIC, now)
    local = [(days, when.astimezone(PACIFIC).isoformat()) for days, when in times]
    assert local == [
        (7, "2026-12-03T09:00:00-08:00"),
        (1, "2026-12-09T09:00:00-08:00"),
        (0, "2026-12-10T09:00:00-08:00"),
    ]
    early = dt.datetime(2026, 12, 10, 8, 30, tzinfo=PACIFIC)  # before nine: no morning reminder
    assert [d for d, _ in reminder_times(CARE, "court", early, PACIFIC, now)] == [7, 1]
    late = dt.datetime(2026, 12, 8, 12, 0, tzinfo=PACIFIC)  # the week-before one has passed
    assert [d for d, _ in reminder_times(CARE, "court", at, PACIFIC, late)] == [1, 0]


@pytest.mark.parametrize(
    ("local", "quiet", "resumes"),
    [
        ("2026-12-01T08:59", True, "2026-12-01T09:00"),
        ("2026-12-01T09:00", False, None),
        ("2026-12-01T20:59", False, None),
        ("2026-12-01T21:00", True, "2026-12-02T09:00"),
        ("2026-12-01T23:45", True, "2026-12-02T09:00"),
    ],
)
def test_nothing_goes_between_nine_at_night_and_nine_in_the_morning(
    local: str, quiet: bool, resumes: str | None
) -> None:
    when = dt.datetime.fromisoformat(local).replace(tzinfo=PACIFIC)
    assert is_quiet(CARE, when, PACIFIC) is quiet
    if resumes:
        assert quiet_ends(CARE, when, PACIFIC).astimezone(PACIFIC).isoformat()[:16] == resumes


def test_the_shipped_care_files_are_valid_and_help_words_are_whole_messages() -> None:
    assert read_care_files(SAMPLE_DIRECTORY)[1] == []
    assert CARE.help_for("RIDE").category == "transportation"  # type: ignore[union-attr]
    assert CARE.help_for("Niños").category == "family"  # type: ignore[union-attr]
    assert CARE.help_for("ride to the clinic tomorrow") is None


def _broken(tmp_path: Path) -> Path:
    folder = tmp_path / "directory"
    shutil.copytree(SAMPLE_DIRECTORY, folder)
    reminders = folder / "care" / "reminders.yaml"
    text = reminders.read_text(encoding="utf-8")
    reminders.write_text(
        text.replace(
            'days_before: [7, 1, 0]\n    at: "09:00"', 'days_before: [7, 1, 0]\n    at: "23:00"', 1
        ).replace("  court:", "  courtt:"),
        encoding="utf-8",
    )
    messages = folder / "care" / "messages.yaml"
    messages.write_text(
        messages.read_text(encoding="utf-8").replace(
            "Did you reach {name}?", "Did you reach {place}?"
        ),
        encoding="utf-8",
    )
    words = folder / "care" / "help_words.yaml"
    words.write_text(
        words.read_text(encoding="utf-8").replace("transportation", "rides"), encoding="utf-8"
    )
    return folder


def test_broken_care_files_are_reported_all_at_once_with_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _broken(tmp_path)
    data, problems = read_care_files(folder)
    assert data is None
    said = [str(p).removeprefix(str(folder / "care") + "/") for p in problems]
    assert "reminders.yaml:18: kinds.probation.at: falls in the quiet hours" in said
    assert any(s.startswith("reminders.yaml:") and "kinds.courtt: unknown key" in s for s in said)
    assert any(s.startswith("reminders.yaml:") and "kinds.court: is missing" in s for s in said)
    assert any(s.startswith("messages.yaml:") and "unknown placeholder {place}" in s for s in said)
    assert any(s.startswith("help_words.yaml:6: ride.category:") for s in said)
    assert validate(folder) == 1
    assert "falls in the quiet hours" in capsys.readouterr().err
