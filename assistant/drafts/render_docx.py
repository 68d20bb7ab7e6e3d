"""The draft as a Word document (python-docx): a title page, real Heading 1/2 styles, tables with
repeated header rows, [n] citation markers as text, highlighted `[Att fylla i: …]` placeholders and
the Källor list.

The bytes are reproducible: the zip entries get the draft's date instead of the time of writing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from assistant.config import Settings
from assistant.drafts.models import Block, StrategyDraft, Table
from assistant.drafts.render_common import PLACEHOLDER, intro_note, source_entry, title_lines

_TEXT_WIDTH_CM = 16.0  # A4 with 2.5 cm margins


def render_docx(draft: StrategyDraft, settings: Settings | None = None) -> bytes:
    doc = Document()
    _setup(doc, draft)
    _title_page(doc, draft, settings)
    for section in draft.sections:
        _heading(doc, f"{section.number}. {section.heading}", 1)
        for block in section.blocks:
            _block(doc, block)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _heading(doc, "Källor", 1)
    for c in draft.sources:
        p = doc.add_paragraph(style="Normal")
        p.paragraph_format.left_indent = Cm(0.9)
        p.paragraph_format.first_line_indent = Cm(-0.9)
        p.paragraph_format.space_after = Pt(3)
        run = p.add_run(f"[{c.n}]\t")
        run.bold = True
        run.font.size = Pt(9)
        _runs(p, source_entry(c), size=9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible_zip(buffer.getvalue(), draft.datum)


# ---- document set-up ------------------------------------------------------------------------------------


def _setup(doc, draft: StrategyDraft) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)

    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    rpr.append(lang)  # Swedish spelling and hyphenation in Word and LibreOffice
    for name in ("List Bullet", "Caption"):
        doc.styles[name].font.size = Pt(10.5 if name == "List Bullet" else 9.5)

    footer = section.footer.paragraphs[0]
    footer.text = f"Utkast – {draft.title} – {draft.input.organisation} – sida "
    footer.runs[0].font.size = Pt(8.5)
    _page_field(footer)

    props = doc.core_properties
    moment = dt.datetime.combine(draft.datum, dt.time(0, 0))
    props.title = f"{draft.title} – {draft.input.organisation}"
    props.subject = "Utkast till kategoristrategi"
    props.author = "Kategoriassistenten"
    props.last_modified_by = "Kategoriassistenten"
    props.language = "sv-SE"
    props.revision = 1
    props.created = moment
    props.modified = moment
    props.last_printed = moment


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(8.5)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _title_page(doc, draft: StrategyDraft, settings: Settings | None) -> None:
    doc.add_paragraph(draft.title, style="Title")
    sub = doc.add_paragraph(draft.input.organisation, style="Subtitle")
    sub.paragraph_format.space_after = Pt(18)
    table = doc.add_table(rows=0, cols=2)
    for label, value in title_lines(draft):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
    _widths(table, [4.5, 11.5])
    doc.add_paragraph()
    note = doc.add_paragraph()
    _shade(note, "EEF2F7")
    run = note.add_run("Om utkastet. ")
    run.bold = True
    _runs(note, intro_note(draft, settings), italic=True)
    for text in draft.notes:
        p = doc.add_paragraph()
        p.add_run(f"Obs: {text}").bold = True
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# ---- blocks ---------------------------------------------------------------------------------------------


def _block(doc, block: Block) -> None:
    if block.kind == "subheading":
        _heading(doc, block.text, 2)
    elif block.kind == "bullets":
        for item in block.items:
            _runs(doc.add_paragraph(style="List Bullet"), item)
    elif block.kind == "table" and block.table is not None:
        _table(doc, block.table)
    elif block.kind == "note":
        p = doc.add_paragraph()
        _shade(p, "FFF4CE")
        _runs(p, block.text, italic=True)
    else:
        _runs(doc.add_paragraph(), block.text)


def _heading(doc, text: str, level: int) -> None:
    # Never a heading alone at the foot of a page.
    doc.add_heading(text, level=level).paragraph_format.keep_with_next = True


def _runs(paragraph, text: str, italic: bool = False, bold: bool = False, size: float | None = None) -> None:
    """Text with every `[Att fylla i: …]` highlighted, so the team sees at a glance what is left to do."""
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        if m.start() > pos:
            _run(paragraph, text[pos:m.start()], italic, bold, size)
        run = _run(paragraph, m.group(0), italic, bold, size)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        pos = m.end()
    if pos < len(text) or not text:
        _run(paragraph, text[pos:], italic, bold, size)


def _run(paragraph, text: str, italic: bool, bold: bool, size: float | None):
    run = paragraph.add_run(text)
    run.italic = italic or None
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    return run


def _table(doc, table: Table) -> None:
    if table.caption:
        caption = doc.add_paragraph(style="Caption")
        caption.paragraph_format.keep_with_next = True
        _runs(caption, table.caption)
    t = doc.add_table(rows=1, cols=len(table.columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    small = 9.0 if len(table.columns) <= 4 else 8.5
    header = t.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, table.columns, strict=True):
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        _runs(cell.paragraphs[0], text, bold=True, size=small)
        _cell_shade(cell, "D9E2F3")
    for row in table.rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            _runs(cell.paragraphs[0], text, size=small)
    _widths(t, _column_widths(table))
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _column_widths(table: Table) -> list[float]:
    """Widths in cm: shared by the typical length of each column's text, but never so narrow that its
    longest word (bold in the header) has to break."""
    weights, minimum = [], []
    for i, heading in enumerate(table.columns):
        body = [row[i] for row in table.rows]
        # A bare "[Att fylla i]" reads best unbroken, so it counts as one word.
        longest_body = max((len(w) for t in body for w in _words(t)), default=2)
        longest_head = max((len(w) for w in heading.replace("/", "/ ").split()), default=2)
        typical = sorted(len(t) for t in [heading, *body])[len(body) // 2]
        weights.append(max(longest_body, longest_head, min(typical, 45), 3))
        # About 0.17 cm per character at 8.5–9 pt, 0.2 cm in the bold header, plus the cell padding.
        minimum.append(min(max(0.17 * longest_body, 0.2 * longest_head) + 0.3, 5.0))
    if sum(minimum) > _TEXT_WIDTH_CM:  # too many columns: everyone gives up a little
        minimum = [m * _TEXT_WIDTH_CM / sum(minimum) for m in minimum]
    widths = [_TEXT_WIDTH_CM * w / sum(weights) for w in weights]
    pinned: set[int] = set()
    while narrow := {i for i, w in enumerate(widths) if i not in pinned and w < minimum[i] - 1e-9}:
        pinned |= narrow
        rest = [i for i in range(len(widths)) if i not in pinned]
        if not rest:
            break
        room = _TEXT_WIDTH_CM - sum(minimum[i] for i in pinned)
        scale = room / sum(widths[i] for i in rest)
        widths = [minimum[i] if i in pinned else widths[i] * scale for i in range(len(widths))]
    return widths


def _words(text: str) -> list[str]:
    return [text] if text == "[Att fylla i]" else text.split()


def _widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(int(width * 567)))  # twentieths of a point per cm


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _shading(properties, fill: str) -> None:
    """A solid background on a cell's or paragraph's property element (w:tcPr / w:pPr)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    properties.append(shd)


def _cell_shade(cell, fill: str) -> None:
    _shading(cell._tc.get_or_add_tcPr(), fill)


def _shade(paragraph, fill: str) -> None:
    _shading(paragraph._p.get_or_add_pPr(), fill)


def _reproducible_zip(data: bytes, date: dt.date) -> bytes:
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()

