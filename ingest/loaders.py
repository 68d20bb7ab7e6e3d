"""Source files → pages of lines. Text (UTF-8, seed extractions with page markers) and PDF via pypdf.

Every refusal is an `InputError` naming the file and the reason in Swedish.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InputError
from ingest.lines import RawPage

TEXT_SUFFIXES = {".txt", ".md"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES


@dataclass(frozen=True)
class PdfInfo:
    title: str | None
    author: str | None
    year: int | None


def load_text_pages(path: Path, page_breaks: str) -> list[RawPage]:
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path.name}: filen är inte UTF-8-kodad (ogiltig byte 0x{raw[err.start]:02x} vid position "
            f"{err.start}). Spara om den som UTF-8 och försök igen."
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path.name}: filen innehåller ingen text.")
    if page_breaks == "leading-space":
        return _pages_from_leading_space(text)
    return [RawPage(page=n, lines=chunk.split("\n")) for n, chunk in enumerate(text.split("\f"), start=1)]


def _pages_from_leading_space(text: str) -> list[RawPage]:
    """Seed extractions: a line that starts with a space is the first line of a new PDF page."""
    pages: list[RawPage] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.startswith(" ") and (current or pages):
            pages.append(RawPage(page=len(pages) + 1, lines=current))
            current = []
        current.append(line)
    pages.append(RawPage(page=len(pages) + 1, lines=current))
    return pages


def load_pdf_pages(path: Path) -> tuple[list[RawPage], PdfInfo]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    _read_bytes(path)  # refuses empty files with a clear message
    # pypdf logs recoverable oddities of real-world PDFs as warnings; the user needs none of them.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{path.name}: PDF-filen är lösenordsskyddad. Ta bort skyddet och försök igen.")
        n_pages = len(reader.pages)
        labels = list(reader.page_labels) if n_pages else []
        pages = []
        for idx, page in enumerate(reader.pages):
            label = labels[idx] if idx < len(labels) and labels[idx] != str(idx + 1) else None
            pages.append(RawPage(page=idx + 1, lines=(page.extract_text() or "").split("\n"), label=label))
        info = _pdf_info(reader)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as err:
        raise InputError(f"{path.name}: PDF-filen är skadad eller ingen giltig PDF ({type(err).__name__}).") from None
    except Exception as err:  # pypdf raises many undocumented types on broken files
        if "crypt" in type(err).__name__.lower() or "decrypt" in str(err).lower():
            raise InputError(f"{path.name}: PDF-filen är krypterad och kan inte läsas.") from None
        raise InputError(f"{path.name}: PDF-filen kunde inte läsas ({type(err).__name__}).") from None
    if n_pages == 0:
        raise InputError(f"{path.name}: PDF-filen har inga sidor.")
    if not any(line.strip() for p in pages for line in p.lines):
        raise InputError(
            f"{path.name}: PDF-filen innehåller ingen extraherbar text (troligen inskannade bilder). "
            "Kör textigenkänning (OCR) på filen först."
        )
    return pages, info


def _pdf_info(reader) -> PdfInfo:
    meta = reader.metadata or {}
    title = str(meta.get("/Title") or "").strip() or None
    author = str(meta.get("/Author") or "").strip() or None
    year = None
    created = str(meta.get("/CreationDate") or "")
    if created.startswith("D:") and created[2:6].isdigit():
        year = int(created[2:6])
    return PdfInfo(title=title, author=author, year=year)


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: filen finns inte.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: är en katalog, inte en fil.") from None
    except PermissionError:
        raise InputError(f"{path}: saknar läsbehörighet.") from None
    if not data:
        raise InputError(f"{path.name}: filen är tom.")
    return data
