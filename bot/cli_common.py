"""What the command modules share: the one-line usage error and printed problems.

Light on purpose (no database, no search): bot/cli.py imports it for every
command, before it knows which one runs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

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
