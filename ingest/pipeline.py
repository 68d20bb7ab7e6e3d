"""Ingestion end to end: documents → chunks → embeddings → a new index generation.

The index always holds exactly the seed corpus (read from `corpus/` on every run) plus the user's
documents, and the user's documents live in the index itself (each generation stores whole documents,
see assistant/store/index.py). A change to the library — add, replace, edit, remove — is therefore one
new generation, switched in atomically: the library and the index cannot disagree, an interrupted change
leaves both as they were, and every instance on a shared Chroma server sees the same documents.

Everything is read and validated before the store is touched; chunks whose id is unchanged keep their
stored embedding, so re-ingesting unchanged documents writes nothing and a changed document (or changed
title) costs only its own new chunks.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from assistant.config import Settings
from assistant.embeddings import KategoriEmbeddings, get_embeddings
from assistant.errors import InputError
from assistant.store.doc_records import DOCS_PART
from assistant.store.failures import store_errors
from assistant.store.index import ActiveIndex, IndexStore
from assistant.store.local_cache import document_version
from assistant.store.records import StoredChunk
from assistant.store.sentences import EmbeddedChunks, embed_chunks
from ingest import estimate
from ingest.api_models import DocumentEdit, DocumentFields, FileOutcome
from ingest.doc_ids import choose_id, name_key
from ingest.documents import (
    UNKNOWN_PUBLISHER,
    LoadedFile,
    SourceDocument,
    clean_bytes,
    clean_document,
    documents_in,
    read_manifest,
    suggested_title,
    user_manifest,
)
from ingest.loaders import SUPPORTED_SUFFIXES, read_file
from ingest.models import CleanDocument

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
NotifyFn = Callable[[str], None]
_RETIRED_LIBRARY = "documents.importerade"


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
    # Things the user should know: repairs after an interrupted write, documents moved into the library.
    notes: list[str] = []


def seed_sources(settings: Settings) -> list[SourceDocument]:
    return documents_in(settings.corpus_dir)


def all_sources(settings: Settings) -> list[SourceDocument]:
    """The documents that come as files: the seed corpus (user documents live in the index)."""
    return seed_sources(settings)


def chunks_of(docs: list[CleanDocument], settings: Settings) -> list[StoredChunk]:
    # Imported here: LangChain's text splitter is only for writing.
    from ingest.chunking import chunk_document

    return [
        StoredChunk.from_chunk(c, doc.manifest)
        for doc in docs
        for c in chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
    ]


def clean_all(sources: list[SourceDocument]) -> list[CleanDocument]:
    """Read and clean every source; all problems are reported together, before any writing."""
    errors, docs = [], []
    for src in sources:
        try:
            docs.append(clean_document(src))
        except InputError as err:
            errors.append(str(err))
    if errors:
        raise InputError(list_problems(errors))
    return docs


def prepare(sources: list[SourceDocument], settings: Settings) -> tuple[list[CleanDocument], list[StoredChunk]]:
    docs = clean_all(sources)
    return docs, chunks_of(docs, settings)


@dataclass
class PendingFile:
    """A user's file, read and cleaned before the write lock is taken (the slow part)."""

    loaded: LoadedFile
    fields: DocumentFields = field(default_factory=DocumentFields)


@dataclass
class Change:
    add: list[PendingFile] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    edit: dict[str, DocumentEdit] = field(default_factory=dict)


def sync_index(
    settings: Settings,
    *,
    rebuild: bool = False,
    progress: ProgressFn | None = None,
    notify: NotifyFn | None = None,
    store: IndexStore | None = None,
    embeddings: KategoriEmbeddings | None = None,
) -> IngestReport:
    """Make the index hold the seed corpus and the user's documents, re-reading the corpus."""
    report, _ = apply_change(settings, Change(), rebuild=rebuild, progress=progress, notify=notify, store=store,
                             embeddings=embeddings)
    return report


