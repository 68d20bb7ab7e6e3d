"""The active index for a reader, building it from the corpus first if there is none yet.

A module of its own so that readers (`kategori ask`, search, the web app) do not import the ingest
pipeline (loaders, chunking, embedding of new text) just to learn that the index exists.
"""

from __future__ import annotations

from assistant.config import Settings
from assistant.store.index import ActiveIndex, IndexStore, ProgressFn


def ensure_index(settings: Settings, progress: ProgressFn | None = None, store: IndexStore | None = None) -> ActiveIndex:
    """The active index, built from the corpus first if there is none yet."""
    store = store or IndexStore(settings)
    active = store.active()
    if active is None:
        from ingest.pipeline import sync_index

        sync_index(settings, progress=progress, store=store)
        active = store.require_active()
    return active
