"""Entry point for uvicorn: builds the app from the environment (one per worker)."""

from __future__ import annotations

from starlette.applications import Starlette

from bot.settings import Settings
from bot.web.app import create_app


def app_from_env() -> Starlette:
    """The app for one worker process, from the same settings every worker reads.

    `homeward serve` brought the directory up to date before starting the
    workers, so they open what is loaded without hashing the files again.
    """
    settings = Settings.from_env()
    settings.configure_logging()
    return create_app(settings, refresh=False)
