"""Server-rendered pages: one Jinja2 environment with autoescaping, translated per request.

Autoescaping is on for every template, so whatever a texter wrote is shown as
text; no template marks texter text ``|safe`` (a test checks). Interface
strings are ``_("...")`` calls, extracted into the same Babel catalogs as the
bot's words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.i18n import Translator, available_languages
from bot.storage.contacts import now

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def request_language(request: Request, preferred: str | None = None) -> str:
    """The interface language: the navigator's choice, else the browser's, else English."""
    if preferred in available_languages():
        return preferred or "en"
    header = request.headers.get("accept-language", "")
    wanted = [part.split(";")[0].strip().replace("-", "_") for part in header.split(",")]
    try:
        found = Locale.negotiate([w for w in wanted if w], list(available_languages()), sep="_")
    except (UnknownLocaleError, ValueError):
        found = None
    return str(found) if found else "en"


class Clock:
    """Times as navigators read them: in the directory's time zone and the page's language."""

    def __init__(self, t: Translator, zone: dt.tzinfo) -> None:
        self.translator = t
        self.zone = zone

    def at(self, value: dt.datetime | None) -> str:
        """A date and time, short: "11/24/26, 11:05 AM"."""
        if value is None:
            return ""
        local = value.astimezone(self.zone)
        return str(format_datetime(local, "short", locale=self.translator.locale))

    def iso(self, value: dt.datetime | None) -> str:
        """For <time datetime="...">."""
        return value.isoformat() if value else ""

    def waited(self, since: dt.datetime) -> str:
        """How long since: "4 min", "2 h 5 min", "3 days"."""
        minutes = max(0, int((now() - since).total_seconds() // 60))
        if minutes < 60:
            return self.translator.gettext("{minutes} min").format(minutes=minutes)
        if minutes < 48 * 60:
            return self.translator.gettext("{hours} h {minutes} min").format(
                hours=minutes // 60, minutes=minutes % 60
            )
        return self.translator.ngettext("{count} day", "{count} days", minutes // 1440).format(
            count=minutes // 1440
        )


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    language: str,
    status_code: int = 200,
) -> HTMLResponse:
    """A page in the given language; ``_`` and ``ngettext`` translate its strings."""
    t = Translator(language)
    zone = request.app.state.conversation.view.timezone
    page = ENV.get_template(template).render(
        {
            "_": t.gettext,
            "ngettext": t.ngettext,
            "lang": t.language,
            "clock": Clock(t, zone),
            "languages": available_languages(),
            "path": request.url.path,
            **context,
        }
    )
    return HTMLResponse(page, status_code=status_code)
