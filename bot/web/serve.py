"""Serving with several workers: gunicorn forks them from a parent that is already warm.

uvicorn's own supervisor starts each worker as a new Python process
(multiprocessing's "spawn"), which imports everything again, opens the
index and warms the ZIP and word data: about a second per worker, and two
at once on two cores took 3.8 s before both answered. Here the parent does
all of that once, then gunicorn forks the workers: a worker starts with the
modules imported, the index mapped (the pages are the same file's, shared
by every worker) and the caches warm, and only opens its own database
connections. Each worker runs uvicorn (``uvicorn_worker``), as before.

Workers that die are replaced by gunicorn from the same warm parent. SIGTERM
is graceful: workers finish the requests in flight (up to
GRACEFUL_SECONDS), then the parent exits 0.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
from typing import Any

from gunicorn.app.base import BaseApplication
from starlette.applications import Starlette
from uvicorn_worker import UvicornWorker

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.limits import protocol_class

log = logging.getLogger(__name__)

# On SIGTERM or Ctrl-C, requests already being answered get this long to finish.
GRACEFUL_SECONDS = 30
# A worker that has not reported to the parent for this long is replaced. Its
# event loop reports every few seconds; only a worker stuck for good misses it.
HEARTBEAT_SECONDS = 60
# uvicorn's default, kept: a texter's phone does not hold connections open.
KEEP_ALIVE_SECONDS = 5
# How often a worker reports to the parent and checks that the parent is still there.
NOTIFY_SECONDS = 2


class HomewardWorker(UvicornWorker):  # type: ignore[misc]
    """uvicorn in a forked worker, with the settings `homeward serve` always used."""

    CONFIG_KWARGS: dict[str, Any] = {  # noqa: RUF012 - gunicorn reads it from the class
        "loop": "auto",
        # uvicorn's httptools protocol with header and body time limits (bot.web.limits).
        "http": protocol_class(),
        "access_log": False,  # request lines would hold no text, but nothing needs them
        "timeout_graceful_shutdown": GRACEFUL_SECONDS,
        "timeout_notify": NOTIFY_SECONDS,
    }

    async def callback_notify(self) -> None:
        """Report to the parent; stop when the parent is gone.

        gunicorn's own workers stop when their parent dies; uvicorn's worker does
        not, so after a ``kill -9`` of the server process (an out-of-memory kill,
        a test's clean-up) its workers went on serving the port, unmanaged, and
        a restarted server ran beside them. A changed parent is the signal: the
        worker shuts down as on SIGTERM (requests in hand get GRACEFUL_SECONDS).
        """
        if os.getppid() != self.ppid:
            log.warning("the server process is gone: worker %s stops", os.getpid())
            os.kill(os.getpid(), signal.SIGTERM)
            return
        self.notify()


class ForkingServer(BaseApplication):  # type: ignore[misc]
    """gunicorn's arbiter with our settings in code: no config file, no command line."""

    def __init__(self, settings: Settings, host: str, port: int, workers: int) -> None:
        self.settings = settings
        self.options = {
            "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
            "workers": workers,
            "worker_class": f"{__name__}.HomewardWorker",
            "graceful_timeout": GRACEFUL_SECONDS,
            "timeout": HEARTBEAT_SECONDS,
            "keepalive": KEEP_ALIVE_SECONDS,
            "loglevel": settings.log_level.lower(),
            "errorlog": "-",
            "accesslog": None,
            "proc_name": "homeward",
            # X-Forwarded-For and -Proto are believed only from these (uvicorn reads it).
            "forwarded_allow_ips": ",".join(settings.trusted_proxies),
            "preload_app": False,  # each worker builds its own app (its own connections)
            "control_socket_disable": True,  # no runtime control socket in a home folder
        }
        super().__init__()

    def load_config(self) -> None:
        """Put our options into gunicorn's configuration."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Starlette:
        """The app of one worker, made in that worker after the fork."""
        return create_app(self.settings, refresh=False)


def serve_forked(settings: Settings, host: str, port: int, workers: int) -> None:
    """Warm this process, then run ``workers`` forked workers until SIGTERM or Ctrl-C.

    The directory must be loaded already (``homeward serve`` did it). The
    index is opened here and kept in this process's engine cache, so every
    worker finds it open; the caches the workers' warm-up would fill are
    filled here too. Nothing that a fork must not copy stays open: the
    database engine is disposed, and no thread is running.
    """
    from bot.conversation.core import Conversation
    from bot.runtime import open_runtime

    runtime = open_runtime(settings, refresh=False)
    try:
        Conversation(runtime.engine, runtime.search, settings).warm_up()
    finally:
        runtime.engine.dispose()
    # What the parent holds is shared with the workers page by page until one
    # writes to it; the collector's own bookkeeping would write to every page.
    gc.freeze()
    ForkingServer(settings, host, port, workers).run()
