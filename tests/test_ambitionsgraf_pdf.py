"""The PDF report for a ledningsgrupp: one page with the chart, the scores, the spread and the advice;
every quote verbatim and page-referenced (inline, or on a quotes page when they do not fit)."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from assistant.ambitionsgraf import evaluate
from assistant.ambitionsgraf.history import SavedAssessment, compare, snapshot
from assistant.ambitionsgraf.pdf import build_pdf, save_pdf
from assistant.errors import InputError

from .ambitionsgraf_fixtures import EXAMPLE_2026, assessment, example, respondent


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_few_weak_points_fit_on_one_page_with_quotes_inline():
    # Weak on V1.4 and H4 only: two pieces of advice, their quotes beside them on page 1.
    ev = evaluate(assessment(respondent(overrides={"V1.4": 1, "H4": 2}), respondent("politisk ledning",
                                                                              overrides={"V1.4": 2, "H4": 1})))
    assert [r.question_id for r in ev.recommendations] == ["V1.4", "H4"]
    pages = _pages(build_pdf(ev))
    assert len(pages) == 1
    page = pages[0]
    assert page.startswith("Ambitionsgrafen – Testkommun")
    for expected in ("Vertikal axel (ledningen)", "Horisontell axel (verksamheten)", "V1 Strategi och planering",
                     "Där de svarande skiljer sig åt", "Råd med stöd i rapporten", "V1.4 Organisationsövergripande "
                     "spendanalys", "H4 Kategoriteam", "Upphandlingsmyndigheten (2022)"):
        assert expected in page, expected
    for rec in ev.recommendations:
        for c in rec.citations:
            assert f"»{_flat(c.quote)}« (s. {c.page}, avsnitt" in page
    assert "sida 1 av" not in page


def test_many_weak_points_keep_page_one_and_move_quotes_to_a_second_page():
    ev = evaluate(example())  # Exempelkommun 2025: eight weak points, twenty quotes
    pages = _pages(build_pdf(ev))
    assert len(pages) == 2
    first, quotes = pages
    assert "sida 1 av 2" in first and "De ordagranna citaten står på nästa sida" in first
    groups = list(dict.fromkeys(r.question_id for r in ev.recommendations))
    for qid in groups:
        assert qid in first
    assert first.count("V3.4 Uppföljning av måluppfyllelse") == 2  # once in the spread table, once as advice
    assert "politisk ledning 3 (delar) · inköpschef 3 (delar) · verksamhetsföreträdare 2 (hela)" in first
    n = 0
    for rec in ev.recommendations:
        for c in rec.citations:
            n += 1
            assert f"[{n}] {rec.question_id}, s. {c.page}, avsnitt" in quotes
            assert f"»{_flat(c.quote)}«" in quotes
    assert "[1–3] s. 23, 39" in first  # the quote numbers and report pages beside the advice


def test_report_never_shows_points_beside_answers_and_labels_the_tool_reading():
    page = _pages(build_pdf(evaluate(example())))[0]
    assert "poäng" not in page.replace("Poängen räknas", "")
    assert "verktygets egen läsning, inte rapportens" in page


def test_change_since_the_previous_assessment():
    before = evaluate(example())
    after = evaluate(EXAMPLE_2026.read_text(encoding="utf-8"))
    entry = SavedAssessment(**snapshot(before).model_dump(), id=1, saved_at=datetime(2025, 4, 1, tzinfo=UTC))
    cmp = compare(snapshot(after), [entry])
    page = _pages(build_pdf(after, [entry], comparison=cmp))[0]
    assert "Sedan bedömningen 2025-03-31: vertikalt +0,77, horisontellt +0,67, V1 +1,07, V2 +0,75, V3 +0,50." in page
    same = compare(snapshot(before), [entry.model_copy(update={"datum": entry.datum.replace(year=2024)})])
    assert "Inga förändringar sedan bedömningen 2024-03-31." in _pages(build_pdf(before, comparison=same))[0]


def test_one_respondent_and_no_weak_points():
    page = _pages(build_pdf(evaluate(assessment(respondent(value=4)))))[0]
    assert "En svarande – ingen spridning att visa" in page
    assert "Inga svaga punkter" in page


def test_save_pdf_checks_the_path(tmp_path):
    ev = evaluate(assessment(respondent(value=4)))
    with pytest.raises(InputError, match="ska sluta på .pdf"):
        save_pdf(ev, tmp_path / "rapport.docx")
    with pytest.raises(InputError, match="finns inte"):
        save_pdf(ev, tmp_path / "saknas" / "rapport.pdf")
    path = save_pdf(ev, tmp_path / "rapport.pdf")
    assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) saknas")
def test_page_renders_to_an_a4_image(tmp_path):
    """Rendered as a person sees it (the PNG goes to test-artifacts/ for a look)."""
    from assistant.config import REPO_ROOT

    out = REPO_ROOT / "test-artifacts" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(build_pdf(evaluate(example())))
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(out / "ambitionsgraf-rapport")],
                   check=True, timeout=60)
    from PIL import Image

    image = Image.open(next(out.glob("ambitionsgraf-rapport*.png")))
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
