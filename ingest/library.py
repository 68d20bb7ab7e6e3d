"""The document library as a Python API: what the command line and the web app call.

    check_file(settings, UploadedFile)              -> FileCheck     what adding would do; for prefilling a form
    add_documents(settings, [UploadRequest])        -> UploadReport  every good file added, every bad one named
    add_paths(settings, [Path], DocumentFields)     -> UploadReport  the same for files on disk (command line)
    edit_document(settings, doc_id, DocumentEdit)   -> IngestReport  title/publisher/year; nothing re-embedded
    remove_document(settings, doc_id)               -> IngestReport
    list_documents(settings)                        -> [DocumentInfo]

Bad files never block good ones: each is refused with a Swedish reason naming the file, and the rest are
added in one new index generation. Errors that concern the whole operation (another writer active, the
Chroma server gone, a full disk) raise `KategoriError` with a Swedish message; nothing is then changed.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from assistant.config import Settings
from assistant.embeddings import KategoriEmbeddings
from assistant.errors import InputError
from assistant.store.index import ActiveIndex, IndexStore
from ingest import estimate
from ingest.api_models import (
    DocumentEdit,
    DocumentFields,
    DocumentInfo,
    FileCheck,
    FileOutcome,
    UploadedFile,
    UploadRequest,
)
from ingest.chunking import chunk_document
from ingest.doc_ids import choose_id
from ingest.documents import documents_in, load_user_file, suggested_title
from ingest.ensure import ensure_index
from ingest.loaders import Limits, read_file
from ingest.pipeline import (
    Change,
    IngestReport,
    NotifyFn,
    PendingFile,
    ProgressFn,
    apply_change,
    expand_paths,
    list_problems,
)

__all__ = [
    "DocumentEdit", "DocumentFields", "DocumentInfo", "FileCheck", "FileOutcome", "PartialIngestError",
    "UploadReport", "UploadRequest", "UploadedFile", "add_documents", "add_paths", "check_file", "edit_document",
    "list_documents", "remove_document",
]


class PartialIngestError(InputError):
    """Some files were refused; `report` says which, and which were added."""

    def __init__(self, message: str, report: UploadReport):
        super().__init__(message)
        self.report = report


class UploadReport(BaseModel):
    files: list[FileOutcome]
    index: IngestReport | None  # None when no file could be added: the index is unchanged

    @property
    def accepted(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status != "refused"]

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "refused"]

    def refused_message(self) -> str | None:
        problems = [f.problem or f.name for f in self.refused]
        if not problems:
            return None
        if not self.accepted:
            return list_problems(problems)
        added = ", ".join(f.doc_id or f.name for f in self.accepted)
        head = "Den här filen kunde inte läggas till:" if len(problems) == 1 else "De här filerna kunde inte läggas till:"
        return f"{head}\n" + "\n".join(f"- {p}" for p in problems) + f"\nÖvriga filer är inlästa ({added})."

    def raise_for_refused(self) -> None:
        message = self.refused_message()
        if message:
            raise PartialIngestError(message, self)


def _file_name(name: str) -> str:
    # Browsers send bare names, but never trust a path in one.
    return Path(name.replace("\\", "/")).name or name


def _load(settings: Settings, upload: UploadRequest) -> PendingFile | FileOutcome:
    name = _file_name(upload.file.name)
    try:
        loaded = load_user_file(name, upload.file.data, Limits.of(settings))
    except InputError as err:
        return FileOutcome(name=name, status="refused", problem=str(err))
    return PendingFile(loaded=loaded, fields=upload.fields)


def add_documents(
    settings: Settings,
    uploads: list[UploadRequest],
    *,
    progress: ProgressFn | None = None,
    notify: NotifyFn | None = None,
    store: IndexStore | None = None,
    embeddings: KategoriEmbeddings | None = None,
) -> UploadReport:
    """Add (or, by the same file name, replace) documents. Files are read and cleaned first; the write
    lock is taken only for choosing ids and writing the new generation."""
    loaded = [_load(settings, u) for u in uploads]
    pending = [x for x in loaded if isinstance(x, PendingFile)]
    refused = [x for x in loaded if isinstance(x, FileOutcome)]
    if not pending:
        return UploadReport(files=refused, index=None)
    report, outcomes = apply_change(settings, Change(add=pending), progress=progress, notify=notify, store=store,
                                    embeddings=embeddings)
    by_name = iter(outcomes)
    files = [next(by_name) if isinstance(x, PendingFile) else x for x in loaded]
    if not any(f.status != "refused" for f in files):
        return UploadReport(files=files, index=None)
    return UploadReport(files=files, index=report)


def add_paths(
    settings: Settings,
    paths: list[Path],
    fields: DocumentFields | None = None,
    *,
    progress: ProgressFn | None = None,
    notify: NotifyFn | None = None,
    store: IndexStore | None = None,
    embeddings: KategoriEmbeddings | None = None,
) -> UploadReport:
    """Files and directories on disk; `fields` apply to every file (a title only to a single file)."""
    files, path_errors = expand_paths(paths)
    fields = fields or DocumentFields()
    if fields.title and len(files) > 1:
        raise InputError("En titel kan bara anges när en enda fil läggs till.")
    uploads: list[UploadRequest] = []
    refused = [FileOutcome(name=p.split(":", 1)[0], status="refused", problem=p) for p in path_errors]
    for path in files:
        try:
            data = read_file(path, Limits.of(settings))  # refuses an over-large file before reading it
        except InputError as err:
            refused.append(FileOutcome(name=path.name, status="refused", problem=str(err)))
            continue
        uploads.append(UploadRequest(file=UploadedFile(name=path.name, data=data), fields=fields))
    result = add_documents(settings, uploads, progress=progress, notify=notify, store=store, embeddings=embeddings)
    return UploadReport(files=refused + result.files, index=result.index)


def edit_document(
    settings: Settings,
    doc_id: str,
    edit: DocumentEdit,
    *,
    progress: ProgressFn | None = None,
    notify: NotifyFn | None = None,
    store: IndexStore | None = None,
    embeddings: KategoriEmbeddings | None = None,
) -> IngestReport:
    """Change a user document's title, publisher or year. Its chunks and their vectors are reused: the new
    generation differs only in what citations show."""
    report, _ = apply_change(settings, Change(edit={doc_id: edit}), progress=progress, notify=notify, store=store,
                             embeddings=embeddings)
    return report


def remove_document(
    settings: Settings,
    doc_id: str,
    *,
    progress: ProgressFn | None = None,
    notify: NotifyFn | None = None,
    store: IndexStore | None = None,
    embeddings: KategoriEmbeddings | None = None,
) -> IngestReport:
    report, _ = apply_change(settings, Change(remove=[doc_id]), progress=progress, notify=notify, store=store,
                             embeddings=embeddings)
    return report


def check_file(settings: Settings, file: UploadedFile, store: IndexStore | None = None) -> FileCheck:
    """What adding `file` would do — refusal and its reason, suggested title, the id it would get (or the
    document it would replace), pages, size and time — without writing anything."""
    from assistant.embeddings import get_embeddings

    name = _file_name(file.name)
    loaded = _load(settings, UploadRequest(file=UploadedFile(name=name, data=file.data)))
    if isinstance(loaded, FileOutcome):
        return FileCheck(name=name, ok=False, problem=loaded.problem)
    doc = loaded.loaded
    active = (store or IndexStore(settings)).active()
    users = {d: x.manifest.file for d, x in (active.documents() if active else {}).items() if x.manifest.source == "user"}
    seeds = {s.doc_id: f"grunddokumentet »{s.manifest.title}«" for s in documents_in(settings.corpus_dir)}
    choice = choose_id(name, users, seeds)
    chunks = len(chunk_document(doc.document, settings.chunk_size, settings.chunk_overlap))
    meta = doc.metadata
    return FileCheck(
        name=name, ok=True, suggested=DocumentFields(title=suggested_title(meta, name)),
        file_metadata=DocumentFields(title=meta.title, publisher=meta.author, year=meta.year),
        doc_id=choice.doc_id, replaces=choice.doc_id if choice.replaces else None, id_note=choice.note,
        pages=doc.pages if doc.paged else None, characters=doc.characters,
        estimated_seconds=estimate.seconds_for(settings, get_embeddings(settings).model_key, chunks),
    )


def list_documents(settings: Settings, index: ActiveIndex | None = None) -> list[DocumentInfo]:
    index = index or ensure_index(settings)
    rows = []
    for doc_id, doc in sorted(index.documents().items()):
        m = doc.manifest
        rows.append(DocumentInfo(
            doc_id=doc_id, title=m.title, publisher=m.publisher, year=m.year, document_type=m.document_type,
            language=m.language, published_at=m.published_at, source=m.source, file=m.file, added_at=m.added_at,
            pages=max((p.page for p in doc.pages), default=1), paged=m.paged,
            chunks=len(index.state.chunks_by_doc.get(doc_id, [])),
        ))
    return rows
