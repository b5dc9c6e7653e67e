"""YAML that remembers the line of every key and list item.

The validator must say ``file.yaml:LINE: field: problem`` for every problem, so
plain ``yaml.safe_load`` (which forgets positions) is not enough. PyYAML's node
marks carry the lines; this loader copies them onto the built dicts and lists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict[str, Any]):
    """A mapping whose ``lines`` say on which line each key was written."""

    line: int = 0
    lines: dict[str, int]
    duplicates: list[tuple[str, int]]


class LineList(list[Any]):
    """A sequence whose ``lines`` say on which line each item starts."""

    line: int = 0
    lines: list[int]


class YamlFileError(ValueError):
    """The file is not YAML; ``line`` is where the parser gave up (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


# libyaml's parser (when PyYAML was built with it) reads large directories
# several times faster and gives the same node positions.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[misc]
    """SafeLoader that builds LineDict and LineList with positions."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    result.duplicates = []
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key)
        line = key_node.start_mark.line + 1
        if key in result:
            result.duplicates.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file, keeping lines; raise YamlFileError when it is not YAML."""
    return parse_yaml(path.read_bytes())


def parse_yaml(data: bytes) -> Any:
    """Parse a YAML file's bytes (a stored copy of a curated file), keeping lines."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFileError(f"not UTF-8 text ({exc.reason})", 1) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        line = max(1, min(line, text.count("\n") or 1))
        raise YamlFileError(f"not valid YAML: {exc.problem or exc}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlFileError(f"not valid YAML: {exc}", 1) from exc


def line_of(container: Any, key: str | int) -> int:
    """The line of a key (dict) or index (list), or of the container itself."""
    if isinstance(container, LineDict):
        return (
            container.lines.get(str(key), container.line)
            if isinstance(key, str)
            else container.line
        )
    if isinstance(container, LineList) and isinstance(key, int) and key < len(container.lines):
        return container.lines[key]
    return getattr(container, "line", 1) or 1
