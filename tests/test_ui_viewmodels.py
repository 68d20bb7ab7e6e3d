"""What the pages show, computed without Streamlit."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assistant.ambitionsgraf import evaluate, load_rubric
from assistant.answers.models import Answer
from assistant.config import REPO_ROOT, Settings
from assistant.errors import InputError
from ingest.models import CleanDocument, DocumentManifest, PageSpan
from ui import viewmodels as vm


def test_highlight_marks_the_quote_in_every_paragraph_it_spans_and_escapes_html():
    text = "Rubrik <b>\n\nFörsta stycket här.\n\nAndra stycket."
    out = vm.highlight_html(text, text.index("stycket här"), text.index("Andra") + 5)
    assert out == ("<p>Rubrik &lt;b&gt;</p><p>Första <mark>stycket här.</mark></p>"
                   "<p><mark>Andra</mark> stycket.</p>")
    assert "<mark>" not in vm.highlight_html(text, None, None)


def test_context_shows_the_quote_with_surrounding_text():
    manifest = DocumentManifest(doc_id="dok", title="T", publisher="P", document_type="rapport", published_at="x", file="f")
    body = ("ord " * 400) + "Här står citatet. " + ("mer " * 400)
    doc = CleanDocument(manifest=manifest, text=body, pages=[PageSpan(start=0, end=len(body), page=1)], headings=[],
                        content_sha256="x")
    start = body.index("Här står")
    out = vm.context_html(doc, start, start + len("Här står citatet."))
    assert "<mark>Här står citatet.</mark>" in out
    assert out.startswith("<p>…</p>") and out.endswith("<p>…</p>")
    assert len(out) < 2 * 700 + 200


def test_markdown_escaping_and_bold_markers():
    answer = Answer(question="q", answered=True, answer="Kostar $5 *totalt* [1] och [2].", mode="none")
    assert vm.answer_markdown(answer) == r"Kostar \$5 \*totalt\* **[1]** och **[2]**."


def test_mode_label():
    assert vm.mode_label(Settings()).startswith("Offline")
    llm = Settings(llm="ollama", llm_model="llama3.1")
    assert vm.mode_label(llm) == "Språkmodell: llama3.1 via Ollama"


def test_questionnaire_state_to_the_cli_json_and_what_is_missing():
    rubric = load_rubric()
    example = json.loads((REPO_ROOT / "assistant/ambitionsgraf/examples/en-svarande.json").read_text(encoding="utf-8"))
    answers = dict(example["respondents"][0]["answers"])
    data = vm.assessment_dict(" Exempelkommun ", date(2026, 3, 1), [{"role": "inköpschef", "answers": answers}])
    assert data["organisation"] == "Exempelkommun" and data["datum"] == "2026-03-01"
    assert evaluate(data).vertical == pytest.approx(evaluate(example).vertical)
    partial = {k: v for k, v in answers.items() if k not in ("H5", "V3.4_omfattning")}
    missing = vm.missing_answers([{"role": "", "answers": partial}], rubric)
    assert missing == ["Svarande 1 (utan roll): roll, H5, V3.4_omfattning"]


def test_imported_json_is_checked():
    with pytest.raises(InputError, match="inte giltig JSON"):
        vm.assessment_from_json(b"{inte json")
    with pytest.raises(InputError, match="formatet"):
        vm.assessment_from_json(b'{"organisation": "x"}')
    assert vm.assessment_from_json(b'{"organisation": "x", "respondents": []}')["organisation"] == "x"


def test_spread_rows_list_only_flagged_questions():
    example = json.loads((REPO_ROOT / "assistant/ambitionsgraf/examples/exempelkommun-2025.json").read_text(encoding="utf-8"))
    rows = vm.spread_rows(evaluate(example).to_json_dict())
    assert [r["Fråga"].split()[0] for r in rows] == ["V1.1", "V1.3", "V3.2", "V3.4", "V3.5", "H5"]
    assert "verksamhetsföreträdare: nej" in rows[0]["Svar"]
