"""Find a quote in a text the way a reader would: whitespace and line-break hyphenation don't matter.

Used to verify quotes against stored passages and to locate a cited sentence for highlighting; the
returned offsets point into the original text.
"""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAK_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")
_SPACE = re.compile(r"\s+")


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the offset of the source character."""
    text_nfc = unicodedata.normalize("NFC", text)
    if len(text_nfc) != len(text):
        # NFC changed lengths (decomposed input); offsets then refer to the NFC form.
        text = text_nfc
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    while i < len(text):
        m = _LINE_BREAK_HYPHEN.match(text, i)
        if m:
            i = m.end()
            continue
        m = _SPACE.match(text, i)
        if m:
            if out and out[-1] != " ":
                out.append(" ")
                offsets.append(i)
            i = m.end()
            continue
        out.append(text[i])
        offsets.append(i)
        i += 1
    while out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return "".join(out), offsets


def normalise(text: str) -> str:
    return normalise_with_map(text)[0].strip()


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """(start, end) of `quote` in `text`, or None. Matching ignores whitespace differences and words
    broken across lines with a hyphen; the offsets are in `text`."""
    needle = normalise(quote)
    if not needle:
        return None
    hay, offsets = normalise_with_map(text)
    pos = hay.find(needle)
    if pos < 0:
        return None
    return offsets[pos], offsets[pos + len(needle) - 1] + 1
