"""SMS text rules: the GSM-7 alphabet, segment counting, and safe folding.

One character outside GSM-7 (an emoji, a curly quote, "á") turns the whole
message into UCS-2: 70 characters a segment instead of 160, triple the cost on
a prepaid plan. Replies are folded into GSM-7 before they are counted or sent.
"""

from __future__ import annotations

import math
import unicodedata

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
MAX_SEGMENTS = 3
SINGLE_GSM, PART_GSM = 160, 153
SINGLE_UCS2, PART_UCS2 = 70, 67
MAX_GSM_CHARS = PART_GSM * MAX_SEGMENTS  # 459

_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\t": " ",
}


def is_gsm(text: str) -> bool:
    """True when every character fits the GSM-7 alphabet."""
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def gsm_length(text: str) -> int:
    """Septets used: extension characters (such as [ and €) take two."""
    return sum(2 if ch in GSM_EXTENDED else 1 for ch in text)


def segments(text: str) -> int:
    """How many SMS segments a message takes (1 for an empty message)."""
    if is_gsm(text):
        length = gsm_length(text)
        return 1 if length <= SINGLE_GSM else math.ceil(length / PART_GSM)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= SINGLE_UCS2 else math.ceil(units / PART_UCS2)


# Characters kept as they are: GSM-7 and not folded to something else.
_KEPT = (GSM_BASIC | GSM_EXTENDED) - frozenset(_REPLACEMENTS)


def to_gsm(text: str) -> str:
    """Fold a text into GSM-7: straight quotes, plain spaces, "á" -> "a", no emoji."""
    if _KEPT.issuperset(text):  # most replies: nothing to fold, checked in one pass in C
        return text
    out = []
    for ch in text:
        ch = _REPLACEMENTS.get(ch, ch)
        if len(ch) > 1 or ch in GSM_BASIC or ch in GSM_EXTENDED:
            out.append(ch)
        elif unicodedata.category(ch) == "Zs":
            out.append(" ")
        else:
            base = unicodedata.normalize("NFKD", ch)[:1]
            if base and (base in GSM_BASIC or base in GSM_EXTENDED):
                out.append(base)
    return "".join(out)


def shorten(text: str, limit: int) -> str:
    """Cut a text to ``limit`` characters at a word boundary, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 3)].rsplit(" ", 1)[0].rstrip(" ,.;:-")
    return f"{cut}..."
