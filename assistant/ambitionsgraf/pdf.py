"""The ambitionsgraf as a one-page PDF report for a ledningsgrupp: the chart, the scores per axis and
area, where the respondents disagree, and the advice with verbatim, page-referenced quotes.

The page is laid out with reportlab and checked: if the quotes do not fit on one page in a readable
size, page 1 keeps the advice with page references and the verbatim quotes move to a second page, so
nothing is cut and every quote stays checkable.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from assistant.ambitionsgraf.advice import section_label
from assistant.ambitionsgraf.chart import check_output_path, make_figure
from assistant.ambitionsgraf.history import Comparison, SavedAssessment
from assistant.ambitionsgraf.models import Evaluation, ScoreResult
from assistant.ambitionsgraf.report import advice_reason, by_question, document_line, num, signed
from assistant.ambitionsgraf.rubric import Rubric, load_rubric
from assistant.errors import KategoriError

_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_INK = colors.HexColor("#111827")
_MUTED = colors.HexColor("#4B5563")
_RULE = colors.HexColor("#D1D5DB")
_BAND = colors.HexColor("#F3F4F6")
_MARGIN = 1.4 * cm


def _register_fonts() -> None:
    # DejaVu Sans ships with matplotlib (a dependency already) and has every character we print
    # (å ä ö, – » « ≥ → −), which the PDF standard fonts lack.
    if "DejaVu" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (("DejaVu", "DejaVuSans.ttf"), ("DejaVu-Bold", "DejaVuSans-Bold.ttf"),
                       ("DejaVu-Italic", "DejaVuSans-Oblique.ttf"), ("DejaVu-BoldItalic", "DejaVuSans-BoldOblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / file)))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold", italic="DejaVu-Italic",
                                  boldItalic="DejaVu-BoldItalic")


@dataclass(frozen=True)
class _Layout:
    body: float  # font size of running text
    quotes_inline: bool


# Tried in order; the first that fits on one page wins.
_LAYOUTS = (_Layout(8.2, True), _Layout(7.5, True), _Layout(7.8, False))


def _styles(size: float) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName="DejaVu", fontSize=size, leading=size * 1.32, textColor=_INK,
                          alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", parent=base, fontName="DejaVu-Bold", fontSize=17, leading=21),
        "meta": ParagraphStyle("meta", parent=base, fontSize=size, textColor=_MUTED, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontName="DejaVu-Bold", fontSize=size + 2.6,
                             leading=(size + 2.6) * 1.25, spaceBefore=6, spaceAfter=2),
        "h3": ParagraphStyle("h3", parent=base, fontName="DejaVu-Bold", fontSize=size + 1,
                             leading=(size + 1) * 1.25, spaceBefore=7, spaceAfter=2),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=size - 1, leading=(size - 1) * 1.3, textColor=_MUTED),
        "quote": ParagraphStyle("quote", parent=base, fontName="DejaVu-Italic", fontSize=size - 1,
                                leading=(size - 1) * 1.3, leftIndent=6, spaceBefore=1.5,
                                textColor=colors.HexColor("#374151")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=size - 0.4, leading=(size - 0.4) * 1.25),
        "cellb": ParagraphStyle("cellb", parent=base, fontName="DejaVu-Bold", fontSize=size - 0.4,
                                leading=(size - 0.4) * 1.25),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style)


def _e(text: object) -> str:
    return escape(str(text))


def _chart_png(result: ScoreResult, history: list[SavedAssessment], rubric: Rubric) -> bytes:
    buf = io.BytesIO()
    make_figure(result, history, rubric=rubric, compact=True).savefig(buf, format="png", dpi=200,
                                                                       facecolor="white")
    return buf.getvalue()


def _answer(value: bool | int) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


def _figures(result: ScoreResult, comparison: Comparison | None, rubric: Rubric, st: dict) -> list:
    """The numbers beside the chart."""
    axes = result.spread.axes
    multi = result.n_respondents > 1

    def row(label: str, value: float, key: str, bold: bool = False) -> list:
        style = st["cellb"] if bold else st["cell"]
        spread = f"{num(axes[key].min)}–{num(axes[key].max)}" if multi and key in axes else ""
        return [_p(_e(label), style), _p(f"<b>{num(value)}</b>" if bold else num(value), style),
                _p(spread, st["cell"])]

    rows = [[_p("<b>Mått</b>", st["cell"]), _p("<b>Värde</b>", st["cell"]),
             _p("<b>Spann mellan svarande</b>" if multi else "", st["cell"])]]
    rows.append(row("Vertikal axel (ledningen)", result.vertical, "vertical", bold=True))
    for area in rubric.vertical_areas:
        rows.append(row(f"   {area.id} {area.name}", result.areas[area.id], area.id))
    rows.append(row("Horisontell axel (verksamheten)", result.horizontal, "horizontal", bold=True))
    table = Table(rows, colWidths=[5.5 * cm, 1.3 * cm, 2.6 * cm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, _RULE),
        ("LINEBELOW", (0, 1), (-1, -2), 0.3, _RULE),
        ("BACKGROUND", (0, 1), (-1, 1), _BAND),
        ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), _BAND),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    out: list = [table, Spacer(1, 6)]
    out.append(_p(f"Nivå (verktygets egen läsning, inte rapportens): vertikalt <b>{_e(result.levels.vertical.lower())}"
                  f"</b>, horisontellt <b>{_e(result.levels.horizontal.lower())}</b>. Rapporten anger inga "
                  "gränsvärden.", st["small"]))
    if comparison is not None and comparison.previous is not None:
        prev = comparison.previous
        if comparison.unchanged:
            text = f"Inga förändringar sedan bedömningen {prev.datum.isoformat()}."
        else:
            moves = [f"vertikalt {signed(comparison.axes['vertical'].change)}",
                     f"horisontellt {signed(comparison.axes['horizontal'].change)}"]
            moves += [f"{k} {signed(d.change)}" for k, d in comparison.areas.items()]
            text = f"Sedan bedömningen {prev.datum.isoformat()}: " + ", ".join(moves) + "."
        out += [Spacer(1, 4), _p(f"<b>Förändring.</b> {_e(text)}", st["small"])]
    roles = ", ".join(dict.fromkeys(r.role for r in result.respondents))
    out += [Spacer(1, 4), _p(f"<b>Svarande.</b> {result.n_respondents} ({_e(roles)}). Organisationens punkt är "
                             "medelvärdet av de svarandes punkter.", st["small"])]
    return out


def _spread(result: ScoreResult, rubric: Rubric, st: dict, width: float) -> list:
    out: list = [_p("Där de svarande skiljer sig åt", st["h3"])]
    if result.n_respondents < 2:
        return out + [_p("En svarande – ingen spridning att visa. Låt gärna fler roller svara: skillnaderna "
                         "mellan dem är underlag för samtal.", st["small"])]
    if not result.spread.flagged:
        return out + [_p("Ingen fråga har stor spridning mellan de svarande.", st["small"])]
    rows = []
    for qid in result.spread.flagged:
        q = result.spread.questions[qid]
        answers = " · ".join(f"{_e(a.role)} <b>{_answer(a.answer)}</b>" + (f" ({_e(a.scope)})" if a.scope else "")
                             for a in q.answers)
        rows.append([_p(f"{qid} {_e(q.short)}", st["cell"]), _p(answers, st["cell"])])
    table = Table(rows, colWidths=[0.42 * width, 0.58 * width])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, _RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    scale = ", ".join(f"{o.value} = {o.label.lower()}" for o in sorted(rubric.scale.options, key=lambda o: -o.value))
    return out + [table, Spacer(1, 2), _p(f"Skala: {_e(scale)}. (delar)/(hela): uppföljningens omfattning i V3.4.",
                                          st["small"])]


def _advice(result: Evaluation, layout: _Layout, st: dict) -> tuple[list, list]:
    """The advice table for page 1 and, when the quotes are not inline, the quotes page."""
    recs = result.recommendations
    out: list = [_p("Råd med stöd i rapporten", st["h2"])]
    if not recs:
        return out + [_p("Inga svaga punkter: ingen fråga har ett medelsvar på 2 eller lägre.", st["body"])], []
    docs = {c.doc_id: c for rec in recs for c in rec.citations}
    source = "; ".join(document_line(c) for c in docs.values())
    intro = (f"Svaga punkter är frågor med medelsvar 2 eller lägre (V1.1: minst hälften svarar nej). Råden och "
             f"citaten är ur {_e(source)}.")
    if not layout.quotes_inline:
        intro += " De ordagranna citaten står på nästa sida, med samma nummer."
    out.append(_p(intro, st["small"]))
    appendix: list = [_p("Citat ur rapporten", st["h2"]),
                      _p(f"Ordagrant ur {_e(source)}, med sida och avsnitt. Numren hänvisar till råden på sidan 1.",
                         st["small"])]
    rows = [[_p("<b>Fråga</b>", st["cell"]), _p("<b>Råd</b>", st["cell"]), _p("<b>Källa</b>", st["cell"])]]
    n_quote = 0
    for group in by_question(recs):
        advice: list = []
        pages: list[int] = []
        numbers: list[int] = []
        for rec in group:
            advice.append(_p(_e(rec.advice) + (f" <i>Obs: {_e(rec.limitation)}</i>" if rec.limitation else ""),
                             st["cell"]))
            for c in rec.citations:
                n_quote += 1
                where = f"s. {c.page}, avsnitt {_e(section_label(c))}"
                pages.append(c.page)
                if layout.quotes_inline:
                    advice.append(_p(f"»{_e(c.quote)}« ({where})", st["quote"]))
                else:
                    numbers.append(n_quote)
                    appendix.append(_p(f"<b>[{n_quote}]</b> {rec.question_id}, {where}: »{_e(c.quote)}«", st["body"]))
                    appendix.append(Spacer(1, 3))
        rows.append([_p(f"<b>{group[0].question_id} {_e(group[0].short)}</b><br/>{_e(advice_reason(group))}",
                        st["cell"]), advice, _p(_sources(numbers, pages), st["cell"])])
    width = A4[0] - 2 * _MARGIN
    table = Table(rows, colWidths=[5.0 * cm, width - 7.0 * cm, 2.0 * cm], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, _RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    out.append(table)
    return out, ([] if layout.quotes_inline else appendix)


def _sources(numbers: list[int], pages: list[int]) -> str:
    """'[1–3]<br/>s. 23, 39': the quote numbers (a run when consecutive) and the report pages."""
    refs = ""
    if numbers:
        refs = f"[{numbers[0]}–{numbers[-1]}]" if len(numbers) > 1 else f"[{numbers[0]}]"
        refs += "<br/>"
    return refs + "s. " + ", ".join(str(p) for p in sorted(set(pages)))


def _story(result: ScoreResult, chart: bytes | None, comparison: Comparison | None, rubric: Rubric, layout: _Layout,
           made: date) -> list:
    st = _styles(layout.body)
    story: list = [_p(f"Ambitionsgrafen – {_e(result.organisation)}", st["title"])]
    when = f"Självskattning {result.datum.isoformat()}" if result.datum else "Självskattning"
    story.append(_p(f"{when} · underlag för ledningsgruppen · modell och frågor: Upphandlingsmyndigheten (2022), "
                    "»Att stimulera etableringen av ändamålsenliga inköpsorganisationer«, avsnitt 6.3 och Bilaga "
                    "Enkätfrågor", st["meta"]))
    width = A4[0] - 2 * _MARGIN
    chart_w = 8.0 * cm
    right_w = width - chart_w - 0.3 * cm
    chart_h = chart_w * 6.2 / 5.6
    # Without the chart (when only measuring whether a layout fits) a spacer of its size stands in.
    image = Image(io.BytesIO(chart), width=chart_w, height=chart_h) if chart else Spacer(chart_w, chart_h)
    right = _figures(result, comparison, rubric, st) + _spread(result, rubric, st, right_w)
    top = Table([[image, right]], colWidths=[chart_w + 0.3 * cm, right_w])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    story.append(top)
    appendix: list = []
    if isinstance(result, Evaluation):
        advice, appendix = _advice(result, layout, st)
        story += advice
    story += [Spacer(1, 6), _p(f"Framtagen {made.isoformat()} med Kategoriassistenten. Poängen räknas exakt enligt "
                               "Bilaga Enkätfrågor; där Bilagan är otydlig följer verktyget sina dokumenterade "
                               "tolkningar. Råden är verktygets urval ur rapporten, inte rapportens bedömning av "
                               "organisationen.", st["small"])]
    if appendix:
        story += [PageBreak(), *appendix]
    return story


def _render(story: list, title: str, total: int | None) -> tuple[bytes, int]:
    buf = io.BytesIO()
    pages = [0]

    def footer(canvas, doc) -> None:
        pages[0] = doc.page
        canvas.saveState()
        canvas.setFont("DejaVu", 7)
        canvas.setFillColor(_MUTED)
        text = title + (f" · sida {doc.page} av {total}" if total and total > 1 else "")
        canvas.drawString(_MARGIN, 0.8 * cm, text)
        canvas.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=1.2 * cm,
                            bottomMargin=1.3 * cm, title=title, author="Kategoriassistenten", lang="sv-SE")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue(), pages[0]


def build_pdf(result: ScoreResult, history: list[SavedAssessment] | None = None, *,
              comparison: Comparison | None = None, rubric: Rubric | None = None,
              today: date | None = None) -> bytes:
    """The report as PDF bytes. `history` = earlier saved assessments (the chart's trail), `comparison`
    = how this result moved since the previous one."""
    rubric = rubric or load_rubric()
    _register_fonts()
    title = f"Ambitionsgrafen – {result.organisation}"
    made = today or date.today()
    # Pick the first layout that fits on one page, measured without the chart (embedding the image is
    # the slow part of rendering); the last layout moves the quotes to a page of their own.
    layout = _LAYOUTS[-1]
    for candidate in _LAYOUTS[:-1]:
        if _render(_story(result, None, comparison, rubric, candidate, made), title, None)[1] == 1:
            layout = candidate
            break
    pages = 1 if layout is not _LAYOUTS[-1] else _render(
        _story(result, None, comparison, rubric, layout, made), title, None)[1]
    chart = _chart_png(result, history or [], rubric)
    return _render(_story(result, chart, comparison, rubric, layout, made), title, pages)[0]


def check_pdf_path(path: Path | str) -> Path:
    return check_output_path(path, ".pdf", "Rapportfilen")


def save_pdf(result: ScoreResult, path: Path | str, history: list[SavedAssessment] | None = None, *,
             comparison: Comparison | None = None) -> Path:
    path = check_pdf_path(path)
    data = build_pdf(result, history, comparison=comparison)
    try:
        path.write_bytes(data)
    except OSError as err:
        raise KategoriError(f"Rapporten kunde inte sparas i {path} ({err.strerror}).") from None
    return path
