"""Headings → leaf sections covering the whole text, each with its path from the top heading down."""

from __future__ import annotations

from ingest.models import CleanDocument, Heading, Section

# A heading whose own text before the next (deeper) heading is shorter than this is a bare parent
# title ("Attraktiva offentliga affärer …" directly above "Inriktningsmål 8"); it is kept together
# with its first child instead of becoming a chunk that says nothing.
MIN_BODY_CHARS = 80


def build_sections(doc: CleanDocument) -> list[Section]:
    text = doc.text
    headings = sorted(doc.headings, key=lambda h: h.start)
    sections: list[Section] = []
    if not headings or headings[0].start > 0:
        first_end = headings[0].start if headings else len(text)
        if text[:first_end].strip():
            sections.append(Section(start=0, end=first_end, path=[], level=0))

    stack: list[Heading] = []
    pending_start: int | None = None
    for n, h in enumerate(headings):
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        end = headings[n + 1].start if n + 1 < len(headings) else len(text)
        start = pending_start if pending_start is not None else h.start
        body = text[h.end : end].strip()
        nxt = headings[n + 1] if n + 1 < len(headings) else None
        if len(body) < MIN_BODY_CHARS and nxt is not None and nxt.level > h.level:
            pending_start = start
            continue
        pending_start = None
        sections.append(Section(start=start, end=end, path=[x.title for x in stack], level=h.level))
    return sections
