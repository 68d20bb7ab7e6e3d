"""Source files → pages of lines. Text (UTF-8, seed extractions with page markers) and PDF via pypdf;
Word files have their own loader (ingest/docx_loader.py) since they carry real structure.

Every refusal is an `InputError` naming the file and the reason in Swedish. Limits (size, pages,
characters) are checked as early as each can be: size before reading, pages before extracting text.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InputError
from ingest.lines import RawPage

TEXT_SUFFIXES = {".txt", ".md"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES


@dataclass(frozen=True)
class FileMetadata:
    """What a file says about itself. For user documents these are suggestions only: PDF metadata is
    written by whatever tool made the file and is neither checked nor trustworthy."""

    title: str | None = None
    author: str | None = None
    year: int | None = None


PdfInfo = FileMetadata


@dataclass(frozen=True)
class Limits:
    max_bytes: int | None = None
    max_pages: int | None = None
    max_characters: int | None = None

    @classmethod
    def of(cls, settings) -> Limits:
        return cls(
            max_bytes=int(settings.max_file_mb * 1024 * 1024),
            max_pages=settings.max_pages,
            max_characters=settings.max_characters,
        )


NO_LIMITS = Limits()


def sv_number(n: float, decimals: int = 0) -> str:
    """Swedish number format: 2 000, 73,4."""
    text = f"{n:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text.replace(" ", "\u00a0")


def check_size(name: str, size: int, limits: Limits) -> None:
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise InputError(
            f"{name}: filen är {sv_number(size / 1024 / 1024, 1)} MB; gränsen är "
            f"{sv_number(limits.max_bytes / 1024 / 1024)} MB per fil (KATEGORI_MAX_FILE_MB)."
        )


def check_pages(name: str, pages: int, limits: Limits) -> None:
    if limits.max_pages is not None and pages > limits.max_pages:
        raise InputError(
            f"{name}: filen har {sv_number(pages)} sidor; gränsen är {sv_number(limits.max_pages)} sidor per fil "
            "(KATEGORI_MAX_PAGES). Dela upp dokumentet."
        )


def check_characters(name: str, characters: int, limits: Limits) -> None:
    if limits.max_characters is not None and characters > limits.max_characters:
        raise InputError(
            f"{name}: filen innehåller {sv_number(characters)} tecken text; gränsen är "
            f"{sv_number(limits.max_characters)} tecken per fil (KATEGORI_MAX_CHARACTERS). Dela upp dokumentet."
        )


def read_file(path: Path, limits: Limits = NO_LIMITS) -> bytes:
    """The file's bytes; a file over the size limit is refused before it is read."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError
        check_size(path.name, size, limits)
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


def decode_text(name: str, data: bytes) -> str:
    if not data:
        raise InputError(f"{name}: filen är tom.")
    try:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = data.decode("utf-16")  # Windows "Unicode" text files; the BOM says which byte order
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise InputError(f"{name}: filen ser ut som UTF-16 men är inte giltig UTF-16. Spara om den som UTF-8.") from None
        raise InputError(
            f"{name}: filen är inte UTF-8-kodad (ogiltig byte 0x{data[err.start]:02x} vid position "
            f"{err.start}). Spara om den som UTF-8 och försök igen."
        ) from None
    if "\x00" in text:
        raise InputError(f"{name}: filen innehåller binära data (NUL-tecken) och är ingen textfil.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: filen innehåller ingen text.")
    return text


def text_pages(name: str, data: bytes, page_breaks: str, limits: Limits = NO_LIMITS) -> list[RawPage]:
    check_size(name, len(data), limits)
    text = decode_text(name, data)
    check_characters(name, len(text), limits)
    if page_breaks == "leading-space":
        pages = _pages_from_leading_space(text)
    else:
        pages = [RawPage(page=n, lines=chunk.split("\n")) for n, chunk in enumerate(text.split("\f"), start=1)]
    check_pages(name, len(pages), limits)
    return pages


def load_text_pages(path: Path, page_breaks: str) -> list[RawPage]:
    return text_pages(path.name, read_file(path), page_breaks)


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


def pdf_pages(name: str, data: bytes, limits: Limits = NO_LIMITS) -> tuple[list[RawPage], FileMetadata]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data:
        raise InputError(f"{name}: filen är tom.")
    check_size(name, len(data), limits)
    # pypdf logs recoverable oddities of real-world PDFs as warnings; the user needs none of them.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: PDF-filen är lösenordsskyddad. Ta bort skyddet och försök igen.")
        n_pages = len(reader.pages)
        check_pages(name, n_pages, limits)
        labels = list(reader.page_labels) if n_pages else []
        pages = []
        characters = 0
        for idx, page in enumerate(reader.pages):
            label = labels[idx] if idx < len(labels) and labels[idx] != str(idx + 1) else None
            text = page.extract_text() or ""
            characters += len(text)
            check_characters(name, characters, limits)
            pages.append(RawPage(page=idx + 1, lines=text.split("\n"), label=label))
        info = _pdf_info(reader)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as err:
        raise InputError(f"{name}: PDF-filen är skadad eller ingen giltig PDF ({type(err).__name__}).") from None
    except RecursionError:
        raise InputError(f"{name}: PDF-filen är skadad (för djupt nästlad struktur).") from None
    except Exception as err:  # pypdf raises many undocumented types on broken files
        if "crypt" in type(err).__name__.lower() or "decrypt" in str(err).lower():
            raise InputError(f"{name}: PDF-filen är krypterad och kan inte läsas.") from None
        raise InputError(f"{name}: PDF-filen kunde inte läsas ({type(err).__name__}).") from None
    if n_pages == 0:
        raise InputError(f"{name}: PDF-filen har inga sidor.")
    if not any(line.strip() for p in pages for line in p.lines):
        raise InputError(
            f"{name}: PDF-filen innehåller ingen extraherbar text (troligen inskannade bilder). "
            "Kör textigenkänning (OCR) på filen först."
        )
    return pages, info


def load_pdf_pages(path: Path) -> tuple[list[RawPage], FileMetadata]:
    return pdf_pages(path.name, read_file(path))


def _pdf_info(reader) -> FileMetadata:
    meta = reader.metadata or {}
    title = str(meta.get("/Title") or "").strip() or None
    author = str(meta.get("/Author") or "").strip() or None
    year = None
    created = str(meta.get("/CreationDate") or "")
    if created.startswith("D:") and created[2:6].isdigit() and 1900 <= int(created[2:6]) <= 2100:
        year = int(created[2:6])
    return FileMetadata(title=title, author=author, year=year)
