"""The layers of the code: imports only go down, no package cycles, the core has no SDKs.

Every ``import`` in ``bot/`` counts, also those inside functions and under
``TYPE_CHECKING``: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from bot.settings import REPO_ROOT

BOT = REPO_ROOT / "bot"

# Top to bottom. A unit is a package under bot/ or a module directly in it. A unit
# may import units of its own layer's lower neighbours only, never one above it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli",),
    (
        "cli_directory",
        "cli_search",
        "cli_serve",
        "cli_privacy",
        "cli_telegram",
        "cli_safety",
        "cli_care",
        "cli_report",
    ),
    ("cli_navigator", "cli_parser"),
    ("cli_common",),
    ("web",),
    ("channels", "delivery"),
    ("conversation", "runtime"),
    ("care", "safety", "reports"),
    ("search",),
    ("directory",),
    ("storage",),
    ("i18n",),
    ("settings",),
    ("settings_table",),
    ("settings_checks",),
)
LEVEL = {unit: depth for depth, units in enumerate(LAYERS) for unit in units}
SDKS = ("telegram", "twilio", "starlette", "uvicorn", "httpx", "jinja2")


def _unit(path: Path) -> str:
    return path.relative_to(BOT).parts[0].removesuffix(".py")


def _imports(path: Path) -> Iterator[str]:
    """Every module a file imports, absolute, at any depth of the file."""
    package = ".".join(("bot", *path.relative_to(BOT).with_suffix("").parts))
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    yield from _imports_in(path.read_text(encoding="utf-8"), package)


def _imports_in(source: str, package: str) -> Iterator[str]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                yield f"{base}.{node.module}" if node.module else base
            elif node.module:
                yield node.module


def _bot_files() -> list[Path]:
    return sorted(p for p in BOT.rglob("*.py") if p.relative_to(BOT).parts[0] != "__init__.py")


def _edges() -> dict[tuple[str, str], list[str]]:
    """(from unit, to unit) -> the files that make the dependency."""
    edges: dict[tuple[str, str], list[str]] = {}
    for path in _bot_files():
        source = _unit(path)
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] != "bot" or len(parts) < 2 or parts[1] == source:
                continue
            edges.setdefault((source, parts[1]), []).append(str(path.relative_to(REPO_ROOT)))
    return edges


def test_every_unit_of_bot_has_a_layer() -> None:
    units = {_unit(p) for p in _bot_files()}
    assert sorted(units - set(LEVEL)) == []


def test_no_unit_imports_one_above_it_or_beside_it() -> None:
    wrong = [
        f"{files[0]} imports bot.{target} ({source} is below or beside {target})"
        for (source, target), files in sorted(_edges().items())
        if LEVEL[target] <= LEVEL[source]
    ]
    assert wrong == []


def test_there_is_no_import_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = {}
    for source, target in _edges():
        graph.setdefault(source, set()).add(target)
    cycles = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    cycles.append(" -> ".join([*path, nxt]))
                elif nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    assert cycles == []


def test_the_checks_see_lazy_relative_and_type_checking_imports() -> None:
    """The checks above must be able to fail: imports hidden in functions count too."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bot.search.engine import SearchEngine\n"
        "def f():\n    from bot.web.app import create_app\n"
        "def g():\n    from ..conversation import core\n    from . import models\n"
    )
    found = set(_imports_in(source, "bot.storage"))
    assert {"bot.search.engine", "bot.web.app", "bot.conversation", "bot.storage"} <= found


def test_only_storage_and_the_top_layers_touch_orm_rows() -> None:
    """Core, safety, channels and delivery use repository functions, never ``*Row`` classes."""
    offenders = []
    for package in ("conversation", "care", "safety", "channels", "delivery", "runtime", "search"):
        paths = sorted((BOT / package).rglob("*.py")) or [BOT / f"{package}.py"]
        for path in paths:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            offenders += [
                f"{path.relative_to(REPO_ROOT)}: {alias.name}"
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.")
                for alias in node.names
                if alias.name.endswith("Row")
            ]
    assert offenders == []


def test_the_core_imports_no_channel_sdk_or_web_framework() -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {name}"
        for path in sorted((BOT / "conversation").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in SDKS
    ]
    assert offenders == []


def test_channels_reach_storage_only_through_the_core() -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {name}"
        for path in sorted((BOT / "channels").rglob("*.py"))
        for name in _imports(path)
        if name.startswith(("bot.storage", "sqlalchemy"))
    ]
    assert offenders == []


def test_module_sizes_stay_small() -> None:
    big = [
        str(p.relative_to(REPO_ROOT))
        for p in BOT.rglob("*.py")
        if len(p.read_text(encoding="utf-8").splitlines()) > 400
    ]
    assert big == []
