"""One loaded directory version as the core sees it.

A worker swaps the whole view when another process loads a new directory
(``Conversation.use``); an exchange keeps the view it started with, so one
answer never mixes two versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.directory.model import DirectoryInfo, Service
from bot.search.engine import SearchEngine


@dataclass(frozen=True)
class DirectoryView:
    """A search engine with what the core looks up beside it; swapped whole, never edited."""

    search: SearchEngine
    info: DirectoryInfo
    timezone: ZoneInfo
    by_id: dict[str, Service]

    @classmethod
    def of(cls, search: SearchEngine) -> DirectoryView:
        """The view of one search engine's directory."""
        info = search.index.directory.info
        by_id = {s.id: s for s in search.index.services}
        return cls(search, info, ZoneInfo(info.timezone), by_id)
