"""The LangChain retriever over the hybrid search (assistant/search.py): what the agent, the model-backed
answers and any LangChain pipeline use. It adds LangChain's interface (`invoke` → Documents) and nothing
else, so every path ranks passages the same way."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.config import Settings
from assistant.search import HybridSearch, Mode, ScoredChunk, build_search
from assistant.store.index import ActiveIndex

__all__ = ["HybridRetriever", "ScoredChunk", "build_retriever", "to_document"]


def to_document(hit: ScoredChunk) -> Document:
    meta = hit.chunk.to_metadata()
    meta.update(
        chunk_id=hit.chunk.chunk_id,
        section_path=hit.chunk.section_path,
        rank=hit.rank,
        score=hit.score,
        bm25_score=hit.bm25_score,
        bm25_rank=hit.bm25_rank,
        dense_score=hit.dense_score,
        dense_rank=hit.dense_rank,
        fused_score=hit.fused_score,
        fused_rank=hit.fused_rank,
    )
    return Document(page_content=hit.chunk.text, metadata=meta, id=hit.chunk.chunk_id)


class HybridRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    core: HybridSearch

    @property
    def index(self) -> ActiveIndex:
        return self.core.index

    @property
    def mode(self) -> Mode:
        return self.core.mode

    def search(
        self, query: str, k: int | None = None, doc_ids: list[str] | None = None,
        question: str | None = None, topic: str | None = None, rerank: bool = True,
    ) -> list[ScoredChunk]:
        return self.core.search(query, k=k, doc_ids=doc_ids, question=question, topic=topic, rerank=rerank)

    def query_vector(self, text: str):
        return self.core.query_vector(text)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(hit) for hit in self.core.search(query)]


def build_retriever(
    settings: Settings, mode: Mode = "hybrid", k: int | None = None, index: ActiveIndex | None = None
) -> HybridRetriever:
    """A LangChain retriever over the active index, building the index first if there is none yet."""
    return HybridRetriever(core=build_search(settings, mode=mode, k=k, index=index))
