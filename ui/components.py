"""Streamlit pieces shared by several pages."""

from __future__ import annotations

import streamlit as st

from assistant.answers.models import Citation
from ui import state
from ui import viewmodels as vm


def citation_popover(c: Citation, key: str) -> None:
    """A citation as a button that opens its verbatim quote highlighted inside the passage."""
    with st.popover(vm.citation_label(c), width="stretch"):
        year = f", {c.year}" if c.year else ""
        st.markdown(f"**{vm.md_escape(c.title)}**  \n{vm.md_escape(c.publisher)}{year} · sida {c.page}")
        if c.section:
            st.caption(c.section)
        (st.success if c.verified else st.error)(
            vm.verified_text(c), icon=":material/verified:" if c.verified else ":material/warning:"
        )
        st.html(f"<div class='kalla'>{vm.highlight_html(c.chunk_text, c.quote_start, c.quote_end)}</div>")
        # Looked up only when asked for: a draft has dozens of citations, each drawn on every rerun.
        if c.quote_start is not None and st.toggle("Visa mer av sammanhanget i dokumentet", key=f"ctx-{key}"):
            index = state.index()
            offsets = vm.citation_document_offsets(c, index)
            doc = index.documents().get(c.doc_id)
            if offsets and doc:
                st.html(f"<div class='kalla'>{vm.context_html(doc, *offsets)}</div>")


def citation_grid(citations: list[Citation], key: str, columns: int = 3) -> None:
    cols = st.columns(min(len(citations), columns) or 1)
    for i, c in enumerate(citations):
        with cols[i % len(cols)]:
            citation_popover(c, f"{key}-{i}")
