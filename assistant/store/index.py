"""The index on disk (or on a Chroma server), written in generations and swapped atomically.

Each write builds a complete new generation: a Chroma collection `<name>-g<N>` plus, in
`<data_dir>/generations/<collection>/`, the BM25 index and the cleaned documents. Only when all of it
is written is the collection marked complete; readers always use the newest complete generation, so a
failed or interrupted write never touches what users search. Older generations are removed after
the swap.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from assistant.config import Settings
from assistant.errors import IndexMismatchError, IndexMissingError, KategoriError
from assistant.store.bm25_index import Bm25Index
from assistant.store.records import StoredChunk
from ingest.models import CleanDocument

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
_ADD_BATCH = 256
_STATE_FILE = "state.json"
_DOCS_FILE = "documents.jsonl"
_SENTENCES_SUFFIX = "-s"  # each generation's sentence vectors live in a sibling collection


def sentence_collection_name(name: str) -> str:
    return f"{name}{_SENTENCES_SUFFIX}"


class IndexState(BaseModel):
    collection: str
    generation: int
    embedding_model: str
    chunk_count: int
    fingerprint: str
    created_at: str
    chunks_by_doc: dict[str, list[str]]
    # Per document: hash of its manifest and cleaned text, so a changed title or publisher is
    # re-written even when every chunk (and so every embedding) stays the same.
    document_versions: dict[str, str] = {}


def document_version(doc: CleanDocument) -> str:
    payload = doc.manifest.model_dump_json() + doc.content_sha256
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def fingerprint(ids: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:24]


def make_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
            client.heartbeat()
            return client
        except Exception as err:
            raise KategoriError(
                f"Kunde inte ansluta till Chroma-servern på {settings.chroma_host}:{settings.chroma_port} "
                f"({type(err).__name__}). Kontrollera KATEGORI_CHROMA_HOST/KATEGORI_CHROMA_PORT och att servern kör."
            ) from None
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class ActiveIndex:
    """Read access to one complete generation."""

    def __init__(self, collection, state: IndexState, local_dir: Path, sentences=None):
        self.collection = collection
        self.sentences = sentences  # the generation's sentence-vector collection
        self.state = state
        self.local_dir = local_dir
        self._bm25: Bm25Index | None = None
        self._documents: dict[str, CleanDocument] | None = None

    @property
    def embedding_model(self) -> str:
        return self.state.embedding_model

    def check_model(self, embedding_model: str) -> ActiveIndex:
        """This index, if it was built with `embedding_model`; otherwise a clear error."""
        if self.embedding_model != embedding_model:
            raise IndexMismatchError(
                f"Indexet är byggt med embeddingmodellen '{self.embedding_model}' men konfigurationen anger "
                f"'{embedding_model}'. Kör `kategori ingest --rebuild` för att bygga om indexet."
            )
        return self

    @property
    def doc_ids(self) -> list[str]:
        return sorted(self.state.chunks_by_doc)

    def chunk_ids(self, doc_ids: list[str] | None = None) -> list[str]:
        docs = self.state.chunks_by_doc if doc_ids is None else {d: self.state.chunks_by_doc.get(d, []) for d in doc_ids}
        return [cid for ids in docs.values() for cid in ids]

    @property
    def bm25(self) -> Bm25Index:
        if self._bm25 is None:
            self._bm25 = Bm25Index.load(self.local_dir / "bm25")
        return self._bm25

    def documents(self) -> dict[str, CleanDocument]:
        if self._documents is None:
            docs = {}
            with (self.local_dir / _DOCS_FILE).open(encoding="utf-8") as fh:
                for line in fh:
                    doc = CleanDocument.model_validate_json(line)
                    docs[doc.manifest.doc_id] = doc
            self._documents = docs
        return self._documents

    def dense_search(self, vector: np.ndarray, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        count = self.state.chunk_count if doc_ids is None else len(self.chunk_ids(doc_ids))
        if count == 0:
            return []
        where = {"doc_id": {"$in": doc_ids}} if doc_ids else None
        res = self.collection.query(
            query_embeddings=[vector.tolist()], n_results=min(n, count), where=where, include=["distances"]
        )
        # Cosine space: distance = 1 - cosine similarity.
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def sentence_search(self, vector: np.ndarray, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, int, int, float]]:
        """Best `n` sentences as (chunk_id, start, end, cosine)."""
        if self.sentences is None:
            return []
        where = {"doc_id": {"$in": doc_ids}} if doc_ids else None
        res = self.sentences.query(
            query_embeddings=[vector.tolist()], n_results=n, where=where, include=["distances", "metadatas"]
        )
        return [
            (m["chunk_id"], int(m["start"]), int(m["end"]), 1.0 - float(d))
            for m, d in zip(res["metadatas"][0], res["distances"][0], strict=True)
        ]

    def sentence_vectors(self, chunk_ids: list[str]) -> dict[str, list[tuple[int, int, np.ndarray]]]:
        """Each chunk's sentences as (start, end, vector), in text order."""
        out: dict[str, list[tuple[int, int, np.ndarray]]] = {}
        if self.sentences is None or not chunk_ids:
            return out
        for start in range(0, len(chunk_ids), 500):
            batch = list(chunk_ids[start : start + 500])
            res = self.sentences.get(where={"chunk_id": {"$in": batch}}, include=["embeddings", "metadatas"])
            for meta, vec in zip(res["metadatas"], res["embeddings"], strict=True):
                out.setdefault(meta["chunk_id"], []).append(
                    (int(meta["start"]), int(meta["end"]), np.asarray(vec, dtype=np.float32))
                )
        for items in out.values():
            items.sort(key=lambda item: item[0])
        return out

    def sentence_vectors_by_key(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """Stored sentence vectors of these chunks, by the key of their embedded text (for reuse)."""
        out: dict[str, np.ndarray] = {}
        if self.sentences is None:
            return out
        for start in range(0, len(chunk_ids), 500):
            res = self.sentences.get(
                where={"chunk_id": {"$in": list(chunk_ids[start : start + 500])}}, include=["embeddings", "metadatas"]
            )
            for meta, vec in zip(res["metadatas"], res["embeddings"], strict=True):
                out[meta["key"]] = np.asarray(vec, dtype=np.float32)
        return out

    def bm25_search(self, query: str, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        allowed = set(self.chunk_ids(doc_ids)) if doc_ids else None
        return self.bm25.search(query, n, allowed)

    def get_chunks(self, ids: list[str]) -> list[StoredChunk]:
        """Chunks in the order asked for; unknown ids are skipped."""
        if not ids:
            return []
        res = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        found = {
            cid: StoredChunk.from_metadata(cid, text, meta)
            for cid, text, meta in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        }
        return [found[cid] for cid in ids if cid in found]

    def chunks_of(self, doc_id: str) -> list[StoredChunk]:
        chunks = self.get_chunks(self.state.chunks_by_doc.get(doc_id, []))
        return sorted(chunks, key=lambda c: c.chunk_index)

    def embeddings_for(self, ids: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), 1000):
            res = self.collection.get(ids=ids[start : start + 1000], include=["embeddings"])
            for cid, vec in zip(res["ids"], res["embeddings"], strict=True):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out


class IndexStore:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    @property
    def prefix(self) -> str:
        return f"{self.settings.collection}-g"

    # ---- reading -------------------------------------------------------------------------------------

    def _generations(self) -> list[tuple[int, Any]]:
        gens = []
        for col in self.client.list_collections():
            name = col.name if hasattr(col, "name") else str(col)
            suffix = name[len(self.prefix) :]
            if name.startswith(self.prefix) and suffix.isdigit():
                gens.append((int(suffix), col))
        return sorted(gens, key=lambda g: g[0])

    def active(self) -> ActiveIndex | None:
        complete = [(g, c) for g, c in self._generations() if (c.metadata or {}).get("complete")]
        if not complete:
            return None
        _, col = complete[-1]
        col = self.client.get_collection(col.name, embedding_function=None)
        meta = col.metadata or {}
        local = self.settings.generations_dir / col.name
        state = self._read_state(local)
        if state is None or state.fingerprint != meta.get("fingerprint"):
            state = self._rebuild_local(col, local)
        try:
            sentences = self.client.get_collection(sentence_collection_name(col.name), embedding_function=None)
        except Exception:  # an index from before sentence vectors; the model key check asks for a rebuild
            sentences = None
        return ActiveIndex(col, state, local, sentences)

    def require_active(self, embedding_model: str | None = None) -> ActiveIndex:
        active = self.active()
        if active is None:
            raise IndexMissingError("Det finns inget index ännu. Kör `kategori ingest` för att bygga det.")
        return active if embedding_model is None else active.check_model(embedding_model)

    @staticmethod
    def _read_state(local: Path) -> IndexState | None:
        path = local / _STATE_FILE
        if not path.is_file() or not (local / "bm25").is_dir() or not (local / _DOCS_FILE).is_file():
            return None
        try:
            return IndexState.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError:
            return None

    def _rebuild_local(self, col, local: Path) -> IndexState:
        """Chroma is the source of truth; BM25 and document texts are derived from it when missing
        (another machine built the index on a shared Chroma server, or the files were deleted)."""
        log.info("Återskapar BM25-index och dokumenttexter för %s från Chroma", col.name)
        res = col.get(include=["documents", "metadatas"])
        chunks = [
            StoredChunk.from_metadata(cid, text, meta)
            for cid, text, meta in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        ]
        documents = _documents_from_chunks(chunks)
        meta = col.metadata or {}
        tmp = local.with_name(local.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        state = _write_local(tmp, col.name, int(meta.get("generation", 0)), meta.get("embedding_model", ""), chunks, documents)
        shutil.rmtree(local, ignore_errors=True)
        tmp.rename(local)
        return state

    # ---- writing -------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.settings.data_dir / ".write.lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise KategoriError("En annan indexering pågår redan. Vänta tills den är klar och försök igen.") from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def commit(
        self,
        chunks: list[StoredChunk],
        vectors: np.ndarray,
        documents: list[CleanDocument],
        embedding_model: str,
        progress: ProgressFn | None = None,
        sentences: list | None = None,
        sentence_vectors: np.ndarray | None = None,
    ) -> IndexState:
        """Write a complete new generation and make it the active one. Call under `write_lock`.

        `sentences` (SentenceUnit) and their vectors go into the generation's sibling collection."""
        gens = self._generations()
        generation = (gens[-1][0] + 1) if gens else 1
        name = f"{self.prefix}{generation:06d}"
        local = self.settings.generations_dir / name
        ids = [c.chunk_id for c in chunks]
        meta = {
            "complete": False,
            "generation": generation,
            "embedding_model": embedding_model,
            "chunk_count": len(chunks),
            "fingerprint": fingerprint(ids),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        col = self.client.create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}, metadata=meta
        )
        try:
            for start in range(0, len(chunks), _ADD_BATCH):
                batch = chunks[start : start + _ADD_BATCH]
                col.add(
                    ids=[c.chunk_id for c in batch],
                    embeddings=vectors[start : start + len(batch)],
                    documents=[c.text for c in batch],
                    metadatas=[c.to_metadata() for c in batch],
                )
                if progress:
                    progress("Sparar i Chroma", start + len(batch), len(chunks))
            if sentences:
                scol = self.client.create_collection(
                    sentence_collection_name(name), embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
                    metadata={"generation": generation},
                )  # fmt: skip
                for start in range(0, len(sentences), _ADD_BATCH * 4):
                    batch = sentences[start : start + _ADD_BATCH * 4]
                    scol.add(
                        ids=[u.sentence_id for u in batch],
                        embeddings=sentence_vectors[start : start + len(batch)],
                        metadatas=[u.to_metadata() for u in batch],
                    )
            state = _write_local(local, name, generation, embedding_model, chunks, documents)
            col.modify(metadata={**meta, "complete": True})  # the commit point
        except BaseException:
            for doomed in (name, sentence_collection_name(name)):
                with contextlib.suppress(Exception):
                    self.client.delete_collection(doomed)
            shutil.rmtree(local, ignore_errors=True)
            raise
        self._remove_generations(keep=name)
        return state

    def _remove_generations(self, keep: str) -> None:
        for _, col in self._generations():
            if col.name != keep:
                for doomed in (col.name, sentence_collection_name(col.name)):
                    with contextlib.suppress(Exception):
                        self.client.delete_collection(doomed)
        if self.settings.generations_dir.is_dir():
            for path in self.settings.generations_dir.iterdir():
                if path.name != keep and path.name.startswith(self.prefix):
                    shutil.rmtree(path, ignore_errors=True)

    def clear(self) -> None:
        """Remove every generation (used by tests and `make clean-index`-like resets)."""
        self._remove_generations(keep="")


