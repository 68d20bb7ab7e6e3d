"""The index on disk (or on a Chroma server), written in generations and switched atomically.

A generation is a set of Chroma collections named after it: `<name>-g<N>` holds the chunks with their
vectors, `<name>-g<N>-docs` the whole documents (manifest, cleaned text, page map), `<name>-g<N>-s` the
sentence vectors (assistant/store/sentences.py); whatever else a generation may need goes into a further
`<name>-g<N>-<part>` and is created, kept and removed with it. The documents collection is the document library:
adding, replacing, editing or removing a document writes a new generation, so the library and the index
can never disagree, and every instance on a shared Chroma server sees the same documents.

The generation's main collection is marked complete last; that flag is the commit point, and readers
always use the newest complete generation, so an interrupted write never touches what users search.
Replaced generations stay readable for a grace period (searches that started on them finish), then are
removed by a later write. Every write starts by repairing what an interrupted one left behind.

Beside Chroma, `<data_dir>/generations/<name>-g<N>/` caches the BM25 index, the documents, and the chunks
and sentence vectors (snapshot.py); it is derived data, written by the commit before its commit point and
rebuilt from Chroma whenever it is missing or belongs to another commit (fingerprint and commit token).
Searches read only these files: with the embedded store a reader lists the generations straight from
Chroma's sqlite file (chroma_files.py) and imports chromadb only to rebuild a cache or to write.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.errors import IndexMismatchError, IndexMissingError, KategoriError
from assistant.store import faults
from assistant.store.bm25_index import Bm25Index
from assistant.store.chroma_files import read_collections, remove_orphan_segments
from assistant.store.doc_records import DOCS_PART, read_documents, write_documents
from assistant.store.failures import IndexChangedError, LeaseLostError, WriterBusyError, store_errors
from assistant.store.lease import LocalLock, NotifyFn, ServerLease, owner_info
from assistant.store.local_cache import (
    DOCS_FILE,
    IndexState,
    build_state,
    document_version,
    fingerprint,
    is_temporary,
    read_state,
    stale_entries,
    write_cache,
)
from assistant.store.records import StoredChunk
from assistant.store.snapshot import SentenceRecord, Snapshot, sentence_records
from ingest.models import CleanDocument

__all__ = [
    "ActiveIndex", "Generation", "IndexState", "IndexStore", "document_version", "fingerprint", "make_client",
    "sentence_collection_name",
]

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
_ADD_BATCH = 256
_GET_BATCH = 1000
SENTENCES_PART = "s"  # each generation's sentence vectors live in the sibling collection `<name>-s`


def sentence_collection_name(name: str) -> str:
    return f"{name}-{SENTENCES_PART}"


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
    with store_errors(settings, writing=False):
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


@dataclass(frozen=True)
class Generation:
    number: int
    name: str
    metadata: dict[str, Any]

    @property
    def complete(self) -> bool:
        return bool(self.metadata.get("complete"))

    @property
    def superseded_at(self) -> float | None:
        value = self.metadata.get("superseded_at")
        return float(value) if value is not None else None

    @property
    def parts(self) -> list[str]:
        return [p for p in str(self.metadata.get("parts", "")).split(",") if p]


class ActiveIndex:
    """Read access to one complete generation: searches read its derived files (BM25, snapshot, documents);
    Chroma's collections are opened only for what a writer needs (stored vectors to reuse)."""

    def __init__(self, state: IndexState, local_dir: Path, open_collection: Callable[[str], Any] | None = None, *,
                 settings: Settings | None = None, parts: Sequence[str] = (), has_sentences: bool = True):
        self.state = state
        self.local_dir = local_dir
        self.parts = list(parts)
        self._open = open_collection
        self._settings = settings
        self._has_sentences = has_sentences
        self._collections: dict[str, Any] = {}
        self._bm25: Bm25Index | None = None
        self._documents: dict[str, CleanDocument] | None = None
        self._snapshot: Snapshot | None = None

    def _collection(self, name: str):
        if name not in self._collections:
            if self._open is None:
                raise RuntimeError("this index was opened without access to Chroma")
            self._collections[name] = self._open(name)
        return self._collections[name]

    @property
    def collection(self):
        """The generation's Chroma collection of chunks (with their vectors)."""
        return self._collection(self.name)

    @property
    def sentences(self):
        """The generation's Chroma collection of sentence vectors, or None for a generation without one."""
        return self._collection(sentence_collection_name(self.name)) if self._has_sentences else None

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            self._snapshot = Snapshot(self.local_dir, self.chunk_ids())
        return self._snapshot

    @property
    def name(self) -> str:
        return self.state.collection

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

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        if self._settings is None:
            yield
            return
        try:
            with store_errors(self._settings, writing=False):
                yield
        except FileNotFoundError:
            # The cache of a generation removed after its grace period.
            raise IndexChangedError(
                "Sökindexet byttes ut medan frågan kördes (en nyare version har ersatt den gamla). Försök igen."
            ) from None

    @property
    def doc_ids(self) -> list[str]:
        return sorted(self.state.chunks_by_doc)

    def chunk_ids(self, doc_ids: list[str] | None = None) -> list[str]:
        docs = self.state.chunks_by_doc if doc_ids is None else {d: self.state.chunks_by_doc.get(d, []) for d in doc_ids}
        return [cid for ids in docs.values() for cid in ids]

    @property
    def bm25(self) -> Bm25Index:
        if self._bm25 is None:
            with self._reading():
                self._bm25 = Bm25Index.load(self.local_dir / "bm25")
        return self._bm25

    def documents(self) -> dict[str, CleanDocument]:
        if self._documents is None:
            docs = {}
            with self._reading(), (self.local_dir / DOCS_FILE).open(encoding="utf-8") as fh:
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
        with self._reading():
            res = self.collection.query(
                query_embeddings=[vector.tolist()], n_results=min(n, count), where=where, include=["distances"]
            )
        # Cosine space: distance = 1 - cosine similarity.
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def sentence_search(self, vector: np.ndarray, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, int, int, float]]:
        """Best `n` sentences as (chunk_id, start, end, cosine), by exact search over all of them (snapshot.py).

        Not Chroma's HNSW query: it is approximate, and which sentences come back near the cut-off varied
        from one process to the next, so the same question could get other passages and another answer."""
        with self._reading():
            return self.snapshot.sentence_search(vector, n, self.chunk_ids(doc_ids) if doc_ids else None)

    def sentence_vectors(self, chunk_ids: list[str]) -> dict[str, list[tuple[int, int, np.ndarray]]]:
        """Each chunk's sentences as (start, end, vector), in text order."""
        if not chunk_ids:
            return {}
        with self._reading():
            return self.snapshot.sentence_vectors(chunk_ids)

    def sentence_vectors_by_key(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """Stored sentence vectors of these chunks, by the key of their embedded text (for reuse by a writer)."""
        out: dict[str, np.ndarray] = {}
        if not self._has_sentences:
            return out
        for start in range(0, len(chunk_ids), 500):
            with self._reading():
                res = self.sentences.get(
                    where={"chunk_id": {"$in": list(chunk_ids[start : start + 500])}}, include=["embeddings", "metadatas"]
                )
            out.update((m["key"], np.asarray(v, dtype=np.float32)) for m, v in zip(res["metadatas"], res["embeddings"], strict=True))
        return out

    def bm25_search(self, query: str, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        allowed = set(self.chunk_ids(doc_ids)) if doc_ids else None
        return self.bm25.search(query, n, allowed)

    def get_chunks(self, ids: list[str]) -> list[StoredChunk]:
        """Chunks in the order asked for; unknown ids are skipped."""
        if not ids:
            return []
        with self._reading():
            found = self.snapshot.get_chunks(ids)
        return [found[cid] for cid in ids if cid in found]

    def chunks_of(self, doc_id: str) -> list[StoredChunk]:
        chunks = self.get_chunks(self.state.chunks_by_doc.get(doc_id, []))
        return sorted(chunks, key=lambda c: c.chunk_index)

    def embeddings_for(self, ids: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), _GET_BATCH):
            with self._reading():
                res = self.collection.get(ids=ids[start : start + _GET_BATCH], include=["embeddings"])
            for cid, vec in zip(res["ids"], res["embeddings"], strict=True):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out


class IndexStore:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._client = None
        self._lock: LocalLock | ServerLease | None = None
        self.repaired: list[str] = []  # what the last write_lock() cleaned up before the write

    @property
    def client(self):
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    @property
    def prefix(self) -> str:
        return f"{self.settings.collection}-g"

    @property
    def shared(self) -> bool:
        return bool(self.settings.chroma_host)

    # ---- reading -------------------------------------------------------------------------------------

    def _collection_names(self) -> list[tuple[str, dict[str, Any]]]:
        # A reader of the embedded store reads the list from Chroma's sqlite file and so needs no client;
        # a writer (or a process that has a client anyway) asks Chroma itself.
        if not self.shared and self._client is None and self._lock is None:
            listed = read_collections(self.settings.chroma_path)
            if listed is not None:
                return listed
        return [(c.name, dict(c.metadata or {})) for c in self.client.list_collections()]

    def generations(self) -> list[Generation]:
        """Every generation on the server, complete or not, oldest first."""
        with store_errors(self.settings, writing=False):
            cols = self._collection_names()
        gens = []
        for name, meta in cols:
            suffix = name[len(self.prefix) :]
            if name.startswith(self.prefix) and suffix.isdigit():
                gens.append(Generation(int(suffix), name, meta))
        return sorted(gens, key=lambda g: g.number)

    def active_generation(self) -> Generation | None:
        complete = [g for g in self.generations() if g.complete]
        return complete[-1] if complete else None

    def active_name(self) -> str | None:
        """Name of the active generation: a cheap key for caches that must follow new generations."""
        gen = self.active_generation()
        return gen.name if gen else None

    def active(self) -> ActiveIndex | None:
        gen = self.active_generation()
        return self.open(gen) if gen else None

    def open(self, gen: Generation) -> ActiveIndex:
        with store_errors(self.settings, writing=False):
            local = self.settings.generations_dir / gen.name
            state = read_state(local)
            if not _cache_of(state, gen):
                state = self._rebuild_local(gen, local)
        return ActiveIndex(state, local, self._open_collection, settings=self.settings, parts=gen.parts,
                           has_sentences=self._has_sentences(gen))

    def _open_collection(self, name: str):
        return self.client.get_collection(name, embedding_function=None)

    def _has_sentences(self, gen: Generation) -> bool:
        if gen.parts:
            return SENTENCES_PART in gen.parts
        # Written before the parts list existed: look.
        return sentence_collection_name(gen.name) in {name for name, _ in self._collection_names()}

    def require_active(self, embedding_model: str | None = None) -> ActiveIndex:
        active = self.active()
        if active is None:
            raise IndexMissingError("Det finns inget index ännu. Kör `kategori ingest` för att bygga det.")
        return active if embedding_model is None else active.check_model(embedding_model)

    def _rebuild_local(self, gen: Generation, local: Path) -> IndexState:
        """Chroma is the source of truth: the cache is rebuilt from it when missing (another instance built
        the generation on a shared server, the files were deleted, or an earlier version wrote them)."""
        log.info("Återskapar de härledda filerna (BM25, texter, meningsvektorer) för %s från Chroma", gen.name)
        chunks = _all_chunks(self.client.get_collection(gen.name, embedding_function=None))
        if DOCS_PART in gen.parts:
            documents = read_documents(self.client.get_collection(f"{gen.name}-{DOCS_PART}", embedding_function=None))
        else:
            documents = _documents_from_chunks(chunks)  # generations written before documents were stored
        meta = gen.metadata
        state = build_state(gen.name, gen.number, meta.get("embedding_model", ""), chunks, documents,
                            created_at=meta.get("created_at"), token=meta.get("token", ""))
        write_cache(local, state, chunks, documents, self._stored_sentences(gen))
        return state

    def _stored_sentences(self, gen: Generation, ids: list[str] | None = None) -> list[SentenceRecord]:
        """The generation's sentence vectors as Chroma returns them (all, or those with these ids)."""
        if not self._has_sentences(gen):
            return []
        col = self.client.get_collection(sentence_collection_name(gen.name), embedding_function=None)
        records: list[SentenceRecord] = []
        if ids is not None:
            for start in range(0, len(ids), _GET_BATCH):
                res = col.get(ids=ids[start : start + _GET_BATCH], include=["embeddings", "metadatas"])
                records += sentence_records(res["metadatas"], res["embeddings"])
            return records
        offset = 0
        while True:
            res = col.get(include=["embeddings", "metadatas"], limit=_GET_BATCH, offset=offset)
            if not res["ids"]:
                return records
            records += sentence_records(res["metadatas"], res["embeddings"])
            offset += len(res["ids"])

    # ---- writing -------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, notify: NotifyFn | None = None) -> Iterator[None]:
        """Exclusive write access: waits up to `write_wait_seconds` for another writer, then repairs what
        an interrupted write may have left behind."""
        if self._lock is not None:
            yield  # re-entrant within one store
            return
        with store_errors(self.settings, writing=True):
            if self.shared:
                lock: LocalLock | ServerLease = ServerLease.acquire(
                    self.settings, self.client, lambda: make_client(self.settings), notify
                )
            else:
                lock = LocalLock.acquire(self.settings, notify)
        self._lock = lock
        try:
            faults.reached("write.locked")
            self.repaired = self.repair()
            yield
        finally:
            self._lock = None
            lock.release()

    def try_repair(self) -> list[str]:
        """Repair now unless another writer is busy (then it will be done by the next write): for start-up."""
        quick = IndexStore(self.settings.model_copy(update={"write_wait_seconds": 0}))
        quick._client = self._client
        try:
            with quick.write_lock():
                return quick.repaired
        except WriterBusyError:
            return []

    def commit(
        self,
        chunks: list[StoredChunk],
        vectors: np.ndarray,
        documents: list[CleanDocument],
        embedding_model: str,
        progress: ProgressFn | None = None,
        sentences: list | None = None,
        sentence_vectors: np.ndarray | None = None,
        *,
        base_generation: int | None = None,
    ) -> IndexState:
        """Write a complete new generation and make it the active one. Call under `write_lock`.

        `sentences` (SentenceUnit) and their vectors go into the generation's sentence collection.
        `base_generation` is the active generation the caller's changes are based on; if another writer
        switched in between, nothing is activated and the caller is told to try again.
        """
        if self._lock is None:
            raise RuntimeError("commit() must be called under write_lock()")
        with store_errors(self.settings, writing=True):
            gens = self.generations()
            number = (gens[-1].number + 1) if gens else 1
            name = f"{self.prefix}{number:06d}"
            local = self.settings.generations_dir / name
            owner = owner_info(self.settings)
            meta = {
                "complete": False,
                "generation": number,
                "embedding_model": embedding_model,
                "chunk_count": len(chunks),
                "fingerprint": fingerprint([c.chunk_id for c in chunks]),
                "token": uuid.uuid4().hex,  # names this commit's derived files (local_cache.py)
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "parts": ",".join([DOCS_PART, *([SENTENCES_PART] if sentences else [])]),
                "writer": f"{owner['instance']}@{owner['host']}:{owner['pid']}",
            }
            try:
                col = self.client.create_collection(
                    name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}, metadata=meta
                )
                docs_col = self.client.create_collection(f"{name}-{DOCS_PART}", embedding_function=None,
                                                         metadata={"generation": number})
                faults.reached("commit.created")
                for start in range(0, len(chunks), _ADD_BATCH):
                    batch = chunks[start : start + _ADD_BATCH]
                    col.add(
                        ids=[c.chunk_id for c in batch],
                        embeddings=vectors[start : start + len(batch)],
                        documents=[c.text for c in batch],
                        metadatas=[c.to_metadata() for c in batch],
                    )
                    if progress:
                        progress("Sparar i sökindexet", start + len(batch), len(chunks))
                    if start == 0:
                        faults.reached("commit.chunks")
                if sentences:
                    scol = self.client.create_collection(
                        sentence_collection_name(name), embedding_function=None,
                        configuration={"hnsw": {"space": "cosine"}}, metadata={"generation": number},
                    )
                    for start in range(0, len(sentences), _ADD_BATCH * 4):
                        batch = sentences[start : start + _ADD_BATCH * 4]
                        scol.add(
                            ids=[u.sentence_id for u in batch],
                            embeddings=sentence_vectors[start : start + len(batch)],
                            metadatas=[u.to_metadata() for u in batch],
                        )
                        if start == 0:
                            faults.reached("commit.sentences")
                write_documents(docs_col, documents)
                faults.reached("commit.documents")
                state = build_state(name, number, embedding_model, chunks, documents, created_at=meta["created_at"],
                                    token=meta["token"])
                # The snapshot holds the sentence vectors as Chroma stores them, so it is the same file a
                # reader would rebuild from Chroma.
                stored = self._stored_sentences(Generation(number, name, meta), [u.sentence_id for u in sentences or []])
                write_cache(local, state, chunks, documents, stored)
                faults.reached("commit.local")
                self._check_can_switch(base_generation)
                faults.reached("commit.before_switch")
                col.modify(metadata={**meta, "complete": True})  # the commit point
            except (Exception, KeyboardInterrupt):
                # A failed write removes what it wrote; a killed one leaves it to the next repair().
                with contextlib.suppress(Exception):
                    self._delete_generation(name)
                    if not self.shared:
                        remove_orphan_segments(self.settings.chroma_path)
                shutil.rmtree(local, ignore_errors=True)
                raise
        faults.reached("commit.switched")
        self._retire_older(number)
        return state

    def _check_can_switch(self, base_generation: int | None) -> None:
        assert self._lock is not None
        self._lock.check()
        if base_generation is None:
            return
        active = self.active_generation()
        current = active.number if active else 0
        if current != base_generation:
            raise LeaseLostError(
                f"En annan skrivning hann aktivera generation {current} medan den här byggde på generation "
                f"{base_generation}. Ingenting från den här skrivningen har aktiverats; försök igen."
            )

    def _retire_older(self, active_number: int) -> None:
        """After a switch: mark older generations as replaced and remove those past their grace period.
        Best effort: the new generation is already active, so a failure here only delays the clean-up."""
        try:
            now = time.time()
            for gen in self.generations():
                if gen.number < active_number and gen.complete and gen.superseded_at is None:
                    self.client.get_collection(gen.name, embedding_function=None).modify(
                        metadata={**gen.metadata, "superseded_at": now}
                    )
            faults.reached("commit.superseded")
            self._remove_expired()
            if not self.shared:  # deleting a collection leaves its vector files behind
                remove_orphan_segments(self.settings.chroma_path)
            faults.reached("commit.cleaned")
        except Exception as err:
            log.warning("Städningen efter bytet av generation misslyckades (görs vid nästa skrivning): %s", err)

    def _remove_expired(self) -> list[str]:
        """Remove generations that can no longer be read: replaced ones past the grace period, and
        incomplete ones (only a crashed writer leaves those, since we hold the lock). Returns the
        incomplete ones: replaced generations expiring is routine, not something to repair."""
        gens = self.generations()
        active = max((g.number for g in gens if g.complete), default=0)
        now = time.time()
        interrupted = []
        for gen in gens:
            if gen.number == active:
                continue
            expired = gen.superseded_at is not None and now - gen.superseded_at >= self.settings.generation_grace_seconds
            if not gen.complete or expired:
                self._delete_generation(gen.name)
                if not gen.complete:
                    interrupted.append(gen.name)
                else:
                    log.info("Tog bort den ersatta generationen %s efter väntetiden", gen.name)
        return interrupted

    def _delete_generation(self, name: str) -> None:
        # The main collection first: without it the rest is recognisably orphaned.
        names = [n for n, _ in self._collection_names() if n == name or n.startswith(f"{name}-")]
        for n in sorted(names, key=lambda n: n != name):
            with contextlib.suppress(Exception):
                self.client.delete_collection(n)
        shutil.rmtree(self.settings.generations_dir / name, ignore_errors=True)

    def repair(self) -> list[str]:
        """Undo what interrupted writes left behind. Call under `write_lock` (it is, by default).

        Removes incomplete generations, replaced ones past their grace period, collections of generations
        that no longer exist, stale cache and temporary directories, staging directories of earlier
        versions, and (embedded store) vector segment directories Chroma left behind. Returns what only an
        interrupted write leaves (for telling the user); routine clean-up is only logged."""
        if self._lock is None:
            raise RuntimeError("repair() must be called under write_lock()")
        with store_errors(self.settings, writing=True):
            done: list[str] = []
            gens = self.generations()
            active = max((g.number for g in gens if g.complete), default=0)
            now = time.time()
            for gen in gens:  # generations replaced by a writer that died before marking them
                if gen.complete and gen.number < active and gen.superseded_at is None:
                    self.client.get_collection(gen.name, embedding_function=None).modify(
                        metadata={**gen.metadata, "superseded_at": now}
                    )
            done += [f"ofullständig generation {n}" for n in self._remove_expired()]
            live = {g.name for g in self.generations()}
            for name, _ in self._collection_names():
                owner, dash, _suffix = name[len(self.prefix) :].partition("-")
                if name.startswith(self.prefix) and dash and owner.isdigit() and f"{self.prefix}{owner}" not in live:
                    with contextlib.suppress(Exception):
                        self.client.delete_collection(name)
                    done.append(f"samling {name}")
            for path in stale_entries(self.settings.generations_dir, live):
                shutil.rmtree(path, ignore_errors=True)
                # A cache of a generation another instance removed is routine; a temporary one is debris.
                if is_temporary(path):
                    done.append(f"cache {path.name}")
            legacy = self.settings.user_documents_dir
            if legacy.is_dir():
                for path in legacy.glob(".staging-*"):
                    shutil.rmtree(path, ignore_errors=True)
                    done.append(f"mellanlagring {path.name}")
            segments = remove_orphan_segments(self.settings.chroma_path) if not self.shared else []
        if done or segments:
            log.info("Reparerat: %s", ", ".join(done + [f"segment {s}" for s in segments]))
        return done

    def clear(self) -> None:
        """Remove every generation (used by tests and resets). Call under `write_lock`."""
        for gen in self.generations():
            self._delete_generation(gen.name)


def _cache_of(state: IndexState | None, gen: Generation) -> bool:
    """Whether the derived files were written for this very commit of `gen` (not for an earlier attempt at
    the same generation number, and not by an earlier version without a snapshot)."""
    return (
        state is not None
        and state.fingerprint == gen.metadata.get("fingerprint")
        and state.token == gen.metadata.get("token", "")
    )


def _all_chunks(col) -> list[StoredChunk]:
    chunks = []
    offset = 0
    while True:
        res = col.get(include=["documents", "metadatas"], limit=_GET_BATCH, offset=offset)
        if not res["ids"]:
            break
        chunks += [
            StoredChunk.from_metadata(cid, text, meta)
            for cid, text, meta in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
        ]
        offset += len(res["ids"])
    return sorted(chunks, key=lambda c: (c.doc_id, c.chunk_index))


def _documents_from_chunks(chunks: list[StoredChunk]) -> list[CleanDocument]:
    """Best-effort document texts for generations written before whole documents were stored: each chunk
    is placed at its offsets; whitespace between chunks is not recoverable and becomes spaces."""
    import hashlib

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
