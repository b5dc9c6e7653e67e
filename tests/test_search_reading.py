"""Search reads a reentry text as a caseworker would: the need leads, the situation
(parole, just released, someone inside) weighs only when no need is named, a need
told as the cause weighs less than the one asked for, and a health need of a person
inside goes to those who can reach them there."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.directory.loader import load_directory
from bot.search.engine import SearchEngine
from bot.search.reading import BREAK, clause_words
from bot.search.text import words
from bot.search.vocabulary import check_vocabulary, load_vocabulary
from tests.conftest import write_yaml


def _first(engine: SearchEngine, text: str) -> set[str]:
    hits = engine.search(text, limit=1).hits
    assert hits, f"nothing found for {text!r}"
    return set(hits[0].service.categories)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("paroled last week from folsom, where can i sleep", "housing"),
        ("my PO says i need a job", "jobs"),
        ("just got out of santa rita and im hungry", "food"),
        ("came home from prison and she is depressed", "mental_health"),
        ("recien sali de la carcel y necesito trabajo", "jobs"),
        ("estoy en libertad condicional y busco donde dormir", "housing"),
    ],
)
def test_a_need_named_anywhere_leads_over_the_situation(
    engine: SearchEngine, text: str, category: str
) -> None:
    result = engine.search(text, limit=1)
    assert result.categories[0] == category
    assert category in result.hits[0].service.categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("on parole", "legal"),
        ("my parole officer", "legal"),
        ("libertad condicional", "legal"),
        ("my dad is locked up", "family"),
        ("mi esposo esta en la carcel", "family"),
        ("santa rita", "family"),
    ],
)
def test_a_situation_alone_finds_the_help_for_that_situation(
    engine: SearchEngine, text: str, category: str
) -> None:
    assert category in _first(engine, text)


def test_every_situation_word_gives_way_to_a_need_named_before_or_after_it(
    engine: SearchEngine,
) -> None:
    needs = {"en": ("need a job", "jobs"), "es": ("necesito trabajo", "jobs")}
    missed, tried = [], 0
    for mark in engine.vocabulary.situations.terms:
        phrase, category = needs[mark.language]
        situation = " ".join(mark.words)
        for text in (f"{situation}, {phrase}", f"{phrase}, {situation}"):
            tried += 1
            if engine.search(text, limit=1).categories[:1] != (category,):
                missed.append(text)
    assert tried > 300
    assert missed == []


def test_a_health_need_of_someone_inside_goes_to_family_or_legal_advocates(
    engine: SearchEngine,
) -> None:
    for text in (
        "my son in county isnt getting his seizure meds",
        "my wife is sick in jail and they wont take her to the doctor",
        "mi hijo esta en la carcel y no le dan su medicina",
    ):
        assert _first(engine, text) & {"family", "legal"}, text


def test_the_texters_own_need_is_not_read_as_the_person_insides(engine: SearchEngine) -> None:
    assert "healthcare" in _first(engine, "i need a doctor for me, my husband is in jail")
    assert "mental_health" in _first(engine, "recently incarcerated, looking for therapy")


def test_a_need_told_as_the_cause_weighs_less_than_the_need_asked_for(
    engine: SearchEngine,
) -> None:
    assert "housing" in _first(engine, "lost my job and now im behind on rent")
    assert "jobs" in _first(engine, "got out of rehab and need a job")
    assert "substance_use" in _first(engine, "since my divorce i cant stop drinking")
    assert "jobs" in _first(engine, "sali del rehab y busco trabajo")
    # told alone, the same need is what the text asks for
    assert "jobs" in _first(engine, "i lost my job")
    assert "substance_use" in _first(engine, "got out of rehab, i relapsed")


def test_a_need_the_text_says_it_wants_or_lacks_leads_the_needs_beside_it(
    engine: SearchEngine,
) -> None:
    assert "id_documents" in _first(engine, "cant get a job without an id")
    assert "id_documents" in _first(engine, "need id to get a job")
    assert "legal" in _first(
        engine, "no tengo trabajo por mis antecedentes, quiero limpiar mi record"
    )
    assert "food" in _first(engine, "me quede sin trabajo, ayuda con comida")
    # two needs asked alike both stay in the answer (since round 10 the reader, sure of
    # housing, puts it first: the order is no longer the texter's)
    result = engine.search("i need food and a place to stay", limit=1)
    assert set(result.categories) == {"food", "housing"}


def test_a_question_about_a_situation_is_about_it(engine: SearchEngine) -> None:
    assert "legal" in _first(engine, "i need to talk to someone about my probation")


def test_a_facility_named_in_another_language_is_not_that_languages_word(
    engine: SearchEngine,
) -> None:
    # Spanish "soledad" is loneliness; in English it is a prison
    assert "benefits" in _first(engine, "released from soledad, where do i get clothes")
    assert "mental_health" in _first(engine, "siento mucha soledad")


def test_punctuation_ends_a_clause() -> None:
    assert clause_words("lost my job, now: rent?") == [
        "lost",
        "my",
        "job",
        BREAK,
        "now",
        BREAK,
        "rent",
    ]


def test_initials_written_with_dots_are_one_word_and_end_no_clause() -> None:
    """ "my P.O." and "D.M.V. near me" named nothing before round 36: each dot ended a
    clause and each letter was a word."""
    assert words("my P.O.") == ["my", "po"]
    assert clause_words("need my I.D. and a G.E.D. class") == [
        "need",
        "my",
        "id",
        "and",
        "a",
        "ged",
        "class",
    ]
    assert clause_words("ok. i need a bed") == ["ok", BREAK, "i", "need", "a", "bed"]


@pytest.mark.parametrize(
    ("text", "category"),
    [("D.M.V. near me", "id_documents"), ("my p.o. wont call me back", "legal")],
)
def test_initials_written_with_dots_find_their_service(
    engine: SearchEngine, text: str, category: str
) -> None:
    assert category in _first(engine, text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("just got out", "housing"),
        ("acabo de salir", "housing"),
        ("my father needs help, he just got out", "family"),
        ("le escribo por mi papa, acaba de salir", "family"),
        ("mi esposa sale de la prision el mes que viene, que tenemos que hacer", "family"),
    ],
)
def test_just_out_alone_asks_for_a_place_and_of_someone_else_the_family_asks(
    engine: SearchEngine, text: str, category: str
) -> None:
    """Every blind set with "just got out" alone labelled it housing (8 of 8), while the
    situation file said legal (round 37); a text that speaks only of someone else just
    out is the family asking (``others_alone``)."""
    assert category in _first(engine, text)


def test_someone_released_is_no_longer_inside_in_spanish(engine: SearchEngine) -> None:
    """ "fue liberado" was not a release (round 36): the dental need of a brother
    "liberado de la prision" went to a lawyer, as a need of someone inside does."""
    text = "mi hermano fue liberado de la prision de corcoran y necesita atencion dental"
    assert "healthcare" in _first(engine, text)


SITUATIONS_BAD = """
    language: en
    causes: [because, "", "all because of the thing that happened"]
    colour: blue
    situations:
      released:
        when_alone: {legal: 1.5, spaceships: 1}
        cancels: [inside, nowhere]
        terms: [got out, just out]
      Bad Slug:
        when_alone: {family: 1}
        terms: []
      inside:
        when_alone: {family: 1}
        needs_read_as: {healthcare: {legal: 1, family: zero}}
        terms: [locked up, shelter]
        sorts: 3
        reached_read_as: {food: {spaceships: 1}}
      facility:
        when_alone: {family: 1}
        terms: [folsom]
      released_too:
        when_alone: {housing: 1}
        others_alone: {family: 2}
        terms: [just out]
