"""How replies are shaped per channel kind: SMS short and plain, Telegram roomier."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.gsm import MAX_GSM_CHARS, to_gsm

TELEGRAM_LIMIT = 4096


@dataclass(frozen=True)
class Style:
    """Page size, the size budget of one reply, and whether text is folded to GSM-7."""

    kind: str
    page_size: int
    budget: int
    gsm: bool

    def finish(self, text: str) -> str:
        """Apply the channel's alphabet and cut to the budget as a last resort."""
        text = self._shape(text)
        if len(text) > self.budget:
            text = text[: self.budget - 3].rstrip() + "..."
        return text

    def overflow(self, text: str) -> int:
        """Characters over the budget once shaped (0 or less: it fits uncut)."""
        return len(self._shape(text)) - self.budget

    def _shape(self, text: str) -> str:
        text = to_gsm(text) if self.gsm else text
        return "\n".join(line.rstrip() for line in text.strip().splitlines())


SMS = Style("sms", page_size=3, budget=MAX_GSM_CHARS, gsm=True)
TELEGRAM = Style("telegram", page_size=5, budget=TELEGRAM_LIMIT - 96, gsm=False)


def style_for(kind: str) -> Style:
    """The style of a channel kind; unknown kinds get the strictest (SMS)."""
    return TELEGRAM if kind == "telegram" else SMS
