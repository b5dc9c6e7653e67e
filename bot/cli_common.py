"""What the command modules share: the one-line usage error and printed problems.

Light on purpose (no database, no search): bot/cli.py imports it for every
command, before it knows which one runs.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.directory.problems import Problem


class UsageError(Exception):
    """A wrong argument or use; reported as one line with exit status 2."""


def print_problems(problems: Iterable[Problem]) -> None:
    """Each problem on its own line of standard error, as ``file:line: field: problem``."""
    for problem in problems:
        print(problem, file=sys.stderr)


def warn_if_newer_files_failed(problems: list[Problem]) -> None:
    """Say that the database kept its last good directory because newer files have problems."""
    if problems:
        print_problems(problems)
        print(
            "homeward: warning: newer directory files have problems; using the last good version",
            file=sys.stderr,
        )


def train_and_save(module: str, folder: Path, thing: str) -> tuple[Any, Path, float] | int:
    """Train a model with the training module ``module`` (``bot.safety.train``,
    ``bot.search.reader_train``: scikit-learn, imported only now) and save it.

    Returns what was trained, where it was saved and the seconds it took; or 1 after
    printing the corpus's problems, with the ``thing`` ("model", "reader") unchanged.
    """
    try:
        training = importlib.import_module(module)
    except ModuleNotFoundError as missing:  # scikit-learn is only needed here
        raise UsageError(f"training needs {missing.name}: pip install 'homeward[train]'") from None
    started = time.monotonic()
    try:
        trained = training.train(folder, say=lambda line: print(line, file=sys.stderr))
    except training.CorpusProblems as bad:
        print_problems(bad.problems)
        print(f"homeward: fix the corpus above; the {thing} was not changed", file=sys.stderr)
        return 1
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return trained, training.save(folder, trained), time.monotonic() - started