def apply_change(
    settings: Settings,
    change: Change,
    *,
    rebuild: bool = False,
    progress: ProgressFn | None = None,
    notify: NotifyFn | None = None,
    store: IndexStore | None = None,
    embeddings: KategoriEmbeddings | None = None,
) -> tuple[IngestReport, list[FileOutcome]]:
    """Apply `change` to the library and write the new generation (or nothing, if nothing changed)."""
    started = time.perf_counter()
    store = store or IndexStore(settings)
    seed_docs = clean_all(seed_sources(settings))
    embeddings = embeddings or get_embeddings(settings)  # loading the model can take a while: not under the lock
    notes: list[str] = []
    with store.write_lock(notify=notify), store_errors(settings, writing=True):
        if store.repaired:
            notes.append("Städade upp efter en tidigare avbruten skrivning: " + ", ".join(store.repaired) + ".")
        active = store.active()
        base = active.state.generation if active else 0
        library, imported = _library(settings, active, notes)
        seed_ids = {d.manifest.doc_id: d for d in seed_docs}
        clash = sorted(set(seed_ids) & set(library))
        if clash:
            raise InputError(
                f"Dokument-id {', '.join(clash)} finns både i grundkorpusen och bland egna dokument. Ta bort det "
                "egna dokumentet (`kategori remove`) och lägg till filen igen; den får då ett eget id."
            )
        for doc_id in change.remove:
            library.pop(_user_document(doc_id, library, seed_ids, "tas bort").manifest.doc_id)
        for doc_id, edit in change.edit.items():
            library[doc_id] = _edited(_user_document(doc_id, library, seed_ids, "ändras"), edit)
        outcomes = _add_files(change.add, library, seed_ids)

        docs = seed_docs + [library[d] for d in sorted(library)]
        chunks = chunks_of(docs, settings)
        old = active.state.chunks_by_doc if active else {}
        old_versions = active.state.document_versions if active else {}
        versions = {d.manifest.doc_id: document_version(d) for d in docs}
        new: dict[str, list[str]] = {d.manifest.doc_id: [] for d in docs}
        for c in chunks:
            new[c.doc_id].append(c.chunk_id)
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        replaced = sorted(
            d for d in set(new) & set(old) if sorted(new[d]) != sorted(old[d]) or versions[d] != old_versions.get(d)
        )
        unchanged = sorted(d for d in set(new) & set(old) if d not in replaced)
        same_model = active is not None and active.embedding_model == embeddings.model_key
        # A generation from before documents were stored is rewritten once, so the library moves into it.
        current_format = active is not None and DOCS_PART in active.parts
        if not rebuild and same_model and current_format and not (added or removed or replaced):
            return IngestReport(
                changed=False, generation=active.state.generation, documents=len(docs), chunks=len(chunks),
                embedded=0, reused=len(chunks), added=[], replaced=[], removed=[], unchanged=unchanged,
                seconds=time.perf_counter() - started, notes=notes,
            ), outcomes  # fmt: skip
        reuse = active if (same_model and not rebuild) else None
        stored = set(reuse.chunk_ids()) if reuse else set()
        embedded = sum(1 for c in chunks if c.chunk_id not in stored)
        result = _vectors(chunks, reuse, embeddings, settings, embedded, progress, notify)
        state = store.commit(chunks, result.vectors, docs, embeddings.model_key, progress, result.sentences,
                             result.sentence_vectors, base_generation=base)
    if imported:
        _retire_legacy_library(settings, notes)
    return IngestReport(
        changed=True, generation=state.generation, documents=len(docs), chunks=len(chunks),
        embedded=embedded, reused=len(chunks) - embedded, added=added, replaced=replaced,
        removed=removed, unchanged=unchanged, seconds=time.perf_counter() - started, notes=notes,
    ), outcomes  # fmt: skip


def _user_document(doc_id: str, library: dict[str, CleanDocument], seeds: dict, verb: str) -> CleanDocument:
    if doc_id in seeds:
        extra = f" Ändra i stället dess manifest, corpus/{doc_id}.yaml." if verb == "ändras" else ""
        raise InputError(f"{doc_id}: ingår i grundkorpusen och kan inte {verb}.{extra}")
    if doc_id not in library:
        raise InputError(f"{doc_id}: det finns inget eget dokument med det id:t (se `kategori documents`).")
    return library[doc_id]


def _edited(doc: CleanDocument, edit: DocumentEdit) -> CleanDocument:
    if edit.is_empty():
        raise InputError(f"{doc.manifest.doc_id}: inget att ändra – ange titel, utgivare eller år.")
    m = doc.manifest
    title = edit.title or m.title
    manifest = user_manifest(
        m.doc_id, m.file, title=title, publisher=edit.publisher or m.publisher,
        year=None if edit.clear_year else (edit.year if edit.year is not None else m.year),
        paged=m.paged, added_at=m.added_at,
    )
    return doc.model_copy(update={"manifest": manifest})


def _add_files(pending: list[PendingFile], library: dict[str, CleanDocument], seeds: dict) -> list[FileOutcome]:
    existing = {d: doc.manifest.file for d, doc in library.items()}
    reserved = {d: f"grunddokumentet »{doc.manifest.title}«" for d, doc in seeds.items()}
    in_batch: dict[str, str] = {}
    outcomes = []
    for p in pending:
        name = p.loaded.name
        key = name_key(name)
        if key in in_batch:
            outcomes.append(FileOutcome(name=name, status="refused",
                                        problem=f"{name}: har samma namn som en annan fil i samma omgång ({in_batch[key]})."))
            continue
        in_batch[key] = name
        choice = choose_id(name, existing, reserved)
        old = library.get(choice.doc_id) if choice.replaces else None
        doc = p.loaded.document.model_copy(update={"manifest": _manifest_for(choice.doc_id, p, old)})
        if old is not None and _same_version(old, doc):
            status = "unchanged"
        else:
            library[choice.doc_id] = doc
            existing[choice.doc_id] = name
            status = "replaced" if old is not None else "added"
        outcomes.append(FileOutcome(name=name, status=status, doc_id=choice.doc_id, title=library[choice.doc_id].manifest.title,
                                    id_note=choice.note if status == "added" else None))
    return outcomes


