"""The validator reports every problem as file:line: field: problem, all at once."""

from __future__ import annotations

from pathlib import Path

from bot.directory.loader import load_directory, organization_files
from tests.conftest import write_yaml

BAD = """
    id: Bad Org
    phones:
      - number: "123"
    locations:
      - id: alpha-downtown
        name: Copy
        postal_code: "00000"
    services:
      - id: alpha-shelter
        name: Duplicate id
        categories: [housing, spaceships]
        descripton: a typo in a field name
        schedules:
          - weekday: funday
            opens_at: "9am"
            closes_at: "17:00"
          - weekday: monday
            opens_at: "17:00"
            closes_at: "09:00"
        accepts_records: maybe
        assured_date: 2999-01-01
"""


def _messages(folder: Path) -> list[str]:
    return [str(p) for p in load_directory(folder).problems]


def test_valid_directory_loads_without_problems(tiny_directory: Path) -> None:
    result = load_directory(tiny_directory)
    assert result.ok
    assert result.directory is not None
    assert {s.id for s in result.directory.services} == {
        "alpha-shelter",
        "alpha-dental",
        "beta-shelter",
        "beta-counseling",
    }


def test_every_problem_is_reported_with_file_line_and_field(tiny_directory: Path) -> None:
    bad = write_yaml(tiny_directory / "organizations" / "bad.yaml", BAD)
    messages = _messages(tiny_directory)
    expected = [
        f"{bad}:1: id: 'Bad Org' must use lowercase letters",
        f"{bad}:1: name: is missing",
        f"{bad}:3: phones[0].number: '123' is not a valid phone number",
        f"{bad}:5: locations[0].id: id 'alpha-downtown' is already used in alpha.yaml",
        f"{bad}:7: locations[0].postal_code: '00000' is not a real US ZIP code",
        f"{bad}:9: services[0].id: id 'alpha-shelter' is already used in alpha.yaml",
        f"{bad}:11: services[0].categories[1]: 'spaceships' is not a category",
        f"{bad}:12: services[0].descripton: unknown field",
        f"{bad}:14: services[0].schedules[0].weekday: 'funday' is not a weekday",
        f"{bad}:15: services[0].schedules[0].opens_at: '9am' is not a time",
        f"{bad}:19: services[0].schedules[1].closes_at: closes at 09:00, not after it opens at 17:00",
        f"{bad}:20: services[0].accepts_records: 'maybe' is not one of",
        f"{bad}:21: services[0].assured_date: 2999-01-01 is in the future",
    ]
    for fragment in expected:
        assert any(m.startswith(fragment) for m in messages), f"missing: {fragment}\n" + "\n".join(
            messages
        )
    assert len(messages) == len(expected)


def test_broken_yaml_is_reported_with_its_line_and_other_files_still_checked(
    tiny_directory: Path,
) -> None:
    broken = tiny_directory / "organizations" / "broken.yaml"
    broken.write_text("id: broken\nname: [not closed\nservices: []\n", encoding="utf-8")
    write_yaml(tiny_directory / "organizations" / "nameless.yaml", "id: nameless\n")
    messages = _messages(tiny_directory)
    assert any(m.startswith(f"{broken}:") and "not valid YAML" in m for m in messages)
    assert any("nameless.yaml:1: name: is missing" in m for m in messages)


def test_fictional_national_and_real_numbers_are_accepted(tiny_directory: Path) -> None:
    write_yaml(
        tiny_directory / "organizations" / "phones.yaml",
        """
        id: phones
        name: Phone test
        phones:
          - {number: "988", type: hotline}
          - {number: "1-800-662-4357", type: hotline}
          - {number: "510.555.0199", type: text}
          - {number: "(510) 055-0101"}
        """,
    )
    messages = _messages(tiny_directory)
    assert len(messages) == 1
    assert "phones[3].number: '(510) 055-0101' is not a valid phone number" in messages[0]


def test_duplicate_keys_and_unknown_weekday_groups_are_reported(tiny_directory: Path) -> None:
    write_yaml(
        tiny_directory / "organizations" / "twice.yaml",
        """
        id: twice
        name: First
        name: Second
        """,
    )
    assert any("twice.yaml:3: name: written twice" in m for m in _messages(tiny_directory))


def test_missing_coordinates_fall_back_to_the_zip_centroid(tiny_directory: Path) -> None:
    write_yaml(
        tiny_directory / "organizations" / "nocoords.yaml",
        """
        id: nocoords
        name: No coordinates
        locations:
          - {id: nc-1, name: Office, postal_code: "94601"}
        services:
          - {id: nc-food, name: Pantry, categories: [food], locations: [nc-1]}
        """,
    )
    result = load_directory(tiny_directory)
    assert result.directory is not None
    service = next(s for s in result.directory.services if s.id == "nc-food")
    location = service.locations[0]
    assert location.latitude is not None
    assert abs(location.latitude - 37.77) < 0.05


def test_more_mistakes_curators_make_are_caught(tiny_directory: Path) -> None:
    write_yaml(
        tiny_directory / "organizations" / "more.yaml",
        """
        id: more
        name: More mistakes
        phones:
          - {number: "+44 20 7946 0958"}
        services:
          - id: more-1
            name: Twice food
            categories: [food, food]
            schedules:
              - {weekday: monday, opens_at: 9:00, closes_at: "17:00"}
        """,
    )
    (tiny_directory / "organizations" / "empty.yaml").write_text(
        "# nothing yet\n", encoding="utf-8"
    )
    messages = _messages(tiny_directory)
    assert any(
        "more.yaml:4: phones[0].number: '+44 20 7946 0958' is not a US or Canadian number" in m
        for m in messages
    )
    assert any(
        "more.yaml:8: services[0].categories[1]: 'food' is listed twice" in m for m in messages
    )
    assert any(
        'more.yaml:10: services[0].schedules[0].opens_at: write times in quotes, like "09:00"' in m
        for m in messages
    )
    assert any("empty.yaml:1: (file): is empty" in m for m in messages)


def test_categories_must_be_the_twelve_fixed_slugs(tiny_directory: Path) -> None:
    path = tiny_directory / "categories.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("slug: benefits", "slug: money"), encoding="utf-8"
    )
    assert any(
        "categories.yaml:3: categories: must be exactly these slugs" in m
        for m in _messages(tiny_directory)
    )


def test_organization_files_come_in_folder_then_name_order_from_subfolders_too(
    tmp_path: Path,
) -> None:
    # The order decides the fingerprint and which file a duplicate id is blamed on:
    # it is pathlib's (part by part), not plain string order ("a-b" sorts after "a").
    names = ["a-b/x.yaml", "a/x.yaml", "a/b/c.yml", "B.yaml", "a.yml", "z.yaml", "notes.txt"]
    for name in names:
        path = tmp_path / "organizations" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x: 1\n", encoding="utf-8")
    base = tmp_path / "organizations"
    expected = sorted([*base.rglob("*.yaml"), *base.rglob("*.yml")])
    assert organization_files(tmp_path) == expected
    assert [p.relative_to(base).as_posix() for p in expected][:3] == [
        "B.yaml",
        "a/b/c.yml",
        "a/x.yaml",
    ]
