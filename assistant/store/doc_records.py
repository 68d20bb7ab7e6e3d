"""Whole documents (manifest, cleaned text, page map, headings) as records in a generation's `-docs` collection.

This is the document library: every instance on a shared Chroma server reads the same documents from it,
and a lost local cache is rebuilt from it byte for byte. Long texts are split over several records so no
single request grows with the document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ingest.models import CleanDocument

DOCS_PART = "docs"
TEXT_PART_CHARS = 200_000
_WRITE_BATCH = 64
_READ_PAGE = 200
# Chroma requires a vector per record; these records are looked up by id and never searched.
_NO_VECTOR = [0.0]


def _records(doc: CleanDocument) -> Iterator[tuple[str, str, dict[str, Any]]]:
    doc_id = doc.manifest.doc_id
    parts = [doc.text[i : i + TEXT_PART_CHARS] for i in range(0, len(doc.text), TEXT_PART_CHARS)] or [""]
    head = doc.model_dump(mode="json", exclude={"text"})
    head["text_parts"] = len(parts)
    yield doc_id, json.dumps(head, ensure_ascii=False), {"doc_id": doc_id, "kind": "document", "source": doc.manifest.source}
    for n, part in enumerate(parts):
        yield f"{doc_id}#{n:05d}", part, {"doc_id": doc_id, "kind": "text", "part": n}


def write_documents(collection, documents: list[CleanDocument]) -> None:
    batch: list[tuple[str, str, dict[str, Any]]] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if batch:
            collection.add(
                ids=[r[0] for r in batch],
                documents=[r[1] for r in batch],
                metadatas=[r[2] for r in batch],
                embeddings=[_NO_VECTOR] * len(batch),
            )
        batch.clear()
        size = 0

    for doc in documents:
        for record in _records(doc):
            batch.append(record)
            size += len(record[1])
            if len(batch) >= _WRITE_BATCH or size >= 4 * TEXT_PART_CHARS:
                flush()
    flush()


def read_documents(collection) -> list[CleanDocument]:
    heads: dict[str, dict[str, Any]] = {}
    texts: dict[str, dict[int, str]] = {}
    offset = 0
    while True:
        res = collection.get(include=["documents", "metadatas"], limit=_READ_PAGE, offset=offset)
        if not res["ids"]:
            break
        for text, meta in zip(res["documents"], res["metadatas"], strict=True):
            if meta["kind"] == "document":
                heads[meta["doc_id"]] = json.loads(text)
            else:
                texts.setdefault(meta["doc_id"], {})[int(meta["part"])] = text
        offset += len(res["ids"])
    docs = []
    for doc_id, head in sorted(heads.items()):
        parts = texts.get(doc_id, {})
        n = head.pop("text_parts")
        if sorted(parts) != list(range(n)):
            raise ValueError(f"document {doc_id}: text parts missing in {collection.name}")
        docs.append(CleanDocument.model_validate({**head, "text": "".join(parts[i] for i in range(n))}))
    return docs
