"""The per-person message counts table (``bot.storage.rates`` reads and writes it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base


class RateWindowRow(Base):
    """One person's message counts this minute and this day (``bot.safety.limits``).

    Keyed by ``person``: the keyed hash of a phone number for SMS and WhatsApp
    alike (one number is one person, whichever app they text from), or of a
    channel's own id. Counts only; purged a day after their window.
    """

    __tablename__ = "rate_windows"

    person: Mapped[str] = mapped_column(String(80), primary_key=True)
    minute_start: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    minute_count: Mapped[int] = mapped_column(Integer, default=0)
    day_start: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    day_count: Mapped[int] = mapped_column(Integer, default=0)
    notice_sent: Mapped[bool] = mapped_column(default=False)
