"""The crisis detector: the trained model reads meaning, the rules hold the sure cases.

Every inbound text is checked here first. The model (``bot.safety.model``)
gives each class a probability; the rules (``bot.safety.crisis``) say what
phrases and concept rules fire. ``decide`` combines them:

- a crisis rule fires: a crisis. The model may refine the kind within its
  family ("took too much" is an overdose; the model tells the texter's own from
  someone else's), never turn it off;
- else the model: a crisis when the texts it learned from make a crisis likely
  enough (``crisis_threshold``), of its most likely kind;
- else a concern (hopeless or unclear self-harm) when a concern rule fires or
  the model finds concern likely enough (``concern_threshold``);
- else nothing.

The thresholds are chosen by ``homeward safety train`` on cross-validated
scores of the training corpus (never on a test set) and saved in the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.directory.curated_files import CRISIS_KINDS
from bot.safety.crisis import CrisisDetector, parse_crisis_words
from bot.safety.features import tokens
from bot.safety.model import CONCERN, NONE, CrisisModel, read_model

CRISIS = "crisis"
MIN_MODEL_WORDS = 2  # the model alone decides only on texts of at least this many words
# Kinds a rule's kind may be refined to by the model (the first reply differs).
FAMILIES = {
    "self_harm": ("self_harm", "intentional_overdose"),
    "intentional_overdose": ("intentional_overdose", "own_overdose", "overdose"),
    "own_overdose": ("own_overdose", "overdose", "intentional_overdose"),
    "overdose": ("overdose", "own_overdose", "intentional_overdose", "poisoning"),
    "poisoning": ("poisoning", "overdose"),
    "violence": ("violence", "child_danger"),
    "child_danger": ("child_danger", "violence"),
}
# Kinds whose explicit phrases name the victim ("le pega a mi hijo", "touching my daughter"):
# when one matched, the model may not turn the kind into violence against the texter.
EXPLICIT_KINDS = ("child_danger",)


@dataclass(frozen=True)
class Finding:
    """What the detector says about one text.

    ``kind`` is a crisis kind (``self_harm`` for a concern) or None; ``level``
    is ``crisis``, ``concern`` or None; ``score`` is the model's probability
    that the text is about a crisis or a concern at all; ``by`` is ``rule`` or
    ``model`` (or "" when nothing was found).
    """

    kind: str | None
    level: str | None
    score: float
    by: str = ""

    @property
    def crisis(self) -> bool:
        """True for the crisis level (the emergency answer and an urgent queue item)."""
        return self.level == CRISIS

    @property
    def concern(self) -> bool:
        """True for the concern level (a 988 line, then the answer, and a check-in)."""
        return self.level == CONCERN


NOTHING = Finding(None, None, 0.0)


@dataclass(frozen=True)
class Thresholds:
    """Where the model's scores turn into a crisis or a concern (chosen by ``safety train``).

    ``rule_floor``: under this score the model overrules a rule that fired.
    """

    crisis: float
    concern: float
    rule_floor: float = 0.0

    def decide(
        self,
        probabilities: dict[str, float],
        rule: str | None,
        words: int = 2,
        explicit: bool = False,
    ) -> Finding:
        """The finding for these probabilities, the rule that fired, and the text's size.

        A one-word text is left to the rules ("kms", "suicidal" are phrases): alone,
        "end", "quit" or "bye" mean STOP or goodbye far more often than anything else.
        ``explicit``: the rule's kind came from one of its phrases, not the concept net.
        """
        if rule is not None and 1.0 - probabilities.get(NONE, 0.0) < self.rule_floor:
            rule = None
        if words < MIN_MODEL_WORDS and rule is None:
            return Finding(None, None, 1.0 - probabilities.get(NONE, 0.0))
        return decide(probabilities, rule, self.crisis, self.concern, explicit)


def decide(
    probabilities: dict[str, float],
    rule: str | None,
    crisis_threshold: float,
    concern_threshold: float,
    explicit: bool = False,
) -> Finding:
    """The finding from the model's probabilities and the first rule that fired (if any)."""
    score = 1.0 - probabilities.get(NONE, 0.0)
    present = [k for k in CRISIS_KINDS if k in probabilities]
    if rule in EXPLICIT_KINDS and explicit:
        return Finding(rule, CRISIS, score, "rule")
    if rule in FAMILIES:
        family = [k for k in FAMILIES[rule] if k in probabilities] or [rule]
        refined = max(family, key=lambda k: probabilities.get(k, 0.0))
        kind = refined if probabilities.get(refined, 0.0) > probabilities.get(rule, 0.0) else rule
        return Finding(kind, CRISIS, score, "rule")
    if not present:
        return Finding("self_harm", CONCERN, score, "rule") if rule == CONCERN else NOTHING
    best = max(present, key=lambda k: probabilities[k])
    concern = probabilities.get(CONCERN, 0.0)
    if score >= crisis_threshold and probabilities[best] >= concern:
        return Finding(best, CRISIS, score, "model")
    if rule == CONCERN:
        return Finding("self_harm", CONCERN, score, "rule")
    if score >= concern_threshold and (concern >= probabilities[best] or best == "self_harm"):
        return Finding("self_harm", CONCERN, score, "model")
    return Finding(None, None, score)


class Detector:
    """Rules and model of one directory version, loaded once."""

    def __init__(self, rules: CrisisDetector, model: CrisisModel) -> None:
        self.rules = rules
        self.model = model
        self.thresholds = Thresholds(
            model.crisis_threshold, model.concern_threshold, model.rule_floor
        )

    def check(self, text: str) -> Finding:
        """What the text is about: a crisis kind and level, or nothing."""
        if not text.strip():
            return NOTHING
        reading = self.rules.read(text)
        probabilities = self.model.probabilities(text, reading.signals)
        if reading.sure is not None:  # said plainly ("i overdosed i need help"): no model veto
            score = 1.0 - probabilities.get(NONE, 0.0)
            finding = Finding(reading.sure, CRISIS, score, "rule")
        else:
            finding = self.thresholds.decide(
                probabilities, reading.kind, len(tokens(text)), reading.explicit
            )
        return joked(finding, reading.joking, self.rules.words.joke_effects)


def joked(finding: Finding, joking: bool, effects: dict[str, str]) -> Finding:
    """The finding of a text with a joke marker ("lol", "jk", "jaja"): what ``jokes`` says.

    "my mom is gonna kill me lol" is an idiom (violence: none); "im gonna kill
    myself lol" may hide a real wish, so it gets the 988 line (self_harm:
    concern), not the emergency answer. A kind the file does not name stays as
    found.
    """
    if not joking or not finding.crisis or finding.kind not in effects:
        return finding
    if effects[finding.kind] == CONCERN:
        return Finding("self_harm", CONCERN, finding.score, finding.by)
    return Finding(None, None, finding.score)


@lru_cache(maxsize=4)
def detector_of(crisis_text: str, model_bytes: bytes) -> Detector:
    """The detector of these files' contents, built once per process for the same files."""
    return Detector(CrisisDetector(parse_crisis_words(crisis_text)), read_model(model_bytes))
