"""The crisis model: trained by `homeward safety train`, scored at run time without scikit-learn.

Training runs on a small corpus of the real one's texts here (seconds); the
shipped model is trained on the whole corpus by the same code.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.safety import train as training
from bot.safety.corpus import read_corpus
from bot.safety.crisis import CrisisDetector, load_crisis_words
from bot.safety.features import features
from bot.safety.model import ModelFileError, read_model
from tests.conftest import SAMPLE_DIRECTORY

KEEP = {"none": 40, "self_harm": 30, "violence": 30}


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose corpus is 100 texts of the real one: none, self_harm and violence."""
    folder = tmp_path_factory.mktemp("small")
    (folder / "safety" / "corpus").mkdir(parents=True)
    shutil.copy(SAMPLE_DIRECTORY / "safety" / "crisis.yaml", folder / "safety" / "crisis.yaml")
    lines = ["text\tkind\tlevel\tlang"]
    counts = dict.fromkeys(KEEP, 0)
    for path in sorted((SAMPLE_DIRECTORY / "safety" / "corpus").glob("e[ns].tsv")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            cells = line.split("\t")
            if line.startswith("#") or len(cells) != 4 or cells[2] == "concern":
                continue
            if cells[1] in counts and counts[cells[1]] < KEEP[cells[1]]:
                counts[cells[1]] += 1
                lines.append(line)
    (folder / "safety" / "corpus" / "small.tsv").write_text("\n".join(lines) + "\n")
    trained = training.train(folder, say=lambda _: None)
    training.save(folder, trained)
    return folder


def test_training_writes_a_model_with_its_thresholds_and_corpus_digest(small_folder: Path) -> None:
    model = read_model(small_folder / "safety" / "model.npz")
    examples, problems, digest = read_corpus(small_folder)
    assert problems == []
    assert set(model.classes) == {"none", "self_harm", "violence"}
    assert model.corpus_digest == digest
    assert 0.3 <= model.concern_threshold <= model.crisis_threshold <= 0.95
    assert model.meta["examples"] == len(examples) == 100


def test_run_time_scores_equal_scikit_learns(small_folder: Path) -> None:
    """numpy over the saved arrays gives scikit-learn's probabilities (float16 weights aside)."""
    model = read_model(small_folder / "safety" / "model.npz")
    examples, _, _ = read_corpus(small_folder)
    rules = CrisisDetector(load_crisis_words(small_folder))
    docs = [features(e.text, rules.read(e.text).signals) for e in examples]
    names = sorted(model.index, key=model.index.__getitem__)
    vectorizer, fitted = training._fit(examples, docs, names)
    texts = ["i want to end it all tonight", "mi esposo me pega", "food 94601", "xyz"]
    signals = [rules.read(text).signals for text in texts]
    assert any(signals)  # the rules' signals are features too
    expected = fitted.predict_proba(
        vectorizer.transform([features(t, s) for t, s in zip(texts, signals, strict=True)])
    )
    for text, found, row in zip(texts, signals, expected, strict=True):
        got = model.probabilities(text, found)
        assert np.allclose([got[c] for c in fitted.classes_], row, atol=0.01), text


def test_a_broken_model_file_is_refused_with_a_reason(tmp_path: Path) -> None:
    bad = tmp_path / "model.npz"
    bad.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ModelFileError, match="is not a model file"):
        read_model(bad)
    with pytest.raises(ModelFileError, match="is missing"):
        read_model(tmp_path / "none.npz")


def test_answering_a_text_never_imports_scikit_learn() -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from bot.directory.loader import runtime_files\n"
        "from bot.safety.files import safety_from_files\n"
        "d, _ = safety_from_files(runtime_files(Path('resources_directory')))\n"
        "print(d.check('i want to kill myself').kind, 'sklearn' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=SAMPLE_DIRECTORY.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["self_harm", "False"]


def test_safety_check_prints_kind_level_and_score(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli import main

    assert main(["safety", "check", "my baby drank bleach", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["kind"] == "poisoning"
    assert found["level"] == "crisis"
    assert 0 <= found["score"] <= 1
    assert main(["safety", "check", "shelter 94607"]) == 0
    assert capsys.readouterr().out.startswith("none")
