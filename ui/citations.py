"""Citations as the pages show them: the answer or draft text with clickable [n] markers, one chip per
source and a card per source with the quote highlighted in its passage. Plain Python, no Streamlit.

Document text is inert everywhere: every string that comes from a document, an answer or a user is
HTML-escaped here, so Markdown, HTML, links, images and Streamlit directives in a document show as the
characters they are. Only the tags written in this module reach the browser.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from assistant.answers.models import Answer, Citation
from assistant.textmatch import find_quote, normalise
from ingest.models import CleanDocument, DocumentManifest

MARKER = re.compile(r"\[(\d{1,3})\]")
_OPEN_QUOTE, _CLOSE_QUOTE = "»", "«"

# Inline SVG (Material Symbols shapes) so that nothing is fetched from a font host.
ICON_VERIFIED = (
    '<svg class="icon" viewBox="0 -960 960 960" aria-hidden="true"><path d="m344-60-76-128-144-32 14-148-98-112 98-112'
    '-14-148 144-32 76-128 136 58 136-58 76 128 144 32-14 148 98 112-98 112 14 148-144 32-76 128-136-58-136 58Zm94'
    '-278 226-226-56-58-170 170-86-84-56 56 142 142Z"/></svg>'
)
ICON_WARNING = (
    '<svg class="icon" viewBox="0 -960 960 960" aria-hidden="true"><path d="m40-120 440-760 440 760H40Zm440-120q17 0 '
    '28.5-11.5T520-280q0-17-11.5-28.5T480-320q-17 0-28.5 11.5T440-280q0 17 11.5 28.5T480-240Zm-40-120h80v-200h-80v200Z"/>'
    "</svg>"
)


OWN = '<span class="own">eget dokument</span>'


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# ---- [n] markers ------------------------------------------------------------------------------------


def segments(text: str, valid: Iterable[int]) -> list[str | int]:
    """The text as pieces: strings, and ints where a real citation marker stands.

    A marker counts only when its number is one of the answer's citations and it stands outside a
    »quote«: a "[2]" inside quoted document text is part of the document, not a reference to source 2.
    An unclosed » ends at the paragraph break."""
    valid = set(valid)
    out: list[str | int] = []
    buf: list[str] = []
    i, inside = 0, False
    while i < len(text):
        ch = text[i]
        if ch == _OPEN_QUOTE:
            inside = True
        elif ch == _CLOSE_QUOTE or text.startswith("\n\n", i):
            inside = False
        if ch == "[" and not inside:
            m = MARKER.match(text, i)
            if m and int(m.group(1)) in valid:
                if buf:
                    out.append("".join(buf))
                    buf = []
                out.append(int(m.group(1)))
                i = m.end()
                continue
        buf.append(ch)
        i += 1
    if buf:
        out.append("".join(buf))
    return out


def renumber(text: str, mapping: Mapping[int, int]) -> str:
    """The text with its citation markers renumbered (a conversation's answers share one Källor list)."""
    return "".join(f"[{mapping[p]}]" if isinstance(p, int) else p for p in segments(text, mapping))


def quote_before(piece: str) -> str | None:
    """The »quote« a text piece ends with (before a marker), if it ends with one."""
    tail = piece.rstrip(" \t.,;:")
    if not tail.endswith(_CLOSE_QUOTE):
        return None
    start = tail.rfind(_OPEN_QUOTE)
    if start < 0 or "\n\n" in tail[start:]:
        return None
    return tail[start + 1 : -1].strip() or None


# ---- what a source is called -----------------------------------------------------------------------


def display_title(manifest: DocumentManifest | None, fallback: str) -> str:
    """The document's short name: the manifest's short title (written for running text, so its first
    letter is raised), else its title. A user document's short title is "dokumentet »X«"; X is its name."""
    if manifest is None:
        return fallback
    if manifest.source == "user" or not manifest.short_title:
        return manifest.title
    short = manifest.short_title.strip()
    return short[:1].upper() + short[1:]


@dataclass(frozen=True)
class SourceView:
    """Everything the page shows about one citation, escaped and ready to place."""

    n: int
    title: str  # short title
    full_title: str
    publisher: str
    year: int | None
    page: int
    section: str
    verified: bool | None  # None: a nearest passage, not a citation
    own: bool  # a user's own document
    quote: str
    passage_html: str
    context_html: str | None
    missing: bool  # the document is no longer in the library
    chunk_text: str = ""
    doc: CleanDocument | None = None
    chunk_start: int | None = None  # where the passage starts in the document

    def with_quote(self, quote: str) -> SourceView | None:
        """This source with another quote from the same passage marked (an answer may quote one
        passage several times under one number), or None when the passage does not contain it."""
        found = find_quote(self.chunk_text, quote)
        if found is None:
            return None
        context = None
        if self.doc is not None and self.chunk_start is not None:
            context = context_html(self.doc, self.chunk_start + found[0], self.chunk_start + found[1])
        return replace(self, quote=quote, passage_html=highlight_html(self.chunk_text, *found), context_html=context,
                       verified=True if self.verified is not None else None)

    @property
    def chip_label(self) -> str:
        return f"{self.title}, s. {self.page}"

    @property
    def status(self) -> str:
        if self.verified is None:
            return ""
        return "verifierat" if self.verified else "ej verifierat"


def source_view(c: Citation, doc: CleanDocument | None, chunk_start: int | None,
                verified: bool | None = True) -> SourceView:
    """`chunk_start` is where the cited passage starts in `doc` (None when the index no longer has it);
    `verified` None marks a nearest passage (shown when a question is refused)."""
    manifest = doc.manifest if doc else None
    context = None
    if doc is not None and chunk_start is not None:
        if c.quote_start is not None and c.quote_end is not None:
            context = context_html(doc, chunk_start + c.quote_start, chunk_start + c.quote_end)
        else:
            context = context_html(doc, chunk_start, chunk_start + len(c.chunk_text))
    return SourceView(
        n=c.n,
        title=display_title(manifest, c.title),
        full_title=manifest.title if manifest else c.title,
        publisher=manifest.publisher if manifest else c.publisher,
        year=manifest.year if manifest else c.year,
        page=c.page,
        section=c.section,
        verified=None if verified is None else c.verified,
        own=bool(manifest and manifest.source == "user"),
        quote=c.quote,
        passage_html=highlight_html(c.chunk_text, c.quote_start, c.quote_end),
        context_html=context,
        missing=doc is None,
        chunk_text=c.chunk_text,
        doc=doc,
        chunk_start=chunk_start,
    )


# ---- passages ---------------------------------------------------------------------------------------


def highlight_html(text: str, start: int | None, end: int | None, mark_class: str | None = None) -> str:
    """The passage as HTML paragraphs with the quote marked; everything else escaped.

    A quote can run over a paragraph break, so each paragraph marks its own part of it (a <mark>
    cannot span two <p> elements)."""
    valid = start is not None and end is not None and 0 <= start < end <= len(text)
    open_mark = f'<mark class="{mark_class}">' if mark_class else "<mark>"
    out = []
    pos = 0
    for para in text.split("\n\n"):
        p_start, p_end = pos, pos + len(para)
        pos = p_end + 2
        if not para.strip():
            continue
        if valid and start < p_end and end > p_start:
            a, b = max(start, p_start) - p_start, min(end, p_end) - p_start
            body = f"{esc(para[:a])}{open_mark}{esc(para[a:b])}</mark>{esc(para[b:])}"
        else:
            body = esc(para)
        out.append(f"<p>{body.replace(chr(10), '<br>')}</p>")
    return "".join(out)


def context_html(doc: CleanDocument, start: int, end: int, margin: int = 700, mark_class: str | None = None) -> str:
    """The quote inside its surrounding document text (about `margin` characters either side)."""
    lo = max(0, start - margin)
    hi = min(len(doc.text), end + margin)
    # Start and end on whole words.
    if lo > 0:
        lo = doc.text.find(" ", lo) + 1 or lo
    if hi < len(doc.text):
        cut = doc.text.rfind(" ", start, hi)
        hi = cut if cut > end else hi
    body = highlight_html(doc.text[lo:hi], start - lo, end - lo, mark_class)
    return ("<p>…</p>" if lo > 0 else "") + body + ("<p>…</p>" if hi < len(doc.text) else "")


# ---- HTML pieces ------------------------------------------------------------------------------------


def _aria(s: SourceView) -> str:
    status = f", {s.status}" if s.status else ""
    own = ", eget dokument" if s.own else ""
    return esc(f"Källa {s.n}: {s.title}, sidan {s.page}{own}{status}")


def cite_button(s: SourceView, card: str) -> str:
    warn = " warn" if s.verified is False else ""
    return (f'<button type="button" class="cite{warn}" data-n="{s.n}" data-card="{card}" aria-expanded="false" '
            f'title="{esc(s.chip_label)}" aria-label="{_aria(s)}">{s.n}</button>')


def _badge(s: SourceView) -> str:
    if s.verified is None:
        return ""
    if s.verified:
        return f'<span class="ok" title="Verifierat: citatet står ordagrant i källtexten">{ICON_VERIFIED}</span>'
    return f'<span class="bad">{ICON_WARNING}ej verifierat</span>'


def chip(s: SourceView) -> str:
    own = OWN if s.own else ""
    return (f'<button type="button" class="chip" data-n="{s.n}" aria-expanded="false" aria-label="{_aria(s)}">'
            f'<span class="num">{s.n}</span><span class="label">{esc(s.title)}</span>'
            f'<span class="page">s.&nbsp;{s.page}</span>{own}{_badge(s)}</button>')


def chips_html(sources: list[SourceView], heading: str) -> str:
    if not sources:
        return ""
    return (f'<div class="sources" role="group" aria-label="{esc(heading)}"><div class="heading">{esc(heading)}</div>'
            f'<div class="chips">{"".join(chip(s) for s in sources)}</div></div>')


def source_list_html(sources: list[SourceView]) -> str:
    """The sources as one list (a draft's Källor): number, document, page, section, the quote's start."""
    return f'<ol class="srclist">{"".join(_source_item(s) for s in sources)}</ol>'


def _source_item(s: SourceView) -> str:
    # A nearest passage has no quote: its opening words tell it apart from the others.
    quote = " ".join((s.quote or s.chunk_text).split())
    if len(quote) > 160:
        quote = quote[:159].rsplit(" ", 1)[0] + " …"
    own = f"{OWN} " if s.own else ""
    section = f" · {esc(s.section.split(' > ')[-1])}" if s.section else ""
    return (f'<li><button type="button" class="src" data-n="{s.n}" aria-expanded="false" aria-label="{_aria(s)}">'
            f'<span class="num">{s.n}</span><span class="what"><strong>{esc(s.title)}</strong> '
            f'<span class="where">s.&nbsp;{s.page}{section}</span> {own}{_badge(s)}'
            f'<span class="quote">{esc(quote) if s.verified is None else f"»{esc(quote)}«"}</span></span></button></li>')


def verification_text(s: SourceView) -> str:
    if s.verified is None:
        return ""
    if s.verified:
        return f'<div class="verdict ok">{ICON_VERIFIED}Verifierat: citatet står ordagrant i textavsnittet nedan.</div>'
    return (f'<div class="verdict bad">{ICON_WARNING}Ej verifierat: citatet kunde inte hittas ordagrant i '
            "källtexten. Kontrollera påståendet själv.</div>")


def card_html(s: SourceView) -> str:
    """The card a marker or chip opens: where the passage stands, whether the quote is verified, the
    passage with the quote marked, and more of the document around it on request."""
    meta = [esc(s.publisher)]
    if s.year:
        meta.append(str(s.year))
    meta.append(f"sida {s.page}")
    own = f" {OWN}" if s.own else ""
    section = f'<div class="section">{esc(s.section)}</div>' if s.section else ""
    missing = ('<div class="verdict bad">Dokumentet finns inte längre i underlaget; texten nedan är den som '
               "citerades.</div>") if s.missing else ""
    context = ""
    if s.context_html:
        context = (f'<div class="context" hidden>{s.context_html}</div><button type="button" class="more" '
                   'aria-expanded="false">Visa mer av sammanhanget i dokumentet</button>')
    return (f'<div class="card" role="region" aria-label="{_aria(s)}">'
            f'<div class="card-head"><span class="num">{s.n}</span><div><div class="title">{esc(s.full_title)}</div>'
            f'<div class="meta">{" · ".join(meta)}{own}</div>{section}</div>'
            '<button type="button" class="close" aria-label="Stäng källan">×</button></div>'
            f'{missing}{verification_text(s)}<div class="passage">{s.passage_html}</div>{context}</div>')


def block_data(body_html: str, sources: list[SourceView], *, extra_cards: Mapping[str, str] | None = None,
               heading: str | None = None, copy_markdown: str | None = None, source_list: bool = False) -> dict:
    """What the citations component gets: the text (`body_html` from this module), the sources as chips
    or as one list, a card per source, and the Markdown a copy button puts on the clipboard."""
    parts = [f'<div class="body">{body_html}</div>']
    if sources and source_list:
        parts.append(source_list_html(sources))
    elif sources:
        parts.append(chips_html(sources, heading or "Källor"))
    if copy_markdown is not None:
        parts.append('<div class="actions"><button type="button" class="copy">Kopiera svaret med källor '
                     '(Markdown)</button><span class="done" role="status" aria-live="polite"></span></div>')
    cards = {str(s.n): card_html(s) for s in sources} | dict(extra_cards or {})
    data = {"html": "".join(parts), "cards": cards, "copy": copy_markdown or ""}
    data["version"] = hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return data


class CitedText:
    """Running text turned into HTML, collecting a card for every quote a marker points at: a marker right
    after a »quote« from its source's passage opens the passage with that quote marked."""

    def __init__(self, sources: Mapping[int, SourceView]):
        self.sources = sources
        self.cards: dict[str, str] = {}

    def paragraphs(self, text: str) -> str:
        return "".join(f"<p>{self.inline(p)}</p>" for p in re.split(r"\n\s*\n", text.strip()) if p.strip())

    def inline(self, text: str) -> str:
        out = []
        before = ""
        for piece in segments(text, self.sources):
            if isinstance(piece, int):
                out.append(self._marker(self.sources[piece], quote_before(before)))
            else:
                out.append(esc(piece).replace("\n", "<br>"))
                before = piece
        return "".join(out)

    def _marker(self, s: SourceView, quote: str | None) -> str:
        card = str(s.n)
        if quote and normalise(quote) != normalise(s.quote):
            variant = s.with_quote(quote)
            if variant is not None:
                card = f"{s.n}.{len(self.cards) + 1}"
                self.cards[card] = card_html(variant)
        return cite_button(s, card)


def text_html(text: str, sources: Mapping[int, SourceView]) -> tuple[str, dict[str, str]]:
    """Running text (an answer) with its markers as buttons, paragraphs as <p>; and the extra cards its
    markers open (see CitedText)."""
    cited = CitedText(sources)
    return cited.paragraphs(text), cited.cards


# ---- Markdown (copy) ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md_text(text: str) -> str:
    """Text from a document or an answer as Markdown (for the clipboard) that shows it literally: no
    emphasis, links, images or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def source_line(s: SourceView) -> str:
    """One Källor entry in plain words: title, publisher, year, page, quote and whether it is verified."""
    parts = [s.full_title, s.publisher] + ([str(s.year)] if s.year else []) + [f"s. {s.page}"]
    own = " (eget dokument)" if s.own else ""
    status = "" if s.verified is None else (" – verifierat" if s.verified else " – EJ VERIFIERAT")
    quote = f" – »{' '.join(s.quote.split())}«" if s.quote else ""
    return f"{', '.join(parts)}{own}{quote}{status}"


def answer_markdown(answer: Answer, sources: list[SourceView]) -> str:
    """An answer with its sources as Markdown, for the clipboard."""
    by_n = {s.n: s for s in sources}
    body = "".join(f"[{p}]" if isinstance(p, int) else md_text(p) for p in segments(answer.answer, by_n))
    lines = [body.strip()]
    if sources:
        lines += ["", "**Källor**", ""]
        lines += [f"[{s.n}] {md_text(source_line(s))}  " for s in sources]
    return "\n".join(lines).rstrip() + "\n"
