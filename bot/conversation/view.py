"""One loaded directory version as the core sees it.

A worker swaps the whole view when another process loads a new directory
(``Conversation.use``); a message keeps the view it started with, so one
answer never mixes two versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.directory.model import Directory, DirectoryInfo
from bot.search.engine import SearchEngine


@dataclass(frozen=True)
class DirectoryView:
    """A search engine with what the core looks up beside it; swapped whole, never edited."""

    search: SearchEngine
    directory: Directory
    info: DirectoryInfo
    timezone: ZoneInfo

    @classmethod
    def of(cls, search: SearchEngine) -> DirectoryView:
        """The view of one search engine's directory."""
        directory = search.index.directory
        return cls(search, directory, directory.info, ZoneInfo(directory.info.timezone))
