"""Ingestion end to end: source files → cleaned documents → chunks → embeddings → a new index generation.

The index always mirrors a declared set of documents (the seed corpus plus the user's documents).
Everything is read and validated before the store is touched; chunks whose id is unchanged keep their
stored embedding, so re-ingesting unchanged documents writes nothing and a changed document costs only
its own new chunks.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from assistant.config import Settings
from assistant.embeddings import KategoriEmbeddings, get_embeddings
from assistant.errors import InputError
from assistant.store.index import ActiveIndex, IndexStore, document_version
from assistant.store.records import StoredChunk
from assistant.store.sentences import EmbeddedChunks, embed_chunks
from ingest.chunking import chunk_document
from ingest.documents import (
    MANIFEST_SUFFIX,
    SourceDocument,
    clean_document,
    documents_in,
    user_manifest,
    write_manifest,
)
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.models import CleanDocument

ProgressFn = Callable[[str, int, int], None]


class IngestReport(BaseModel):
    changed: bool
    generation: int | None
    documents: int
    chunks: int
    embedded: int
    reused: int
    added: list[str]
    replaced: list[str]
    removed: list[str]
    unchanged: list[str]
    seconds: float


def seed_sources(settings: Settings) -> list[SourceDocument]:
    return documents_in(settings.corpus_dir)


def user_sources(settings: Settings) -> list[SourceDocument]:
    return documents_in(settings.user_documents_dir)


def all_sources(settings: Settings) -> list[SourceDocument]:
    return seed_sources(settings) + user_sources(settings)


def prepare(sources: list[SourceDocument], settings: Settings) -> tuple[list[CleanDocument], list[StoredChunk]]:
    """Read, clean and chunk every source; all problems are reported together, before any writing."""
    errors, docs, chunks = [], [], []
    for src in sources:
        try:
            doc = clean_document(src)
        except InputError as err:
            errors.append(str(err))
            continue
        docs.append(doc)
        chunks += [
            StoredChunk.from_chunk(c, src.manifest)
            for c in chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
        ]
    if errors:
        raise InputError(_list_problems(errors))
    return docs, chunks


def sync_index(
    settings: Settings,
    sources: list[SourceDocument] | None = None,
    *,
    rebuild: bool = False,
    progress: ProgressFn | None = None,
    store: IndexStore | None = None,
    embeddings: KategoriEmbeddings | None = None,
) -> IngestReport:
    """Make the index hold exactly `sources` (default: seed corpus + user documents)."""
    started = time.perf_counter()
    store = store or IndexStore(settings)
    with store.write_lock():
        sources = all_sources(settings) if sources is None else sources
        if not sources:
            raise InputError("Det finns inga dokument att indexera.")
        docs, chunks = prepare(sources, settings)
        embeddings = embeddings or get_embeddings(settings)
        active = store.active()
        old = active.state.chunks_by_doc if active else {}
        old_versions = active.state.document_versions if active else {}
        versions = {d.manifest.doc_id: document_version(d) for d in docs}
        new: dict[str, list[str]] = {}
        for c in chunks:
            new.setdefault(c.doc_id, []).append(c.chunk_id)
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        replaced = sorted(
            d for d in set(new) & set(old) if sorted(new[d]) != sorted(old[d]) or versions[d] != old_versions.get(d)
        )
        unchanged = sorted(d for d in set(new) & set(old) if d not in replaced)
        same_model = active is not None and active.embedding_model == embeddings.model_key
        if not rebuild and same_model and not (added or removed or replaced):
            return IngestReport(
                changed=False, generation=active.state.generation, documents=len(docs), chunks=len(chunks),
                embedded=0, reused=len(chunks), added=[], replaced=[], removed=[], unchanged=unchanged,
                seconds=time.perf_counter() - started,
            )  # fmt: skip
        reuse_from = active if (same_model and not rebuild) else None
        result = _vectors(chunks, reuse_from, embeddings, progress)
        state = store.commit(
            chunks, result.vectors, docs, embeddings.model_key, progress, result.sentences, result.sentence_vectors
        )
        stored = set(reuse_from.chunk_ids()) if reuse_from else set()
        embedded = sum(1 for c in chunks if c.chunk_id not in stored)
        return IngestReport(
            changed=True, generation=state.generation, documents=len(docs), chunks=len(chunks),
            embedded=embedded, reused=len(chunks) - embedded, added=added, replaced=replaced,
            removed=removed, unchanged=unchanged, seconds=time.perf_counter() - started,
        )  # fmt: skip


def _vectors(chunks, active: ActiveIndex | None, embeddings: KategoriEmbeddings, progress) -> EmbeddedChunks:
    """Sentence and chunk vectors; sentences already embedded in the active index are reused."""
    stored = set(active.chunk_ids()) if active else set()
    known = active.sentence_vectors_by_key([c.chunk_id for c in chunks if c.chunk_id in stored]) if active else {}

    def encode(texts, report):
        return embeddings.embed_passages(
            texts, progress=(lambda done, total: report("Beräknar embeddings", done, total)) if report else None
        )

    return embed_chunks(chunks, known, encode, progress)


def ensure_index(settings: Settings, progress: ProgressFn | None = None, store: IndexStore | None = None) -> ActiveIndex:
    """The active index, built from the corpus first if there is none yet."""
    store = store or IndexStore(settings)
    active = store.active()
    if active is None:
        sync_index(settings, progress=progress, store=store)
        active = store.active()
        assert active is not None
    return active


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files to add: each given file, and every supported file under each given directory."""
    files: list[Path] = []
    errors = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                errors.append(f"{path}: katalogen innehåller inga filer som stöds ({', '.join(sorted(SUPPORTED_SUFFIXES))}).")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"{path}: filen eller katalogen finns inte.")
    if errors:
        raise InputError(_list_problems(errors))
    return files


