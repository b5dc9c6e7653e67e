"""Each worker follows the directory version in the database.

Every worker process keeps its own search index in memory. A thread checks the
loaded version every few seconds (one small query) and, when another process
has run ``homeward directory load``, rebuilds the index beside the old one and
swaps it in: messages being answered finish on the version they started with,
the next ones use the new one. No restart, no signal between processes.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from bot.conversation.core import Conversation
from bot.directory.sync import loaded_version
from bot.runtime import build_search
from bot.settings import Settings

log = logging.getLogger(__name__)
POLL_SECONDS = 2.0


class DirectoryWatcher:
    """Rebuilds one worker's index when the loaded directory version changes."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        conversation: Conversation,
        interval: float = POLL_SECONDS,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.conversation = conversation
        self.interval = interval
        self.failed_version: int | None = None  # reported once, not every poll

    def check(self) -> bool:
        """Swap in the newest version if it changed; True when it did."""
        version = loaded_version(self.engine)
        if version in (self.conversation.search.version, self.failed_version):
            return False
        try:
            search, _problems = build_search(self.engine, self.settings)
        except Exception:
            self.failed_version = version
            log.exception("could not build the index of directory version %s", version)
            return False
        self.conversation.use(search)
        log.info("now answering from directory version %s", search.version)
        return True

    def run_forever(self, stop: threading.Event) -> None:
        """Check until ``stop`` is set; a failing check is logged and tried again."""
        while not stop.wait(self.interval):
            try:
                self.check()
            except Exception:
                log.exception("directory version check failed")
