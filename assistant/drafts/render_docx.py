"""The draft as a Word document (python-docx): a title page, real Heading 1/2 styles, tables with
repeated header rows, [n] citation markers as text, highlighted `[Att fylla i: …]` placeholders and
the Källor list.

The bytes are reproducible: the zip entries get the draft's date instead of the time of writing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from assistant.config import Settings
from assistant.drafts.context import CELL_BREAK
from assistant.drafts.models import Block, StrategyDraft, Table
from assistant.drafts.render_common import PLACEHOLDER, intro_note, source_entry, title_lines
from assistant.drafts.text_width import width_cm

_TEXT_WIDTH_CM = 16.0  # A4 with 2.5 cm margins
_FONT = "Calibri"
NB_HYPHEN = "\u2011"  # dates (2025-12-19) never break at their hyphens
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_CELL_PAD_CM = 0.12  # left and right margin inside a table cell
_SIZES = (9.0, 8.5, 8.0, 7.5)  # font sizes tried for a table, largest first
_SAFETY = 1.06  # LibreOffice and Word round glyph positions; a little room keeps a word on one line
_MAX_WANTED_CM = 8.0


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
    # Calibri for body text and tables (the template's theme says Cambria): the column widths are measured
    # for it, and LibreOffice without Calibri falls back to DejaVu Sans, which text_width.py is built on.
    normal.font.name = _FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), _FONT)
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
    elif block.kind == "label":
        _heading(doc, block.text, 3)
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
    run = paragraph.add_run(_DATE.sub(lambda m: m.group(0).replace("-", NB_HYPHEN), text))
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
    size, widths = _layout(table)
    t = doc.add_table(rows=1, cols=len(table.columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = t.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, table.columns, strict=True):
        _cell_text(cell, text, size, bold=True)
        _cell_shade(cell, "D9E2F3")
    for row in table.rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _cell_text(cell, text, size)
    _widths(t, widths)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _cell_text(cell, text: str, size: float, bold: bool = False) -> None:
    """A cell's text; lines separated by CELL_BREAK become paragraphs of their own."""
    lines = text.split(CELL_BREAK) or [""]
    for i, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0 if i == len(lines) - 1 else 2)
        _runs(paragraph, ("• " if len(lines) > 1 else "") + line, bold=bold, size=size)


def _tokens(text: str) -> list[str]:
    """The pieces a line may break between: ordinary spaces and cell breaks. A no-break space keeps
    "2 940 000 kr" and "31,3 %" whole, and a bare "[Att fylla i]" reads best unbroken."""
    if text.strip() == "[Att fylla i]":
        return [text.strip()]
    return [t for t in re.split(r"[ \t\n\u2028]+", text) if t]


def _layout(table: Table) -> tuple[float, list[float]]:
    """The largest font size at which no column is narrower than its widest unbreakable piece of text,
    and the column widths (cm) at that size. Words and numbers never break inside; what is left of the
    page width goes to the columns with the most text."""
    for size in _SIZES:
        widths = _column_widths(table, size)
        if widths is not None:
            return size, widths
    # Even at the smallest size some word is wider than its share: give every column its minimum and
    # shrink them together (only very long unbroken strings, e.g. URLs, get here).
    minimum = _minimum_widths(table, _SIZES[-1])
    return _SIZES[-1], [m * _TEXT_WIDTH_CM / sum(minimum) for m in minimum]


def _minimum_widths(table: Table, size: float) -> list[float]:
    out = []
    for i, heading in enumerate(table.columns):
        words = [width_cm(w, size) for row in table.rows for w in _tokens(row[i])]
        words += [width_cm(w, size, bold=True) for w in _tokens(heading)]
        out.append(max(words, default=0.5) * _SAFETY + 2 * _CELL_PAD_CM)
    return out


def _column_widths(table: Table, size: float) -> list[float] | None:
    minimum = _minimum_widths(table, size)
    if sum(minimum) > _TEXT_WIDTH_CM:
        return None
    wanted = []
    for i in range(len(table.columns)):
        lines = sorted(width_cm(line, size) for row in table.rows for line in row[i].split(CELL_BREAK))
        typical = lines[(3 * (len(lines) - 1)) // 4] if lines else 0.0
        wanted.append(max(minimum[i], min(typical * _SAFETY + 2 * _CELL_PAD_CM, _MAX_WANTED_CM)))
    if sum(wanted) <= _TEXT_WIDTH_CM:
        return [w * _TEXT_WIDTH_CM / sum(wanted) for w in wanted]
    room = _TEXT_WIDTH_CM - sum(minimum)
    extra = [w - m for w, m in zip(wanted, minimum, strict=True)]
    return [m + room * e / sum(extra) if sum(extra) else m for m, e in zip(minimum, extra, strict=True)]


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths and narrow cell margins, so Word and LibreOffice lay the table out the same."""
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(int(width * 567)))  # twentieths of a point per cm
    props = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    props.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(_CELL_PAD_CM * 567)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    props.append(margins)


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

