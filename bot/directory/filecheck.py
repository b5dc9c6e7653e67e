"""Field-level checks shared by the readers of directory files.

A reader notes every problem in a ProblemLog and keeps going, so a curator
fixing a file gets the whole list at once; these helpers read one value each.
"""

from __future__ import annotations

from bot.directory import fields as F
from bot.directory.problems import ProblemLog
from bot.directory.yamlfile import LineDict, LineList


class FieldReader:
    """Reads typed values out of parsed YAML, logging what is wrong."""

    def __init__(self, log: ProblemLog) -> None:
        self.log = log

    def _unknown(self, data: LineDict, allowed: set[str], prefix: str) -> None:
        for key in data:
            if key not in allowed:
                self.log.at(data, key, prefix + key, "unknown field (check the spelling)")
        for key, line in data.duplicates:
            self.log.add(line, prefix + key, "written twice; the second one would win")

    def _text(self, data: LineDict, key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.log.at(data, key, path, "is missing")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.log.at(data, key, path, "must be text")
            return ""
        return " ".join(str(value).split())

    def _id(self, data: LineDict, path: str) -> str:
        problem = F.check_id(data.get("id"))
        if problem:
            self.log.at(data, "id", path, problem)
            return ""
        return str(data["id"])

    def _list(self, data: LineDict, key: str, path: str) -> LineList:
        value = data.get(key)
        if value is None:
            return LineList()
        if not isinstance(value, LineList):
            self.log.at(data, key, path, "must be a list")
            return LineList()
        return value

    def _strings(self, data: LineDict, key: str, path: str) -> tuple[str, ...]:
        items = self._list(data, key, path)
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, str | int) or isinstance(item, bool) or not str(item).strip():
                self.log.at(items, i, f"{path}[{i}]", "must be text")
            else:
                out.append(" ".join(str(item).split()))
        return tuple(out)

    def _choices(
        self, data: LineDict, key: str, path: str, allowed: tuple[str, ...]
    ) -> tuple[str, ...]:
        values = self._strings(data, key, path)
        for i, value in enumerate(values):
            if value not in allowed:
                self.log.at(
                    data[key], i, f"{path}[{i}]", f"'{value}' is not one of {', '.join(allowed)}"
                )
        return tuple(v for v in values if v in allowed)

    def _choice(
        self, data: LineDict, key: str, path: str, allowed: tuple[str, ...], default: str
    ) -> str:
        value = data.get(key)
        if value is None:
            return default
        if value is True or value is False:
            value = "yes" if value else "no"
        if str(value) not in allowed:
            self.log.at(data, key, path, f"'{value}' is not one of {', '.join(allowed)}")
            return default
        return str(value)
