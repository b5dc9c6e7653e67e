"""Checks of every curated file, and what only the safety readers can check.

``check_safety_files`` adds to ``homeward directory validate`` (and to every
load) the problems only the safety readers see: a rule naming a concept that
is not defined, an answer that names an unknown number or outgrows one SMS,
a model file that cannot be read or was trained on another corpus (a curator
added examples and did not run ``homeward safety train``).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.directory.curated_files import check_curated
from bot.directory.loader import shared_file
from bot.directory.model import Directory
from bot.directory.problems import Problem
from bot.safety.answers import ANSWERS_FILE, CrisisAnswers, parse_answers
from bot.safety.corpus import corpus_digest, corpus_files
from bot.safety.crisis import CRISIS_FILE, CrisisListError, parse_crisis_words
from bot.safety.detector import Detector, detector_of
from bot.safety.model import MODEL_FILE, ModelFileError, read_model
from bot.search.vocabulary import check_vocabulary


def check_safety_files(folder: Path) -> list[Problem]:
    """Problems of the folder's crisis rules, answers and model (none: all usable)."""
    problems: list[Problem] = []
    crisis = shared_file(folder, CRISIS_FILE)
    try:
        parse_crisis_words(crisis.read_text(encoding="utf-8"))
    except CrisisListError as exc:
        problems.append(Problem(str(crisis), 1, "rules", str(exc).split(": ", 2)[-1]))
    except (yaml.YAMLError, ValueError, AttributeError, TypeError):
        pass  # a file of the wrong shape: the schema check reports it, with its line
    answers = shared_file(folder, ANSWERS_FILE)
    problems += parse_answers(answers.read_text(encoding="utf-8"), str(answers))[1]
    model_path = shared_file(folder, MODEL_FILE)
    try:
        model = read_model(model_path)
    except ModelFileError as exc:
        problems.append(Problem(str(model_path), 1, "(file)", str(exc)))
        return problems
    if model.corpus_digest != corpus_digest(corpus_files(folder)):
        problems.append(
            Problem(
                str(model_path),
                1,
                "corpus",
                "was trained on another corpus: run homeward safety train",
            )
        )
    return problems


def check_files(folder: Path, directory: Directory) -> list[Problem]:
    """Problems of every curated file beside a directory: schemas, vocabulary, safety.

    A load refuses a folder with any of them (the last good version stays);
    a reader's problem on a line the schema already reported is left out.
    """
    problems = check_curated(folder) + check_safety_files(folder)
    seen = {(p.path, p.line) for p in problems}
    problems += [p for p in check_vocabulary(folder, directory) if (p.path, p.line) not in seen]
    return sorted(problems)


def safety_from_files(files: dict[str, bytes]) -> tuple[Detector, CrisisAnswers]:
    """The detector and answers of one set of loaded files (``RUNTIME_FILES``)."""
    detector = detector_of(files[CRISIS_FILE].decode("utf-8"), files[MODEL_FILE])
    answers, _ = parse_answers(files[ANSWERS_FILE].decode("utf-8"))
    return detector, answers
