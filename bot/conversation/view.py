"""The directory version a conversation answers from, swapped whole when a load arrives."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.directory.model import DirectoryInfo, Service
from bot.search.engine import SearchEngine


@dataclass(frozen=True)
class DirectoryView:
    """One loaded directory version as the core sees it; swapped whole, never edited."""

    search: SearchEngine
    info: DirectoryInfo
    timezone: ZoneInfo
    by_id: dict[str, Service]

    @classmethod
    def of(cls, search: SearchEngine) -> DirectoryView:
        """The view of the directory a search engine was built from."""
        info = search.index.directory.info
        by_id = {s.id: s for s in search.index.services}
        return cls(search, info, ZoneInfo(info.timezone), by_id)
