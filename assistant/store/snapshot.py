"""A generation's chunks and sentence vectors as plain files beside its BM25 index, so that a search needs
neither Chroma nor its client library (whose import alone took longer than the whole answer).

- `chunks.jsonl`: every chunk as stored, one per line, in the canonical order (document id, chunk index);
- `sentence_vectors.npy`: the sentence vectors exactly as Chroma returns them (it adjusts what it is
  given in the last bits, so they are read back after writing);
- `sentence_spans.npy`: for each vector, the chunk's position in that order and the sentence's offsets.

Written in the same private directory as the rest of the generation's derived files (local_cache.py):
they appear together with its state file or not at all. Dense search over them is exact: every sentence
is scored (index.py says why).

Each file is read into memory on first use, not memory-mapped: a search scores every vector anyway, and a
long-running reader (the web app) would otherwise keep the files of removed generations on disk. A reader
that has read a file keeps answering from it after its generation was removed (a search that started
finishes); one that had not gets IndexChangedError from the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.store.records import StoredChunk

CHUNKS_FILE = "chunks.jsonl"
VECTORS_FILE = "sentence_vectors.npy"
SPANS_FILE = "sentence_spans.npy"
FILES = (CHUNKS_FILE, VECTORS_FILE, SPANS_FILE)


@dataclass(frozen=True)
class SentenceRecord:
    chunk_id: str
    start: int
    end: int
    vector: np.ndarray


def canonical(chunks: Iterable[StoredChunk]) -> list[StoredChunk]:
    """The order every derived file uses, whoever writes it: BM25 ties then break the same way."""
    return sorted(chunks, key=lambda c: (c.doc_id, c.chunk_index))


def write_snapshot(directory: Path, chunks: Sequence[StoredChunk], sentences: Sequence[SentenceRecord]) -> None:
    """`chunks` in canonical order; `sentences` in any order (they are sorted here)."""
    position = {c.chunk_id: n for n, c in enumerate(chunks)}
    with (directory / CHUNKS_FILE).open("w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(c.model_dump_json() + "\n")
    rows = sorted((position[s.chunk_id], s.start, s.end, n) for n, s in enumerate(sentences) if s.chunk_id in position)
    dim = len(sentences[0].vector) if sentences else 0
    vectors = np.zeros((len(rows), dim), dtype=np.float32)
    for i, (*_, n) in enumerate(rows):
        vectors[i] = sentences[n].vector
    np.save(directory / VECTORS_FILE, vectors)
    np.save(directory / SPANS_FILE, np.asarray([r[:3] for r in rows], dtype=np.int64).reshape(len(rows), 3))


class Snapshot:
    """Read access to one generation's snapshot; each file is read on first use."""

    def __init__(self, directory: Path, chunk_ids: list[str]):
        self.directory = directory
        self.chunk_ids = chunk_ids  # canonical order, from the generation's state
        self._position = {cid: n for n, cid in enumerate(chunk_ids)}
        self._lines: list[str] | None = None
        self._vectors: np.ndarray | None = None
        self._spans: np.ndarray | None = None
        self._rows_of: dict[int, range] | None = None
        self._id_rank: np.ndarray | None = None

    # ---- chunks --------------------------------------------------------------------------------------

    def get_chunks(self, ids: Sequence[str]) -> dict[str, StoredChunk]:
        if self._lines is None:
            lines = (self.directory / CHUNKS_FILE).read_text(encoding="utf-8").splitlines()
            if len(lines) != len(self.chunk_ids):
                raise ValueError(f"{CHUNKS_FILE} har {len(lines)} rader, väntade {len(self.chunk_ids)}")
            self._lines = lines
        found = {}
        for cid in ids:
            pos = self._position.get(cid)
            if pos is not None:
                found[cid] = StoredChunk.model_validate_json(self._lines[pos])
        return found

    # ---- sentence vectors ----------------------------------------------------------------------------

    def _load_sentences(self) -> tuple[np.ndarray, np.ndarray]:
        if self._vectors is None or self._spans is None:
            spans = np.load(self.directory / SPANS_FILE)
            vectors = np.load(self.directory / VECTORS_FILE)
            vectors.flags.writeable = False  # rows are handed out as views
            if len(spans) != len(vectors):
                raise ValueError(f"{SPANS_FILE} och {VECTORS_FILE} har olika många rader")
            self._spans, self._vectors = spans, vectors
        return self._vectors, self._spans

    def _rows(self) -> dict[int, range]:
        """Each chunk position's rows (rows are sorted by chunk position, then offset)."""
        if self._rows_of is None:
            positions = self._load_sentences()[1][:, 0]
            bounds = np.flatnonzero(np.diff(positions)) + 1
            starts = np.concatenate(([0], bounds)).astype(int)
            ends = np.concatenate((bounds, [len(positions)])).astype(int)
            self._rows_of = {int(positions[s]): range(s, e) for s, e in zip(starts, ends, strict=True)} if len(positions) else {}
        return self._rows_of

    def sentence_search(self, vector: np.ndarray, n: int, chunk_ids: Sequence[str] | None = None
                        ) -> list[tuple[str, int, int, float]]:
        """The best `n` sentences as (chunk_id, start, end, cosine), best first, ties by chunk id and
        offsets (the same order in every process), optionally only among the sentences of `chunk_ids`."""
        vectors, spans = self._load_sentences()
        if not len(spans) or n <= 0:
            return []
        # Every sentence is scored the same way, filtered or not: the whole matrix times the question.
        cos = vectors @ np.asarray(vector, dtype=np.float32)
        if chunk_ids is None:
            rows = np.arange(len(spans))
        else:
            rows_of = self._rows()
            picked = [rows_of[p] for p in sorted({self._position[c] for c in chunk_ids if c in self._position}) if p in rows_of]
            if not picked:
                return []
            rows = np.concatenate([np.arange(r.start, r.stop) for r in picked])
        sub = spans[rows]
        order = rows[np.lexsort((sub[:, 2], sub[:, 1], self._id_order()[sub[:, 0]], -cos[rows]))[:n]]
        return [(self.chunk_ids[int(spans[i, 0])], int(spans[i, 1]), int(spans[i, 2]), float(cos[i])) for i in order]

    def _id_order(self) -> np.ndarray:
        """For each chunk position, the rank of its chunk id in sorted order."""
        if self._id_rank is None:
            rank = np.empty(len(self.chunk_ids), dtype=np.int64)
            rank[sorted(range(len(self.chunk_ids)), key=self.chunk_ids.__getitem__)] = np.arange(len(self.chunk_ids))
            self._id_rank = rank
        return self._id_rank

    def sentence_vectors(self, chunk_ids: Sequence[str]) -> dict[str, list[tuple[int, int, np.ndarray]]]:
        """Each chunk's sentences as (start, end, vector), in text order."""
        vectors, spans = self._load_sentences()
        rows_of = self._rows()
        out: dict[str, list[tuple[int, int, np.ndarray]]] = {}
        for cid in dict.fromkeys(chunk_ids):
            rows = rows_of.get(self._position.get(cid, -1))
            if rows:
                out[cid] = [(int(spans[r, 1]), int(spans[r, 2]), vectors[r]) for r in rows]
        return out


def sentence_records(metadatas: Sequence[dict], embeddings: Sequence) -> list[SentenceRecord]:
    """Records of Chroma's sentence collection (see assistant/store/sentences.py for the metadata)."""
    return [
        SentenceRecord(m["chunk_id"], int(m["start"]), int(m["end"]), np.asarray(v, dtype=np.float32))
        for m, v in zip(metadatas, embeddings, strict=True)
    ]

