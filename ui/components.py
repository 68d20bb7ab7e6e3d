"""Streamlit pieces shared by several pages: cited text with clickable sources, and the browser cookie
that keeps a browser's conversations."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import citations as cv
from ui.text import STREAMLIT_SWEDISH

_STATIC = Path(__file__).parent / "static"

_citations = st.components.v2.component(
    "kategori_citations",
    css=(_STATIC / "citations.css").read_text(encoding="utf-8"),
    js=(_STATIC / "citations.js").read_text(encoding="utf-8"),
)

_cookie = st.components.v2.component(
    "kategori_cookie",
    js="""
export default function ({ data }) {
  const pair = `${data.name}=${data.value}`;
  if (!document.cookie.split("; ").includes(pair)) {
    document.cookie = `${pair}; path=/; max-age=${data.max_age}; SameSite=Strict`;
  }
}
""",
)

_swedish = st.components.v2.component("kategori_svenska", js=(_STATIC / "svenska.js").read_text(encoding="utf-8"))


def cited_block(body_html: str, sources: list[cv.SourceView], key: str, *, extra_cards: dict[str, str] | None = None,
                heading: str | None = None, copy_markdown: str | None = None, source_list: bool = False) -> None:
    """Text with [n] buttons, then the sources (as chips, or as one list), each opening its card."""
    data = cv.block_data(body_html, sources, extra_cards=extra_cards, heading=heading, copy_markdown=copy_markdown,
                         source_list=source_list)
    _citations(data=data, key=component_key(key), height="content")


def component_key(key: str) -> str:
    """`key` without »__«, which Streamlit reserves in a component's id: a conversation id (secrets.token_urlsafe)
    holds it in about one conversation in 250, and the page failed. The ids never contain »~«, so keys stay apart."""
    return key.replace("__", "_~")


def browser_cookie(name: str, value: str, max_age: int) -> None:
    _cookie(data={"name": name, "value": value, "max_age": max_age}, key=f"cookie-{name}", height=0)


def swedish_chrome() -> None:
    """Translate Streamlit's own English texts in the page (once per page load)."""
    _swedish(data=STREAMLIT_SWEDISH, key="svenska", height=0)
