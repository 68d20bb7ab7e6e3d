"""Answer-aware reranking: the first passages of the hybrid ranking are reordered by how well their best
sentence answers the question, scored as the offline answer scores it (assistant/answers/extractive.py:
the question's words weighted by rarity, compound parts and synonyms, word pairs, the e5 similarity of the
sentence, the section heading, and what the question asks for: a figure, a list, a definition …).

BM25 and dense e5 each score a passage as a whole against the question's words or meaning. A paraphrased
question (»Vad kostar det att driva en inköpscentral per år?«) often finds the passage that answers it at
rank 6–15, below passages that share more of its words but answer something else; the sentence-level
evidence tells them apart. The fused rank still counts: a passage's new score is 1/(rank_k + rank) plus
`weight` times its best sentence's score relative to the best passage's. Chosen on all question sets together
(benchmarks/README.md): depth 20, rank_k 10, weight 0.15.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from assistant.search import ScoredChunk
    from assistant.store.index import ActiveIndex


@dataclass
class AnswerAwareReranker:
    depth: int = 20
    rank_k: float = 10.0
    weight: float = 0.15

    def rerank(
        self,
        index: ActiveIndex,
        question: str,
        hits: list[ScoredChunk],
        query_vector: np.ndarray,
        embed: Callable[[str], np.ndarray],
        topic: str | None = None,
    ) -> list[ScoredChunk]:
        """`hits` in their new order, ranks renumbered; hits beyond `depth` keep their order after them."""
        from assistant.answers.extractive import Idf, score_units, sentence_vectors_of, units_of
        from assistant.answers.models import Passage
        from assistant.answers.question import analyse, split_context

        head, tail = hits[: self.depth], hits[self.depth :]
        if len(head) < 2:
            return hits
        passages = [Passage(n=i, chunk=h.chunk, score=h.score) for i, h in enumerate(head, 1)]
        units = [u for p in passages for u in units_of(p, pointers_inside=False)]
        if not units:
            return hits
        # What the asker tells of themselves (»Vi är en liten kommun …«) helps, the question decides.
        own = split_context(question)
        analysis = analyse(own.question).told(own.context)
        part_vectors = [embed(p.text) for p in analysis.parts] if analysis.multi_part else [query_vector]
        # Idf only points at the index's BM25 postings (loaded once per index): nothing to keep between calls.
        scored = score_units(
            analysis, units, Idf(index), part_vectors, sentence_vectors_of(index, passages), topic, by_rank=False
        )
        best: dict[int, float] = {}
        for s in scored:
            n = s.unit.passage.n
            best[n] = max(best.get(n, s.score), s.score)
        top = max(best.values())
        if top <= 0:
            return hits
        new = {i: 1.0 / (self.rank_k + i) + self.weight * best.get(i, 0.0) / top for i in range(1, len(head) + 1)}
        order = sorted(new, key=lambda i: (-new[i], i))
        # Passages past the depth keep their place after the reranked ones, scored no higher than those.
        floor = min(new.values())
        ranked = [head[i - 1].model_copy(update={"score": new[i], "fused_score": head[i - 1].score, "fused_rank": i}) for i in order]
        ranked += [
            h.model_copy(update={"score": min(h.score, floor), "fused_score": h.score, "fused_rank": h.rank}) for h in tail
        ]
        return [h.model_copy(update={"rank": r}) for r, h in enumerate(ranked, 1)]
