"""Section-aware chunking: split inside each section, never across two, with exact offsets and stable ids."""

from __future__ import annotations

import hashlib

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.models import Chunk, CleanDocument, Section
from ingest.sections import build_sections

# Paragraphs first, then lines, then sentences: a chunk should end where a thought ends. A blank line
# before a list item is not a paragraph break worth splitting at, so a lead-in ("… följande nya
# inriktningsmål:") stays with the items it introduces.
_SEPARATORS = [r"\n\n(?!(?:\d{1,2}[.)]|[•-]) )", r"\n", r"\. ", r"\? ", r"! ", r"; ", r", ", r" ", r""]


def chunk_id(doc_id: str, char_start: int, text: str) -> str:
    """Derived from document, position and content: unchanged text at the same place keeps its id."""
    digest = hashlib.sha256(f"{doc_id}\x00{char_start}\x00{text}".encode()).hexdigest()[:16]
    return f"{doc_id}:{digest}"


def chunk_document(doc: CleanDocument, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=_SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        strip_whitespace=True,
        add_start_index=True,
    )
    chunks: list[Chunk] = []
    for section in build_sections(doc):
        for start, piece in _split_section(doc.text, section, splitter, chunk_size):
            end = start + len(piece)
            first, last = doc.page_at(start), doc.page_at(end - 1)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc.manifest.doc_id, start, piece),
                    doc_id=doc.manifest.doc_id,
                    chunk_index=len(chunks),
                    text=piece,
                    char_start=start,
                    char_end=end,
                    page_start=first.page,
                    page_end=last.page,
                    page_label=first.label,
                    section_path=section.path,
                )
            )
    return chunks


def _split_section(
    text: str, section: Section, splitter: RecursiveCharacterTextSplitter, chunk_size: int
) -> list[tuple[int, str]]:
    body = text[section.start : section.end]
    if not body.strip():
        return []
    if len(body.strip()) <= chunk_size:
        lead = len(body) - len(body.lstrip())
        return [(section.start + lead, body.strip())]
    out = []
    for doc in splitter.create_documents([body]):
        start = section.start + doc.metadata["start_index"]
        piece = doc.page_content
        # The splitter finds offsets by searching; make sure each one points at the piece itself.
        if text[start : start + len(piece)] != piece:
            start = text.index(piece, section.start, section.end)
        out.append((start, piece))
    return out