"""


def test_every_problem_in_a_situation_file_is_reported_and_the_file_is_not_used(
    tiny_directory: Path,
) -> None:
    path = write_yaml(tiny_directory / "vocabulary" / "situations" / "en.yaml", SITUATIONS_BAD)
    directory = load_directory(tiny_directory).directory
    assert directory is not None
    messages = {str(p) for p in check_vocabulary(tiny_directory, directory)}
    assert messages == {
        f"{path}:2: causes[1]: must be a word",
        f"{path}:2: causes[2]: has 7 words; a text is read for phrases of 6 at most",
        f"{path}:3: colour: is not a field of a situation file",
        f"{path}:6: situations.released.when_alone.legal: needs a weight between 0 and 1",
        f"{path}:6: situations.released.when_alone.spaceships: is not a category",
        f"{path}:7: situations.released.cancels: nowhere is not a situation",
        f"{path}:9: situations.Bad Slug: use lowercase letters and _",
        f"{path}:9: situations.Bad Slug.terms: needs at least one term",
        f"{path}:14: situations.inside.needs_read_as.healthcare.family: needs a weight"
        " between 0 and 1",
        f'{path}:15: situations.inside.terms[1]: "shelter" is also a need word of the en'
        " vocabulary: a word is either the situation or the need",
        f"{path}:16: situations.inside.sorts: is not a field",
        f"{path}:17: situations.inside.reached_read_as.food.spaceships: is not a category",
        f'{path}:20: situations.facility.terms[0]: "folsom" is a custody place of'
        " facilities.yaml: name it there only",
        f"{path}:23: situations.released_too.others_alone.family: needs a weight between 0 and 1",
    }
    vocabulary, _ = load_vocabulary(tiny_directory, {c.slug for c in directory.categories})
    languages = {m.language for m in vocabulary.situations.terms}
    assert languages == {"es"}  # the English file, with problems, is not half-loaded


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a question asks for what follows it, beside a need told as a statement
        ("my record keeps me from getting hired, can i get it expunged", "legal"),
        # what the texter cannot pay is what they lack; "pay" is part of the asking
        ("i owe restitution and cant pay my rent", "housing"),
        ("got hurt at work and now i cant pay for food", "food"),
        # "y la luz" lists one more bill of the same person; "el gas" is "the gas"
        ("mi esposo esta preso y no puedo pagar el gas y la luz", "benefits"),
        # a possessive written without its apostrophe still names someone else
        ("how do i get my husbands medical records from the prison", "legal"),
        # "pregnant" in jail counts once, for the advocates its care is read as
        ("my sister in jail is pregnant and not seeing a doctor", "legal"),
        # a stem shared by two words of their own is no match: "mi casa" is not "mi caso"
        ("me corrieron de mi casa porque estuve preso, donde me quedo", "housing"),
        # a short Spanish plural finds its phrase
        ("actas de nacimiento", "id_documents"),
        # a need right after the one asked for is asked too
        ("my ex wont let me see my daughter since i got out, i need a family lawyer", "legal"),
        # "when" opens a cause: the jail is why, the need is the daughter's
        ("my daughter started cutting herself when her mom got locked up", "mental_health"),
        # a person word inside a matched phrase says whose need it is
        ("desde que mi hijo esta preso no puedo dormir ni comer", "mental_health"),
        # round 5: a need named to reach someone inside is family help
        ("what id do i need to visit my brother in county jail", "family"),
        ("que papeles necesito para visitar a mi esposo en la prision", "family"),
        # a person a question is about is its subject, not what it asks
        ("can someone in jail get a GED", "education"),
        # the family around someone inside asking for support
        ("the kids ask when their dad comes home, is there someone to talk to them", "family"),
        ("mi abuela esta triste por mi tio preso, necesita hablar con alguien", "family"),
        # getting ready for the return home
        ("mi hermano sale pronto, como lo preparo para volver a casa", "family"),
        # a benefit of the person inside stays a benefit; money sent to them is family
        ("will my son lose his ssi while hes in prison", "benefits"),
        ("my brother in county needs money on his books", "family"),
        ("mi hijo esta preso y necesita dinero en su cuenta", "family"),
        # everyday needs the vocabulary lacked: a child's doctor, winter coats
        ("mi hijo necesita un pediatra", "healthcare"),
        # round 48: "my kids need winter coats" now reads as family first (the reader
        # learned kids' needs as family; the sample has no clothing service either way)
        ("need a winter coat", "benefits"),
        # a class is of something: what it is for leads
        ("my parole officer says i have to take classes for my drinking", "substance_use"),
        # a judge's order is the situation, what was ordered the need
        ("the judge ordered me to take anger management classes", "mental_health"),
        ("court ordered rehab where", "substance_use"),
        # the texter's own support, beside someone inside, stays theirs
        ("my girl left me when i got locked up and now im alone and sad", "mental_health"),
    ],
)
def test_the_reading_finds_the_need_asked_for_in_the_way_it_is_said(
    engine: SearchEngine, text: str, category: str
) -> None:
    assert category in _first(engine, text), text


def test_a_strong_need_phrase_names_a_need_among_everyday_words(engine: SearchEngine) -> None:
    result = engine.search("my husbands trial is next month and his public defender never calls")
    assert not result.chatter
    assert "legal" in result.hits[0].service.categories


def test_context_cues_and_situation_words_never_say_two_different_situations() -> None:
    """context.yaml (what the conversation offers) and the situation files (how search
    ranks) may share a phrase, and then they mean the same situation."""
    folder = Path(__file__).resolve().parent.parent / "resources_directory"
    cues = yaml.safe_load((folder / "context.yaml").read_text(encoding="utf-8"))
    said_as = {
        "custody": "inside",
        "inside": "inside",
        "released": "released",
        "released_from": "released",
        "release_soon": "release_soon",
        "supervision": "supervised",
    }
    clashes = []
    for language in ("en", "es"):
        path = folder / "vocabulary" / "situations" / f"{language}.yaml"
        situations = yaml.safe_load(path.read_text(encoding="utf-8"))["situations"]
        slugs: dict[tuple[str, ...], set[str]] = {}
        for slug, item in situations.items():
            for term in item.get("terms") or []:
                slugs.setdefault(tuple(words(str(term))), set()).add(slug)
        for kind, phrases in cues[language].items():
            for phrase in phrases if kind in said_as else []:
                found = slugs.get(tuple(words(str(phrase))), {said_as[kind]})
                if said_as[kind] not in found:
                    clashes.append(f"{language}: {phrase!r} is {kind} and {sorted(found)}")
    assert not clashes, clashes


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # purposes: what the need is for weighs like a cause
        ("need my id so i can apply for jobs", "id_documents"),
        (
            "necesito mi acta de nacimiento para poder inscribir a mi hija en la escuela",
            "id_documents",
        ),
        # firsts: the clause's need comes before the rest
        ("i want to find housing but first i need a state id", "id_documents"),
        ("a lawyer more than anything, food we can manage", "legal"),
        ("quiero buscar casa pero primero necesito un abogado", "legal"),
        # settled: a need taken care of weighs little
        ("the food is fine, i need a place to stay", "housing"),
        ("food is covered but what i need is a counselor", "mental_health"),
    ],
)
def test_purpose_first_and_settled_words_say_which_need_is_asked(
    engine: SearchEngine, text: str, category: str
) -> None:
    result = engine.search(text, limit=1)
    assert result.categories[0] == category
    assert category in result.hits[0].service.categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("can my PO make me move out of my moms house?", "legal"),
        ("I'm on probation, can I leave the county to visit my family", "legal"),
        ("estoy en probatoria, puedo salir del estado para ver a mi mama enferma?", "legal"),
        ("can my PO help me find a job", "jobs"),
        ("on parole, can i get food stamps", "benefits"),
    ],
)
def test_what_supervision_allows_is_a_legal_question(
    engine: SearchEngine, text: str, category: str
) -> None:
    """ "can my PO make me move out of my moms house?" was in five blind sets, and read
    as housing in each (round 37): what parole allows is the question."""
    assert category in _first(engine, text)
