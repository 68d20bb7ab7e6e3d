"""Word files (.docx) → a cleaned document. Unlike PDF, Word keeps its structure: paragraphs are whole
paragraphs, headings are marked by their style (or outline level), tables are tables. So nothing is guessed
here: headings become sections, table rows become lines of `cell | cell`, list items get a bullet.

Word records where it last broke pages (`w:lastRenderedPageBreak`); where those marks exist, each block
gets the page it starts on. Files saved by programs that do not write them get no page numbers at all
(the manifest says `paged: false`), rather than wrong ones.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Literal

from assistant.errors import InputError
from ingest.lines import normalise
from ingest.loaders import NO_LIMITS, FileMetadata, Limits, check_characters, check_pages, check_size
from ingest.models import CleanDocument, DocumentManifest, Heading, PageSpan

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.I)
_TITLE_STYLES = {"title", "rubrik"}
# A .docx is a zip; refuse ones that unpack to far more than any real document (zip bombs).
_MAX_UNPACKED = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Block:
    kind: Literal["heading", "paragraph", "table"]
    text: str
    page: int
    level: int = 0


@dataclass(frozen=True)
class DocxContent:
    blocks: list[Block]
    metadata: FileMetadata
    pages: int
    paged: bool


def _open(name: str, data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data:
        raise InputError(f"{name}: filen är tom.")
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            f"{name}: Word-filen är lösenordsskyddad eller sparad i det äldre Word 97–2003-formatet. "
            "Ta bort lösenordet och spara den som .docx."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > _MAX_UNPACKED:
                raise InputError(f"{name}: Word-filen packas upp till orimligt mycket data och läses inte.")
        return docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as err:
        raise InputError(f"{name}: Word-filen är skadad eller ingen giltig .docx-fil ({type(err).__name__}).") from None
    except Exception as err:  # lxml and python-docx raise their own types on malformed XML
        raise InputError(f"{name}: Word-filen kunde inte läsas ({type(err).__name__}).") from None


def _breaks(element, rendered: bool) -> tuple[int, int]:
    """Page breaks (before any text, after some text) inside a paragraph or table element."""
    before = after = 0
    seen_text = False
    for el in element.iter():
        if el.tag == f"{_W}t" and el.text:
            seen_text = True
        is_break = (
            el.tag == f"{_W}lastRenderedPageBreak"
            if rendered
            else (el.tag == f"{_W}br" and el.get(f"{_W}type") == "page") or el.tag == f"{_W}pageBreakBefore"
        )
        if is_break:
            if seen_text:
                after += 1
            else:
                before += 1
    return before, after


def _heading_level(paragraph) -> int:
    style = paragraph.style.name.strip().lower() if paragraph.style is not None and paragraph.style.name else ""
    if style in _TITLE_STYLES:
        return 1
    m = _HEADING_STYLE.match(style)
    if m:
        return max(1, min(6, int(m.group(1))))
    ppr = paragraph._p.pPr
    outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if outline is not None and (val := outline.get(f"{_W}val", "")).isdigit() and int(val) < 6:
        return int(val) + 1
    return 0


def _is_list_item(paragraph) -> bool:
    style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    ppr = paragraph._p.pPr
    return "list" in style or "lista" in style or (ppr is not None and ppr.find(f"{_W}numPr") is not None)


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(normalise(cell.text.replace("\n", " ")))
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def docx_content(name: str, data: bytes, limits: Limits = NO_LIMITS) -> DocxContent:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_size(name, len(data), limits)
    document = _open(name, data)
    body = document.element.body
    rendered = body.find(f".//{_W}lastRenderedPageBreak") is not None
    blocks: list[Block] = []
    page = 1
    characters = 0
    try:
        items = list(document.iter_inner_content())
    except Exception as err:
        raise InputError(f"{name}: Word-filen kunde inte läsas ({type(err).__name__}).") from None
    for item in items:
        before, after = _breaks(item._element, rendered)
        page += before
        block = None
        if isinstance(item, Paragraph):
            text = normalise(item.text)
            level = _heading_level(item) if text else 0
            if level:
                block = Block("heading", text, page, level)
            elif text:
                block = Block("paragraph", f"• {text}" if _is_list_item(item) else text, page)
        elif isinstance(item, Table) and (lines := _table_lines(item)):
            block = Block("table", "\n".join(lines), page)
        if block is not None:
            blocks.append(block)
            characters += len(block.text)
            check_characters(name, characters, limits)
        page += after
    if not blocks:
        raise InputError(f"{name}: Word-filen innehåller ingen text.")
    last_page = blocks[-1].page if rendered else 1
    if rendered:
        check_pages(name, last_page, limits)
    props = document.core_properties
    year = props.created.year if props.created and 1900 <= props.created.year <= 2100 else None
    metadata = FileMetadata(title=(props.title or "").strip() or None, author=(props.author or "").strip() or None,
                            year=year)
    return DocxContent(blocks=blocks, metadata=metadata, pages=last_page, paged=rendered)


def assemble_docx(manifest: DocumentManifest, content: DocxContent) -> CleanDocument:
    parts: list[str] = []
    length = 0
    headings: list[Heading] = []
    page_starts: list[tuple[int, int]] = []
    for block in content.blocks:
        if parts:
            parts.append("\n\n")
            length += 2
        if content.paged and (not page_starts or page_starts[-1][1] != block.page):
            page_starts.append((length, block.page))
        if block.kind == "heading":
            headings.append(Heading(start=length, end=length + len(block.text), level=block.level, title=block.text))
        parts.append(block.text)
        length += len(block.text)
    text = "".join(parts)
    if not page_starts:
        pages = [PageSpan(start=0, end=len(text), page=1)]
    else:
        pages = [
            PageSpan(start=0 if n == 0 else start, end=page_starts[n + 1][0] if n + 1 < len(page_starts) else len(text),
                     page=page)
            for n, (start, page) in enumerate(page_starts)
        ]
    return CleanDocument(
        manifest=manifest, text=text, pages=pages, headings=headings,
        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
