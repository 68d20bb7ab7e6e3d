"""The Streamlit app through streamlit.testing.v1.AppTest: each page does its job."""

from __future__ import annotations

import json
import re

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


def _cited(at: AppTest) -> list[dict]:
    """The data of every citations block on the page (answer text, chips and cards as HTML)."""
    return [json.loads(e.proto.json) for e in at.get("bidi_component") if e.proto.component_name == "kategori_citations"]


def _plain(markdown: str) -> str:
    """A message as the user reads it (messages are escaped so that no text in them is active)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def _documents_table(at: AppTest) -> str:
    return next(h.proto.body for h in at.get("html") if "doktabell" in h.proto.body)


def _inputs(at: AppTest, label: str) -> list:
    """The text fields with this label, from the latest run."""
    return [t for t in at.text_input if t.label == label]


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_chat_answers_with_clickable_verified_citations_and_refuses_out_of_scope(seed_settings, use_data):
    use_data(seed_settings)
    at = _app()
    assert any("Offline" in c.value for c in at.caption)  # the mode is visible
    _button(at, "Vad är en spendanalys?").click().run()  # an example question on the empty chat
    assert not at.exception, at.exception
    [block] = _cited(at)
    assert 'class="cite"' in block["html"] and 'class="chip"' in block["html"]
    assert "Upphandlingsmyndighetens rapport om ändamålsenliga inköpsorganisationer (2022)" in block["html"]
    card = block["cards"]["1"]
    assert "Verifierat: citatet står ordagrant" in card and "<mark>" in card and "spendanalys" in card
    assert block["copy"].startswith("Enligt") and "**Källor**" in block["copy"]

    at.chat_input[0].set_value("Vem vann Melodifestivalen 2019?").run()
    assert any("Underlaget besvarar inte frågan" in w.value for w in at.warning)
    assert len(_cited(at)) >= 2  # the refusal shows the nearest passages, without a verdict
    _button(at, "Nytt samtal").click().run()
    assert not _cited(at) and "samtal" not in at.query_params


def test_conversations_are_saved_listed_and_restored_after_a_reload(seed_settings, use_data):
    from ui.conversations import ConversationStore

    use_data(seed_settings)
    at = _app()
    at.chat_input[0].set_value("Vad är en spendanalys?").run()
    token, conv_id = at.session_state["browser_token"], at.query_params["samtal"]
    [saved] = ConversationStore(seed_settings.data_dir / "samtal.sqlite3").list(f"webbläsare:{token}")
    assert saved.id == conv_id and saved.turns == 2 and saved.title == "Vad är en spendanalys?"
    _button(at, "Nytt samtal").click().run()
    assert at.button(key=f"samtal-{conv_id}").label == "Vad är en spendanalys?"  # in the sidebar list

    # A reload: a new session with the same browser cookie and the address with the conversation in it.
    again = AppTest.from_file(APP, default_timeout=120)
    again.session_state["browser_token"] = token
    again.query_params["samtal"] = conv_id
    again.run()
    assert not again.exception, again.exception
    assert again.get("text")[0].value == "Vad är en spendanalys?"
    assert _cited(again) and [d.label for d in again.get("download_button")] == ["Exportera till Word"]

    # Another browser does not see it.
    stranger = AppTest.from_file(APP, default_timeout=120)
    stranger.query_params["samtal"] = conv_id
    stranger.run()
    assert not _cited(stranger)
    assert any("finns inte längre, eller hör till någon annan" in i.value for i in stranger.info)


def test_login_roles_decide_who_may_change_the_library(small_settings, use_data, monkeypatch):
    from ingest.pipeline import sync_index

    sync_index(small_settings)
    monkeypatch.setenv("KATEGORI_LOGIN", "true")
    monkeypatch.setenv("KATEGORI_OIDC_METADATA_URL", "http://127.0.0.1:9/.well-known/openid-configuration")
    monkeypatch.setenv("KATEGORI_OIDC_CLIENT_ID", "kategori")
    monkeypatch.setenv("KATEGORI_OIDC_CLIENT_SECRET", "hemligt")
    monkeypatch.setenv("KATEGORI_ADMINS", "anna@kommun.se")
    use_data(small_settings)

    at = AppTest.from_file(APP, default_timeout=120)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Logga in"] and not _cited(at)

    reader = AppTest.from_file(APP, default_timeout=120)
    reader.user = {"is_logged_in": True, "sub": "2", "iss": "http://idp", "email": "bo@kommun.se", "name": "Bo"}
    reader.run()
    reader.switch_page("views/kallor.py").run()
    assert not reader.exception, reader.exception
    assert not reader.get("file_uploader") and any("Bara biblioteksansvariga" in i.value for i in reader.info)
    assert any("Inloggad som Bo" in c.value and "kommun" in c.value for c in reader.caption)

    admin = AppTest.from_file(APP, default_timeout=120)
    admin.user = {"is_logged_in": True, "sub": "1", "iss": "http://idp", "email": "anna@kommun.se", "name": "Anna"}
    admin.run()
    admin.switch_page("views/kallor.py").run()
    assert not admin.exception, admin.exception
    assert admin.get("file_uploader") and any("biblioteksansvarig" in c.value for c in admin.caption)


def test_ambitionsgraf_questionnaire_gives_the_right_scores(seed_settings, use_data, tmp_path):
    from functools import partial

    from assistant.ambitionsgraf import evaluate
    from assistant.ambitionsgraf.report import by_question
    from ui.ambitionsgraf_form import Form

    use_data(Settings(data_dir=seed_settings.data_dir))
    example = json.loads((REPO_ROOT / "assistant" / "ambitionsgraf" / "examples" / "en-svarande.json").read_text(encoding="utf-8"))
    # A fresh data directory for the history, sharing the built index.
    at = _app()
    at.switch_page("views/ambitionsgrafen.py").run()
    assert not at.exception, at.exception
    at.text_input(key="ag_org").set_value(example["organisation"])
    answers = example["respondents"][0]["answers"]
    key = partial(Form.key, 1)  # the first respondent's id (keys follow the person, not the tab)
    for qid, value in answers.items():
        if qid == "V3.5_frekvens":
            at.selectbox(key=key(qid)).set_value(value)
        else:
            at.radio(key=key(qid)).set_value(value)
    at.selectbox(key=key("role")).set_value(example["respondents"][0]["role"])
    at.run()
    assert not at.exception, at.exception
    expected = evaluate({"organisation": example["organisation"], "respondents": example["respondents"]})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Vertikal axel (ledningen)"] == f"{expected.vertical:.2f}".replace(".", ",")
    assert metrics["Horisontell axel (verksamheten)"] == f"{expected.horizontal:.2f}".replace(".", ",")
    assert at.get("image"), "the ambitionsgraf chart (st.pyplot) is missing"
    # One expander of advice per weak question (several pieces of advice for one question share it).
    assert len([e for e in at.expander if e.label.startswith(tuple(r.question_id for r in expected.recommendations))]) \
        == len(by_question(expected.recommendations))
    next(b for b in at.button if b.label == "Spara bedömningen i historiken").click().run()
    assert any("Sparad som bedömning" in s.value for s in at.success)


def _docx(*paragraphs: str, title: str = "") -> bytes:
    import io

    from docx import Document

    document = Document()
    document.core_properties.title = title
    document.add_heading(paragraphs[0], 1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_sources_page_names_a_bad_file_before_anything_is_added(small_settings, use_data):
    from ingest.pipeline import sync_index

    sync_index(small_settings)
    use_data(small_settings)
    at = _app()
    at.switch_page("views/kallor.py").run()
    assert not at.exception, at.exception
    table = _documents_table(at)
    assert table.count("<tr>") == 3 and table.count("Grundkorpus") == 2  # header + 2 documents
    assert any('<mark class="avsnitt">' in h.proto.body for h in at.get("html"))
    upload = at.get("file_uploader")[0]
    upload.set_value(("trasig.pdf", b"%PDF-1.7 garbage", "application/pdf")).run()
    assert not at.exception, at.exception
    assert any("trasig.pdf" in _plain(e.value) and "skadad" in e.value for e in at.error)
    assert _button(at, "Lägg till i underlaget").disabled  # nothing that could be added
    assert _documents_table(at).count("<tr>") == 3


def test_sources_page_adds_a_batch_with_title_publisher_and_year_then_edits_and_removes(small_settings, use_data):
    """A Word file whose own title is junk gets its file name as the title, the user's title, publisher and
    year are used, and a bad file in the same batch is listed with its reason while the good ones are
    added; the result is shown by the uploader, the table updated at once."""
    from ingest.pipeline import sync_index

    sync_index(small_settings)
    use_data(small_settings)
    at = _app()
    at.switch_page("views/kallor.py").run()
    policy = _docx("Inköpspolicy", "Alla inköp över 100 000 kronor stäms av med inköpsenheten i kommunen.",
                   title="Microsoft Word - dok1")
    coffee = "Om kaffe\n\nKommunen köper kaffe för 3 miljoner kronor per år till alla förvaltningar.\n".encode()
    at.get("file_uploader")[0].set_value([("inkopspolicy_2024.docx", policy, "application/octet-stream"),
                                          ("kaffe.txt", coffee, "text/plain"),
                                          ("trasig.pdf", b"%PDF-1.7 garbage", "application/pdf")]).run()
    assert not at.exception, at.exception
    assert [t.value for t in _inputs(at, "Titel")] == ["inkopspolicy 2024", "kaffe"]  # not "Microsoft Word - dok1"
    assert any("Microsoft Word - dok1" in _plain(c.value) and "inte kontrollerat" in c.value for c in at.caption)
    _inputs(at, "År")[0].set_value("år 1")
    _button(at, "Lägg till i underlaget").click().run()
    assert any(_plain(e.value).startswith("Rätta det här först") and "inkopspolicy_2024.docx: året måste vara"
               in _plain(e.value) for e in at.error)
    assert _documents_table(at).count("<tr>") == 3  # nothing added

    _inputs(at, "Titel")[0].set_value("Inköpspolicy för Exempelkommun")
    _inputs(at, "Utgivare")[0].set_value("Exempelkommun, kommunfullmäktige")
    _inputs(at, "År")[0].set_value("2024")
    _button(at, "Lägg till i underlaget").click().run()
    assert not at.exception, at.exception
    [result] = [w for w in at.warning if "tillagda" in w.value]
    text = _plain(result.value)
    assert text.startswith("2 dokument tillagda, 1 fil kunde inte läggas till.")
    assert "inkopspolicy_2024.docx: tillagt som »Inköpspolicy för Exempelkommun«, id inkopspolicy-2024" in text
    assert "kaffe.txt: tillagt som »kaffe«" in text and "trasig.pdf" in text and "skadad" in text
    table = _documents_table(at)
    assert table.count("<tr>") == 5 and "Inköpspolicy för Exempelkommun" in table
    assert "Exempelkommun, kommunfullmäktige" in table and "2024" in table
    assert not at.get("file_uploader")[0].value  # emptied for the next batch

    # Edited later: the publisher of the text file, and its year; nothing re-embedded.
    at.selectbox(key="kallor_doc").set_value("kaffe").run()
    _inputs(at, "Utgivare")[0].set_value("Exempelkommun")
    _inputs(at, "År")[0].set_value("2023")
    _button(at, "Spara ändringarna").click().run()
    assert not at.exception, at.exception
    assert any("»kaffe« är uppdaterat" in _plain(s.value) for s in at.success)
    assert "Exempelkommun</td><td class=\"num\">2023" in _documents_table(at).replace("\n", "")

    at.checkbox(key="kallor_sure_kaffe").check().run()
    _button(at, "Ta bort").click().run()
    assert not at.exception, at.exception
    assert any("borttaget" in s.value for s in at.success)
    assert _documents_table(at).count("<tr>") == 4
    assert not (small_settings.user_documents_dir / "kaffe.txt").exists()


def test_sources_page_keeps_two_files_with_the_same_name_apart_and_limits_the_upload(small_settings, use_data):
    """Two files that would get the same id become two documents, and the result says why the second id has a
    hash; the uploader refuses what the ingest would refuse (KATEGORI_MAX_FILE_MB)."""
    from ingest.pipeline import sync_index

    sync_index(small_settings)
    use_data(small_settings)
    at = _app()
    at.switch_page("views/kallor.py").run()
    uploader = at.get("file_uploader")[0]
    assert uploader.proto.max_upload_size_mb == small_settings.max_file_mb == 50
    text = "Om kaffe\n\nKommunen köper kaffe för 3 miljoner kronor per år till alla förvaltningar.\n".encode()
    same_id = "# Om kaffe\n\nRegionen köper kaffebönor till vårdens kaféer.\n".encode()
    uploader.set_value([("kaffe.txt", text, "text/plain"), ("Kaffe.md", same_id, "text/markdown")]).run()
    _button(at, "Lägg till i underlaget").click().run()
    assert not at.exception, at.exception
    [done] = [_plain(s.value) for s in at.success if "tillagda" in s.value]
    assert done.startswith("2 dokument tillagda.")
    assert "kaffe.txt: tillagt som »kaffe«, id kaffe." in done, done
    assert re.search(r"Kaffe\.md: tillagt som .*, id kaffe-[0-9a-f]{6} \(id:t kaffe används redan av filen »kaffe\.txt«",
                     done), done
    assert _documents_table(at).count("<tr>") == 5


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
    assert summary.startswith("16 avsnitt,") and summary.endswith(f"varav {n} verifierade.") and n > 11
    assert any(re.search(r"^\d+ rader i spendfilen kunde inte användas \(raderna \d+, ", w.value) for w in at.warning)
    assert [d.label for d in at.get("download_button")] == ["Ladda ned Word (.docx)", "Ladda ned Markdown (.md)"]
    [preview] = _cited(at)
    for heading in ("<h2>1. Syfte, omfattning och mandat</h2>", "<h2>16. Uppföljning", f"<h2>Källor ({n})</h2>"):
        assert heading in preview["html"]
    assert '<span class="fill">[Att fylla i:' in preview["html"]
    # One list of sources, each with its card; every marker in the text opens one of them.
    assert preview["html"].count('class="src"') == n and len({k.split(".")[0] for k in preview["cards"]}) == n
    assert preview["html"].count('class="cite') >= n


def test_strategy_form_reports_bad_input(seed_settings, use_data):
    use_data(seed_settings)
    at = _app()
    at.switch_page("views/kategoristrategi.py").run()
    at.text_input[0].set_value("Exempelkommun")
    at.text_input[1].set_value("IT")
    at.text_input[2].set_value("minus tusen")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, at.exception
    assert any(_plain(e.value).startswith("Kategorins årliga volym: »minus tusen« är inget belopp") for e in at.error)
    at.text_input[2].set_value("")
    at.get("file_uploader")[0].set_value(("spend.xlsx", b"inte ett kalkylark", "application/octet-stream"))
    at.get("form_submit_button")[0].click().run()
    assert any("spend.xlsx" in _plain(e.value) for e in at.error)


def test_without_login_the_app_refuses_to_serve_other_computers(tmp_path, use_data):
    from streamlit import config

    use_data(Settings(data_dir=tmp_path / "data"))
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
    finally:
        config.set_option("server.address", before)
    assert not at.exception, at.exception
    assert any("utan inloggning" in e.value and "KATEGORI\\_LOGIN" in e.value for e in at.error)
    assert not at.get("bidi_component") and not at.chat_input


def test_a_conversation_id_with_a_double_underscore_still_renders_its_answer():
    # secrets.token_urlsafe ids contain »__« now and then; Streamlit refuses that in a component's key.
    def page():
        from ui.components import cited_block

        cited_block("<p>Svar [1]</p>", [], key="svar-ab__cd___e-0")

    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    from ui.components import component_key

    assert "__" not in component_key("svar-ab__cd___e-0") and component_key("a__b") != component_key("a_b")
