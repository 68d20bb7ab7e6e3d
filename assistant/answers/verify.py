"""Citation verification: code, not trust.

- A quote is verified only if it occurs in the cited passage's text (ignoring whitespace and
  line-break hyphenation). A quote found in another passage retrieved for the same question is
  re-pointed there; one found nowhere stays, marked unverified.
- A citation to a passage that was not retrieved for this question is removed.
- A marker [n] without a citation is removed.
- Citations are renumbered 1, 2, … in the order the answer first refers to them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel

from assistant.answers.models import Citation, DraftCitation, Passage
from assistant.textmatch import find_quote

_MARKER = re.compile(r"\[(\d{1,3})\]")
_QUOTED = re.compile(r"»[^«]*«")
_MARKER_GROUP = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})+)\]")

PageLookup = Callable[[str, int], int]  # (doc_id, document offset) -> page


UNVERIFIABLE = "Svaret innehöll inga citat som gick att verifiera mot källtexterna, så det visas inte."


class Verified(BaseModel):
    text: str
    citations: list[Citation]
    notes: list[str]

    @property
    def unverified(self) -> int:
        return sum(not c.verified for c in self.citations)

    @property
    def any_verified(self) -> bool:
        return any(c.verified for c in self.citations)

    def text_with_warning(self) -> str:
        """The answer text, saying how many citations could not be verified when any could not."""
        if not self.unverified:
            return self.text
        return (
            f"{self.text}\n\n(Obs: {self.unverified} av {len(self.citations)} källhänvisningar kunde inte verifieras "
            "mot källtexten och är markerade som overifierade.)"
        )


def _split_groups(text: str) -> str:
    """"[1, 3]" → "[1][3]" so every marker names one source (not inside quoted document text)."""
    return _outside_quotes(
        text,
        lambda part: _MARKER_GROUP.sub(lambda m: "".join(f"[{x.strip()}]" for x in re.split(r"[,;]", m.group(1))), part),
    )


def _outside_quotes(text: str, fn) -> str:
    out, last = [], 0
    for m in _QUOTED.finditer(text):
        out.append(fn(text[last : m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(fn(text[last:]))
    return "".join(out)


def verify(
    text: str,
    drafts: list[DraftCitation],
    passages: list[Passage],
    page_of: PageLookup | None = None,
) -> Verified:
    by_n = {p.n: p for p in passages}
    notes: list[str] = []
    text = _split_groups(text)

    # One citation per cited passage number; a verified quote wins over an unverified one.
    chosen: dict[int, Citation] = {}
    dropped: set[int] = set()
    for draft in drafts:
        passage = by_n.get(getattr(draft, "passage", draft.n))
        if passage is None:
            if draft.n not in dropped:
                notes.append(
                    f"Källhänvisning [{draft.n}] pekade på ett textavsnitt som inte hämtades för frågan och togs bort."
                )
            dropped.add(draft.n)
            continue
        citation = _check(draft, passage, passages, page_of, notes)
        current = chosen.get(draft.n)
        if current is None or (citation.verified and not current.verified):
            chosen[draft.n] = citation

    # Markers without a citation go; the rest are renumbered by first appearance. A "[2]" inside a quoted
    # passage (»…«) is document text, not a marker.
    markers = list(_markers(text))
    order: list[int] = []
    for m in markers:
        n = int(m.group(1))
        if n in chosen and n not in order:
            order.append(n)
    missing = sorted({int(m.group(1)) for m in markers} - set(chosen) - dropped)
    for n in missing:
        notes.append(f"Markören [{n}] saknade källhänvisning och togs bort.")
    order += [n for n in chosen if n not in order]
    new_number = {old: i for i, old in enumerate(order, 1)}

    def renumber(m: re.Match) -> str:
        n = int(m.group(1))
        return f"[{new_number[n]}]" if n in new_number else ""

    text = _replace_markers(text, renumber)
    text = re.sub(r"(\[\d+\])(?:\1)+", r"\1", text)  # "[1][1]" after merging
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    citations = [chosen[old].model_copy(update={"n": new_number[old]}) for old in order]
    return Verified(text=text, citations=citations, notes=notes)


def _markers(text: str):
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    for m in _MARKER.finditer(text):
        if not any(a < m.start() < b for a, b in quoted):
            yield m


def _replace_markers(text: str, fn) -> str:
    out, last = [], 0
    for m in _markers(text):
        out.append(text[last : m.start()])
        out.append(fn(m))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _check(
    draft: DraftCitation, passage: Passage, passages: list[Passage], page_of: PageLookup | None, notes: list[str]
) -> Citation:
    quote = draft.quote.strip().strip("»«\"”“'")
    span = find_quote(passage.chunk.text, quote) if quote else None
    target = passage
    if span is None and quote:
        for other in passages:
            if other.n != passage.n and (found := find_quote(other.chunk.text, quote)) is not None:
                notes.append(
                    f"Citatet i källhänvisning [{draft.n}] står i textavsnitt [{other.n}]; hänvisningen har rättats."
                )
                target, span = other, found
                break
    chunk = target.chunk
    if span is not None:
        start, end = span
        page = page_of(chunk.doc_id, chunk.char_start + start) if page_of else chunk.page_start
        exact = chunk.text[start:end]
    else:
        start = end = None
        page = chunk.page_start
        exact = quote
    return Citation(
        n=draft.n,
        doc_id=chunk.doc_id,
        title=chunk.doc_title,
        publisher=chunk.publisher,
        year=chunk.year,
        page=page,
        section=chunk.section,
        chunk_id=chunk.chunk_id,
        chunk_text=chunk.text,
        quote=exact,
        quote_start=start,
        quote_end=end,
        verified=span is not None,
    )