def _manifest_for(doc_id: str, p: PendingFile, old: CleanDocument | None):
    """A new version keeps what the user set on the old one unless new values are given."""
    f = p.fields
    prev = old.manifest if old else None
    title = f.title or (prev.title if prev else suggested_title(p.loaded.metadata, p.loaded.name))
    publisher = f.publisher or (prev.publisher if prev else None)
    year = f.year if f.year is not None else (prev.year if prev else None)
    return user_manifest(doc_id, p.loaded.name, title=title, publisher=publisher, year=year, paged=p.loaded.paged)


def _same_version(a: CleanDocument, b: CleanDocument) -> bool:
    def strip(doc: CleanDocument) -> CleanDocument:
        return doc.model_copy(update={"manifest": doc.manifest.model_copy(update={"added_at": None})})

    return strip(a) == strip(b)


def _library(settings: Settings, active: ActiveIndex | None, notes: list[str]) -> tuple[dict[str, CleanDocument], bool]:
    """The user's documents as the active generation holds them; for an index written by an earlier
    version, the documents in `data/documents/` (the old library) are read in once."""
    if active is not None and DOCS_PART in active.parts:
        if settings.user_documents_dir.is_dir():
            _retire_legacy_library(settings, notes)  # a crash after the import's commit left it behind
        return {d: doc for d, doc in active.documents().items() if doc.manifest.source == "user"}, False
    library = {}
    if active is not None:  # texts reconstructed from chunks: better than losing a document
        library = {d: doc for d, doc in active.documents().items() if doc.manifest.source == "user"}
    legacy = settings.user_documents_dir
    if not legacy.is_dir():
        return library, False
    for manifest_path in sorted(legacy.glob("*.yaml")):
        try:
            manifest = read_manifest(manifest_path)
            loaded = clean_bytes(manifest, manifest.file, read_file(legacy / manifest.file))
        except InputError as err:
            notes.append(f"Kunde inte läsa in {manifest_path.name} från det gamla biblioteket: {err}")
            continue
        if (loaded.metadata.author and manifest.publisher == loaded.metadata.author) or \
                manifest.publisher == "Okänd (eget dokument)":
            # Earlier versions took the publisher from the PDF's Author field, which proves nothing.
            manifest = manifest.model_copy(update={"publisher": UNKNOWN_PUBLISHER})
        library[manifest.doc_id] = loaded.document.model_copy(update={"manifest": manifest})
    return library, True


def _retire_legacy_library(settings: Settings, notes: list[str]) -> None:
    legacy = settings.user_documents_dir
    target = settings.data_dir / _RETIRED_LIBRARY
    n = 1
    while target.exists():
        n += 1
        target = settings.data_dir / f"{_RETIRED_LIBRARY}-{n}"
    with contextlib.suppress(OSError):
        legacy.rename(target)
        notes.append(
            f"De egna dokumenten i {legacy} finns nu i indexets dokumentbibliotek; den gamla katalogen har "
            f"döpts om till {target.name} och används inte längre."
        )


def _vectors(chunks, active: ActiveIndex | None, embeddings: KategoriEmbeddings, settings: Settings, new_chunks: int,
             progress: ProgressFn | None, notify: NotifyFn | None) -> EmbeddedChunks:
    """Sentence and chunk vectors; sentences already embedded in the active index are reused. Long runs are
    announced first, with a time estimate from this machine's last measured speed (in chunks a second)."""
    stored = set(active.chunk_ids()) if active else set()
    known = active.sentence_vectors_by_key([c.chunk_id for c in chunks if c.chunk_id in stored]) if active else {}
    expected = estimate.seconds_for(settings, embeddings.model_key, new_chunks)
    if notify and expected >= estimate.ANNOUNCE_AFTER_SECONDS:
        notify(f"{new_chunks} nya textavsnitt ska få sökvektorer; det tar {estimate.describe_duration(expected)}.")

    def encode(texts, report):
        return embeddings.embed_passages(
            texts, progress=(lambda done, total: report("Beräknar sökvektorer", done, total)) if report else None
        )

    started = time.perf_counter()
    result = embed_chunks(chunks, known, encode, progress)
    estimate.record(settings, embeddings.model_key, new_chunks, time.perf_counter() - started)
    return result


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Files to add (each given file, and every supported file under each given directory), and the
    problems with paths that give none."""
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
    return files, errors


def list_problems(problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{problems[0]} Indexet är oförändrat."
    return "Följande problem hittades; indexet är oförändrat:\n" + "\n".join(f"- {p}" for p in problems)


def add_user_documents(settings: Settings, paths: list[Path], progress: ProgressFn | None = None,
                       store: IndexStore | None = None) -> IngestReport:
    """Add files from disk; kept for callers of the earlier API (see ingest/library.py for the full one).
    Raises `InputError` naming every refused file — after adding the good ones, if there were any."""
    from ingest.library import add_paths

    result = add_paths(settings, paths, progress=progress, store=store)
    result.raise_for_refused()
    assert result.index is not None
    return result.index


def remove_user_document(settings: Settings, doc_id: str, store: IndexStore | None = None) -> IngestReport:
    from ingest.library import remove_document

    return remove_document(settings, doc_id, store=store)
