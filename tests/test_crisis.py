"""Crisis detection on a labelled set written by someone who never saw the word lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime
from bot.safety.crisis import CrisisDetector, load_crisis_words
from bot.storage.contacts import find_contact
from bot.storage.db import session_scope
from bot.storage.models import HandoffRow
from tests.conftest import SAMPLE_DIRECTORY
from tests.conversation_helpers import TUESDAY_11AM, check_sms_rules

DATA = Path(__file__).parent / "data"
LABELLED = tuple(
    DATA / name
    for name in ("crisis.tsv", "crisis.second.tsv", "crisis.third.tsv", "crisis.fourth.tsv")
)


@pytest.fixture(scope="module")
def detector() -> CrisisDetector:
    return CrisisDetector(load_crisis_words(SAMPLE_DIRECTORY))


def _labelled() -> list[tuple[str, str, str]]:
    rows = []
    lines = [line for path in LABELLED for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line.strip() and not line.startswith("#"):
            text, kind, lang = [*line.split("\t"), "", ""][:3]
            rows.append((text, kind.strip(), lang.strip()))
    return rows


def test_the_labelled_set_is_big_enough() -> None:
    rows = _labelled()
    assert sum(k != "none" for _, k, _ in rows) >= 60
    assert sum(k == "none" for _, k, _ in rows) >= 60
    assert {lang for _, _, lang in rows} == {"en", "es"}


def test_every_crisis_is_caught_with_few_false_alarms(detector: CrisisDetector) -> None:
    rows = _labelled()
    missed = [(t, k) for t, k, _ in rows if k != "none" and detector.detect(t) is None]
    wrong_kind = [
        (t, k, detector.detect(t))
        for t, k, _ in rows
        if k != "none" and detector.detect(t) not in (None, k)
    ]
    alarms = [t for t, k, _ in rows if k == "none" and detector.detect(t) is not None]
    looks = sum(k == "none" for _, k, _ in rows)
    assert missed == []
    assert wrong_kind == []
    assert len(alarms) <= 0.02 * looks, f"{len(alarms)} false alarms of {looks}: {alarms}"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("want to end it all", "self_harm"),
        ("sucidal", "self_harm"),
        ("nobody would care if i was gone", "self_harm"),
        ("he's not breathing after using", "overdose"),
        ("quiero morir", "self_harm"),
        ("mi esposo me pega", "violence"),
        ("dying to see my kids", None),
        ("killing time", None),
        ("me muero de hambre", None),
        ("flu shot", None),
        # Found while building the console: one pattern could never match.
        ("i don't want to live anymore", "self_harm"),
        ("i dont want to be alive", "self_harm"),
        ("i cant go on living like this", "self_harm"),
        ("i dont want to live in a shelter", None),
    ],
)
def test_the_issues_examples(detector: CrisisDetector, text: str, kind: str | None) -> None:
    assert detector.detect(text) == kind


def test_crisis_comes_first_even_mid_search_and_goes_to_the_top_of_the_queue(
    sample_runtime: Runtime,
) -> None:
    conversation = Conversation(
        sample_runtime.engine,
        sample_runtime.search,
        sample_runtime.settings,
        clock=lambda: TUESDAY_11AM,
    )
    conversation.handle(InboundMessage("test", "crisis-a", "food 94601"))
    turn = conversation.handle(
        InboundMessage("test", "crisis-a", "i just want to end it all tonight")
    )
    assert turn.crisis == "self_harm"
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


def test_a_crisis_during_a_handoff_raises_it_to_urgent(sample_runtime: Runtime) -> None:
    conversation = Conversation(
        sample_runtime.engine,
        sample_runtime.search,
        sample_runtime.settings,
        clock=lambda: TUESDAY_11AM,
    )
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


def test_crisis_answers_fit_one_segment(sample_runtime: Runtime) -> None:
    from bot.conversation.gsm import segments

    conversation = Conversation(
        sample_runtime.engine, sample_runtime.search, sample_runtime.settings
    )
    for n, text in enumerate(
        [
            "i want to kill myself",
            "she is not breathing",
            "he hits me",
            "me quiero matar",
            "no respira",
            "me pega",
        ]
    ):
        turn = conversation.handle(InboundMessage("test", f"crisis-seg-{n}", text))
        assert segments(turn.replies[0].text) == 1, turn.replies[0].text


def test_a_first_message_in_crisis_still_gets_the_welcome_after(sample_runtime: Runtime) -> None:
    conversation = Conversation(
        sample_runtime.engine, sample_runtime.search, sample_runtime.settings
    )
    turn = conversation.handle(
        InboundMessage("test", "crisis-first", "he's not breathing after using")
    )
    assert "911" in turn.replies[0].text
    assert "Reply STOP to opt out" in turn.replies[-1].text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my uncle died by suicide years ago, looking for a support group", None),
        ("where can i get narcan my friend is not breathing", "overdose"),  # phrases beat blockers
        ("thinking bout ending it tonight", "self_harm"),  # no phrase says this: a rule does
        ("su ex esta afuera con un cuchillo", "violence"),
        ("my son beat me at madden again lol", None),
        ("we dont want to live in oakland anymore", None),
        ("no quiero vivir en la calle", None),
        ("i dont want to live in this world anymore", "self_harm"),
    ],
)
def test_rules_catch_new_wording_and_blockers_keep_the_past_out(
    detector: CrisisDetector, text: str, kind: str | None
) -> None:
    assert detector.detect(text) == kind


def test_a_rule_with_an_unknown_concept_is_reported(tmp_path: Path) -> None:
    from bot.safety.crisis import CrisisListError

    (tmp_path / "safety").mkdir()
    (tmp_path / "safety" / "crisis.yaml").write_text(
        "concepts:\n  intent: [want]\nrules:\n  self_harm:\n    - [intent, harm]\n",
        encoding="utf-8",
    )
    with pytest.raises(CrisisListError, match="rules: self_harm: unknown concept harm"):
        load_crisis_words(tmp_path)
