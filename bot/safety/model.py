"""The trained crisis model at run time: a linear model over text features, numpy only.

``homeward safety train`` fits it with scikit-learn and writes
``safety/model.npz``: the arrays and file of ``bot.search.linear`` (shared with
the search's reader), whose JSON also keeps the decision thresholds. No
scikit-learn is imported to answer a text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.safety.features import features
from bot.search.linear import NONE, LinearFileError, LinearModel, linear_bytes, read_linear

MODEL_FILE = "safety/model.npz"
CONCERN = "concern"  # the class of hopeless or unclear self-harm texts

__all__ = [
    "CONCERN",
    "MODEL_FILE",
    "NONE",
    "CrisisModel",
    "ModelFileError",
    "model_bytes",
    "read_model",
]


class ModelFileError(LinearFileError):
    """The model file cannot be read or does not fit this code."""


class CrisisModel(LinearModel):
    """Class probabilities for a text, and the thresholds chosen when it was trained."""

    @property
    def crisis_threshold(self) -> float:
        """The least probability of a crisis class that makes a text a crisis."""
        return float(self.meta.get("crisis_threshold", 0.5))

    @property
    def concern_threshold(self) -> float:
        """The least probability of concern (or weak self-harm) that makes a text a concern."""
        return float(self.meta.get("concern_threshold", 0.5))

    @property
    def rule_floor(self) -> float:
        """The score under which the model overrules a rule (a look-alike that fires a phrase)."""
        return float(self.meta.get("rule_floor", 0.0))

    def probabilities(self, text: str, signals: Sequence[str] = ()) -> dict[str, float]:
        """Each class's probability for the text and the rules' signals (they add up to 1)."""
        return self.scores(features(text, signals))


def read_model(source: Path | bytes) -> CrisisModel:
    """The model saved in a file (or its bytes); ModelFileError says what is wrong with it."""
    return read_linear(
        source, CrisisModel, ModelFileError, what="model", retrain="homeward safety train"
    )


model_bytes = linear_bytes  # the file read_model reads
