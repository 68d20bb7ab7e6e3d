"""Long-lived objects for the Streamlit session: settings, the index and the services built on it.

Cached per index generation, so every session sees a newly ingested document on its next rerun
without reloading the model or reopening Chroma on every click.
"""

from __future__ import annotations

import streamlit as st

from assistant.answers.chain import AnswerService
from assistant.config import Settings, get_settings
from assistant.retrieval import HybridRetriever, build_retriever
from assistant.store.index import ActiveIndex, IndexStore


def settings() -> Settings:
    return get_settings()


def _generation_key(s: Settings) -> str:
    # Asked of the store, not the local cache directory: on a shared Chroma server another instance may
    # have switched generations without this machine's cache knowing.
    return IndexStore(s).active_name() or ""


@st.cache_resource(show_spinner=False)
def _load(data_dir: str, generation: str) -> tuple[ActiveIndex, HybridRetriever, AnswerService]:
    s = settings()
    index = IndexStore(s).require_active()
    retriever = build_retriever(s, index=index)
    return index, retriever, AnswerService(s, retriever=retriever)


def ensure_built() -> None:
    """Build the index on first use, with a progress bar (`make run` normally does this before)."""
    s = settings()
    if _generation_key(s) and IndexStore(s).active() is not None:
        return
    from ingest.pipeline import ensure_index

    with st.status("Bygger sökindexet första gången (ungefär en minut) …", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(stage: str, done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"{stage}: {done} av {total}")

        ensure_index(s, progress=progress)
        status.update(label="Sökindexet är klart.", state="complete", expanded=False)


def index() -> ActiveIndex:
    s = settings()
    return _load(str(s.data_dir), _generation_key(s))[0]


def retriever() -> HybridRetriever:
    s = settings()
    return _load(str(s.data_dir), _generation_key(s))[1]


def answer_service() -> AnswerService:
    s = settings()
    return _load(str(s.data_dir), _generation_key(s))[2]
