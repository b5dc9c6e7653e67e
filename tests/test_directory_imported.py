"""Imported files may record their source, list taxonomy terms and have services with no category."""

from __future__ import annotations

from pathlib import Path

from bot.directory.loader import load_directory
from tests.conftest import write_yaml

IMPORTED = """
    id: "136"
    name: Imported Agency
    source:
      format: HSDS 1.x
      name: some-211
      organization_id: "136"
      imported: 2026-01-05
    services:
      - id: "2060"
        name: Peer Support Groups
        categories: []
        taxonomy_terms:
          - {code: PN-8100.5000, name: Mental Health Related Support Groups, taxonomy: AIRS}
          - Peer support
      - id: "2061"
        name: Knitting Circle
"""


def test_an_imported_file_loads_with_terms_as_keywords(tiny_directory: Path) -> None:
    write_yaml(tiny_directory / "organizations" / "imported.yaml", IMPORTED)
    result = load_directory(tiny_directory)
    assert result.problems == []
    assert result.directory is not None
    by_id = {s.id: s for s in result.directory.services}
    assert by_id["2060"].categories == ()
    assert by_id["2060"].keywords == ("Mental Health Related Support Groups", "Peer support")
    assert by_id["2061"].categories == ()


def test_curated_files_still_need_a_category(tiny_directory: Path) -> None:
    curated = IMPORTED.replace("    source:\n", "    notes_for_us:\n", 1)
    path = write_yaml(tiny_directory / "organizations" / "curated.yaml", curated)
    messages = [str(p) for p in load_directory(tiny_directory).problems]
    assert f"{path}:3: notes_for_us: unknown field (check the spelling)" in messages
    assert f"{path}:11: services[0].categories: needs at least one category" in messages
    assert f"{path}:15: services[1].categories: needs at least one category" in messages


def test_bad_source_and_terms_are_reported_with_their_lines(tiny_directory: Path) -> None:
    bad = """
        id: imported
        name: Imported
        source:
          format: HSDS 3.0
          publisher: someone
          title: [not, text]
        services:
          - id: s1
            name: One
            taxonomy_terms:
              - {code: X-1}
              - [nested]
              - {name: Fine, colour: red}
    """
    path = write_yaml(tiny_directory / "organizations" / "bad.yaml", bad)
    messages = [str(p) for p in load_directory(tiny_directory).problems]
    assert messages == [
        f"{path}:5: source.publisher: unknown field (check the spelling)",
        f"{path}:6: source.title: must be text or a date",
        f"{path}:11: services[0].taxonomy_terms[0].name: is missing",
        f"{path}:12: services[0].taxonomy_terms[1]: must be a term name or {{code, name, taxonomy}}",
        f"{path}:13: services[0].taxonomy_terms[2].colour: unknown field (check the spelling)",
    ]
