"""The conversation follows the person: a need across texts, places, custody places,
several needs, language, and a short first contact. Tables in English and Spanish."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.conversation.core import Conversation
from bot.conversation.gsm import segments
from bot.conversation.message import InboundMessage, Turn
from bot.runtime import Runtime
from tests.conversation_helpers import TUESDAY_11AM, verify_dialog

LONG_STRESSED = (
    "im stressed out. i just got out last month and i need housing, my aunt cant keep me "
    "much longer. i need a job too, nobody calls me back. i also lost my id so i need a new "
    "id, and my medi-cal got cut off. i need a lawyer for my old case and a bus pass to get "
    "to all these appointments. i dont know where to start, its too much and i cant sleep. "
    "please help me figure this out, i have nobody else to ask and i keep thinking about it"
)


@pytest.fixture
def runtime(sample_runtime: Runtime) -> Runtime:
    """The shared sample database: every test talks as its own user id."""
    return sample_runtime


def _conversation(runtime: Runtime, when: dt.datetime = TUESDAY_11AM) -> Conversation:
    return Conversation(runtime.engine, runtime.search, runtime.settings, clock=lambda: when)


def _first_categories(runtime: Runtime, turn: Turn) -> set[str]:
    assert turn.shown, "no service was listed"
    service = runtime.search.index.service(turn.shown[0])
    assert service is not None
    return set(service.categories)


def _miles(turn: Turn) -> list[float]:
    text = "\n".join(r.text for r in turn.replies)
    return [float(m) for m in re.findall(r"(\d+\.\d) (?:mi|millas)\b", text)]


CARRIED = {
    "en": [
        ("need a bed tonite", ["Housing and shelter:", "1. ", "Text your ZIP code"]),
        ("94607", ["Housing and shelter near 94607:", "1. ", " mi"]),
        ("1", ["Hours:", "Who:"]),
    ],
    "es": [
        ("necesito una cama esta noche", ["Vivienda y albergue:", "1. ", "codigo postal"]),
        ("94601", ["Vivienda y albergue cerca de 94601:", "1. ", "millas"]),
        ("1", ["Horario:", "Quién:"]),
    ],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_zip_after_a_need_runs_that_need_there(runtime: Runtime, language: str) -> None:
    turns = verify_dialog(_conversation(runtime), f"carry-{language}", CARRIED[language])
    assert len(turns[0].replies) == 2  # the short welcome, then results with the ZIP question
    after_zip = "\n".join(r.text for r in turns[1].replies)
    assert "Reply with a number" not in after_zip
    assert "Responda con un numero" not in after_zip
    assert _first_categories(runtime, turns[1]) & {"housing"}
    assert turns[1].intent == "search"  # counted and shown to navigators as a search
    assert all(t.language == language for t in turns)


PLACE_ALONE = {
    "en": [
        ("fruitvale", ["What do you need near Fruitvale?", "1 Housing and shelter"]),
        ("3", ["Health care near Fruitvale:", "1. ", " mi"]),
        ("more", ["4. "]),
    ],
    "es": [
        ("hola", ["Bienvenido"]),
        ("fruitvale", ["necesita cerca de Fruitvale?", "1 Vivienda y albergue"]),
        ("1", ["Vivienda y albergue cerca de Fruitvale:", "1. ", "millas"]),
        ("mas", ["4. "]),
    ],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_place_alone_asks_what_is_needed_there_and_then_works(
    runtime: Runtime, language: str
) -> None:
    turns = verify_dialog(_conversation(runtime), f"place-{language}", PLACE_ALONE[language])
    assert "Sorry" not in turns[-1].replies[0].text


@pytest.mark.parametrize(
    ("need", "place", "expected"),
    [
        ("jobs", "west oakland", "Jobs near West Oakland:"),
        ("need food", "im in east oakland", "Food near East Oakland:"),
        ("necesito trabajo", "la fruta", "Trabajo cerca de Fruitvale:"),
    ],
)
def test_a_place_sent_after_a_need_runs_it_there_and_names_the_place(
    runtime: Runtime, need: str, place: str, expected: str
) -> None:
    verify_dialog(
        _conversation(runtime), f"then-{place}", [(need, ["1. "]), (place, [expected, "1. "])]
    )


def test_the_heading_names_the_place_measured_from_not_an_older_zip(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "heading-1",
        [("94601", ["near 94601"]), ("jobs near west oakland", ["Jobs near West Oakland:"])],
    )
    assert "94601" not in turns[1].replies[0].text
    assert max(_miles(turns[1])) < 6  # measured from West Oakland


CUSTODY = {
    "en": [
        (
            "got out of santa rita last week, staying with my aunt in east oakland, need a job",
            ["Jobs near East Oakland:", "1. "],
        ),
        ("food", ["Food near East Oakland:"]),
    ],
    "es": [
        (
            "sali de santa rita la semana pasada, estoy en fruitvale, necesito trabajo",
            ["Trabajo cerca de Fruitvale:", "1. "],
        ),
        ("comida", ["Comida cerca de Fruitvale:"]),
    ],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_jail_named_in_the_text_is_never_where_the_texter_is(
    runtime: Runtime, language: str
) -> None:
    turns = verify_dialog(_conversation(runtime), f"custody-{language}", CUSTODY[language])
    for turn in turns:
        text = "\n".join(r.text for r in turn.replies)
        assert "Dublin" not in text
        assert "Santa Rita" not in text
        assert _miles(turn)
        assert max(_miles(turn)) < 10
    assert _first_categories(runtime, turns[0]) & {"jobs"}


def test_a_family_member_naming_a_prison_sets_no_place(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "custody-family",
        [
            ("my son is in san quentin", ["For family of someone inside:", "1 Visits"]),
            ("food", ["Food:", "Text your ZIP code"]),
        ],
    )
    assert _miles(turns[1]) == []


def test_released_from_a_jail_on_a_need_gets_no_results_from_the_jail_town(
    runtime: Runtime,
) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "custody-2",
        [("94601", ["near 94601"]), ("just got released from santa rita need a bed", ["1. "])],
    )
    assert max(_miles(turns[1])) < 10


SEVERAL = {
    "en": [
        ("need food and a bed tonight", ["Food", "Housing and shelter", "2. ", "PLAN"]),
        ("plan", ["You asked about:", "1 Food", "2 Housing and shelter"]),
        ("2", ["Housing and shelter", "1. "]),
        ("1", ["Hours:"]),
    ],
    "es": [
        ("necesito comida y un lugar para dormir", ["Comida", "Vivienda y albergue", "PLAN"]),
        ("plan", ["Usted pregunto por:", "1 Comida", "2 Vivienda y albergue"]),
        ("2", ["Vivienda y albergue", "1. "]),
        ("1", ["Horario:"]),
    ],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_several_needs_in_one_text_are_all_answered_and_remembered(
    runtime: Runtime, language: str
) -> None:
    turns = verify_dialog(_conversation(runtime), f"several-{language}", SEVERAL[language])
    shown = [runtime.search.index.service(i) for i in turns[0].shown]
    listed = {c for s in shown if s for c in s.categories}
    assert {"food", "housing"} <= listed  # both needs have places in the first answer
    assert _first_categories(runtime, turns[2]) & {"housing"}


def test_two_needs_with_a_zip_are_answered_near_it(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "several-zip",
        [("i need a job and my id 94601", ["Jobs near 94601:", "ID and documents near 94601:"])],
    )
    assert len(turns[0].shown) >= 2


@pytest.mark.parametrize(
    ("text", "shown", "not_shown"),
    [
        ("i have a job and a room but my anxiety is bad", "Mental health", "Jobs"),
        ("tengo trabajo y cuarto pero la ansiedad no me deja", "Salud mental", "Trabajo"),
    ],
)
def test_what_the_texter_already_has_is_not_offered_as_a_need(
    runtime: Runtime, text: str, shown: str, not_shown: str
) -> None:
    """Round 47: the clauses before a "but" that name what the texter has are not needs
    of their own; only the need after it is answered, with no PLAN of several."""
    turns = verify_dialog(_conversation(runtime), "has-but", [(text, [shown])])
    reply = "\n".join(r.text for r in turns[0].replies)
    assert not_shown not in reply
    assert "PLAN" not in reply


def test_a_long_stressed_text_offers_a_person_first_then_the_first_need(
    runtime: Runtime,
) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "stressed-1",
        [
            (LONG_STRESSED, ["text PERSON", "Housing and shelter", "1. ", "5 more needs"]),
            ("plan", ["You asked about:", "1 Housing and shelter", "2 Jobs"]),
            ("2", ["Jobs", "1. "]),
        ],
    )
    answer = turns[0].replies[-1].text
    assert answer.index("PERSON") < answer.index("1. ")  # a person is offered first
    assert _first_categories(runtime, turns[0]) & {"housing"}
    assert _first_categories(runtime, turns[2]) & {"jobs"}


def test_the_stressed_text_in_spanish_offers_a_person_first(runtime: Runtime) -> None:
    text = (
        "estoy muy estresado, no se que hacer. necesito donde vivir, necesito trabajo, "
        "perdi mi identificacion y necesito un abogado"
    )
    turns = verify_dialog(
        _conversation(runtime), "stressed-es", [(text, ["PERSONA", "1. ", "PLAN"])]
    )
    assert turns[0].language == "es"
    answer = turns[0].replies[-1].text
    assert answer.index("PERSONA") < answer.index("1. ")


LANGUAGE = {
    "en": [
        ("hi", ["Welcome"]),
        ("ged clases", ["School and training"]),
        ("bus pass", ["Rides and bus passes"]),
        ("medi cal", ["1. "]),
        ("necesito comida por favor", ["Comida"]),  # several Spanish words: clear evidence
    ],
    "es": [
        ("hola", ["Bienvenido"]),
        ("necesito comida", ["Comida"]),
        ("ged", ["Escuela y capacitacion"]),  # one English-looking word keeps Spanish
        ("EN", ["I will answer in English"]),
    ],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_language_changes_only_on_clear_evidence(runtime: Runtime, language: str) -> None:
    turns = verify_dialog(_conversation(runtime), f"lang-{language}", LANGUAGE[language])
    if language == "en":
        assert [t.language for t in turns] == ["en", "en", "en", "en", "es"]
    else:
        assert [t.language for t in turns] == ["es", "es", "es", "en"]


def test_one_misspelled_word_never_flips_the_language(runtime: Runtime) -> None:
    conversation = _conversation(runtime)
    verify_dialog(conversation, "lang-typo", [("hi", ["Welcome"])])
    for text in ("trabjo", "clases", "comida"):
        turn = conversation.handle(InboundMessage("test", "lang-typo", text))
        assert turn.language == "en", text


FIRST_TEXTS = [
    ("need a bed tonite", "en"),
    ("shelter 94601", "en"),
    ("need food and a bed tonight", "en"),
    ("just got out", "en"),
    ("my son is in santa rita", "en"),
    ("fruitvale", "en"),
    (LONG_STRESSED, "en"),
    ("necesito trabajo 94601", "es"),
    ("acabo de salir", "es"),
    ("necesito comida y un lugar para dormir", "es"),
]


@pytest.mark.parametrize(("text", "language"), FIRST_TEXTS)
def test_first_contact_fits_four_segments_with_the_stop_notice(
    runtime: Runtime, text: str, language: str
) -> None:
    conversation = _conversation(runtime)
    turn = conversation.handle(InboundMessage("test", f"first-{text[:30]}", text))
    assert turn.language == language
    assert sum(segments(r.text) for r in turn.replies) <= 4
    assert "STOP" in turn.replies[0].text
    assert "demo" in turn.replies[0].text
    assert all(segments(r.text) <= 3 for r in turn.replies)
    assert not any(r.text.endswith("...") for r in turn.replies)  # nothing cut short


def test_a_greeting_still_gets_the_whole_welcome(runtime: Runtime) -> None:
    turn = _conversation(runtime).handle(InboundMessage("test", "first-hi", "hi"))
    assert "shelter 94607" in turn.replies[0].text
    assert segments(turn.replies[0].text) <= 3


# Cases found by studying the blind scenarios' misses after their one measured run
# (docs/conversation.md says so): kept here as tables so the fixes stay fixed.


def test_a_place_in_a_clause_with_no_need_places_every_answer(runtime: Runtime) -> None:
    verify_dialog(
        _conversation(runtime),
        "misses-place",
        [
            ("need food and somewhere to sleep, im in 94612", ["Food near 94612:"]),
            ("housing", ["Housing and shelter near 94612:"]),
            ("quiero trabajo y clases de ingles, estoy cerca del lago merritt", ["Lake Merritt"]),
        ],
    )


def test_more_after_several_needs_lists_more_of_the_first(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "misses-more",
        [("need food and a bed tonight 94601", ["Food near 94601:"]), ("more", ["Food near"])],
    )
    first_page = len(turns[0].shown)
    assert f"{first_page + 1}. " in turns[1].replies[0].text  # numbered on from page one
    assert not set(turns[1].shown) & set(turns[0].shown)


def test_parole_beside_a_release_or_another_need_is_the_situation(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "misses-parole",
        [
            ("released from san quentin this morning on parole", ["Your first week out"]),
            ("finna get out tmrw from santa rita on probation", ["Your first week out"]),
            ("gotta check in at the parole office tmrw. need NA meetings", ["1. "]),
        ],
    )
    assert _first_categories(runtime, turns[2]) & {"substance_use"}
    alone = _conversation(runtime).handle(
        InboundMessage("test", "misses-parole-2", "questions about my parole conditions")
    )
    assert _first_categories(runtime, alone) & {"legal"}  # alone, parole is the need


def test_person_in_english_keeps_a_spanish_texter_in_spanish(runtime: Runtime) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "misses-person",
        [("necesito comida por favor", ["Comida"]), ("PERSON", ["Horario de oficina"])],
    )
    assert [t.language for t in turns] == ["es", "es"]


# Cases found by trying `homeward chat` after the merge of issues 14, 15, 18, 20 and 21.


def test_a_situation_alone_is_the_plan_and_beside_a_need_the_need_leads(runtime: Runtime) -> None:
    """The search reads "just got out" alone as legal help (issue 21); the conversation
    answers it with the first-week plan, and a need named beside it leads."""
    assert "legal" in runtime.search.search("just got out").categories
    turns = verify_dialog(
        _conversation(runtime),
        "merge-situation",
        [
            ("just got out", ["Your first week out", "1 ID card"]),
            ("got out of santa rita last week, need a job", ["Jobs:", "1. "]),
            ("i have a record", ["Legal help", "1. "]),  # no plan of its own: search's help
        ],
    )
    assert [t.intent for t in turns] == ["plan", "search", "search"]
    assert _first_categories(runtime, turns[1]) & {"jobs"}
    assert _first_categories(runtime, turns[2]) & {"legal"}
    beside = verify_dialog(
        _conversation(runtime),
        "merge-situation-2",
        [
            ("i have a record, need a job 94601", ["Jobs near 94601:"]),
            # asked for, a situation beside a need is one more need
            (
                "need help cleaning up my record and i want to finish my GED",
                ["Legal help", "School"],
            ),
        ],
    )
    assert "Legal help" not in beside[0].replies[-1].text


def test_a_help_word_with_no_appointment_ranks_its_category_by_the_words(
    runtime: Runtime,
) -> None:
    turns = verify_dialog(
        _conversation(runtime),
        "merge-bus-pass",
        [
            ("bus pass", ["Rides and bus passes:", "1. "]),
            ("94601", ["Rides and bus passes near 94601:", "1. "]),
        ],
    )
    for turn in turns:
        service = runtime.search.index.service(turn.shown[0])
        assert service is not None
        assert "bus" in service.name.lower()
    viaje = verify_dialog(
        _conversation(runtime), "merge-viaje", [("viaje", ["Transporte:"])]
    )  # a Spanish word, answered in Spanish since "pase de viaje" is in the vocabulary
    assert viaje[0].shown  # words no service uses: the whole category
