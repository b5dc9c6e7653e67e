"""Translations with Babel: one translator per conversation, never process-wide.

Catalogs are the ``.po`` files in ``locales/<lang>/LC_MESSAGES/messages.po``.
They are compiled in memory when first used (Babel's own reader and writer),
so nothing compiled is committed and a curator's edit takes effect at the next
start. Adding a language is adding a catalog (and a vocabulary file).
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_time, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.settings import REPO_ROOT

LOCALES = REPO_ROOT / "locales"
DEFAULT_LANGUAGE = "en"
# Babel locales used for dates and times (US English and US Spanish texters).
_BABEL_LOCALES = {"en": "en_US", "es": "es_US"}


def N_(message: str) -> str:
    """Mark a module-level string for extraction; translate it when it is sent."""
    return message


@lru_cache(maxsize=1)
def available_languages() -> tuple[str, ...]:
    """Languages with a catalog, English always first (read once per process)."""
    found = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))
    return (DEFAULT_LANGUAGE, *[lang for lang in found if lang != DEFAULT_LANGUAGE])


@lru_cache(maxsize=16)
def translator(language: str) -> gettext.NullTranslations:
    """The translations of one language (English strings are the msgids)."""
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    return compile_catalog(path)


def compile_catalog(path: Path) -> gettext.GNUTranslations:
    """Compile a ``.po`` file in memory; fuzzy entries are left out, as msgfmt does."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache(maxsize=4096)
def _time_text(locale: str, value: str) -> str:
    """Babel's formatting, remembered: result lists show the same few times again and again."""
    hours, minutes = (int(p) for p in value.split(":"))
    if hours == 24:
        hours, minutes = 23, 59
    text = format_time(dt.time(hours, minutes), "short", locale=locale)
    return " ".join(text.replace(".", "").split())


class Translator:
    """gettext, ngettext and date formatting for one language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in available_languages() else DEFAULT_LANGUAGE
        self._t = translator(self.language)
        self.locale = _BABEL_LOCALES.get(self.language, self.language)

    def gettext(self, message: str) -> str:
        """Translate a message."""
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message with a count."""
        return self._t.ngettext(singular, plural, n)

    def time(self, value: str) -> str:
        """An HH:MM time as people read it in this language ("9:00 AM", "9:00")."""
        return _time_text(self.locale, value)

    def weekday(self, day: int, *, short: bool = False) -> str:
        """A weekday name (0 = Monday), capitalised."""
        names = get_day_names("abbreviated" if short else "wide", locale=self.locale)
        return str(names[day]).rstrip(".").capitalize()

    def language_name(self, code: str) -> str:
        """A language's name in this language: "es" -> "Spanish" / "español"."""
        name = Locale.parse(self.locale).languages.get(code)
        return str(name) if name else code
