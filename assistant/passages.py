"""Locate a known sentence in a corpus document: page, section path and the stored chunk holding it.

Curated references (the ambitionsgraf advice, strategy templates) name a document and a verbatim
quote; this turns them into checkable citations. The cleaned text comes from the active index when
there is one, otherwise from cleaning the source document directly, so it works before any index
exists, and the quote is always verified against the actual text.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel

from assistant.config import Settings
from assistant.errors import KategoriError
from assistant.store.index import ActiveIndex
from assistant.textmatch import find_quote
from ingest.documents import clean_document, documents_in
from ingest.models import CleanDocument
from ingest.sections import build_sections


class LocatedPassage(BaseModel):
    doc_id: str
    doc_title: str
    publisher: str
    year: int | None
    page: int
    section: str
    quote: str  # exactly as it stands in the cleaned document text
    char_start: int
    char_end: int
    chunk_id: str | None = None
    chunk_text: str | None = None


@lru_cache(maxsize=16)
def _seed_document(corpus_dir: str, doc_id: str) -> CleanDocument | None:
    from pathlib import Path

    for src in documents_in(Path(corpus_dir)):
        if src.doc_id == doc_id:
            return clean_document(src)
    return None


def locate_quote(doc_id: str, quote: str, settings: Settings, index: ActiveIndex | None = None) -> LocatedPassage:
    doc = None
    if index is not None:
        doc = index.documents().get(doc_id)
    if doc is None:
        doc = _seed_document(str(settings.corpus_dir), doc_id)
    if doc is None:
        raise KategoriError(f"Dokumentet {doc_id} finns inte i korpusen.")
    span = find_quote(doc.text, quote)
    if span is None:
        raise KategoriError(f"Citatet »{quote[:60]}…« finns inte ordagrant i {doc_id}.")
    start, end = span
    section = next((s for s in build_sections(doc) if s.start <= start < s.end), None)
    chunk_id = chunk_text = None
    if index is not None:
        for chunk in index.chunks_of(doc_id):
            if chunk.char_start <= start and end <= chunk.char_end:
                chunk_id, chunk_text = chunk.chunk_id, chunk.text
                break
    m = doc.manifest
    return LocatedPassage(
        doc_id=doc_id,
        doc_title=m.title,
        publisher=m.publisher,
        year=m.year,
        page=doc.page_at(start).page,
        section=" > ".join(section.path) if section else "",
        quote=doc.text[start:end],
        char_start=start,
        char_end=end,
        chunk_id=chunk_id,
        chunk_text=chunk_text,
    )
