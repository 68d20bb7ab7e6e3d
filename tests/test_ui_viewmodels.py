"""What the pages show, computed without Streamlit."""

from __future__ import annotations

from assistant.answers.models import Answer
from assistant.config import Settings
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
