"""The active index for a reader, built from the corpus first if there is none yet, and brought up to date
when the shipped corpus has changed since it was built.

A module of its own so that readers (`kategori ask`, search, the web app) do not import the ingest
pipeline (loaders, chunking, embedding of new text) just to learn that the index exists and is current.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from assistant.config import Settings
from assistant.store.index import ActiveIndex, IndexStore, ProgressFn

# Remembers which corpus files the active generation was last found to match, so a reader pays for a
# file hash (about a millisecond), not for re-reading the corpus, on every start.
SEED_CHECK_FILE = "seed_check.json"


def ensure_index(settings: Settings, progress: ProgressFn | None = None, store: IndexStore | None = None) -> ActiveIndex:
    """The active index, built from the corpus first if there is none yet.

    After an upgrade the shipped corpus may differ from what the index holds (a new short title, a
    corrected text): without this check answers would keep citing the old version until someone ran
    `kategori ingest`. The update re-uses every unchanged embedding, so it takes seconds."""
    store = store or IndexStore(settings)
    active = store.active()
    if active is None:
        from ingest.pipeline import sync_index

        sync_index(settings, progress=progress, store=store)
        active = store.require_active()
        _remember(settings, active)
        return active
    corpus_hash = corpus_files_hash(settings.corpus_dir)
    if _remembered(settings) == {"corpus": corpus_hash, "token": active.state.token, "generation": active.state.generation}:
        return active
    if _seed_current(settings, active):
        _remember(settings, active, corpus_hash)
        return active
    from assistant.errors import InputError
    from ingest.pipeline import sync_index

    try:
        sync_index(settings, progress=progress, store=store)
    except (InputError, OSError):
        # A reader still answers from the index it has; `kategori ingest` names the problem.
        return active
    active = store.require_active()
    _remember(settings, active, corpus_hash)
    return active


def corpus_files_hash(corpus_dir: Path) -> str:
    digest = hashlib.sha256()
    if corpus_dir.is_dir():
        for path in sorted(p for p in corpus_dir.iterdir() if p.is_file()):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def _seed_current(settings: Settings, active: ActiveIndex) -> bool:
    """Whether every seed document is in the index in its present version (manifest and cleaned text)."""
    from assistant.errors import InputError
    from assistant.store.local_cache import document_version
    from ingest.pipeline import clean_all, seed_sources

    try:
        seeds = clean_all(seed_sources(settings))
    except (InputError, OSError):
        return True  # nothing better to offer a reader; `kategori ingest` reports the broken source
    stored = active.state.document_versions
    return all(stored.get(d.manifest.doc_id) == document_version(d) for d in seeds)


def _remembered(settings: Settings) -> dict | None:
    try:
        return json.loads((settings.data_dir / SEED_CHECK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _remember(settings: Settings, active: ActiveIndex, corpus_hash: str | None = None) -> None:
    record = {
        "corpus": corpus_hash or corpus_files_hash(settings.corpus_dir),
        "token": active.state.token,
        "generation": active.state.generation,
    }
    path = settings.data_dir / SEED_CHECK_FILE
    try:
        tmp = path.with_name(f".{SEED_CHECK_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only data directory: the check is simply repeated next time
