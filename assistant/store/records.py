"""A chunk as stored: its text, its provenance and its document's manifest data, flattened for Chroma."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from ingest.models import Chunk, DocumentManifest

SECTION_SEPARATOR = " > "


class StoredChunk(BaseModel):
    chunk_id: str
    doc_id: str
    doc_title: str
    publisher: str
    year: int | None = None
    document_type: str
    source: str
    chunk_index: int
    text: str
    char_start: int
    char_end: int
    page_start: int
    page_end: int
    page_label: str | None = None
    section_path: list[str]

    @classmethod
    def from_chunk(cls, chunk: Chunk, manifest: DocumentManifest) -> StoredChunk:
        return cls(
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            doc_title=manifest.title,
            publisher=manifest.publisher,
            year=manifest.year,
            document_type=manifest.document_type,
            source=manifest.source,
            chunk_index=chunk.chunk_index,
            text=chunk.text,
            char_start=chunk.char_start,
            char_end=chunk.char_end,
            page_start=chunk.page_start,
            page_end=chunk.page_end,
            page_label=chunk.page_label,
            section_path=chunk.section_path,
        )

    @property
    def section(self) -> str:
        return SECTION_SEPARATOR.join(self.section_path)

    @property
    def pages(self) -> str:
        """Human page reference: "s. 12", "s. 12–13", or with the printed page number where the PDF
        labels its pages differently from their physical order ("s. 3 (tryckt sida i)")."""
        ref = f"s. {self.page_start}" if self.page_start == self.page_end else f"s. {self.page_start}–{self.page_end}"
        return f"{ref} (tryckt sida {self.page_label})" if self.page_label else ref

    def embedding_text(self) -> str:
        """What the dense model sees: the passage with its section path as context, since a chunk
        from the middle of a section rarely names its own topic. (The document title was measured too:
        repeated on every chunk of a document it made passages of one document look alike.)"""
        return f"{self.section}\n\n{self.text}" if self.section_path else self.text

    def bm25_text(self) -> str:
        return f"{self.section}\n{self.text}" if self.section_path else self.text

    def to_metadata(self) -> dict[str, Any]:
        data = self.model_dump(exclude={"chunk_id", "text", "section_path"})
        data["section"] = self.section
        data["section_path_json"] = json.dumps(self.section_path, ensure_ascii=False)
        # Chroma metadata values cannot be None.
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> StoredChunk:
        data = {k: v for k, v in meta.items() if k not in {"section", "section_path_json"}}
        return cls(chunk_id=chunk_id, text=text, section_path=json.loads(meta["section_path_json"]), **data)
