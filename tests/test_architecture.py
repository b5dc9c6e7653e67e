"""The conversation core never imports a channel SDK or web framework."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import REPO_ROOT

FORBIDDEN = ("telegram", "twilio", "starlette", "uvicorn", "httpx")


def test_core_imports_no_channel_sdk() -> None:
    offenders = []
    for path in sorted((REPO_ROOT / "bot" / "conversation").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_search_and_directory_do_not_depend_on_the_conversation() -> None:
    for package in ("search", "directory", "storage"):
        for path in (REPO_ROOT / "bot" / package).rglob("*.py"):
            assert "bot.conversation" not in path.read_text(encoding="utf-8"), path
            assert "bot.channels" not in path.read_text(encoding="utf-8"), path


def test_module_sizes_stay_small() -> None:
    big = [
        p.name
        for p in (REPO_ROOT / "bot").rglob("*.py")
        if len(Path(p).read_text().splitlines()) > 400
    ]
    assert big == []
