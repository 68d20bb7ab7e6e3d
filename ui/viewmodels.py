"""Everything the Streamlit pages show, computed without Streamlit, so tests reach it directly.

The pages only lay out widgets; the text, tables, highlights and conversions live here.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.answers.models import Citation
from assistant.config import Settings
from assistant.store.index import ActiveIndex
from ingest.models import DocumentManifest
from ui.citations import OWN, SourceView, esc, source_view

# ---- mode ---------------------------------------------------------------------------------------------


def mode_label(settings: Settings) -> str:
    if settings.llm == "none":
        return "Offline – svaren är ordagranna utdrag ur källorna (ingen språkmodell)"
    kind = "OpenAI-kompatibelt API" if settings.llm == "openai" else "Ollama"
    return f"Språkmodell: {settings.llm_model} via {kind}"


# ---- text from documents, answers and users --------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~$:.@=&-])")
_WORD_JOINER = "\u2060"


def md_escape(text: str) -> str:
    """Any text for a place that renders Markdown (st.markdown, alerts, labels), shown as the characters
    it is. Backslash escapes alone are not enough in Streamlit: URLs, e-mail addresses and `:icon:`
    shortcodes are still turned into links and icons after escaping, so an invisible word joiner
    breaks them up."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"\\:(?=\S)", "\\:" + _WORD_JOINER, text)  # "Klart: …" keeps its plain colon
    return text.replace("\\@", _WORD_JOINER + "\\@").replace("www\\.", "www" + _WORD_JOINER + "\\.")


def source_views(citations: list[Citation], index: ActiveIndex, verified: bool | None = True) -> list[SourceView]:
    """The citations as the page shows them, with the document around each quote (one index lookup)."""
    chunks = {c.chunk_id: c for c in index.get_chunks(list(dict.fromkeys(c.chunk_id for c in citations)))}
    documents = index.documents()
    views = []
    for c in citations:
        chunk = chunks.get(c.chunk_id)
        doc = documents.get(c.doc_id)
        views.append(source_view(c, doc, chunk.char_start if chunk is not None else None, verified=verified))
    return views


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


_TABLE_COLUMNS = ("Dokument", "Utgivare", "År", "Källa", "Sidor", "Textavsnitt")


def documents_table_html(rows: list[dict[str, Any]]) -> str:
    """The library as an HTML table: every cell escaped, user documents marked."""
    head = "".join(f'<th class="{_column_class(c)}">{c}</th>' for c in _TABLE_COLUMNS)
    body = []
    for r in rows:
        cells = []
        for c in _TABLE_COLUMNS:
            value = esc(str(r[c]))
            if c == "Källa" and r[c] == "Eget dokument":
                value = OWN
            cells.append(f'<td class="{_column_class(c)}">{value}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="doktabell"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
            f"</table></div>")


def _column_class(column: str) -> str:
    # Numbers right-aligned; on a phone only title, publisher, year and source kind are shown.
    return {"År": "num", "Sidor": "num extra", "Textavsnitt": "num extra"}.get(column, "")


def document_option(m: DocumentManifest) -> str:
    """A document in a select box (plain text)."""
    return f"{m.title} (eget dokument)" if m.source == "user" else m.title


def document_details_html(m: DocumentManifest) -> str:
    details = [("Utgivare", m.publisher), ("År", str(m.year or "okänt")), ("Typ", m.document_type),
               ("Publicerad", m.published_at)]
    if m.reference:
        details.append(("Diarienummer", m.reference))
    own = f" {OWN}" if m.source == "user" else ""
    return ('<p class="dokinfo">' + " · ".join(f"<strong>{k}:</strong> {esc(v)}" for k, v in details) + own + "</p>")


def passage_options(index: ActiveIndex, doc_id: str) -> list[tuple[str, str]]:
    """(chunk_id, label) for every passage of a document, in reading order."""
    out = []
    for chunk in index.chunks_of(doc_id):
        words = " ".join(chunk.text.split()[:10])
        section = chunk.section_path[-1] if chunk.section_path else "(utan rubrik)"
        out.append((chunk.chunk_id, f"{chunk.pages} · {section} · {words} …"))
    return out
