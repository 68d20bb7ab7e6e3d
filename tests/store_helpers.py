"""Helpers for the library and store tests: a one-document corpus, real embeddings computed once per
text and process, and a check that the whole chain (ingest, search, ask, remove) still works."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.config import REPO_ROOT, Settings
from assistant.embeddings import KategoriEmbeddings
from assistant.store.chroma_files import orphan_segment_dirs
from assistant.store.index import ActiveIndex, IndexStore, sentence_collection_name
from assistant.store.records import StoredChunk

TINY_DOC = "pressmeddelande-kategoristyrning"
QUESTION = "Vad är kategoristyrning?"
_VECTORS: dict[tuple[str, str, bool], np.ndarray] = {}


class SimulatedCrash(BaseException):  # noqa: N818 - a crash, not an error anyone handles
    """Raised at a fault point: like a killed process, nothing after it runs and no clean-up happens
    (BaseException passes every `except Exception`)."""


@pytest.fixture
def memo_embeddings(monkeypatch):
    """The real model, but each distinct text is embedded once per test session: fault-injection tests
    write the same few documents dozens of times."""
    encode = KategoriEmbeddings.embed_passages
    query = KategoriEmbeddings.embed_query_vector

    def passages(self, texts, progress=None):
        missing = list(dict.fromkeys(t for t in texts if (self.model_key, t, False) not in _VECTORS))
        if missing:
            for text, vec in zip(missing, encode(self, missing), strict=True):
                _VECTORS[(self.model_key, text, False)] = vec
        if progress:
            progress(len(texts), len(texts))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([_VECTORS[(self.model_key, t, False)] for t in texts])

    def query_vector(self, text):
        key = (self.model_key, text, True)
        if key not in _VECTORS:
            _VECTORS[key] = query(self, text)
        return _VECTORS[key]

    monkeypatch.setattr(KategoriEmbeddings, "embed_passages", passages)
    monkeypatch.setattr(KategoriEmbeddings, "embed_query_vector", query_vector)


def tiny_corpus(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for suffix in (".txt", ".yaml"):
        shutil.copy(REPO_ROOT / "corpus" / f"{TINY_DOC}{suffix}", directory / f"{TINY_DOC}{suffix}")
    return directory


@pytest.fixture
def tiny_settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=tiny_corpus(tmp_path / "corpus"))


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def assert_snapshot_agrees_with_chroma(settings: Settings, active: ActiveIndex) -> None:
    """The generation's derived chunks and sentence vectors, which searches read, are exactly what Chroma
    holds for it: the same chunks field by field, the same sentences and vectors bit by bit."""
    client = IndexStore(settings).client
    res = client.get_collection(active.name, embedding_function=None).get(include=["documents", "metadatas"])
    stored = {cid: StoredChunk.from_metadata(cid, t, m) for cid, t, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)}
    assert sorted(stored) == sorted(active.chunk_ids())
    assert active.get_chunks(active.chunk_ids()) == [stored[cid] for cid in active.chunk_ids()]
    res = client.get_collection(sentence_collection_name(active.name), embedding_function=None).get(
        include=["embeddings", "metadatas"])
    want = {(m["chunk_id"], m["start"], m["end"]): np.asarray(v, dtype=np.float32)
            for m, v in zip(res["metadatas"], res["embeddings"], strict=True)}
    got = {(cid, start, end): vec for cid, items in active.sentence_vectors(active.chunk_ids()).items()
           for start, end, vec in items}
    assert got.keys() == want.keys() and want
    assert all(np.array_equal(got[k], want[k]) for k in want)


def library(settings: Settings) -> dict[str, tuple[str, str]]:
    """doc_id → (title, text hash) of every document in the active generation, after checking that the
    generation is whole: each document has chunks, each chunk's text stands at its offsets, and the files
    searches read agree with Chroma."""
    active = IndexStore(settings).require_active()
    assert_snapshot_agrees_with_chroma(settings, active)
    docs = active.documents()
    assert set(docs) == set(active.doc_ids)
    for doc_id, doc in docs.items():
        chunks = active.chunks_of(doc_id)
        assert chunks, doc_id
        for c in chunks:
            assert doc.text[c.char_start : c.char_end] == c.text
            assert c.doc_title == doc.manifest.title and c.publisher == doc.manifest.publisher
    return {d: (doc.manifest.title, doc.content_sha256) for d, doc in docs.items()}


def debris(settings: Settings) -> list[str]:
    """What an interrupted write may leave behind; empty after a repair."""
    store = IndexStore(settings)
    gens = store.generations()
    live = {g.name for g in gens}
    found = [f"incomplete {g.name}" for g in gens if not g.complete]
    for col in store.client.list_collections():
        owner = col.name.rsplit("-", 1)[0]
        if col.name.startswith(store.prefix) and col.name not in live and owner not in live:
            found.append(f"orphan collection {col.name}")
    if settings.generations_dir.is_dir():
        found += [f"cache {p.name}" for p in settings.generations_dir.iterdir() if p.name not in live]
    if not settings.chroma_host:
        found += [f"segment {p.name}" for p in orphan_segment_dirs(settings.chroma_path)]
    if settings.user_documents_dir.is_dir():
        found += [f"staging {p.name}" for p in settings.user_documents_dir.glob(".staging-*")]
    return found


def assert_everything_works(settings: Settings, tmp_path: Path, search_terms: dict[str, str]) -> None:
    """ingest, search, ask and remove all work, and every document in `search_terms` is found by its term."""
    from assistant.answers.chain import AnswerService
    from assistant.retrieval import build_retriever
    from ingest.library import add_paths, remove_document
    from ingest.pipeline import sync_index

    sync_index(settings)
    retriever = build_retriever(settings)
    for doc_id, term in search_terms.items():
        assert doc_id in {h.chunk.doc_id for h in retriever.search(term, k=5)}, (doc_id, term)
    answer = AnswerService(settings, retriever=retriever).answer(QUESTION, offline=True)
    assert answer.answered and answer.citations and all(c.verified for c in answer.citations)
    probe = write_text(tmp_path / "Prov.txt", "Om provet\n\nEtt prov av inläsningen efter ett avbrott: blåbärssoppa.\n")
    added = add_paths(settings, [probe])
    assert [f.status for f in added.files] == ["added"], added
    assert "prov" in library(settings)
    remove_document(settings, "prov")
    assert "prov" not in library(settings)
