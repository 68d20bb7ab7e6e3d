"""Source documents: manifests on disk, and turning a source file into a CleanDocument."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.errors import InputError
from ingest.assemble import assemble
from ingest.headings import detect_headings
from ingest.lines import repeated_edge_lines, to_lines
from ingest.loaders import PDF_SUFFIXES, SUPPORTED_SUFFIXES, TEXT_SUFFIXES, load_pdf_pages, load_text_pages
from ingest.models import CleanDocument, DocumentManifest

MANIFEST_SUFFIX = ".yaml"


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


def clean_document(source: SourceDocument) -> CleanDocument:
    manifest, path = source.manifest, source.path
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        pages, _ = load_pdf_pages(path)
        drops = manifest.drop_lines + repeated_edge_lines(pages)
    elif suffix in TEXT_SUFFIXES:
        pages = load_text_pages(path, manifest.page_breaks)
        drops = manifest.drop_lines
    else:
        raise InputError(f"{path.name}: filtypen {suffix or '(ingen)'} stöds inte ({_supported()}).")
    lines = to_lines(pages, drops)
    if not any(not ln.blank for ln in lines):
        raise InputError(f"{path.name}: filen innehåller ingen text efter rensning av sidfötter och sidnummer.")
    headings = detect_headings(lines, manifest.sections)
    return assemble(manifest, lines, headings)


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80].strip("-")
    return slug if len(slug) >= 2 else f"dokument-{slug or 'x'}"


def user_manifest(path: Path, reserved_ids: set[str]) -> DocumentManifest:
    """A manifest for a file the user adds: title and author from the PDF where it has them."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"{path.name}: filtypen {suffix or '(ingen)'} stöds inte ({_supported()}).")
    doc_id = slugify(path.stem)
    if doc_id in reserved_ids:
        doc_id = f"eget-{doc_id}"[:80]
    title, author, year, paged, breaks = path.stem, None, None, True, "form-feed"
    if suffix in PDF_SUFFIXES:
        _, info = load_pdf_pages(path)
        title = info.title or title
        author, year = info.author, info.year
    else:
        paged = len(load_text_pages(path, "form-feed")) > 1
    return DocumentManifest(
        doc_id=doc_id,
        title=title,
        short_title=f"dokumentet »{title}«",
        publisher=author or "Okänd (eget dokument)",
        year=year,
        document_type="eget dokument",
        language="sv",
        published_at="Tillagt av användaren; originalets publiceringsplats okänd",
        file=f"{doc_id}{suffix}",
        source="user",
        paged=paged,
        page_breaks=breaks,
    )


def _supported() -> str:
    return "stöds: " + ", ".join(sorted(SUPPORTED_SUFFIXES))
