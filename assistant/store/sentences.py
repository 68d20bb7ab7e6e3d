"""Sentence-level vectors: every sentence of every chunk is embedded on its own, with its section heading.

Small dense models retrieve better with finer units (Chen et al. 2023, *Dense X Retrieval*): a chunk of
~250 tokens mixes several topics, a sentence usually has one. The same vectors let offline answers pick
the sentences that answer a question, not only the ones that share its words.

A chunk's own vector is the normalised mean of its sentence vectors, so a chunk costs no separate
encoding: indexing embeds each distinct sentence text once (overlapping chunks share sentences), which
costs less than embedding the chunks themselves (benchmarks/README: ingest time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.store.records import StoredChunk
from ingest.sentences import split_sentences

ProgressFn = Callable[[str, int, int], None]
_MIN_CHARS = 3


@dataclass(frozen=True)
class SentenceUnit:
    chunk_id: str
    doc_id: str
    start: int  # offsets in the chunk's text
    end: int
    embed_text: str  # what the model sees: "<section heading>: <sentence>"

    @property
    def sentence_id(self) -> str:
        return f"{self.chunk_id}:{self.start}"

    @property
    def key(self) -> str:
        """Identifies the embedded text, so a vector is reused wherever the same text recurs."""
        return hashlib.sha1(self.embed_text.encode()).hexdigest()[:20]

    def to_metadata(self) -> dict:
        return {"chunk_id": self.chunk_id, "doc_id": self.doc_id, "start": self.start, "end": self.end, "key": self.key}


def sentence_units(chunk: StoredChunk) -> list[SentenceUnit]:
    heading = chunk.section_path[-1] if chunk.section_path else ""
    units = []
    for s in split_sentences(chunk.text):
        if sum(ch.isalnum() for ch in s.text) < _MIN_CHARS:
            continue
        text = f"{heading}: {s.text}" if heading and heading != s.text else s.text
        units.append(SentenceUnit(chunk.chunk_id, chunk.doc_id, s.start, s.end, text))
    return units


@dataclass
class EmbeddedChunks:
    vectors: np.ndarray  # one per chunk, in the order given
    sentences: list[SentenceUnit]
    sentence_vectors: np.ndarray  # one per sentence unit
    encoded: int  # sentence texts that were encoded now (the rest were reused)


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    v = vectors.mean(axis=0)
    n = float(np.linalg.norm(v))
    return (v / n if n else v).astype(np.float32)


def embed_chunks(chunks: list[StoredChunk], known: dict[str, np.ndarray], encode, progress: ProgressFn | None = None) -> EmbeddedChunks:
    """Sentence vectors for `chunks` and chunk vectors from them.

    `known` maps sentence keys to vectors already stored (from the active index); `encode(texts,
    progress)` embeds passages. Texts are encoded shortest first, so batches carry little padding.
    """
    units = [u for c in chunks for u in sentence_units(c)]
    todo = sorted({u.key: u.embed_text for u in units if u.key not in known}.items(), key=lambda kv: len(kv[1]))
    fresh = encode([t for _, t in todo], progress) if todo else np.zeros((0, 0), dtype=np.float32)
    by_key = dict(known)
    by_key.update({k: fresh[i] for i, (k, _) in enumerate(todo)})
    dim = next(iter(by_key.values())).shape[0] if by_key else 0
    sentence_vectors = np.vstack([by_key[u.key] for u in units]).astype(np.float32) if units else np.zeros((0, dim))
    rows: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        rows.setdefault(u.chunk_id, []).append(i)
    vectors = []
    for c in chunks:
        idx = rows.get(c.chunk_id)
        if idx:
            vectors.append(mean_vector(sentence_vectors[idx]))
        else:  # a chunk without a sentence of its own (only punctuation): embed it whole
            vectors.append(np.asarray(encode([c.embedding_text()], None)[0], dtype=np.float32))
    return EmbeddedChunks(np.vstack(vectors).astype(np.float32), units, sentence_vectors, len(todo))
