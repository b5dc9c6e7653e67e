"""Messy HSDS values are read the way a person would read them, or refused."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.directory.hsds.textfix import AREA_TAG, LITERAL_NEWLINE, MOJIBAKE, SPACES, clean_text
from bot.directory.hsds.values import (
    TIME_12H,
    TIME_EXTRA,
    clean_id,
    clean_phone,
    clean_url,
    clean_zip,
    parse_date,
    parse_days,
    parse_time,
    phone_type,
)


@pytest.mark.parametrize(
    ("written", "read", "repair"),
    [
        ("9:00am", "09:00", TIME_12H),
        ("5:00pm", "17:00", TIME_12H),
        ("12:00pm", "12:00", TIME_12H),
        ("12:00am", "00:00", TIME_12H),
        ("9am", "09:00", TIME_12H),
        ("9:00 AM", "09:00", TIME_12H),
        ("7:30 am ", "07:30", TIME_12H),
        ("830am", "08:30", TIME_12H),
        ("9:0am", "09:00", TIME_12H),
        ("6:300pm", "18:30", TIME_EXTRA),
        ("5:00pm (Counter closes at 4:30 pm)", "17:00", TIME_EXTRA),
        ("noon", "12:00", TIME_12H),
        ("17:00", "17:00", None),
        ("10:00:00", "10:00", None),
        ("24:00", "24:00", None),
    ],
)
def test_times_in_many_forms_become_24_hour_times(
    written: str, read: str, repair: str | None
) -> None:
    time, fix, _ = parse_time(written)
    assert (time, fix) == (read, repair)


@pytest.mark.parametrize("written", ["", "closed", "25:00", "13:00pm", "9:75"])
def test_unreadable_times_are_refused(written: str) -> None:
    assert parse_time(written)[0] is None


@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("Monday", (0,)),
        ("sunday", (6,)),
        ("MO,TU,WE", (0, 1, 2)),
        ("Mon-Fri", (0, 1, 2, 3, 4)),
        ("Fri - Mon", (0, 4, 5, 6)),
        ("weekdays", (0, 1, 2, 3, 4)),
        ("daily", tuple(range(7))),
        ("Tues", (1,)),
        ("1", (0,)),
        ("7", (6,)),
    ],
)
def test_weekdays_are_read_from_names_codes_and_ranges(written: str, days: tuple[int]) -> None:
    assert parse_days(written) == days


@pytest.mark.parametrize("written", ["", "someday", "8", "1MO"])
def test_unknown_weekdays_are_refused(written: str) -> None:
    assert parse_days(written) is None


@pytest.mark.parametrize(
    ("number", "extension", "kept", "note"),
    [
        ("510-555-0101", "", "510-555-0101", ""),
        ("(510) 555-0101", "12", "(510) 555-0101 x12", ""),
        ("305-573-4200 x57471", "", "305-573-4200 x57471", ""),
        ("305-891-8850 xOPT2", "", "(305) 891-8850", "option 2"),
        ("211", "", "211", ""),
        ("(305)545-1234", "12.0", "(305)545-1234 x12", ""),
    ],
)
def test_phone_numbers_are_kept_or_repaired(
    number: str, extension: str, kept: str, note: str
) -> None:
    found, description, _ = clean_phone(number, extension)
    assert (found, description) == (kept, note)


@pytest.mark.parametrize("number", ["000-000-*347", "", "555-1234", "+44 1234 234567"])
def test_numbers_that_are_not_us_phones_are_left_out(number: str) -> None:
    assert clean_phone(number)[0] is None


def test_phone_types_follow_homeward_names() -> None:
    assert [phone_type(t) for t in ("textphone", "SMS", "cell", "", "fax")] == [
        "tty",
        "text",
        "voice",
        "voice",
        "fax",
    ]


@pytest.mark.parametrize(
    ("written", "read"),
    [("94607", "94607"), ("946071234", "94607-1234"), ("2134", "02134"), (" 94607 ", "94607")],
)
def test_zip_codes_are_repaired(written: str, read: str) -> None:
    assert clean_zip(written)[0] == read


@pytest.mark.parametrize("written", ["G9M 9H9", "00000", "ABC 1234", ""])
def test_non_us_postal_codes_are_refused(written: str) -> None:
    assert clean_zip(written)[0] is None


def test_source_ids_are_kept_when_they_fit_and_rewritten_when_not() -> None:
    assert clean_id("136") == ("136", None)
    assert clean_id("ac148810-d857-441c-9679-408f346de14b")[1] is None
    assert clean_id("ABC 12")[0] == "abc-12"
    assert clean_id("***")[0] is None


def test_web_addresses_get_a_scheme() -> None:
    assert clean_url("www.example.org")[0] == "http://www.example.org"
    assert clean_url("https://example.org/x") == ("https://example.org/x", None)
    assert clean_url("call us")[0] == ""


def test_dates_in_the_future_or_unreadable_are_refused() -> None:
    today = dt.date(2026, 1, 1)
    assert parse_date("2025-07-29", today) == dt.date(2025, 7, 29)
    assert parse_date("07/29/2025", today) == dt.date(2025, 7, 29)
    assert parse_date("2025-07-29T10:00:00Z", today) == dt.date(2025, 7, 29)
    assert parse_date("2027-01-01", today) is None
    assert parse_date("soon", today) is None


def test_text_damage_is_repaired_and_named() -> None:
    text, repairs = clean_text("State AttorneyGÇÖs Office\\n\\n\\nCall us ###MON###\\n###COL###")
    assert text == "State Attorney\u2019s Office\n\nCall us"
    assert set(repairs) == {LITERAL_NEWLINE, MOJIBAKE, AREA_TAG}
    assert clean_text("FL ") == ("FL", [SPACES])
    assert clean_text("plain") == ("plain", [])
