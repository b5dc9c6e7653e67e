"""Crisis detection: the trained model and the rules together, and what a texter gets.

The four labelled sets in tests/data were written by helpers who never saw the
code, but they were used to tune the rules before the model existed, so they
are regression sets here, not unseen figures (docs/safety.md has those). Their
labels predate the seven kinds: "overdose" there covers anyone's overdose and
"violence" a child's danger too, so a kind of the same family counts as right.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.conversation.core import Conversation
from bot.conversation.gsm import is_gsm, segments
from bot.conversation.message import InboundMessage
from bot.conversation.style import style_for
from bot.directory.loader import runtime_files
from bot.runtime import Runtime
from bot.safety.answers import read_answers
from bot.safety.corpus import read_table
from bot.safety.crisis import load_crisis_words
from bot.safety.detector import Detector
from bot.safety.evaluation import REQUIRED_NUMBERS, names_numbers
from bot.safety.files import safety_from_files
from bot.storage.contacts import find_contact
from bot.storage.db import session_scope
from bot.storage.handoffs import waiting_queue
from bot.storage.models import HandoffRow
from tests.conftest import SAMPLE_DIRECTORY
from tests.conversation_helpers import SATURDAY_11PM, TUESDAY_11AM, check_sms_rules

DATA = Path(__file__).parent / "data"
LABELLED = tuple(
    DATA / name
    for name in ("crisis.tsv", "crisis.second.tsv", "crisis.third.tsv", "crisis.fourth.tsv")
)
# The old labels, and the kinds of today that answer them rightly.
OLD_FAMILIES = {
    "self_harm": {"self_harm", "intentional_overdose"},
    "overdose": {"overdose", "own_overdose", "intentional_overdose", "poisoning"},
    "violence": {"violence", "child_danger"},
}


@pytest.fixture(scope="module")
def detector() -> Detector:
    return safety_from_files(runtime_files(SAMPLE_DIRECTORY))[0]


def _labelled() -> list[tuple[str, str, str]]:
    rows = []
    lines = [line for path in LABELLED for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line.strip() and not line.startswith("#"):
            text, kind, lang = [*line.split("\t"), "", ""][:3]
            rows.append((text, kind.strip(), lang.strip()))
    return rows


def test_the_old_labelled_sets_are_big_enough() -> None:
    rows = _labelled()
    assert sum(k != "none" for _, k, _ in rows) >= 60
    assert sum(k == "none" for _, k, _ in rows) >= 60
    assert {lang for _, _, lang in rows} == {"en", "es"}


def test_the_old_sets_are_still_caught_with_few_false_alarms(detector: Detector) -> None:
    """Regression floor, measured when the model was trained (docs/safety.md)."""
    rows = _labelled()
    crisis = [(t, k) for t, k, _ in rows if k != "none"]
    findings = [(t, k, detector.check(t)) for t, k in crisis]
    right = [t for t, k, f in findings if f.kind in OLD_FAMILIES[k]]
    looks = [t for t, k, _ in rows if k == "none"]
    alarms = [t for t in looks if detector.check(t).crisis]
    assert len(right) >= 0.97 * len(crisis), [(t, k, f) for t, k, f in findings if t not in right]
    assert len(alarms) <= 0.03 * len(looks), alarms


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # The issue's misses: each one now gets its kind.
        ("thinking bout offing myself", "self_harm"),
        ("my baby drank bleach", "poisoning"),
        ("ya me despedi de mis hijos, perdonenme", "self_harm"),
        ("i got a rope in the garage and im done", "self_harm"),
        ("been saving up my pills. i think tonight is the night", "self_harm"),
        ("might just unalive myself", "self_harm"),
        ("he OD'd in the bathroom what do i do", "overdose"),
        ("mi hijo se tomo un frasco de pastillas", "intentional_overdose"),
        ("me esta golpeando, ayuda", "violence"),
        ("how many of my meds would it take to not wake up", "self_harm"),
        ("i took too much", "own_overdose"),
        ("me pase con las pastillas", "own_overdose"),
        ("my uncle is touching my daughter", "child_danger"),
        ("quiero morir", "self_harm"),
        ("sucidal", "self_harm"),
        # Look-alikes stay quiet.
        ("dying to see my kids", None),
        ("killing time at the library", None),
        ("me muero de hambre", None),
        ("flu shot", None),
        ("i dont want to live in a shelter", None),
        ("where can i get narcan for my program", None),
        ("my son beat me at madden again lol", None),
    ],
)
def test_the_issues_examples_get_their_kind(
    detector: Detector, text: str, kind: str | None
) -> None:
    assert detector.check(text).kind == kind


@pytest.mark.parametrize(
    ("text", "kind", "level"),
    [
        # A threat from someone close with a joke marker is an idiom.
        ("my mom is gonna kill me lol", None, None),
        ("my dad gonna kill me jk", None, None),
        ("mi mama me va a matar jajaja", None, None),
        ("my PO gonna kill me \U0001f602", None, None),
        # Self-harm with one may hide a real wish: the 988 line, not the emergency answer.
        ("im gonna kms lmaooo", "self_harm", "concern"),
        # Kinds the file leaves out are answered as found.
        ("my baby drank bleach lol", "poisoning", "crisis"),
        # The same threat without a marker is violence.
        ("my boyfriend is gonna kill me", "violence", "crisis"),
    ],
)
def test_a_joke_marker_turns_an_idiom_off_and_self_harm_into_a_concern(
    detector: Detector, text: str, kind: str | None, level: str | None
) -> None:
    finding = detector.check(text)
    assert (finding.kind, finding.level) == (kind, level)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("me quiero matar", "self_harm"),  # I want to kill myself
        ("me quiere matar mi esposo", "violence"),  # he wants to kill me
        ("mi esposo le esta pegando a mi hijo", "child_danger"),
        ("hoy me quito la vida", "self_harm"),
    ],
)
def test_spanish_tells_who_wants_to_hurt_whom(detector: Detector, text: str, kind: str) -> None:
    assert detector.check(text).kind == kind


@pytest.mark.parametrize(
    "text",
    ["whats the point anymore", "nobody would notice if i was gone"],
)
def test_hopeless_texts_are_a_concern_not_a_crisis(detector: Detector, text: str) -> None:
    finding = detector.check(text)
    assert (finding.kind, finding.level) == ("self_harm", "concern")


def test_every_answer_fits_one_segment_and_names_its_numbers() -> None:
    answers, problems = read_answers(SAMPLE_DIRECTORY)
    assert problems == []
    named = yaml.safe_load((SAMPLE_DIRECTORY / "safety" / "answers.yaml").read_text())["numbers"]
    sms = style_for("sms")
    for kind in REQUIRED_NUMBERS:
        for language in ("en", "es"):
            text = sms.finish(answers.answer(kind, language))
            assert segments(text) == 1, text
            assert is_gsm(text), text
            assert names_numbers(text, kind, named), (kind, language, text)
    assert "988" in answers.concern("en")
    assert "988" in answers.concern("es")
    assert "espa\u00f1ol" in sms.finish(answers.answer("self_harm", "es"))  # GSM-7 has \u00f1


def _conversation(runtime: Runtime, when: dt.datetime = TUESDAY_11AM) -> Conversation:
    return Conversation(runtime.engine, runtime.search, runtime.settings, clock=lambda: when)


def test_crisis_comes_first_even_mid_search_and_goes_to_the_top_of_the_queue(
    sample_runtime: Runtime,
) -> None:
    conversation = _conversation(sample_runtime)
    conversation.handle(InboundMessage("test", "crisis-a", "food 94601"))
    turn = conversation.handle(
        InboundMessage("test", "crisis-a", "i just want to end it all tonight")
    )
    assert turn.crisis == "self_harm"
    assert turn.concern is False
    assert "988" in turn.replies[0].text
    assert turn.handoff is True
    check_sms_rules(turn)
    with session_scope(sample_runtime.engine) as session:
        contact = find_contact(session, "test", "crisis-a")
        assert contact is not None
        handoff = session.scalars(
            select(HandoffRow).where(HandoffRow.contact_id == contact.id)
        ).one()
        assert handoff.priority == 1


@pytest.mark.parametrize(
    ("text", "kind", "numbers"),
    [
        ("my baby drank bleach", "poisoning", ("911", "1-800-222-1222")),
        ("mi bebe se tomo cloro", "poisoning", ("911", "1-800-222-1222")),
        ("he OD'd in the bathroom what do i do", "overdose", ("911", "naloxone")),
        ("i took too much and my heart is racing", "own_overdose", ("911", "alone")),
        (
            "my son swallowed a whole bottle of pills on purpose",
            "intentional_overdose",
            ("911", "988"),
        ),
        ("mi esposo me esta golpeando ahorita", "violence", ("911", "1-800-799-7233")),
        (
            "my boyfriend is hitting my little girl right now",
            "child_danger",
            ("911", "1-800-422-4453"),
        ),
        ("me quiero quitar la vida", "self_harm", ("988",)),
    ],
)
def test_each_kind_gets_its_own_numbers_first_in_the_texters_language(
    sample_runtime: Runtime, text: str, kind: str, numbers: tuple[str, ...]
) -> None:
    turn = _conversation(sample_runtime).handle(
        InboundMessage("test", f"kind-{kind}-{text[:9]}", text)
    )
    assert turn.crisis == kind
    first = turn.replies[0].text
    for number in numbers:
        assert number.lower() in first.lower(), first
    assert segments(first) == 1
    check_sms_rules(turn)


def test_a_first_message_in_crisis_gets_one_stop_line_not_the_welcome(
    sample_runtime: Runtime,
) -> None:
    turn = _conversation(sample_runtime).handle(
        InboundMessage("test", "crisis-first", "he's not breathing after using")
    )
    assert "911" in turn.replies[0].text
    assert "Reply STOP to opt out" in turn.replies[-1].text
    assert not any("Welcome to Homeward" in r.text for r in turn.replies)
    assert len(turn.replies) == 3


def test_out_of_hours_the_crisis_follow_up_says_when_and_the_number_again(
    sample_runtime: Runtime,
) -> None:
    conversation = _conversation(sample_runtime, SATURDAY_11PM)
    conversation.handle(InboundMessage("test", "crisis-night", "hi"))
    turn = conversation.handle(InboundMessage("test", "crisis-night", "i want to kill myself"))
    follow_up = turn.replies[1].text
    assert "has been told" in follow_up
    assert "Mon" in follow_up
    assert "988" in follow_up
    later = conversation.handle(InboundMessage("test", "crisis-night", "are you there"))
    assert len(later.replies) == 1
    assert "988" in later.replies[0].text
    assert "Mon" in later.replies[0].text
    assert "Text MENU" not in later.replies[0].text


def test_a_concern_leads_the_answer_with_988_and_queues_a_check_in(
    sample_runtime: Runtime,
) -> None:
    conversation = _conversation(sample_runtime)
    conversation.handle(InboundMessage("test", "concern-a", "hi"))
    turn = conversation.handle(InboundMessage("test", "concern-a", "whats the point anymore"))
    assert turn.crisis is None
    assert turn.concern is True
    assert turn.replies[0].text.startswith("If you are thinking about hurting yourself")
    assert len(turn.replies) >= 2  # the answer to what they asked follows
    assert turn.handoff is False  # still with the bot
    assert turn.as_json("x")["concern"] is True
    check_sms_rules(turn)
    with session_scope(sample_runtime.engine) as session:
        contact = find_contact(session, "test", "concern-a")
        assert contact is not None
        mine = [i for i in waiting_queue(session) if i.contact_id == contact.id]
        assert [(i.urgent, i.check_in) for i in mine] == [(False, True)]
    # the next text is answered by the bot, not held for a navigator
    after = conversation.handle(InboundMessage("test", "concern-a", "MENU"))
    assert after.intent == "menu"


def test_check_ins_wait_below_urgent_and_above_ordinary_requests(sample_runtime: Runtime) -> None:
    conversation = _conversation(sample_runtime)
    conversation.handle(InboundMessage("test", "order-normal", "talk to a person"))
    conversation.handle(
        InboundMessage("test", "order-concern", "nobody would notice if i was gone")
    )
    conversation.handle(InboundMessage("test", "order-urgent", "i want to kill myself"))
    with session_scope(sample_runtime.engine) as session:
        ids = {
            find_contact(session, "test", user).id: user  # type: ignore[union-attr]
            for user in ("order-normal", "order-concern", "order-urgent")
        }
        order = [ids[i.contact_id] for i in waiting_queue(session) if i.contact_id in ids]
    assert order == ["order-urgent", "order-concern", "order-normal"]


def test_after_stop_only_a_crisis_is_answered(sample_runtime: Runtime) -> None:
    conversation = _conversation(sample_runtime)
    conversation.handle(InboundMessage("test", "stopped-a", "hi"))
    conversation.handle(InboundMessage("test", "stopped-a", "STOP"))
    quiet = conversation.handle(InboundMessage("test", "stopped-a", "whats the point anymore"))
    assert quiet.replies == []
    assert quiet.concern is False
    loud = conversation.handle(InboundMessage("test", "stopped-a", "i took too much"))
    assert loud.crisis == "own_overdose"
    assert "911" in loud.replies[0].text


def test_a_crisis_during_a_handoff_raises_it_to_urgent(sample_runtime: Runtime) -> None:
    conversation = _conversation(sample_runtime)
    conversation.handle(InboundMessage("test", "crisis-b", "talk to someone"))
    turn = conversation.handle(
        InboundMessage("test", "crisis-b", "mi novio me golpea y tengo miedo")
    )
    assert turn.crisis == "violence"
    assert turn.language == "es"
    assert "911" in turn.replies[0].text
    assert "1-800-799-7233" in turn.replies[0].text
    with session_scope(sample_runtime.engine) as session:
        contact = find_contact(session, "test", "crisis-b")
        assert contact is not None
        handoffs = session.scalars(
            select(HandoffRow).where(HandoffRow.contact_id == contact.id)
        ).all()
        assert [h.priority for h in handoffs] == [1]


def test_the_rules_still_report_an_unknown_concept(tmp_path: Path) -> None:
    from bot.safety.crisis import CrisisListError

    (tmp_path / "safety").mkdir()
    (tmp_path / "safety" / "crisis.yaml").write_text(
        "concepts:\n  intent: [want]\nrules:\n  self_harm:\n    - [intent, harm]\n",
        encoding="utf-8",
    )
    with pytest.raises(CrisisListError, match="rules: self_harm: unknown concept harm"):
        load_crisis_words(tmp_path)


@pytest.mark.parametrize(
    "text", ["i overdosed i need help", "me di una sobredosis ayuda", "i just overdosed help me"]
)
def test_an_overdose_said_plainly_is_a_crisis_the_model_cannot_overrule(
    detector: Detector, text: str
) -> None:
    """The model alone read these as calm past overdoses (0.02 and 0.28): a sure phrase
    of crisis.yaml answers them with the emergency numbers."""
    finding = detector.check(text)
    assert (finding.kind, finding.level, finding.by) == ("own_overdose", "crisis", "rule")


def test_a_past_overdose_in_a_service_request_stays_calm(detector: Detector) -> None:
    for text in (
        "i overdosed last year need help staying clean",
        "my brother overdosed last year need help for the family",
    ):
        assert detector.check(text).level is None, text


def test_a_sure_phrase_of_an_unknown_kind_fails_validation(tmp_path: Path) -> None:
    from bot.directory.curated_files import check_curated

    (tmp_path / "safety").mkdir()
    (tmp_path / "safety" / "crisis.yaml").write_text(
        "sure:\n  own_overdos:\n    - i overdosed help\n", encoding="utf-8"
    )
    problems = [str(p) for p in check_curated(tmp_path) if "crisis.yaml" in str(p)]
    assert len(problems) == 1
    assert "own_overdos" in problems[0]


# Texts of the search sets that are crises or hopeless (they rightly get 988 first).
REAL_CRISES = {
    "i feel like giving up",
    "thinking about killing myself",
    "siento que ya no puedo mas",
    "i dont wanna be here no more",
}


def test_ordinary_service_requests_do_not_fire(detector: Detector) -> None:
    """The search sets' requests (written for search, never for crisis) get search answers."""
    texts = []
    for name in ("queries.extra.tsv", "queries.holdout.tsv"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                texts.append(line.split("\t")[0])
    alarms = [t for t in texts if detector.check(t).level is not None and t not in REAL_CRISES]
    assert len(texts) > 400
    assert len(alarms) <= 0.01 * len(texts), alarms


def test_reentry_service_requests_get_no_crisis_answer_and_rarely_the_988_line(
    detector: Detector,
) -> None:
    """Jails named, family inside, release day, parole, long stressed lists of needs.

    crisis.reentry.tsv was written by the team after the dialog suite's false alarms
    ("mi esposo esta en santa rita") and never trained on; the corpus learned from
    other texts of the same kind (safety/corpus/reentry.tsv).
    """
    examples, problems = read_table(DATA / "crisis.reentry.tsv")
    findings = [detector.check(e.text) for e in examples]
    crises = [e.text for e, f in zip(examples, findings, strict=True) if f.crisis]
    concerns = [e.text for e, f in zip(examples, findings, strict=True) if f.concern]
    assert problems == []
    assert len(examples) >= 140
    assert {e.lang for e in examples} == {"en", "es"}
    assert crises == []
    # Measured: 2 of 148 get the 988 line, both feelings rather than requests ("i feel lost
    # since i got out, so much changed", "im scared of everything out here"); since round 6
    # (goodbyes.tsv) also "my family doesnt want me, i got nowhere to go": 3.
    assert len(concerns) <= 3, concerns


@pytest.mark.parametrize(
    "text",
    [
        "mi esposo esta en santa rita",
        "sali hoy de santa rita, estoy en casa de mi tia en el 94603, que hago primero?",
        "my mom is gonna kill me lol",
        "im stressed out. i just got out last month and i need housing, my aunt cant keep me "
        "much longer. i need a job too, nobody calls me back. i also lost my id so i need a new "
        "id, and my medi-cal got cut off. i need a lawyer for my old case and a bus pass to get "
        "to all these appointments. i dont know where to start, its too much and i cant sleep. "
        "please help me figure this out, i have nobody else to ask and i keep thinking about it",
    ],
)
def test_the_dialog_suites_false_alarms_get_the_search_not_the_crisis_answer(
    sample_runtime: Runtime, text: str
) -> None:
    turn = _conversation(sample_runtime).handle(
        InboundMessage("test", f"reentry-{text[:20]}", text)
    )
    assert turn.crisis is None
    assert not turn.concern