def add_user_documents(
    settings: Settings,
    paths: list[Path],
    progress: ProgressFn | None = None,
    store: IndexStore | None = None,
) -> IngestReport:
    """Add (or replace, by file name) user documents and index them.

    The files are copied into the data directory only after the new index generation is committed,
    so a refused file leaves both the index and the document library as they were.
    """
    files = expand_paths(paths)
    seeds = seed_sources(settings)
    existing = {s.doc_id: s for s in user_sources(settings)}
    reserved = {s.doc_id for s in seeds}
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=_ensure_dir(settings.user_documents_dir)))
    try:
        staged: dict[str, SourceDocument] = {}
        errors = []
        for path in files:
            try:
                manifest = user_manifest(path, reserved)
            except InputError as err:
                errors.append(str(err))
                continue
            if manifest.doc_id in staged:
                errors.append(f"{path.name}: har samma namn som en annan fil i samma körning ({manifest.doc_id}).")
                continue
            target = staging / manifest.file
            shutil.copyfile(path, target)
            staged[manifest.doc_id] = SourceDocument(manifest=manifest, path=target)
        if errors:
            raise InputError(_list_problems(errors))
        sources = seeds + [s for d, s in existing.items() if d not in staged] + list(staged.values())
        report = sync_index(settings, sources, progress=progress, store=store)
        for doc_id, src in staged.items():
            old = existing.get(doc_id)
            if old is not None:
                old.path.unlink(missing_ok=True)
            shutil.move(src.path, settings.user_documents_dir / src.manifest.file)
            write_manifest(src.manifest, settings.user_documents_dir / f"{doc_id}{MANIFEST_SUFFIX}")
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove_user_document(settings: Settings, doc_id: str, store: IndexStore | None = None) -> IngestReport:
    seeds = seed_sources(settings)
    if doc_id in {s.doc_id for s in seeds}:
        raise InputError(f"{doc_id}: ingår i grundkorpusen och kan inte tas bort.")
    users = user_sources(settings)
    target = next((s for s in users if s.doc_id == doc_id), None)
    if target is None:
        raise InputError(f"{doc_id}: det finns inget eget dokument med det id:t.")
    report = sync_index(settings, seeds + [s for s in users if s.doc_id != doc_id], store=store)
    target.path.unlink(missing_ok=True)
    (settings.user_documents_dir / f"{doc_id}{MANIFEST_SUFFIX}").unlink(missing_ok=True)
    return report


def _ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _list_problems(problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{problems[0]} Indexet är oförändrat."
    return "Följande problem hittades; indexet är oförändrat:\n" + "\n".join(f"- {p}" for p in problems)
