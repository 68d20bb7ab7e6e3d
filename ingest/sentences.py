"""Swedish sentence segmentation with offsets, for extractive answers and quote selection."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations that end in a period without ending the sentence.
_ABBREVIATIONS = {
    "t.ex", "bl.a", "dvs", "d.v.s", "s.k", "m.fl", "m.m", "fr.o.m", "t.o.m", "resp", "ca", "prop", "nr", "kap",
    "jfr", "osv", "etc", "inkl", "exkl", "utg.omr", "bet", "rskr", "st", "mkr", "milj", "tkr", "f.d", "p.g.a",
    "pga", "mfl", "enl", "o.d", "ev", "fig", "s", "sid", "avd", "ang", "tel",
}
_END = re.compile(r"[.!?…]+[»”\")]*(?=\s+[»”\"(]?[A-ZÅÄÖ0-9•])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences and list items of `text` with exact offsets (text[start:end] == sentence.text).

    Line breaks separate units too: in the cleaned documents a line is a heading, a paragraph or a
    bullet, never half a sentence.
    """
    out: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        base = line.start()
        chunk = line.group()
        start = 0
        for m in _END.finditer(chunk):
            word = re.search(r"(\S+)$", chunk[: m.start()])
            token = word.group(1).lower().rstrip(".").lstrip("(\"»”") if word else ""
            if token in _ABBREVIATIONS or re.fullmatch(r"\d{1,3}", token or "x"):
                continue
            _append(out, text, base + start, base + m.end())
            start = m.end()
        _append(out, text, base + start, base + len(chunk))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
