"""Repairs for free text as real 211 exports write it.

Each repair is named, so the import can count it: descriptions full of the two
characters ``\\n`` instead of line breaks, curly quotes turned into ``GÇÖ`` by a
wrong code page, area tags such as ``###MON###`` that mean something only to
the 211's own software, and spaces around values (``"FL "``).
"""

from __future__ import annotations

import re

LITERAL_NEWLINE = "literal \\n turned into line breaks"
MOJIBAKE = "mis-decoded punctuation repaired (GÇÖ -> ’)"
AREA_TAG = "211 area tags such as ###MON### removed"
SPACES = "spaces around a value trimmed"

# "’" (E2 80 99) read as code page 437 is "ΓÇÖ"; some tools then turn "Γ" into "G".
_MOJIBAKE_RE = re.compile(r"[GΓ]Ç(.)")
# "###MON###" and the typos around it ("####COL###", "###MON##", "MON###").
_AREA_TAG_RE = re.compile(r"#{2,}[A-Z]{2,5}#+|\b[A-Z]{2,5}#{2,}")
_LITERAL_NEWLINE_RE = re.compile(r"(\\r)?\\n")
_BLANK_LINES_RE = re.compile(r"\n\s*\n\s*(\n\s*)+")


def _unmojibake(match: re.Match[str]) -> str:
    try:
        return bytes([0xE2, 0x80, match.group(1).encode("cp437")[0]]).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return match.group(0)


def clean_text(value: object) -> tuple[str, list[str]]:
    """The text with known damage repaired, and the names of the repairs made."""
    if value is None:
        return "", []
    text = str(value)
    repairs: list[str] = []
    if text != text.strip() or "  " in text or "\t" in text:
        repairs.append(SPACES)
    if "\\n" in text:
        text = _LITERAL_NEWLINE_RE.sub("\n", text)
        repairs.append(LITERAL_NEWLINE)
    if "Ç" in text:
        fixed = _MOJIBAKE_RE.sub(_unmojibake, text)
        if fixed != text:
            text = fixed
            repairs.append(MOJIBAKE)
    if "##" in text:
        fixed = _AREA_TAG_RE.sub("", text)
        if fixed != text:
            text = fixed
            repairs.append(AREA_TAG)
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip(), repairs


def one_line(value: object) -> tuple[str, list[str]]:
    """Like ``clean_text``, for names and short fields: all on one line."""
    text, repairs = clean_text(value)
    return " ".join(text.split()), repairs
