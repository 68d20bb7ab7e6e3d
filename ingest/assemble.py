"""Lines → cleaned document text: unwrap paragraphs, join words hyphenated across lines, record offsets.

Every offset recorded here (page starts, headings) points into the returned text, which is the text
chunks are cut from, so a quote can later be located and highlighted exactly.
"""

from __future__ import annotations

import hashlib
import re

from ingest.headings import HeadingLines
from ingest.lines import Line
from ingest.models import CleanDocument, DocumentManifest, Heading, PageSpan

_BROKEN_WORD = re.compile(r"[^\W\d_]-$")
_LIST_ITEM = re.compile(r"^(•|-|\d{1,2}[.)])\s")
_SENTENCE_END = re.compile(r"[.!?:;]$")


def _joins_word(prev: Line, nxt: Line) -> bool:
    """`upp-` + `handling`: a hyphen with nothing after it, then a lower-case continuation."""
    return bool(_BROKEN_WORD.search(prev.text)) and not prev.trailing_space and nxt.text[:1].islower()


def _continues_after_gap(prev: Line, nxt: Line) -> bool:
    """PDF extraction leaves blank lines inside wrapped list items and column text: an unfinished
    line followed, after the gap, by a lower-case line is still the same paragraph."""
    return _joins_word(prev, nxt) or (nxt.text[:1].islower() and not _SENTENCE_END.search(prev.text))


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.page_starts: list[tuple[int, int, str | None]] = []

    def write(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def mark_page(self, line: Line) -> None:
        if not self.page_starts or self.page_starts[-1][1] != line.page:
            self.page_starts.append((self.length, line.page, line.page_label))

    def text(self) -> str:
        return "".join(self.parts)


def assemble(manifest: DocumentManifest, lines: list[Line], headings: list[HeadingLines]) -> CleanDocument:
    heading_at = {h.first: h for h in headings}
    out = _Writer()
    out_headings: list[Heading] = []
    prev: Line | None = None  # last written line of the open paragraph, None at a block boundary
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank:
            # A blank line ends the paragraph, unless the paragraph visibly continues after the gap
            # (narrow columns leave blanks even inside words: "inne-", "", "bära").
            nxt = _next_content(lines, i)
            if prev is not None and nxt is not None and nxt not in heading_at and _continues_after_gap(prev, lines[nxt]):
                i = nxt
                continue
            prev = None
            i += 1
            continue

        if i in heading_at:
            h = heading_at[i]
            _open_block(out)
            out.mark_page(line)
            start = out.length
            title = _join_lines(lines[h.first : h.last + 1])
            out.write(title)
            out_headings.append(
                Heading(start=start, end=out.length, level=h.level, title=_heading_title(title, h), number=h.number)
            )
            prev = None
            i = h.last + 1
            continue

        if prev is None:
            _open_block(out)
            out.mark_page(line)
            out.write(line.text)
        elif _joins_word(prev, line):
            out.parts[-1] = out.parts[-1][:-1]
            out.length -= 1
            out.mark_page(line)
            out.write(line.text)
        elif _LIST_ITEM.match(line.text) or (
            line.first_on_page and _SENTENCE_END.search(prev.text) and not line.text[:1].islower()
        ):
            out.write("\n")
            out.mark_page(line)
            out.write(line.text)
        else:
            out.write(" ")
            out.mark_page(line)
            out.write(line.text)
        prev = line
        i += 1

    text = out.text()
    pages = _page_spans(out.page_starts, len(text))
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return CleanDocument(manifest=manifest, text=text, pages=pages, headings=out_headings, content_sha256=sha)


def _open_block(out: _Writer) -> None:
    if out.length:
        out.write("\n\n")


def _next_content(lines: list[Line], i: int) -> int | None:
    j = i
    while j < len(lines) and lines[j].blank:
        j += 1
    return j if j < len(lines) else None


def _join_lines(lines: list[Line]) -> str:
    text = lines[0].text
    for a, b in zip(lines, lines[1:], strict=False):
        text = text[:-1] + b.text if _joins_word(a, b) else f"{text} {b.text}"
    return text


def _heading_title(title: str, h: HeadingLines) -> str:
    if h.number is None:
        return title
    # "1.  Regeringsuppdraget …" → "1 Regeringsuppdraget …", as section paths are written.
    rest = re.sub(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+", "", title)
    return f"{h.number} {rest}"


def _page_spans(starts: list[tuple[int, int, str | None]], length: int) -> list[PageSpan]:
    if not starts:
        return [PageSpan(start=0, end=length, page=1)]
    spans = []
    for n, (start, page, label) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else length
        # Text written before the first page mark (the "\n\n" separators) belongs to the first page.
        spans.append(PageSpan(start=0 if n == 0 else start, end=end, page=page, label=label))
    return [s for s in spans if s.end > s.start]
