"""A persisted Swedish BM25 index over chunk texts, addressed by chunk id.

bm25s builds and saves the index (ingest). Searching needs only its saved score matrix, so it is read
back with numpy and scored the way bm25s scores: importing bm25s would load scipy, which costs more than
a whole search.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from assistant.store.swedish import index_terms, query_terms

_IDS_FILE = "chunk_ids.json"
# bm25s's file names (bm25s.BM25.save / load_scores).
_DATA, _INDICES, _INDPTR = "data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy"
_VOCAB, _PARAMS = "vocab.index.json", "params.index.json"
# Variants whose scores need nothing beyond the matrix (BM25L and BM25+ add a non-occurrence term).
_MATRIX_ONLY = frozenset({"lucene", "robertson", "atire"})


class Bm25Scores:
    """bm25s's eager score matrix (CSC: one column per term, one row per chunk) and its vocabulary."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, num_docs: int,
                 vocab: dict[str, int], dtype: str, int_dtype: str):
        self.data = data
        self.indices = indices
        self.indptr = indptr
        self.num_docs = num_docs
        self.vocab = vocab
        self.dtype = np.dtype(dtype)
        self.int_dtype = np.dtype(int_dtype)

    @classmethod
    def load(cls, directory: Path) -> Bm25Scores:
        params = json.loads((directory / _PARAMS).read_text(encoding="utf-8"))
        if params.get("method") not in _MATRIX_ONLY:
            raise ValueError(f"BM25-varianten {params.get('method')!r} stöds inte vid sökning")
        vocab = json.loads((directory / _VOCAB).read_text(encoding="utf-8"))
        arrays = [np.load(directory / name) for name in (_DATA, _INDICES, _INDPTR)]
        return cls(*arrays, int(params["num_docs"]), vocab, params["dtype"], params["int_dtype"])

    @classmethod
    def of(cls, model) -> Bm25Scores:
        """The scores of a freshly built `bm25s.BM25`."""
        s = model.scores
        return cls(s["data"], s["indices"], s["indptr"], s["num_docs"], model.vocab_dict, model.dtype, model.int_dtype)

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        """Every chunk's score for `tokens` (each occurrence counts), summed in the order bm25s sums
        (bm25s.BM25.get_scores), so the scores are the same to the last bit."""
        ids = np.asarray([self.vocab[t] for t in tokens if t in self.vocab], dtype=self.int_dtype)
        scores = np.zeros(self.num_docs, dtype=self.dtype)
        for start, end in zip(self.indptr[ids], self.indptr[ids + 1], strict=True):
            np.add.at(scores, self.indices[start:end], self.data[start:end])
        return scores


class Bm25Index:
    def __init__(self, scores: Bm25Scores, ids: list[str], model=None):
        self._scores = scores
        self._model = model  # the bm25s model when built in this process (it saves itself)
        self.ids = ids
        self._position = {cid: n for n, cid in enumerate(ids)}
        self._vocab = scores.vocab

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> Bm25Index:
        import bm25s

        model = bm25s.BM25()
        model.index([index_terms(t) for t in texts], show_progress=False)
        return cls(Bm25Scores.of(model), list(ids), model)

    def save(self, directory: Path) -> None:
        if self._model is None:
            raise RuntimeError("only a BM25 index built in this process can be saved")
        directory.mkdir(parents=True, exist_ok=True)
        self._model.save(str(directory), show_progress=False)
        (directory / _IDS_FILE).write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Bm25Index:
        ids = json.loads((directory / _IDS_FILE).read_text(encoding="utf-8"))
        return cls(Bm25Scores.load(directory), ids)

    def vocabulary(self):
        return self._vocab.keys()

    def document_frequency(self, term: str) -> int | None:
        """How many chunks hold `term` (the length of its posting list); None for a term without one."""
        i = self._vocab.get(term)
        indptr = self._scores.indptr
        return int(indptr[i + 1] - indptr[i]) if i is not None and i + 1 < len(indptr) else None

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Best `n` chunks with a positive score, optionally only among `allowed` chunk ids."""
        if not self.ids:
            return []
        scores = None
        for terms, weight in query_terms(query, known=self._vocab.__contains__):
            tokens = [t for t in terms if t in self._vocab]
            if tokens:
                part = weight * self._scores.get_scores(tokens)
                scores = part if scores is None else scores + part
        if scores is None:
            return []
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            for cid in allowed:
                pos = self._position.get(cid)
                if pos is not None:
                    mask[pos] = True
            scores = np.where(mask, scores, 0.0)
        n = min(n, len(self.ids))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
