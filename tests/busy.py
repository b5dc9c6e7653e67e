"""Run a command with three CPU-bound processes beside it, as a busy CI machine is.

    .venv/bin/python tests/busy.py .venv/bin/python -m pytest tests/test_crash.py

The tests that start `homeward serve` wait for readiness, not for a time, so
they must pass like this too. Returns the command's exit status; the busy
processes stop with it.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys

BUSY_PROCESSES = 3


def _spin() -> None:
    while True:
        pass


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(BUSY_PROCESSES)]
    for spinner in spinners:
        spinner.start()
    try:
        return subprocess.call(sys.argv[1:])
    finally:
        for spinner in spinners:
            spinner.terminate()


if __name__ == "__main__":
    sys.exit(main())
