"""The conversation's thread: what a texter asked for, where, and their situation.

A conversation loses the person when every text is read alone: "need a bed
tonite", then "94607", must find beds near 94607, not show a menu. The thread
keeps what the next text may build on:

- ``need``: the last need, as it can be run again at another place (a search,
  a category, several needs, a plan or one of its items);
- ``choice``: the last numbered choice shown (several needs, a plan, or the
  person's own plan after a link code, kind "care"), which a bare number or
  PLAN answers;
- ``place``: the name of the texter's place as results headers say it
  ("West Oakland", "94601");
- ``context``: the texter's situation: just released, or family of someone
  inside or about to get out. Never a need, never a place.

It is kept sealed with the texter's row (``Texter.thread``, a plain dict); this
class gives that dict names and shapes, so everything in it stays JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.search.cues import Context

CARRY_HOURS = 12  # a need is carried to a ZIP or a place sent within this many hours
# Context flags kept across texts.
RELEASED = "released"
RELEASE_SOON = "release_soon"
FAMILY = "family"
INSIDE = "inside"


@dataclass(frozen=True)
class Need:
    """One need that can be searched again at another place.

    ``kind`` is "search" (the texter's words), "category" (picked from the
    menu), "needs" (several at once), "plan" (a numbered plan) or "item" (one
    item of a plan).
    """

    kind: str
    text: str = ""
    slug: str | None = None
    needs: tuple[tuple[str, str], ...] = ()  # (category, the words that asked for it)
    plan: str = ""
    key: str = ""
    family: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape kept in the thread."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.text:
            out["text"] = self.text
        if self.slug:
            out["slug"] = self.slug
        if self.needs:
            out["needs"] = [list(n) for n in self.needs]
        if self.plan:
            out["plan"] = self.plan
        if self.key:
            out["key"] = self.key
        if self.family:
            out["family"] = True
        return out

    @classmethod
    def of(cls, data: Any) -> Need | None:
        """A need read back from the thread, or None (nothing, or an unknown shape)."""
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            return None
        needs = tuple(
            (str(n[0]), str(n[1]))
            for n in data.get("needs") or ()
            if isinstance(n, list) and len(n) == 2
        )
        return cls(
            kind=data["kind"],
            text=str(data.get("text") or ""),
            slug=data.get("slug") if isinstance(data.get("slug"), str) else None,
            needs=needs,
            plan=str(data.get("plan") or ""),
            key=str(data.get("key") or ""),
            family=data.get("family") is True,
        )


class Thread:
    """Named access to a texter's thread dict; changes go straight into it.

    ``now`` is the message's time: a need is carried to a place sent within
    CARRY_HOURS of it; a ZIP sent days later is a fresh start.
    """

    def __init__(self, data: dict[str, Any], now: dt.datetime) -> None:
        self.data = data
        self.now = now

    @property
    def need(self) -> Need | None:
        """The need a ZIP or a place sent next is run for (None once it is stale)."""
        try:
            since = dt.datetime.fromisoformat(str(self.data.get("need_at")))
        except ValueError:
            return None
        if since.tzinfo is None or self.now - since > dt.timedelta(hours=CARRY_HOURS):
            return None
        return Need.of(self.data.get("need"))

    @need.setter
    def need(self, value: Need | None) -> None:
        self._put("need", value.as_dict() if value else None)
        self._put("need_at", self.now.isoformat() if value else None)

    @property
    def choice(self) -> Need | None:
        """The numbered choice a bare number or PLAN answers (several needs, a plan)."""
        return Need.of(self.data.get("choice"))

    @choice.setter
    def choice(self, value: Need | None) -> None:
        self._put("choice", value.as_dict() if value else None)

    @property
    def place(self) -> str | None:
        """The name of the texter's place, as results headers say it."""
        value = self.data.get("place")
        return value if isinstance(value, str) else None

    @place.setter
    def place(self, value: str | None) -> None:
        self._put("place", value)

    @property
    def context(self) -> set[str]:
        """The texter's situation: released, release_soon, family, inside."""
        return {str(c) for c in self.data.get("context") or ()}

    def note(self, context: Context) -> None:
        """Remember what a text says about the texter's situation (it only adds)."""
        found = self.context
        if context.family:
            found.add(FAMILY)
        if context.released and not context.relative:
            found.add(RELEASED)
        if context.release_soon:
            found.add(RELEASE_SOON)
        if context.inside:
            found.add(INSIDE)
        self._put("context", sorted(found) or None)

    @property
    def first_page(self) -> int | None:
        """How many places page one listed when that is not a page's size (several needs)."""
        value = self.data.get("first_page")
        return value if isinstance(value, int) else None

    @first_page.setter
    def first_page(self, value: int | None) -> None:
        self._put("first_page", value)

    @property
    def plan_offered(self) -> bool:
        """Whether "Text PLAN for a first-week list" was said already."""
        return self.data.get("plan_offered") is True

    def offer_plan(self) -> None:
        """Say it only once."""
        self.data["plan_offered"] = True

    def _put(self, key: str, value: Any) -> None:
        if value is None:
            self.data.pop(key, None)
        else:
            self.data[key] = value
