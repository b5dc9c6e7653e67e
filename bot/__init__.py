"""Homeward: a messaging assistant that finds local reentry services."""

from __future__ import annotations

__version__ = "0.1.0"