def _write_local(
    local: Path, name: str, generation: int, embedding_model: str, chunks: list[StoredChunk], documents: list[CleanDocument]
) -> IndexState:
    shutil.rmtree(local, ignore_errors=True)
    local.mkdir(parents=True)
    ids = [c.chunk_id for c in chunks]
    Bm25Index.build(ids, [c.bm25_text() for c in chunks]).save(local / "bm25")
    with (local / _DOCS_FILE).open("w", encoding="utf-8") as fh:
        for doc in documents:
            fh.write(doc.model_dump_json() + "\n")
    by_doc: dict[str, list[str]] = {}
    for c in sorted(chunks, key=lambda c: (c.doc_id, c.chunk_index)):
        by_doc.setdefault(c.doc_id, []).append(c.chunk_id)
    state = IndexState(
        collection=name,
        generation=generation,
        embedding_model=embedding_model,
        chunk_count=len(chunks),
        fingerprint=fingerprint(ids),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        chunks_by_doc=by_doc,
        document_versions={d.manifest.doc_id: document_version(d) for d in documents},
    )
    (local / _STATE_FILE).write_text(state.model_dump_json(indent=1), encoding="utf-8")
    return state


def _documents_from_chunks(chunks: list[StoredChunk]) -> list[CleanDocument]:
    """Best-effort document texts from stored chunks: each chunk is placed at its offsets, so quotes
    and highlights keep working; whitespace between chunks is not recoverable and becomes spaces."""
    from ingest.models import DocumentManifest, PageSpan

    by_doc: dict[str, list[StoredChunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    docs = []
    for doc_id, items in sorted(by_doc.items()):
        length = max(c.char_end for c in items)
        buf = [" "] * length
        for c in items:
            buf[c.char_start : c.char_end] = list(c.text)
        first = items[0]
        manifest = DocumentManifest(
            doc_id=doc_id,
            title=first.doc_title,
            publisher=first.publisher,
            year=first.year,
            document_type=first.document_type,
            published_at="(återskapat från indexet)",
            file="(okänd)",
            source=first.source if first.source in ("seed", "user") else "user",
        )
        text = "".join(buf)
        pages = [PageSpan(start=c.char_start, end=c.char_end, page=c.page_start, label=c.page_label) for c in items]
        docs.append(
            CleanDocument(
                manifest=manifest,
                text=text,
                pages=pages,
                headings=[],
                content_sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    return docs
