"""Source documents: manifests on disk, and turning a source file into a CleanDocument."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.errors import InputError
from ingest.assemble import assemble
from ingest.docx_loader import assemble_docx, docx_content
from ingest.headings import detect_headings
from ingest.lines import RawPage, repeated_edge_lines, to_lines
from ingest.loaders import (
    DOCX_SUFFIXES,
    NO_LIMITS,
    PDF_SUFFIXES,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    FileMetadata,
    Limits,
    pdf_pages,
    read_file,
    text_pages,
)
from ingest.models import CleanDocument, DocumentManifest

MANIFEST_SUFFIX = ".yaml"
UNKNOWN_PUBLISHER = "Okänd utgivare"
USER_DOCUMENT_TYPE = "eget dokument"
# Until a user document has its final id (chosen under the write lock), it carries this one.
PROVISIONAL_ID = "dokument-under-inlasning"


@dataclass(frozen=True)
class SourceDocument:
    manifest: DocumentManifest
    path: Path

    @property
    def doc_id(self) -> str:
        return self.manifest.doc_id


def read_manifest(path: Path) -> DocumentManifest:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return DocumentManifest.model_validate(data)
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise InputError(f"{path.name}: manifestet är inte giltig YAML ({err}).") from None
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise InputError(f"{path.name}: manifestet är ogiltigt – {problems}.") from None


def write_manifest(manifest: DocumentManifest, path: Path) -> None:
    data = manifest.model_dump(mode="json", exclude_defaults=False)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def documents_in(directory: Path) -> list[SourceDocument]:
    """Every document described by a manifest in `directory`, in doc_id order."""
    if not directory.is_dir():
        return []
    docs = []
    for manifest_path in sorted(directory.glob(f"*{MANIFEST_SUFFIX}")):
        manifest = read_manifest(manifest_path)
        source = directory / manifest.file
        if not source.is_file():
            raise InputError(f"{manifest_path.name}: källfilen {manifest.file} saknas i {directory}.")
        docs.append(SourceDocument(manifest=manifest, path=source))
    ids = [d.doc_id for d in docs]
    dupes = sorted({x for x in ids if ids.count(x) > 1})
    if dupes:
        raise InputError(f"{directory}: flera manifest har samma doc_id: {', '.join(dupes)}.")
    return docs


@dataclass(frozen=True)
class LoadedFile:
    """A user's file read and cleaned, before it has its final id and manifest."""

    name: str
    document: CleanDocument  # carries a provisional manifest
    metadata: FileMetadata  # what the file says about itself: suggestions only
    pages: int
    paged: bool

    @property
    def characters(self) -> int:
        return len(self.document.text)


def _clean_pages(manifest: DocumentManifest, name: str, pages: list[RawPage], drops: list[str]) -> CleanDocument:
    lines = to_lines(pages, drops)
    if not any(not ln.blank for ln in lines):
        raise InputError(f"{name}: filen innehåller ingen text efter rensning av sidfötter och sidnummer.")
    headings = detect_headings(lines, manifest.sections)
    return assemble(manifest, lines, headings)


def clean_bytes(manifest: DocumentManifest, name: str, data: bytes, limits: Limits = NO_LIMITS) -> LoadedFile:
    suffix = Path(name).suffix.lower()
    if suffix in PDF_SUFFIXES:
        pages, info = pdf_pages(name, data, limits)
        doc = _clean_pages(manifest, name, pages, manifest.drop_lines + repeated_edge_lines(pages))
        return LoadedFile(name, doc, info, len(pages), True)
    if suffix in TEXT_SUFFIXES:
        pages = text_pages(name, data, manifest.page_breaks, limits)
        doc = _clean_pages(manifest, name, pages, manifest.drop_lines)
        return LoadedFile(name, doc, FileMetadata(), len(pages), len(pages) > 1)
    if suffix in DOCX_SUFFIXES:
        content = docx_content(name, data, limits)
        return LoadedFile(name, assemble_docx(manifest, content), content.metadata, content.pages, content.paged)
    raise InputError(f"{name}: filtypen {suffix or '(ingen)'} stöds inte ({_supported()}).")


def clean_document(source: SourceDocument) -> CleanDocument:
    """A seed document (or any file with a manifest) as cleaned text."""
    return clean_bytes(source.manifest, source.path.name, read_file(source.path)).document


def load_user_file(name: str, data: bytes, limits: Limits = NO_LIMITS) -> LoadedFile:
    """Read and clean a file a user adds. Refused up front: unsupported types and files over the limits."""
    suffix = Path(name).suffix.lower()
    if suffix == ".doc":
        raise InputError(f"{name}: det äldre Word-formatet .doc stöds inte. Spara filen som .docx och försök igen.")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"{name}: filtypen {suffix or '(ingen)'} stöds inte ({_supported()}).")
    loaded = clean_bytes(provisional_manifest(name), name, data, limits)
    paged = loaded.paged
    manifest = loaded.document.manifest.model_copy(update={"paged": paged})
    return LoadedFile(name, loaded.document.model_copy(update={"manifest": manifest}), loaded.metadata,
                      loaded.pages, paged)


def provisional_manifest(name: str) -> DocumentManifest:
    return user_manifest(PROVISIONAL_ID, name, title=title_from_file_name(name))


def user_manifest(doc_id: str, file_name: str, *, title: str, publisher: str | None = None, year: int | None = None,
                  paged: bool = True, added_at: str | None = None) -> DocumentManifest:
    """The manifest of a user's document. Title, publisher and year are what the user gave (the title
    prefilled from the file when the user gave none); never the file's own metadata alone."""
    return DocumentManifest(
        doc_id=doc_id,
        title=title,
        short_title=f"dokumentet »{title}«",
        publisher=publisher or UNKNOWN_PUBLISHER,
        year=year,
        document_type=USER_DOCUMENT_TYPE,
        language="sv",
        published_at="Tillagt av användaren; originalets publiceringsplats okänd",
        file=file_name,
        source="user",
        paged=paged,
        page_breaks="form-feed",
        added_at=added_at or datetime.now(UTC).isoformat(timespec="seconds"),
    )


# Titles that tools write into files on their own: they name nothing.
_JUNK_TITLE = re.compile(
    r"^(about:blank|untitled(\s+document)?|namnlös[t]?|title|rubrik|dokument\s*\d*|document\s*\d*|dok\s*\d*|"
    r"presentation\s*\d*|powerpoint[- ]presentation|slide\s*\d*|microsoft\s+(word|powerpoint|excel)\b.*|"
    r".*\.(docx?|pdf|txt|rtf|odt|pptx?|xlsx?))$",
    re.I,
)


def is_junk_title(title: str | None) -> bool:
    if not title:
        return True
    t = " ".join(title.split())
    return len(t) < 3 or not any(ch.isalpha() for ch in t) or bool(_JUNK_TITLE.match(t))


def title_from_file_name(name: str) -> str:
    stem = Path(name).stem
    title = " ".join(stem.replace("_", " ").split())
    return title or name


def suggested_title(metadata: FileMetadata, name: str) -> str:
    """The file's own title when it is a real one, otherwise one made from the file name."""
    if metadata.title and not is_junk_title(metadata.title):
        return " ".join(metadata.title.split())
    return title_from_file_name(name)


def _supported() -> str:
    return "stöds: " + ", ".join(sorted(SUPPORTED_SUFFIXES))
