"""The shipped sample directory keeps its promises: size, coverage, honesty."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.directory.fields import FICTIONAL_RE, digits_of
from bot.directory.loader import load_directory
from bot.directory.model import Directory
from tests.conftest import SAMPLE_DIRECTORY

REAL_NATIONAL_NUMBERS = {"988", "211", "18006624357", "18007997233", "18007721213"}


@pytest.fixture(scope="module")
def sample() -> Directory:
    result = load_directory(SAMPLE_DIRECTORY)
    assert result.problems == []
    assert result.directory is not None
    return result.directory


def test_sample_has_150_services_and_8_in_every_category(sample: Directory) -> None:
    assert len(sample.services) >= 150
    counts = Counter(c for s in sample.services for c in s.categories)
    assert {c.slug for c in sample.categories} == set(counts)
    assert min(counts.values()) >= 8, counts


def test_sample_is_marked_as_sample_data(sample: Directory) -> None:
    assert sample.info.sample is True
    assert "fictional" in sample.info.notice.lower()


def test_local_entries_are_fictional_with_fictional_numbers(sample: Directory) -> None:
    for org in sample.organizations:
        numbers = {
            digits_of(p.number)
            for s in sample.services
            if s.organization is org
            for p in s.contact_phones()
        }
        numbers |= {digits_of(p.number) for p in org.phones}
        if org.fictional:
            assert all(FICTIONAL_RE.match(n) for n in numbers), (org.id, numbers)
        else:
            assert numbers <= REAL_NATIONAL_NUMBERS, (org.id, numbers)


def test_only_national_services_are_real(sample: Directory) -> None:
    real = [s for s in sample.services if not s.organization.fictional]
    assert real
    assert all(s.service_area == "national" and not s.locations for s in real)


def test_local_locations_are_in_the_oakland_area(sample: Directory) -> None:
    zips = {loc.postal_code for s in sample.services for loc in s.locations}
    assert sum(z.startswith("946") for z in zips) >= 10
    for service in sample.services:
        for loc in service.locations:
            assert loc.latitude is not None
            assert loc.longitude is not None
            assert 37.6 < loc.latitude < 37.95, loc.id
            assert -122.4 < loc.longitude < -122.0, loc.id


def test_entries_carry_spanish_text_and_schedules(sample: Directory) -> None:
    local = [s for s in sample.services if s.organization.fictional]
    assert sum(bool(s.description_es) for s in local) / len(local) > 0.9
    assert sum(bool(s.schedules) for s in local) / len(local) > 0.8
    assert sum(bool(s.text("eligibility_description", "es")) for s in local) / len(local) > 0.8
