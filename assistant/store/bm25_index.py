"""A persisted Swedish BM25 index over chunk texts, addressed by chunk id."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np

from assistant.store.swedish import index_terms, query_terms

_IDS_FILE = "chunk_ids.json"


class Bm25Index:
    def __init__(self, model: bm25s.BM25, ids: list[str]):
        self._model = model
        self.ids = ids
        self._position = {cid: n for n, cid in enumerate(ids)}
        self._vocab = model.vocab_dict

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> Bm25Index:
        model = bm25s.BM25()
        model.index([index_terms(t) for t in texts], show_progress=False)
        return cls(model, list(ids))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._model.save(str(directory), show_progress=False)
        (directory / _IDS_FILE).write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Bm25Index:
        model = bm25s.BM25.load(str(directory), show_progress=False)
        ids = json.loads((directory / _IDS_FILE).read_text(encoding="utf-8"))
        return cls(model, ids)

    def vocabulary(self):
        return self._vocab.keys()

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Best `n` chunks with a positive score, optionally only among `allowed` chunk ids."""
        if not self.ids:
            return []
        scores = None
        for terms, weight in query_terms(query):
            tokens = [t for t in terms if t in self._vocab]
            if tokens:
                part = weight * self._model.get_scores(tokens)
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
