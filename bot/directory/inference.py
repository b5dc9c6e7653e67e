"""Categories guessed from a service's words: what the importer hands over and gets back.

A directory without a taxonomy (or one whose terms the map does not know)
would leave every service without a category, and search falls back to bare
word matching. The guessing itself reads the search vocabulary, which lives
above this package (``bot.search.categorize``); so the directory side only
names the exchange: the texts of every service (those whose category is known
are examples to learn from), and for each uncategorised one the categories it
reads as, with a confidence and the words that said so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ServiceText:
    """What a service says about itself, field by field."""

    id: str
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()  # the publisher's keywords and taxonomy term names
    eligibility: str = ""
    organization_id: str = ""
    organization_name: str = ""
    organization_description: str = ""
    known: tuple[str, ...] = ()  # categories the taxonomy gave; empty when to be guessed


@dataclass(frozen=True)
class Guess:
    """A service's categories read from its words, main one first."""

    categories: tuple[str, ...]
    confidence: float  # 0..1: how sure, for a curator's review order
    evidence: tuple[str, ...] = ()  # the words that said so, strongest first
    # 0..1: how plainly the words name the main category (1: as plainly as a
    # curated entry). Search ranks a guess below sure entries by what it lacks.
    strength: float = 1.0


class Categorizer(Protocol):
    """Guesses the categories of the services whose ``known`` is empty."""

    def guess(self, services: Sequence[ServiceText]) -> Mapping[str, Guess]:
        """A guess per service id to be guessed (none when nothing in its words says)."""
        ...
