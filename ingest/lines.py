"""Page-aware lines: the common form every loader produces before headings and text are assembled."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BARE_NUMBER = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True)
class RawPage:
    """One physical page as a loader sees it."""

    page: int
    lines: list[str]
    label: str | None = None


@dataclass(frozen=True)
class Line:
    text: str  # whitespace-normalised, stripped; "" for a blank line
    page: int
    page_label: str | None
    first_on_page: bool  # the first non-blank line of its page
    # Whether the source line ended in whitespace: "bygg- " + "och" keeps its hyphen,
    # "upp-" + "handling" is a word broken across lines.
    trailing_space: bool

    @property
    def blank(self) -> bool:
        return not self.text


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def to_lines(pages: list[RawPage], drop_patterns: list[str]) -> list[Line]:
    """Flatten pages into lines, dropping running footers, bare page numbers and configured chrome."""
    drops = [re.compile(p) for p in drop_patterns]
    out: list[Line] = []
    for page in pages:
        seen_content = False
        for raw in page.lines:
            text = normalise(raw)
            if text and (_BARE_NUMBER.match(text) or any(d.search(text) for d in drops)):
                continue
            out.append(
                Line(
                    text=text,
                    page=page.page,
                    page_label=page.label,
                    first_on_page=bool(text) and not seen_content,
                    trailing_space=raw != raw.rstrip(),
                )
            )
            seen_content = seen_content or bool(text)
    return out


def repeated_edge_lines(pages: list[RawPage], edge: int = 2, min_share: float = 0.4) -> list[str]:
    """Running headers/footers of a PDF: the same line (digits ignored) at a page edge on many pages.

    Only lines with page text between them and the other edge count as edges (a page of two lines has no
    header, it has two lines of text), and a line that also recurs inside page bodies is text, not a
    header. Returned as anchored regexes so they plug into `to_lines`' drop patterns.
    """
    if len(pages) < 3:
        return []
    at_edge: Counter[str] = Counter()
    in_body: Counter[str] = Counter()
    for page in pages:
        content = [re.sub(r"\d+", "#", n) for n in (normalise(x) for x in page.lines) if n]
        k = min(edge, (len(content) - 1) // 2)
        edges = set(content[:k] + content[len(content) - k :]) if k else set()
        at_edge.update(edges)
        in_body.update(set(content[k : len(content) - k]) - edges)
    threshold = max(3, int(min_share * len(pages) + 0.999))
    patterns = []
    for key, n in at_edge.items():
        if n >= threshold and len(key) <= 120 and in_body[key] <= n // 4:
            parts = [re.escape(p) for p in key.split("#")]
            patterns.append("^" + r"\d+".join(parts) + "$")
    return patterns
