"""`homeward safety train|check`: the crisis model, rebuilt and tried by a curator.

``train`` reads the corpus of the directory folder, fits and measures the
model (scikit-learn is imported then, and only then) and writes
``safety/model.npz``; ``check`` says what the detector makes of one text, with
the folder's files as they are on disk (what the curator is editing).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.cli_common import UsageError, train_and_save
from bot.directory.loader import runtime_files
from bot.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``safety train`` or ``safety check`` on the folder given, or HOMEWARD_DIRECTORY."""
    folder: Path = getattr(args, "dir", None) or settings.directory
    if not folder.is_dir():
        raise UsageError(f"not a folder: {folder}")
    if args.action == "train":
        return train(folder)
    return check(folder, args.text, args.json)


def train(folder: Path) -> int:
    """Fit, measure and save the model; print its cross-validated figures."""
    done = train_and_save("bot.safety.train", folder, "model")
    if isinstance(done, int):
        return done
    trained, path, seconds = done
    t = trained.thresholds
    print(
        f"Model saved: {path} ({len(trained.data) // 1024} KiB, {trained.features} features, "
        f"{trained.examples} texts, {seconds:.0f} s)"
    )
    print(f"Thresholds: crisis {t.crisis}, concern {t.concern}, rule floor {t.rule_floor}")
    print("Cross-validated on the training corpus (tuned data, not an unseen measure):")
    print(trained.scores.report())
    return 0


def check(folder: Path, text: str, as_json: bool) -> int:
    """The kind, level and score the detector gives one text."""
    from bot.safety.files import safety_from_files

    detector, _ = safety_from_files(runtime_files(folder))
    finding = detector.check(text)
    if as_json:
        payload = {
            "kind": finding.kind,
            "level": finding.level,
            "score": round(finding.score, 4),
            "by": finding.by or None,
        }
        print(json.dumps(payload))
    elif finding.level is None:
        print(f"none (score {finding.score:.2f})")
    else:
        print(f"{finding.level}: {finding.kind} (score {finding.score:.2f}, by {finding.by})")
    return 0
