"""Write imported organizations as the same YAML files a curator edits.

Files are written into a fresh folder and swapped in at the end, so a failed
import never leaves half a directory. A folder that holds curated files (any
organization file without a ``source``) is never overwritten: an import only
replaces what an earlier import wrote.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.directory.fields import zip_timezone
from bot.directory.hsds.assemble import OrgDoc
from bot.directory.hsds.package import HsdsError

MARKER = "# Written by homeward directory import-hsds"
# Keys kept even when empty: a service with no category says so.
KEEP_EMPTY = {"categories"}
DEFAULT_TIMEZONE = "America/New_York"

_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Block style for multi-line text, so descriptions read like paragraphs."""


_QUOTED_RE = re.compile(r"^(\d{1,2}:\d{2}|\d+(-\d+)?)$")  # times, ZIP codes, numeric ids


def _str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else '"' if _QUOTED_RE.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: Any, value: list[Any]) -> Any:
    short = all(isinstance(v, str) and "\n" not in v for v in value)
    flow = short and sum(len(v) + 2 for v in value) <= 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def prune(data: Any) -> Any:
    """Drop empty values (None, "", [], {}) so files hold only what is known."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            value = prune(value)
            if value in (None, "", [], {}) and key not in KEEP_EMPTY:
                continue
            out[key] = value
        return out
    if isinstance(data, list):
        return [prune(v) for v in data]
    return data


def dump(data: dict[str, Any], header: str) -> str:
    """One YAML document with a comment on top."""
    body = yaml.dump(
        prune(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )
    return f"{header}\n{body}"


def check_target(out: Path) -> None:
    """Refuse a folder whose organization files were not written by an import."""
    if out.exists() and not out.is_dir():
        raise HsdsError(f"{out} is a file, not a folder")
    folder = out / "organizations"
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.y*ml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if not any(line.startswith("source:") for line in text.splitlines()):
            raise HsdsError(
                f"{out} holds curated files ({path.name} has no source:); "
                "import into an empty folder or a folder an earlier import wrote"
            )


def write_directory(out: Path, docs: list[OrgDoc], info: dict[str, Any], source: str) -> int:
    """Write directory.yaml and one file per organization; returns the number of files."""
    check_target(out)
    out.mkdir(parents=True, exist_ok=True)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    header = f"{MARKER} from {source} on {today}.\n# Edit freely; a new import replaces this file."
    staging = Path(tempfile.mkdtemp(prefix=".organizations-", dir=out))
    names: set[str] = set()
    try:
        for doc in docs:
            name = _unique_name(doc.file_name, names)
            (staging / name).write_text(dump(doc.data, header), encoding="utf-8")
        _swap(out / "organizations", staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    info_path = out / "directory.yaml"
    if not info_path.exists() or info_path.read_text(encoding="utf-8").startswith(MARKER):
        info_path.write_text(dump(info, header), encoding="utf-8")
    return len(docs)


def _unique_name(name: str, taken: set[str]) -> str:
    stem, n = name.removesuffix(".yaml"), 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.yaml"
    taken.add(name)
    return name


def _swap(target: Path, staging: Path) -> None:
    old = target.with_name(".organizations-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def timezone_of(zip_codes: Iterable[str]) -> str:
    """The time zone most of the directory's ZIP codes are in."""
    zones = Counter(zone for zone in map(zip_timezone, zip_codes) if zone)
    return zones.most_common(1)[0][0] if zones else DEFAULT_TIMEZONE
