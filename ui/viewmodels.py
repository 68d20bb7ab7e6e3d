"""Everything the Streamlit pages show, computed without Streamlit, so tests reach it directly.

The pages only lay out widgets; the text, tables, highlights and conversions live here.
"""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.answers.models import Answer, Citation
from assistant.config import Settings
from assistant.store.index import ActiveIndex
from ingest.models import CleanDocument

# ---- mode ---------------------------------------------------------------------------------------------


def mode_label(settings: Settings) -> str:
    if settings.llm == "none":
        return "Offline – svaren är ordagranna utdrag ur källorna (ingen språkmodell)"
    kind = "OpenAI-kompatibelt API" if settings.llm == "openai" else "Ollama"
    return f"Språkmodell: {settings.llm_model} via {kind}"


# ---- answers and citations --------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([$\\`*_~|])")


def md_escape(text: str) -> str:
    """Source text shown as Markdown: "$" would start LaTeX and "*"/"_" emphasis in Streamlit."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def markdown_safe(markdown: str) -> str:
    """Markdown written by us (headings, tables) shown as is, except "$", which Streamlit reads as LaTeX."""
    return markdown.replace("$", "\\$")


def answer_markdown(answer: Answer) -> str:
    """The answer text as Markdown, with the [n] markers in bold so they stand out."""
    return re.sub(r"\\\[(\d+)\\\]|\[(\d+)\]", lambda m: f"**[{m.group(1) or m.group(2)}]**", md_escape(answer.answer))


def citation_label(c: Citation) -> str:
    badge = ":material/verified:" if c.verified else ":material/warning: ej verifierat"
    year = f" {c.year}" if c.year else ""
    return f"[{c.n}] {c.publisher}{year}, s. {c.page} {badge}"


def verified_text(c: Citation) -> str:
    if c.verified:
        return "Verifierat: citatet står ordagrant i textavsnittet nedan."
    return "Ej verifierat: citatet kunde inte hittas ordagrant i källtexten. Kontrollera påståendet själv."


def highlight_html(text: str, start: int | None, end: int | None) -> str:
    """The passage as HTML paragraphs with the quote marked; everything else escaped.

    A quote can run over a paragraph break, so each paragraph marks its own part of it (a <mark>
    cannot span two <p> elements)."""
    valid = start is not None and end is not None and 0 <= start < end <= len(text)
    out = []
    pos = 0
    for para in text.split("\n\n"):
        p_start, p_end = pos, pos + len(para)
        pos = p_end + 2
        if not para.strip():
            continue
        if valid and start < p_end and end > p_start:
            a, b = max(start, p_start) - p_start, min(end, p_end) - p_start
            body = f"{html.escape(para[:a])}<mark>{html.escape(para[a:b])}</mark>{html.escape(para[b:])}"
        else:
            body = html.escape(para)
        out.append(f"<p>{body.replace(chr(10), '<br>')}</p>")
    return "".join(out)


def context_html(doc: CleanDocument, start: int, end: int, margin: int = 700) -> str:
    """The quote inside its surrounding document text (about `margin` characters either side)."""
    lo = max(0, start - margin)
    hi = min(len(doc.text), end + margin)
    # Start and end on whole words.
    if lo > 0:
        lo = doc.text.find(" ", lo) + 1 or lo
    if hi < len(doc.text):
        cut = doc.text.rfind(" ", start, hi)
        hi = cut if cut > end else hi
    body = highlight_html(doc.text[lo:hi], start - lo, end - lo)
    return ("<p>…</p>" if lo > 0 else "") + body + ("<p>…</p>" if hi < len(doc.text) else "")


def citation_document_offsets(c: Citation, index: ActiveIndex) -> tuple[int, int] | None:
    """Where the cited quote stands in its document (for the context view)."""
    chunks = index.get_chunks([c.chunk_id])
    if not chunks or c.quote_start is None or c.quote_end is None:
        return None
    return chunks[0].char_start + c.quote_start, chunks[0].char_start + c.quote_end


# ---- kategoristrategi ----------------------------------------------------------------------------------

ORG_TYPE_HELP = (
    "Typen styr texten: kommun och region – nämnder, förvaltningar, mål- och budgetprocessen, Adda och "
    "regionala inköpscentraler; statlig myndighet – myndighetens ledning, regleringsbrevet, statliga ramavtal "
    "och ESV:s nivåer för inköpsanalys; bolag – VD och styrelse, ägardirektiv och branschens inköpscentraler."
)


# ---- documents -----------------------------------------------------------------------------------------


def document_rows(index: ActiveIndex) -> list[dict[str, Any]]:
    rows = []
    for doc_id, doc in sorted(index.documents().items(), key=lambda d: (d[1].manifest.source != "seed", d[0])):
        m = doc.manifest
        rows.append(
            {
                "Dokument": m.title,
                "Utgivare": m.publisher,
                "År": str(m.year or "–"),
                "Typ": m.document_type,
                "Källa": "Grundkorpus" if m.source == "seed" else "Eget dokument",
                "Sidor": str(max((p.page for p in doc.pages), default=1)) if m.paged else "–",
                "Textavsnitt": len(index.state.chunks_by_doc.get(doc_id, [])),
                "Id": doc_id,
            }
        )
    return rows


def passage_options(index: ActiveIndex, doc_id: str) -> list[tuple[str, str]]:
    """(chunk_id, label) for every passage of a document, in reading order."""
    out = []
    for chunk in index.chunks_of(doc_id):
        words = " ".join(chunk.text.split()[:10])
        section = chunk.section_path[-1] if chunk.section_path else "(utan rubrik)"
        out.append((chunk.chunk_id, f"{chunk.pages} · {section} · {words} …"))
    return out
