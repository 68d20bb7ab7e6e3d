"""Hybrid search: Swedish BM25 and dense e5 search, fused. The plain core of the LangChain retriever
(assistant/retrieval.py): offline answers call it directly, without importing LangChain.

Dense scores are sentence-level: a chunk's score is the cosine of its best-matching sentence (each
sentence is embedded with its section heading, see assistant/store/sentences.py). A paraphrased question
usually matches one sentence of a passage well and the passage as a whole only loosely.

Fusion `convex` (default): every candidate either method finds gets both scores (the sentence cosines
are computed exactly for BM25-only candidates), each normalised within the query (BM25 by its best
score, cosine min–max), and the two are combined with weights weight_bm25 : weight_dense. Fusion `rrf`:
weighted reciprocal rank fusion over the two candidate lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel

from assistant.config import Settings
from assistant.embeddings import KategoriEmbeddings, get_embeddings
from assistant.errors import InputError
from assistant.rerank import AnswerAwareReranker
from assistant.store.index import ActiveIndex, IndexStore
from assistant.store.records import StoredChunk

Mode = Literal["hybrid", "bm25", "dense"]


class ScoredChunk(BaseModel):
    chunk: StoredChunk
    rank: int
    score: float  # what the results are ordered by: the reranked, else the fused, else the single method's score
    bm25_score: float | None = None
    bm25_rank: int | None = None
    dense_score: float | None = None
    dense_rank: int | None = None
    fused_score: float | None = None  # before answer-aware reranking (assistant/rerank.py), hybrid mode only
    fused_rank: int | None = None  # … and the rank it had then


@dataclass
class HybridSearch:
    index: ActiveIndex
    embeddings: KategoriEmbeddings
    mode: Mode = "hybrid"
    fusion: Literal["convex", "rrf"] = "convex"
    k: int = 5
    candidates: int = 50
    rrf_k: int = 60
    weight_bm25: float = 0.8
    weight_dense: float = 0.2
    doc_ids: list[str] | None = None
    sentence_candidates: int = 200
    reranker: AnswerAwareReranker | None = None  # hybrid mode only: the single methods stay baselines
    _vectors: dict = field(default_factory=dict, repr=False)

    def query_vector(self, text: str) -> np.ndarray:
        """The query's embedding; remembered, since the answer step scores sentences with it too."""
        vector = self._vectors.get(text)
        if vector is None:
            if len(self._vectors) > 256:
                self._vectors.clear()
            vector = self._vectors[text] = self.embeddings.embed_query_vector(text)
        return vector

    def search(
        self,
        query: str,
        k: int | None = None,
        doc_ids: list[str] | None = None,
        question: str | None = None,
        topic: str | None = None,
        rerank: bool = True,
    ) -> list[ScoredChunk]:
        """The k best passages for `query`. The reranker judges the passages' sentences against `question`
        (default: the query) and, for a follow-up, its `topic` (assistant/answers/conversation.py)."""
        query = query.strip()
        if not query:
            raise InputError("Frågan är tom.")
        k = k or self.k
        doc_ids = doc_ids if doc_ids is not None else self.doc_ids
        if doc_ids is not None:
            unknown = sorted(set(doc_ids) - set(self.index.doc_ids))
            if unknown:
                raise InputError(f"Okänt dokument-id: {', '.join(unknown)}. Finns: {', '.join(self.index.doc_ids)}.")
        rerank = rerank and self.reranker is not None and self.mode == "hybrid"
        n = max(self.candidates, k)
        bm25 = self.index.bm25_search(query, n, doc_ids) if self.mode != "dense" else []
        dense: list[tuple[str, float]] = []
        cosines: dict[str, float] = {}
        if self.mode != "bm25":
            vector = self.query_vector(query)
            dense = self._dense(vector, n, doc_ids)
            cosines = dict(dense)
            if self.mode == "hybrid" and self.fusion == "convex":
                missing = [cid for cid, _ in bm25 if cid not in cosines]
                for cid, sentences in self.index.sentence_vectors(missing).items():
                    cosines[cid] = max(float(vec @ vector) for _, _, vec in sentences)
        ranked = self._fuse(bm25, dense, cosines)[: max(k, self.reranker.depth) if rerank else k]
        chunks = {c.chunk_id: c for c in self.index.get_chunks([cid for cid, _ in ranked])}
        b = {cid: (r, s) for r, (cid, s) in enumerate(bm25, 1)}
        d = {cid: r for r, (cid, _) in enumerate(dense, 1)}
        hits = [
            ScoredChunk(
                chunk=chunks[cid],
                rank=rank,
                score=score,
                bm25_rank=b.get(cid, (None, None))[0],
                bm25_score=b.get(cid, (None, None))[1],
                dense_rank=d.get(cid),
                dense_score=cosines.get(cid),
            )
            for rank, (cid, score) in enumerate(ranked, 1)
            if cid in chunks
        ]
        if rerank:
            hits = self.reranker.rerank(self.index, question or query, hits, vector, self.query_vector, topic)
        return hits[:k]

    def _dense(self, vector: np.ndarray, n: int, doc_ids: list[str] | None) -> list[tuple[str, float]]:
        """Chunks by their best sentence's cosine."""
        best: dict[str, float] = {}
        for cid, _, _, cos in self.index.sentence_search(vector, max(self.sentence_candidates, n), doc_ids):
            if cos > best.get(cid, -2.0):
                best[cid] = cos
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:n]

    def _fuse(
        self, bm25: list[tuple[str, float]], dense: list[tuple[str, float]], cosines: dict[str, float]
    ) -> list[tuple[str, float]]:
        if self.mode == "bm25":
            return bm25
        if self.mode == "dense":
            return dense
        fused: dict[str, float] = {}
        if self.fusion == "rrf":
            for weight, results in ((self.weight_bm25, bm25), (self.weight_dense, dense)):
                for rank, (cid, _) in enumerate(results, 1):
                    fused[cid] = fused.get(cid, 0.0) + weight / (self.rrf_k + rank)
        else:
            total = self.weight_bm25 + self.weight_dense
            best_bm25 = bm25[0][1] if bm25 else 1.0
            lo = min(cosines.values(), default=0.0)
            span = (max(cosines.values(), default=1.0) - lo) or 1.0
            bm25_scores = dict(bm25)
            for cid in bm25_scores.keys() | cosines.keys():
                fused[cid] = (
                    self.weight_bm25 * bm25_scores.get(cid, 0.0) / best_bm25
                    + self.weight_dense * (cosines.get(cid, lo) - lo) / span
                ) / total
        # Ties (equal fused score) are broken by chunk id so results are deterministic.
        return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def build_search(
    settings: Settings, mode: Mode = "hybrid", k: int | None = None, index: ActiveIndex | None = None
) -> HybridSearch:
    """Search over the active index, building the index first if there is none yet."""
    from ingest.ensure import ensure_index

    embeddings = get_embeddings(settings)
    if index is None:
        ensure_index(settings)
        index = IndexStore(settings).require_active(embeddings.model_key)
    return HybridSearch(
        index=index,
        embeddings=embeddings,
        mode=mode,
        k=k or settings.k,
        candidates=settings.candidates,
        fusion=settings.fusion,
        rrf_k=settings.rrf_k,
        weight_bm25=settings.weight_bm25,
        weight_dense=settings.weight_dense,
        reranker=(
            AnswerAwareReranker(settings.rerank_depth, settings.rerank_rank_k, settings.rerank_weight)
            if settings.rerank
            else None
        ),
    )
