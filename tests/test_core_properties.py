"""Property-based: random unicode, control characters, huge and empty texts and
random command sequences never break the core, and every reply keeps the SMS rules."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation.core import Conversation
from bot.conversation.message import InboundMessage
from bot.runtime import Runtime
from tests.conversation_helpers import check_sms_rules

COMMANDS = [
    "hi",
    "menu",
    "more",
    "mas",
    "1",
    "2",
    "12",
    "99",
    "stop",
    "start",
    "help",
    "ayuda",
    "person",
    "es",
    "en",
    "lang",
    "94601",
    "food",
    "shelter 94607",
    "quiero morir",
    "",
]
_users = itertools.count()

texts = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Mn"]), max_size=50),
    st.sampled_from(COMMANDS),
    st.builds(lambda n: "x" * n, st.integers(min_value=1000, max_value=20000)),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(texts, min_size=1, max_size=8))
def test_any_sequence_of_texts_gets_answers_within_the_sms_rules(
    sample_runtime: Runtime, sequence: list[str]
) -> None:
    conversation = Conversation(
        sample_runtime.engine, sample_runtime.search, sample_runtime.settings
    )
    user = f"prop-{next(_users)}"
    for text in sequence:
        turn = conversation.handle(InboundMessage("sms", user, text))
        check_sms_rules(turn)
        assert turn.intent
