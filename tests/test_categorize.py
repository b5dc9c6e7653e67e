"""Categories from a service's words when its directory has no usable taxonomy.

The ohana-api layout fixture (fictional rows) has keywords but almost no
taxonomy: its services get categories from the vocabulary and the directory's
own words, written with an ``inferred`` mark that the validator checks and
``homeward directory review`` lists, least sure first. On the real Miami
export with its taxonomy files removed, search is judged by the AIRS codes
that were removed (bench/inference_bench.py has the figures).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.directory.hsds.importer import ImportResult, import_hsds
from bot.directory.hsds.taxonomy import load_map
from bot.directory.inference import ServiceText
from bot.directory.loader import load_directory
from bot.directory.model import CATEGORY_SLUGS, Directory
from bot.directory.review import inferred_services
from bot.directory.store import read_directory
from bot.directory.sync import refresh_directory
from bot.search.categorize import WordCategorizer
from bot.search.engine import SearchEngine
from bot.search.evaluation import judge, read_queries
from bot.search.vocabulary import Vocabulary, load_vocabulary
from bot.storage.db import make_engine, session_scope
from tests.conftest import SAMPLE_DIRECTORY, SHARED
from tests.hsds_helpers import MAP

Run = Callable[..., subprocess.CompletedProcess[str]]
OHANA = Path(__file__).parent / "data" / "hsds-ohana-layout"
MIAMI = SHARED / "data" / "miami-open211-hsds"
DEV_SET = SHARED / "eval" / "queries.dev.tsv"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    found, problems = load_vocabulary(SAMPLE_DIRECTORY, set(CATEGORY_SLUGS))
    assert problems == []
    return found


@pytest.fixture(scope="module")
def ohana(
    tmp_path_factory: pytest.TempPathFactory, vocabulary: Vocabulary
) -> tuple[ImportResult, Directory, Path]:
    out = tmp_path_factory.mktemp("ohana") / "out"
    result = import_hsds(OHANA, out, MAP, categorizer=WordCategorizer(vocabulary, CATEGORY_SLUGS))
    loaded = load_directory(out)
    assert loaded.problems == []
    assert loaded.directory is not None
    return result, loaded.directory, out


def test_services_without_a_taxonomy_get_categories_from_their_words(
    ohana: tuple[ImportResult, Directory, Path],
) -> None:
    result, directory, _ = ohana
    by_id = {s.id: s for s in directory.services}
    assert by_id["7"].categories[0] == "substance_use"  # a rehabilitation centre naming AA, NA
    assert by_id["8"].categories[0] == "healthcare"  # a free clinic
    assert by_id["2"].categories[0] == "jobs"  # job training and placement
    assert by_id["11"].categories == ("food", "legal")  # its taxonomy terms, not a guess
    guessed = result.report.imported["services given categories from their words"]
    assert guessed == sum(1 for s in directory.services if s.id != "11" and s.categories)
    assert any("got categories from their words" in line for line in result.report.summary())


def test_a_guess_is_marked_for_review_in_the_written_file(
    ohana: tuple[ImportResult, Directory, Path],
) -> None:
    entries, problems = inferred_services(ohana[2])
    assert problems == []
    rehab = next(e for e in entries if e.service_id == "7")
    assert rehab.categories[0] == "substance_use"
    assert 0 < rehab.confidence <= 1
    assert "substance abuse" in rehab.evidence
    assert [e.confidence for e in entries] == sorted(e.confidence for e in entries)
    assert "11" not in {e.service_id for e in entries}  # categories from its taxonomy


@pytest.mark.parametrize(
    ("text", "service_id"),
    [("detox", "7"), ("NA meeting tonight", "7"), ("hiv testing", "8"), ("job training", "2")],
)
def test_search_finds_the_service_whose_words_say_it(
    ohana: tuple[ImportResult, Directory, Path], vocabulary: Vocabulary, text: str, service_id: str
) -> None:
    engine = SearchEngine(ohana[1], vocabulary)
    assert engine.search(text).hits[0].service.id == service_id


def test_a_mark_with_a_bad_confidence_fails_validation(
    ohana: tuple[ImportResult, Directory, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(ohana[2], folder)
    path = next((folder / "organizations").glob("second-wind*.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("confidence: 0.", "confidence: 7.", 1), encoding="utf-8")
    problems = load_directory(folder).problems
    assert any(
        p.field.endswith(".inferred.confidence") and "from 0 to 1" in p.message for p in problems
    )


def test_a_guess_carries_how_plainly_its_words_name_the_category(
    ohana: tuple[ImportResult, Directory, Path],
) -> None:
    by_id = {s.id: s for s in ohana[1].services}
    assert by_id["11"].inferred_strength is None  # its taxonomy terms: sure
    guessed = [s for s in ohana[1].services if s.categories and s.id != "11"]
    assert guessed
    assert all(s.inferred_strength is not None for s in guessed)
    assert all(0 < (s.inferred_strength or 0) <= 1 for s in guessed)
    assert by_id["7"].inferred_strength == 1.0  # "rehabilitation", "substance abuse", AA, NA


def test_a_plainly_named_category_is_stronger_than_one_the_words_barely_say(
    vocabulary: Vocabulary,
) -> None:
    texts = [
        ServiceText(
            "pantry",
            "Food Pantry",
            "Free groceries and hot meals; a food bank for families.",
            organization_id="a",
        ),
        ServiceText("club", "Second Wind", "A place for people.", keywords=("food pantry",)),
        ServiceText("placement", "Job Placement", "Helps people find work.", organization_id="b"),
        ServiceText(
            "chamber", "Chamber of Commerce", "Promotes local business.", organization_id="c"
        ),
    ]
    guesses = WordCategorizer(vocabulary, CATEGORY_SLUGS).guess(texts)
    assert guesses["pantry"].categories[0] == guesses["club"].categories[0] == "food"
    assert guesses["pantry"].strength == 1.0
    assert guesses["club"].strength < guesses["pantry"].strength


def test_a_mark_with_a_bad_strength_fails_validation(
    ohana: tuple[ImportResult, Directory, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(ohana[2], folder)
    path = next((folder / "organizations").glob("second-wind*.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("strength: ", "strength: high #", 1), encoding="utf-8")
    problems = load_directory(folder).problems
    assert any(
        p.field.endswith(".inferred.strength") and "from 0 to 1" in p.message for p in problems
    )


def test_the_strength_is_stored_with_the_directory(
    ohana: tuple[ImportResult, Directory, Path], database_url: str
) -> None:
    engine = make_engine(database_url)
    assert refresh_directory(engine, ohana[2]) == []
    with session_scope(engine) as session:
        stored = read_directory(session)
    engine.dispose()
    assert stored is not None
    strengths = {s.id: s.inferred_strength for s in stored.services}
    assert strengths == {s.id: s.inferred_strength for s in ohana[1].services}
    assert strengths["11"] is None
    assert any(v is not None and v < 1 for v in strengths.values())


def test_an_unsure_guess_ranks_below_sure_services_of_its_category(
    vocabulary: Vocabulary,
) -> None:
    sample = load_directory(SAMPLE_DIRECTORY).directory
    assert sample is not None
    first = SearchEngine(sample, vocabulary).search("food pantry").hits[0].service

    def with_strength(strength: float | None) -> Directory:
        services = tuple(
            replace(s, inferred_strength=strength) if s.id == first.id else s
            for s in sample.services
        )
        return replace(sample, services=services)

    def ranked(directory: Directory) -> list[str]:
        found = SearchEngine(directory, vocabulary).search("food pantry", limit=50)
        return [h.service.id for h in found.hits]

    assert ranked(with_strength(1.0)) == ranked(sample)  # a plain guess ranks as a sure entry
    unsure = ranked(with_strength(0.5))
    assert first.id in unsure[1:]  # still found, after sure entries of its kind


def test_review_lists_the_least_sure_first_and_forgets_a_confirmed_one(
    run_cli: Run, ohana: tuple[ImportResult, Directory, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(ohana[2], folder)
    result = run_cli("directory", "review", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    before = found["total"]
    assert before == len(found["services"]) > 0
    first = found["services"][0]
    assert first["file"].startswith("organizations/")
    assert first["line"] > 0
    path = folder / first["file"]
    lines = path.read_text(encoding="utf-8").splitlines()
    start = first["line"] - 1  # the curator deletes the mark: its line and those under it
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    assert end - start >= 3, lines[start:end]  # confidence, strength, evidence
    del lines[start:end]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_directory(folder).problems == []
    again = json.loads(run_cli("directory", "review", str(folder), "--json").stdout)
    assert again["total"] == before - 1
    text = run_cli("directory", "review", str(folder), "--limit", "1").stdout
    assert "least sure first" in text
    assert "more (--limit" in text


def test_services_whose_terms_the_map_sends_nowhere_are_not_guessed(
    vocabulary: Vocabulary,
) -> None:
    categorizer = WordCategorizer(vocabulary, CATEGORY_SLUGS)
    texts = [
        ServiceText("a", "Food Pantry", "Free groceries every week.", organization_id="o"),
        ServiceText("b", "Night Shelter", "Beds tonight.", organization_id="o", known=("housing",)),
    ]
    guesses = categorizer.guess(texts)
    assert set(guesses) == {"a"}  # a known service is an example, never re-guessed
    assert guesses["a"].categories[0] == "food"


def test_a_category_the_description_only_brushes_is_not_guessed(vocabulary: Vocabulary) -> None:
    categorizer = WordCategorizer(vocabulary, CATEGORY_SLUGS)
    texts = [
        ServiceText(
            "chamber",
            "Chamber of Commerce",
            "Promotes local business. Relocation and employment information for new"
            " residents; a full-time office.",
            organization_id="a",
        ),
        ServiceText("placement", "Job Placement", "Helps people find work.", organization_id="b"),
        ServiceText("second", "Second Wind", "A place for people.", keywords=("food pantry",)),
    ]
    guesses = categorizer.guess(texts)
    assert "chamber" not in guesses  # "employment" in passing says what it offers, not what it is
    assert guesses["placement"].categories == ("jobs",)
    assert guesses["second"].categories == ("food",)  # its keywords say what it is


def test_the_taxonomy_maps_term_names_are_read_in_a_services_words(
    vocabulary: Vocabulary,
) -> None:
    texts = [
        ServiceText("desk", "Reentry Navigation Desk", "Walk in on weekdays.", organization_id="a"),
        ServiceText(
            "tax",
            "Free Tax Preparation",
            "Help filing your taxes and getting your tax refund.",
            organization_id="b",
        ),
    ]
    names = {"reentry navigation": ("legal",), "tax preparation": ()}
    plain = WordCategorizer(vocabulary, CATEGORY_SLUGS).guess(texts)
    mapped = WordCategorizer(vocabulary, CATEGORY_SLUGS, names).guess(texts)
    assert mapped["desk"].categories == ("legal",)
    assert plain.get("desk") is None or plain["desk"].categories != ("legal",)
    assert plain["tax"].categories[0] == "benefits"  # the vocabulary reads "tax" as benefits
    assert "tax" not in mapped  # the map sends tax preparation to no category


@pytest.mark.skipif(not MIAMI.exists(), reason="../shared/data/miami-open211-hsds is absent")
@pytest.mark.skipif(not DEV_SET.exists(), reason="../shared/eval is not beside this checkout")
def test_miami_without_its_taxonomy_is_searched_far_better_than_by_words_alone(
    tmp_path: Path, vocabulary: Vocabulary
) -> None:
    package = tmp_path / "package"
    shutil.copytree(MIAMI, package)
    codes = package / "data" / "services_taxonomy.csv"
    truth = _airs_categories(codes)
    codes.unlink()
    (package / "data" / "taxonomy.csv").unlink()
    taxonomy, _ = load_map(MAP, set(CATEGORY_SLUGS))
    categorizer = WordCategorizer(vocabulary, CATEGORY_SLUGS, taxonomy.terms)  # as the CLI does
    import_hsds(package, tmp_path / "out", MAP, categorizer=categorizer)
    loaded = load_directory(tmp_path / "out")
    assert loaded.directory is not None
    engine = SearchEngine(loaded.directory, vocabulary)
    accuracy = judge(
        read_queries(DEV_SET),
        lambda q: [list(truth.get(h.service.id, ())) for h in engine.search(q.text, limit=3).hits],
    )
    # Measured 85.7% / 98.4% (docs/hsds.md: tuned on the extra set, not this one);
    # 77.8% / 98.4% before overview entries were weaker guesses and identity theft
    # left the ID category, 77.8% / 95.2% before unsure guesses ranked lower,
    # 65.1% / 95.2% before the evidence rule; without guessing 42.9% / 69.8%.
    # One query of slack each.
    assert accuracy.top1_rate >= 0.84, accuracy.report("Miami without taxonomy")
    assert accuracy.top3_rate >= 0.96, accuracy.report("Miami without taxonomy")


def _airs_categories(path: Path) -> dict[str, tuple[str, ...]]:
    import csv

    from bot.directory.hsds.records import RawTerm
    from bot.directory.hsds.taxonomy import load_map

    taxonomy, _ = load_map(MAP, set(CATEGORY_SLUGS))
    terms: dict[str, list[RawTerm]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            terms.setdefault(row["service_id"], []).append(RawTerm(row["taxonomy_id"], ""))
    return {sid: taxonomy.categories(t) for sid, t in terms.items()}


def test_an_organizations_overview_entry_is_a_weaker_guess_than_its_programs(
    vocabulary: Vocabulary,
) -> None:
    texts = [
        ServiceText(
            "overview",
            "Harbor House, Inc.",
            "Harbor House offers a food pantry, emergency shelter and job training.",
            organization_id="harbor",
            organization_name="HARBOR HOUSE, INC.",
        ),
        ServiceText(
            "pantry",
            "Harbor House Food Pantry",
            "Free groceries and hot meals; a food bank for families.",
            organization_id="harbor",
            organization_name="HARBOR HOUSE, INC.",
        ),
        ServiceText(
            "alone",
            "Eastside Food Pantry",
            "Free groceries and hot meals; a food bank for families.",
            organization_id="eastside",
            organization_name="Eastside Food Pantry",
        ),
    ]
    guesses = WordCategorizer(vocabulary, CATEGORY_SLUGS).guess(texts)
    assert guesses["pantry"].strength == guesses["alone"].strength == 1.0
    # Named as its organization beside the organization's programs: it speaks for all of them.
    assert guesses["overview"].strength < guesses["pantry"].strength
    # An organization that is its one service is no overview of anything.
    assert guesses["alone"].categories[0] == "food"


@pytest.mark.parametrize("name", ["ID THEFT", "Identity Theft Hotline"])
def test_identity_theft_is_not_read_as_getting_an_id(vocabulary: Vocabulary, name: str) -> None:
    texts = [
        ServiceText(
            "theft",
            name,
            "Report identity theft, scams and fraud; get a recovery plan.",
            organization_id="a",
        ),
        ServiceText(
            "vital", "Vital Records", "Birth certificates and ID cards.", organization_id="b"
        ),
    ]
    guesses = WordCategorizer(vocabulary, CATEGORY_SLUGS).guess(texts)
    assert guesses["vital"].categories[0] == "id_documents"
    assert "theft" not in guesses or "id_documents" not in guesses["theft"].categories
    sample = load_directory(SAMPLE_DIRECTORY).directory
    assert sample is not None
    engine = SearchEngine(sample, vocabulary)
    assert "id_documents" not in engine.search("someone did id theft on me").categories
    assert engine.search("i lost my id").categories[0] == "id_documents"
