"""The Streamlit app through streamlit.testing.v1.AppTest: each page does its job."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from assistant.config import REPO_ROOT, Settings, get_settings

APP = str(REPO_ROOT / "ui" / "app.py")
pytestmark = pytest.mark.slow


@pytest.fixture
def use_data(monkeypatch):
    def use(settings: Settings) -> None:
        monkeypatch.setenv("KATEGORI_DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("KATEGORI_CORPUS_DIR", str(settings.corpus_dir))
        get_settings.cache_clear()

    return use


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _popovers(at: AppTest):
    return [b for b in at.get("popover")]


def test_chat_answers_with_verified_citations_and_refuses_out_of_scope(seed_settings, use_data):
    use_data(seed_settings)
    at = _app()
    at.chat_input[0].set_value("Vad är en spendanalys?").run()
    assert not at.exception, at.exception
    answer = [m.value for m in at.markdown if m.value.startswith("Enligt")]
    assert answer and "**[1]**" in answer[0]
    popovers = _popovers(at)
    assert popovers
    badges = [child for child in popovers[0].children.values() if child.type == "success"]
    assert badges and badges[0].value.startswith("Verifierat")
    assert any("<mark>" in h.proto.body for h in at.get("html"))
    assert any("Offline" in i.value for i in at.info)  # the mode is visible

    at.chat_input[0].set_value("Vem vann Melodifestivalen 2019?").run()
    assert any("Underlaget besvarar inte frågan" in w.value for w in at.warning)
    new_conversation = next(b for b in at.button if b.label == "Ny konversation")
    new_conversation.click().run()
    assert not [m for m in at.markdown if m.value.startswith("Enligt")]


def test_ambitionsgraf_questionnaire_gives_the_right_scores(seed_settings, use_data, tmp_path):
    from assistant.ambitionsgraf import evaluate

    use_data(Settings(data_dir=seed_settings.data_dir))
    example = json.loads((REPO_ROOT / "assistant" / "ambitionsgraf" / "examples" / "en-svarande.json").read_text(encoding="utf-8"))
    # A fresh data directory for the history, sharing the built index.
    at = _app()
    at.switch_page("views/ambitionsgrafen.py").run()
    assert not at.exception, at.exception
    at.text_input(key="ag_org").set_value(example["organisation"])
    answers = example["respondents"][0]["answers"]
    for qid, value in answers.items():
        if qid == "V3.4_omfattning":
            at.radio(key="ag_0_V3.4_omfattning").set_value(value)
        elif qid == "V3.5_frekvens":
            at.selectbox(key="ag_0_V3.5_frekvens").set_value(value)
        else:
            at.radio(key=f"ag_0_{qid}").set_value(value)
    at.selectbox(key="ag_0_role").set_value(example["respondents"][0]["role"])
    at.run()
    assert not at.exception, at.exception
    expected = evaluate({"organisation": example["organisation"], "respondents": example["respondents"]})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Vertikal axel (ledningen)"] == f"{expected.vertical:.2f}".replace(".", ",")
    assert metrics["Horisontell axel (verksamheten)"] == f"{expected.horizontal:.2f}".replace(".", ",")
    assert at.get("image"), "the ambitionsgraf chart (st.pyplot) is missing"
    assert len([e for e in at.expander if e.label.startswith(tuple(r.question_id for r in expected.recommendations))]) \
        == len(expected.recommendations)
    next(b for b in at.button if b.label == "Spara bedömningen i historiken").click().run()
    assert any("Sparad som bedömning" in s.value for s in at.success)


def test_sources_page_lists_documents_and_shows_a_bad_upload_error(small_settings, use_data):
    from ingest.pipeline import sync_index

    sync_index(small_settings)
    use_data(small_settings)
    at = _app()
    at.switch_page("views/kallor.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) == 2 and set(table["Källa"]) == {"Grundkorpus"}
    assert any("<mark>" in h.proto.body for h in at.get("html"))
    upload = at.get("file_uploader")[0]
    upload.set_value(("trasig.pdf", b"%PDF-1.7 garbage", "application/pdf")).run()
    next(b for b in at.button if b.label == "Lägg till i underlaget").click().run()
    assert any("trasig.pdf" in e.value and "skadad" in e.value for e in at.error)


def test_sources_page_adds_and_removes_a_user_document(small_settings, use_data):
    from ingest.pipeline import sync_index

    sync_index(small_settings)
    use_data(small_settings)
    at = _app()
    at.switch_page("views/kallor.py").run()
    text = "Om kaffe\n\nKommunen köper kaffe för 3 miljoner kronor per år till alla förvaltningar.\n".encode()
    at.get("file_uploader")[0].set_value(("kaffe.txt", text, "text/plain")).run()
    next(b for b in at.button if b.label == "Lägg till i underlaget").click().run()
    assert not at.exception, at.exception
    assert any("kaffe" in s.value for s in at.success)
    assert len(at.dataframe[0].value) == 3
    at.selectbox(key="kallor_doc").set_value("kaffe").run()
    at.checkbox(key="kallor_sure_kaffe").check().run()
    next(b for b in at.button if b.label == "Ta bort").click().run()
    assert not at.exception, at.exception
    assert any("borttaget" in s.value for s in at.success)
    assert len(at.dataframe[0].value) == 2
    assert not (small_settings.user_documents_dir / "kaffe.txt").exists()


def test_strategy_draft_is_generated_with_verified_citations_and_downloads(seed_settings, use_data):
    use_data(seed_settings)
    at = _app()
    at.switch_page("views/kategoristrategi.py").run()
    assert not at.exception, at.exception
    at.text_input[0].set_value("Exempelkommun")
    at.text_input[1].set_value("IT")
    spend = (REPO_ROOT / "assistant" / "drafts" / "examples" / "spend-felaktiga-rader.csv").read_bytes()
    at.get("file_uploader")[0].set_value(("spend.csv", spend, "text/csv"))
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    summary = next(s.value for s in at.success if "källhänvisningar" in s.value)
    n = int(summary.split(" källhänvisningar")[0].split()[-1])
    assert summary.endswith(f"varav {n} verifierade.") and n > 11
    assert any("kunde inte användas (rad " in w.value for w in at.warning)
    assert [d.label for d in at.get("download_button")] == ["Ladda ned Word (.docx)", "Ladda ned Markdown (.md)"]
    preview = "\n".join(m.value for m in at.markdown)
    for heading in ("## 1. Syfte, omfattning och mandat", "## 16. Uppföljning"):
        assert heading in preview
    assert "[Att fylla i:" in preview


def test_strategy_form_reports_bad_input(seed_settings, use_data):
    use_data(seed_settings)
    at = _app()
    at.switch_page("views/kategoristrategi.py").run()
    at.text_input[0].set_value("Exempelkommun")
    at.text_input[1].set_value("IT")
    at.text_input[2].set_value("minus tusen")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert any("minus tusen" in e.value for e in at.error)
    at.text_input[2].set_value("")
    at.get("file_uploader")[0].set_value(("spend.xlsx", b"inte ett kalkylark", "application/octet-stream"))
    at.get("form_submit_button")[0].click().run()
    assert any("spend.xlsx" in e.value for e in at.error)
