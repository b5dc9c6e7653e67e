"""Who a service is for, in words, when it limits who can come.

A single man who texts "shelter 94601" must see that the nearest shelter is
for families with children before he walks there. The SMS list and the
navigators' directory picker both show it; services open to everyone (or to
all adults: men and women) say nothing.
"""

from __future__ import annotations

from bot.directory.model import Service
from bot.i18n import N_, Translator

# The directory's ``serves`` values, as texters read them.
GROUPS = {
    "men": N_("men"),
    "women": N_("women"),
    "families": N_("families with children"),
    "youth": N_("youth"),
    "veterans": N_("veterans"),
    "seniors": N_("seniors"),
    "lgbtq": N_("LGBTQ people"),
}


def limits_who(service: Service) -> bool:
    """Serves only some people: not everyone, and not simply all adults."""
    serves = set(service.serves)
    return bool(serves) and "everyone" not in serves and not {"men", "women"} <= serves


def who_for(t: Translator, service: Service) -> str:
    """ "for families with children" (or "for women, veterans"); empty when open to all."""
    if not limits_who(service):
        return ""
    groups = ", ".join(t.gettext(GROUPS[g]) for g in service.serves if g in GROUPS)
    return t.gettext("for {groups}").format(groups=groups) if groups else ""
