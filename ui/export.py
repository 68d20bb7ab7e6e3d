"""A conversation as a Word document: every question and answer, the answers' markers renumbered into
one Källor list at the end. Plain Python (python-docx), no Streamlit."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from docx import Document
from docx.shared import Pt, RGBColor

from assistant.answers.models import Answer
from ui.citations import SourceView, renumber, source_line


@dataclass
class ExportTurn:
    question: str
    answer: Answer | None  # None: the question got an error message instead
    text: str  # what the assistant said (the answer text or the error message)
    sources: list[SourceView]


def _numbering(turns: list[ExportTurn]) -> tuple[list[dict[int, int]], list[SourceView]]:
    """One number per distinct cited quote across the conversation, in order of first use."""
    seen: dict[tuple[str, str, int], int] = {}
    ordered: list[SourceView] = []
    maps = []
    for turn in turns:
        mapping = {}
        for s in turn.sources:
            key = (s.full_title, " ".join(s.quote.split()), s.page)
            if key not in seen:
                seen[key] = len(ordered) + 1
                ordered.append(s)
            mapping[s.n] = seen[key]
        maps.append(mapping)
    return maps, ordered


def conversation_docx(title: str, turns: list[ExportTurn], mode: str, when: datetime | None = None) -> bytes:
    when = when or datetime.now()
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    doc.core_properties.title = title
    doc.core_properties.language = "sv-SE"
    doc.add_heading("Samtal med Kategoriassistenten", level=0)
    meta = doc.add_paragraph()
    meta.add_run(title).bold = True
    meta.add_run(f"\nExporterat {when:%Y-%m-%d %H:%M} · {mode}")
    grey = RGBColor(0x55, 0x55, 0x55)

    maps, ordered = _numbering(turns)
    for turn, mapping in zip(turns, maps, strict=True):
        q = doc.add_paragraph(style="Heading 2")
        q.add_run(turn.question)
        if turn.answer is None:
            doc.add_paragraph(turn.text).runs[0].italic = True
            continue
        text = renumber(turn.answer.answer, mapping) if turn.answer.answered else turn.answer.answer
        for para in [p for p in text.split("\n\n") if p.strip()]:
            doc.add_paragraph(para.strip())
        if not turn.answer.answered:
            doc.add_paragraph("(Underlaget besvarade inte frågan.)").runs[0].italic = True
        for note in turn.answer.notes:
            run = doc.add_paragraph().add_run(note)
            run.italic = True
            run.font.color.rgb = grey
        if mapping:
            used = ", ".join(f"[{mapping[s.n]}]" for s in turn.sources)
            run = doc.add_paragraph().add_run(f"Källor till svaret: {used}")
            run.font.size = Pt(9)
            run.font.color.rgb = grey

    if ordered:
        doc.add_heading("Källor", level=1)
        for i, s in enumerate(ordered, 1):
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Pt(24)
            p.paragraph_format.first_line_indent = Pt(-24)
            p.add_run(f"[{i}]\t")
            p.add_run(source_line(s))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
