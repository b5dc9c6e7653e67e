"""Custody places, context cues and plans are curated data: checked, reported, never half-loaded,
and a custody place is never the point distances are measured from."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.search.cues import load_cues, merge, read_context
from bot.search.engine import SearchEngine
from bot.search.facilities import load_facilities
from bot.search.plans import load_plans
from bot.search.text import words
from tests.conftest import SAMPLE_DIRECTORY, write_yaml

Run = Callable[..., subprocess.CompletedProcess[str]]
CATEGORIES = {"housing", "jobs", "family", "legal", "food", "id_documents", "benefits"}


def test_the_shipped_files_load_without_problems() -> None:
    facilities, problems = load_facilities(SAMPLE_DIRECTORY)
    assert problems == []
    assert facilities.find(words("got out of santa rita"))[0].facility.id == "santa-rita-jail"
    cues, problems = load_cues(SAMPLE_DIRECTORY)
    assert problems == []
    assert cues.has("released", words("i just got out"))
    plans, problems = load_plans(SAMPLE_DIRECTORY, CATEGORIES | {"education", "mental_health"})
    assert problems == []
    assert [i.key for i in plans.items("release")][:2] == ["id", "benefits"]
    assert "family_help" in [i.key for i in plans.items("release", family=True)]
    assert "family_help" not in [i.key for i in plans.items("release")]


def test_a_bad_facilities_file_reports_every_problem_and_loads_nothing(tmp_path: Path) -> None:
    shutil.copy(SAMPLE_DIRECTORY / "places.yaml", tmp_path / "places.yaml")
    path = write_yaml(
        tmp_path / "facilities.yaml",
        """
        facilities:
          - id: good-jail
            kind: jail
            name: Good County Jail
            aliases: [good jail]
          - id: Bad Id
            kind: castle
            aliases: [good jail]
            closed: maybe
          - id: lake
            kind: prison
            name: Lake Merritt
            colour: blue
        """,
    )
    places = {tuple(words("lake merritt"))}
    facilities, problems = load_facilities(tmp_path, places)
    assert facilities.by_words == {}  # nothing half-loads
    said = {(p.line, p.field) for p in problems}
    assert all(p.path == str(path) for p in problems)
    assert (6, "facilities[1].id") in said
    assert (7, "facilities[1].kind") in said
    assert (6, "facilities[1].name") in said  # missing: said at the item's line
    assert (8, "facilities[1].aliases") in said  # "good jail" twice
    assert (9, "facilities[1].closed") in said
    assert (12, "facilities[2].name") in said  # also a place in places.yaml
    assert (13, "facilities[2].colour") in said
    assert "is also a name of good-jail" in " ".join(str(p) for p in problems)


def test_a_bad_plans_file_reports_every_problem_and_loads_nothing(tmp_path: Path) -> None:
    write_yaml(
        tmp_path / "plans.yaml",
        """
        release:
          - key: id
            label: {en: ID card, es: Identificacion}
            search: state id
            category: id_documents
          - key: id
            label: {en: Food}
            search: food
            category: snacks
            audience: everyone
        family:
          - key: visits
            label: {en: Visits, es: Visitas}
            opens: calendar
            cues: [visit]
        """,
    )
    plans, problems = load_plans(tmp_path, CATEGORIES)
    assert plans.release == ()
    assert plans.family == ()
    text = "\n".join(str(p) for p in problems)
    assert "release[1].key: 'id' is listed twice" in text
    assert "release[1].label.es: is missing" in text
    assert "release[1].category: 'snacks' is not a category" in text
    assert "release[1].audience: must be self or family" in text
    assert "family[0].opens: can only be release" in text
    assert "family[0].cues: must map en and es" in text
    assert all(str(tmp_path / "plans.yaml") + ":" in str(p) for p in problems)


def test_a_bad_context_file_reports_every_problem_and_loads_nothing(tmp_path: Path) -> None:
    write_yaml(
        tmp_path / "context.yaml",
        """
        en:
          released: [just got out, just got out]
          worried: [scared]
          relatives: my son
        es:
          released: [acabo de salir, true]
        """,
    )
    cues, problems = load_cues(tmp_path)
    assert not cues.has("released", words("acabo de salir"))
    text = "\n".join(str(p) for p in problems)
    assert ":2: en.released[1]: 'just got out' is listed twice" in text
    assert ":3: en.worried: is not one of" in text
    assert ":4: en.relatives: must be a list of phrases" in text
    assert "es.released[1]: must be a word or phrase" in text


def test_who_a_text_is_about_is_read_within_its_sentence() -> None:
    cues, _ = load_cues(SAMPLE_DIRECTORY)
    facilities, _ = load_facilities(SAMPLE_DIRECTORY)

    def context(text: str) -> tuple[bool, bool, bool]:
        parts = []
        for sentence in text.split(","):
            seq = words(sentence)
            spans = [(m.start, m.start + m.length) for m in facilities.find(seq)]
            parts.append(read_context(cues, seq, spans))
        found = merge(parts)
        return found.released, found.family, found.inside

    assert context("got out of santa rita last week, staying with my aunt") == (True, False, False)
    assert context("my son is in santa rita") == (False, True, True)
    assert context("i just got out and my mom lets me stay") == (True, False, False)
    assert context("mi hijo sale de la carcel la proxima semana") == (False, True, False)
    assert context("my son needs a doctor") == (False, False, False)


def test_a_jail_in_the_text_never_moves_the_point_distances_are_measured_from(
    engine: SearchEngine,
) -> None:
    result = engine.search("got out of santa rita last week need a job", near="94601")
    assert result.facilities == ("santa-rita-jail",)
    assert result.place is None
    assert result.hits
    assert all(h.distance_miles is not None and h.distance_miles < 10 for h in result.hits)
    alone = engine.search("my son is in san quentin need food")
    assert alone.point is None  # no place in the text, none given
    near_place = engine.search("released from santa rita, staying in east oakland, need food")
    assert near_place.place_name == "East Oakland"


def test_search_json_measures_miles_from_the_texters_place_not_the_jail(run_cli: Run) -> None:
    result = run_cli(
        "search", "got out of santa rita last week, need a job", "--near", "94601", "--json"
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["categories"] == ["jobs"]
    miles = [r["distance_miles"] for r in found["results"]]
    assert miles
    assert all(m is not None and m < 10 for m in miles)  # Santa Rita is 16-22 miles away


def test_validate_reports_a_bad_curated_file_with_its_line(
    run_cli: Run, tiny_directory: Path
) -> None:
    write_yaml(
        tiny_directory / "facilities.yaml",
        """
        facilities:
          - id: x-jail
            kind: dungeon
            name: X Jail
        """,
    )
    result = run_cli("directory", "validate", str(tiny_directory))
    assert result.returncode == 1
    assert f"{tiny_directory / 'facilities.yaml'}:3: facilities[0].kind:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("can i put money on his books", "money"),
        ("como visito a mi esposo", "visits"),
        ("how do i send pictures to him", "letters"),
        ("my son gets out friday", "release"),
        ("i need a job", None),
    ],
)
def test_a_family_topic_is_found_by_its_cues(text: str, topic: str | None) -> None:
    plans, _ = load_plans(SAMPLE_DIRECTORY, CATEGORIES | {"education", "mental_health"})
    found = plans.family_topic(words(text))
    assert (found.key if found else None) == topic
