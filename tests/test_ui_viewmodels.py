"""What the pages show, computed without Streamlit: citations, inert document text, Swedish text."""

from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.answers.models import Answer, Citation
from assistant.config import Settings
from assistant.errors import InputError
from ingest.models import CleanDocument, DocumentManifest, PageSpan
from ui import citations as cv
from ui import viewmodels as vm
from ui.draft_view import draft_html
from ui.strategy import read_form
from ui.text import count, file_slug, parse_amount_sv, progress_label

HOSTILE = ("Se [länk](http://127.0.0.2:9/x) ![x](http://127.0.0.2:9/pixel.png?leak=1) :material/verified: "
           ":red[0 kr] <img src=x onerror=alert(1)> www.example.com a@b.se [2]")


def _manifest(source="seed", **kw) -> DocumentManifest:
    data = dict(doc_id="dok", title="Rapportens långa titel", short_title="myndighetens rapport om inköp (2022)",
                publisher="Myndigheten", year=2022, document_type="rapport", published_at="webben", file="f.txt",
                source=source)
    data.update(kw)
    return DocumentManifest(**data)


def _doc(text: str, **kw) -> CleanDocument:
    return CleanDocument(manifest=_manifest(**kw), text=text, pages=[PageSpan(start=0, end=len(text), page=1)],
                         headings=[], content_sha256="x")


def _citation(n: int, chunk_text: str, quote: str, verified: bool = True) -> Citation:
    start = chunk_text.find(quote)
    return Citation(n=n, doc_id="dok", title="Rapportens långa titel", publisher="Myndigheten", year=2022, page=4,
                    section="2 Kapitel > 2.1 Avsnitt", chunk_id="dok-0001", chunk_text=chunk_text, quote=quote,
                    quote_start=start if verified else None, quote_end=start + len(quote) if verified else None,
                    verified=verified)


# ---- passages ----------------------------------------------------------------------------------------------


def test_highlight_marks_the_quote_in_every_paragraph_it_spans_and_escapes_html():
    text = "Rubrik <b>\n\nFörsta stycket här.\n\nAndra stycket."
    out = cv.highlight_html(text, text.index("stycket här"), text.index("Andra") + 5)
    assert out == ("<p>Rubrik &lt;b&gt;</p><p>Första <mark>stycket här.</mark></p>"
                   "<p><mark>Andra</mark> stycket.</p>")
    assert "<mark>" not in cv.highlight_html(text, None, None)


def test_context_shows_the_quote_with_surrounding_text():
    body = ("ord " * 400) + "Här står citatet. " + ("mer " * 400)
    start = body.index("Här står")
    out = cv.context_html(_doc(body), start, start + len("Här står citatet."))
    assert "<mark>Här står citatet.</mark>" in out
    assert out.startswith("<p>…</p>") and out.endswith("<p>…</p>")
    assert len(out) < 2 * 700 + 200


# ---- markers ---------------------------------------------------------------------------------------------------


def test_markers_count_only_outside_quotes_and_for_real_sources():
    text = "Enligt rapporten: »Se avsnitt [2] nedan.« [1] och [3] och [2]."
    assert cv.segments(text, {1, 2}) == ["Enligt rapporten: »Se avsnitt [2] nedan.« ", 1, " och [3] och ", 2, "."]
    # An unclosed quote ends at the paragraph break.
    assert cv.segments("»Öppet [1]\n\nSedan [1]", {1}) == ["»Öppet [1]\n\nSedan ", 1]
    assert cv.renumber("a [1] b »[2]« [2]", {1: 3, 2: 5}) == "a [3] b »[2]« [5]"


def _views(chunk: str, quote: str, verified: bool = True, **kw) -> list[cv.SourceView]:
    doc = _doc("Inledning. " + chunk + " Slut.", **kw)
    return [cv.source_view(_citation(1, chunk, quote, verified), doc, chunk_start=len("Inledning. "))]


def test_each_marker_opens_the_quote_it_follows():
    chunk = "Första meningen står här. Andra meningen står där. Tredje."
    views = _views(chunk, "Första meningen står här.")
    text = "Enligt rapporten: »Första meningen står här.« [1]\n\nDär står också: »Andra meningen står där.« [1]"
    body, cards = cv.text_html(text, {1: views[0]})
    assert body.count('class="cite"') == 2 and body.count("<p>") == 2
    assert re.findall(r'data-card="([^"]+)"', body) == ["1", "1.1"]
    assert "<mark>Andra meningen står där.</mark>" in cards["1.1"]
    base = cv.block_data(body, views, extra_cards=cards)["cards"]["1"]
    assert "<mark>Första meningen står här.</mark>" in base
    # The context (more of the document) is in the card too, with the same quote marked.
    assert base.count("<mark>Första meningen står här.</mark>") == 2 and "Inledning." in base


def test_cards_chips_and_copy_name_the_source_by_its_short_title_page_and_verification():
    chunk = "Kommunen köper för 3 miljoner. Det är mycket."
    seed = _views(chunk, "Kommunen köper för 3 miljoner.")[0]
    assert seed.title == "Myndighetens rapport om inköp (2022)" and seed.chip_label.endswith(", s. 4")
    chip = cv.chip(seed)
    assert "Myndighetens rapport om inköp (2022)" in chip and "s.&nbsp;4" in chip and 'class="ok"' in chip
    card = cv.card_html(seed)
    assert "Verifierat: citatet står ordagrant" in card and "Rapportens långa titel" in card and "eget dokument" not in card
    unverified = _views(chunk, "Något som inte står där.", verified=False)[0]
    assert "ej verifierat" in cv.chip(unverified) and "Ej verifierat" in cv.card_html(unverified)
    own = _views(chunk, "Det är mycket.", source="user", title="Kaffeavtal 2024", short_title="dokumentet »Kaffeavtal 2024«")[0]
    assert own.title == "Kaffeavtal 2024" and own.own
    assert "eget dokument" in cv.chip(own) and "eget dokument" in cv.card_html(own)

    answer = Answer(question="q", answered=True, mode="none", answer="Enligt rapporten: »Kommunen köper för 3 miljoner.« [1]",
                    citations=[_citation(1, chunk, "Kommunen köper för 3 miljoner.")])
    md = cv.answer_markdown(answer, [seed])
    assert md.splitlines()[0] == "Enligt rapporten: »Kommunen köper för 3 miljoner.« [1]"
    assert "[1] Rapportens långa titel, Myndigheten, 2022, s. 4 – »Kommunen köper för 3 miljoner.« – verifierat" in md


def test_document_text_is_inert_everywhere_it_is_shown():
    chunk = f"Början. {HOSTILE} Slut."
    view = _views(chunk, HOSTILE, title=f"Titel {HOSTILE}", publisher=f"Utgivare {HOSTILE}")[0]
    answer_text = f"Enligt dokumentet: »{HOSTILE}« [1]"
    body, cards = cv.text_html(answer_text, {1: view})
    html = body + cv.chips_html([view], "Källor") + cv.card_html(view) + cv.source_list_html([view])
    html += "".join(cards.values())
    # Only our own tags: no links, images or foreign attributes; the fake [2] is text.
    assert not re.search(r"<(a|img|script|iframe)\b", html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert "[2]" in body and body.count('class="cite"') == 1
    # Streamlit's own Markdown: escaped, and URLs, e-mail addresses and :shortcodes: broken up.
    md = vm.md_escape(HOSTILE)
    assert "](" not in md and "http://" not in md and ":material/" not in md and "a@b" not in md
    assert md.replace("\\", "").replace("\u2060", "") == HOSTILE


# ---- draft preview ---------------------------------------------------------------------------------------


def test_draft_preview_is_built_from_the_model_with_clickable_markers():
    from assistant.drafts.models import Block, DraftSection, StrategyDraft, StrategyInput, Table

    chunk = "Kategoristyrning innebär att inköpen grupperas i kategorier."
    view = _views(chunk, chunk)[0]
    draft = StrategyDraft(
        input=StrategyInput(organisation="Exempel<kommun>", typ="kommun", kategori="IT"), title="Kategoristrategi",
        datum=date(2026, 1, 1), mode="none", sources=[_citation(1, chunk, chunk)], sections=[DraftSection(
            number=1, key="syfte", heading="Syfte", citations=[1], blocks=[
                Block(kind="paragraph", text=f"Enligt färdplanen: »{chunk}« [1] [Att fylla i: mål]"),
                Block(kind="bullets", items=["Punkt [1]", HOSTILE]),
                Block(kind="table", table=Table(columns=["A", "B"], rows=[["1 [1]", "<b>x</b>"]],
                                                caption="Ingen nationell standard [1] <i>")),
            ])])
    html, cards = draft_html(draft, [view], Settings())
    assert "<h1>Kategoristrategi – Exempel&lt;kommun&gt;</h1>" in html and "<h2>1. Syfte</h2>" in html
    # Every marker is a button, also in a table's caption (the drafts cite there, e.g. the kategoriträd).
    assert html.count('class="cite"') == 4 and "<caption>Ingen nationell standard <button" in html
    assert "&lt;i&gt;</caption>" in html
    assert '<span class="fill">[Att fylla i: mål]</span>' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and not re.search(r"<(a|img)\b", html)
    assert cards == {}


# ---- the library ------------------------------------------------------------------------------------------


def test_documents_table_escapes_and_marks_own_documents():
    rows = [{"Dokument": "<b>Rapport</b>", "Utgivare": "U", "År": "2022", "Källa": "Eget dokument", "Sidor": "3",
             "Textavsnitt": 4, "Id": "x"}]
    html = vm.documents_table_html(rows)
    assert "&lt;b&gt;Rapport&lt;/b&gt;" in html and '<span class="own">eget dokument</span>' in html
    assert "eget dokument" in vm.document_details_html(_manifest(source="user"))
    assert vm.document_option(_manifest(source="user", title="Kaffe")) == "Kaffe (eget dokument)"


# ---- Swedish ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kronor"), [
    ("1,2 miljarder", 1.2e9), ("ca 25 miljoner", 25e6), ("25 mnkr", 25e6), ("cirka 2,1 mdkr", 2.1e9),
    ("300 tkr", 300e3), ("45 000 000 kr", 45e6), ("ungefär 3,5 miljoner kronor", 3.5e6), ("1 234,50", 1234.5),
    ("2 MSEK", 2e6), ("1 miljard", 1e9),
])
def test_amounts_as_people_write_them(text, kronor):
    assert parse_amount_sv(text) == pytest.approx(kronor)


@pytest.mark.parametrize("text", ["minus tusen", "miljoner", "25 äpplen", "ca", ""])
def test_not_amounts(text):
    assert parse_amount_sv(text) is None


def test_form_errors_name_the_fields_as_the_form_does():
    base = {"organisation": "Exempelkommun", "typ": "kommun", "kategori": "IT", "period": 3, "startar": 2027,
            "volym": "ca 25 miljoner", "total_inkopsvolym": "1,2 miljarder", "prioriteringar": [], "spend_kategori": None}
    inp = read_form(base)
    assert inp.volym == 25e6 and inp.total_inkopsvolym == 1.2e9
    with pytest.raises(InputError) as err:
        read_form(base | {"total_inkopsvolym": "massor", "organisation": ""})
    message = str(err.value)
    assert "Organisationens totala inköpsvolym: »massor« är inget belopp" in message
    assert "Organisation: " in message and "total_inkopsvolym" not in message and "organisation:" not in message
    with pytest.raises(InputError, match="^Kategorins årliga volym: beloppet får inte vara negativt"):
        read_form(base | {"volym": "-5 mnkr"})


def test_counts_progress_and_file_names_in_swedish():
    assert count(1, "rad", "rader") == "1 rad" and count(2, "rad", "rader") == "2 rader"
    assert count(1234, "dokument", "dokument") == "1\u00a0234 dokument"
    assert progress_label("Beräknar embeddings", 3, 10) == "Beräknar sökvektorer: 3 av 10"
    assert progress_label("Sparar i Chroma", 10, 10) == "Sparar i sökindexet: 10 av 10"
    assert file_slug("Kategoristrategi IT – Exempelkommun Åre") == "kategoristrategi-it-exempelkommun-are"


def test_mode_label():
    assert vm.mode_label(Settings()).startswith("Offline")
    llm = Settings(llm="ollama", llm_model="llama3.1")
    assert vm.mode_label(llm) == "Språkmodell: llama3.1 via Ollama"


# ---- Källor: upload and edit forms -------------------------------------------------------------------------


def test_upload_form_describes_each_file_and_checks_its_fields():
    from ingest.api_models import DocumentFields, FileCheck
    from ui import library_form as lf

    check = FileCheck(name="policy.pdf", ok=True, suggested=DocumentFields(title="policy"),
                      file_metadata=DocumentFields(title="about:blank", publisher="Upphandlingsmyndigheten"),
                      doc_id="policy", replaces="policy", id_note="ny version av samma fil", pages=1,
                      estimated_seconds=130.0)
    assert lf.check_line(check) == "1 sida · ca 2 min · ny version av det egna dokumentet policy"
    # What the file claims is offered as unchecked, never used: a PDF's Author is not its publisher.
    assert lf.metadata_hint(check) == ("Filen själv anger titel »about:blank«, författare »Upphandlingsmyndigheten« "
                                       "(inte kontrollerat).")
    assert lf.metadata_hint(FileCheck(name="a.txt", ok=True, suggested=DocumentFields(title="a"))) is None
    assert lf.check_line(FileCheck(name="a.txt", ok=True, characters=1200, estimated_seconds=0.2)) == \
        "1\u00a0200 tecken, utan sidnummer · ca 1 s"
    # A new version of a user's document starts from what the user set on the earlier one.
    edited = _manifest(doc_id="policy", source="user", title="Inköpspolicy", publisher="Exempelkommun", year=2024)
    assert lf.prefill(check, {"policy": edited}) == ("Inköpspolicy", "Exempelkommun", "2024")
    assert lf.prefill(check.model_copy(update={"replaces": None}), {"policy": edited}) == ("policy", "", "")
    assert lf.upload_fields("a.txt", "  Min   titel ", "", "2024") == DocumentFields(title="Min titel", year=2024)
    with pytest.raises(InputError, match=r"^a\.txt: året måste vara ett årtal mellan 1900 och 2100, inte »24«"):
        lf.upload_fields("a.txt", "T", "", "24")
    assert lf.file_key("a.txt", b"x") != lf.file_key("a.txt", b"y") != lf.file_key("b.txt", b"y")


def test_edit_form_changes_only_what_the_user_changed():
    from ingest.documents import UNKNOWN_PUBLISHER
    from ui import library_form as lf

    m = _manifest(source="user", title="kaffe", publisher=UNKNOWN_PUBLISHER, year=2022)
    assert lf.edit_values(m) == ("kaffe", "", "2022")
    assert lf.document_edit(m, "kaffe", "", "2022") is None
    edit = lf.document_edit(m, "kaffe", "Exempelkommun", "")
    assert (edit.title, edit.publisher, edit.year, edit.clear_year) == (None, "Exempelkommun", None, True)
    edit = lf.document_edit(m, "Kaffeavtalet", "", "2023")
    assert (edit.title, edit.publisher, edit.year, edit.clear_year) == ("Kaffeavtalet", None, 2023, False)
    with pytest.raises(InputError, match="titeln kan inte vara tom"):
        lf.document_edit(m, " ", "", "2022")
    with pytest.raises(InputError, match="utgivaren kan inte tas bort"):
        lf.document_edit(_manifest(source="user", publisher="Exempelkommun"), "Rapportens långa titel", "", "2022")


def test_batch_result_names_every_file_with_the_right_number():
    from ingest.api_models import FileOutcome
    from ui import library_form as lf

    one = [FileOutcome(name="a.docx", status="added", doc_id="a", title="A")]
    assert lf.outcome_lines(one) == ("1 dokument tillagt.", [("ok", "a.docx: tillagt som »A«, id a.")])
    summary, lines = lf.outcome_lines([
        *one,
        FileOutcome(name="b.pdf", status="replaced", doc_id="b", title="B"),
        FileOutcome(name="c.txt", status="unchanged", doc_id="c", title="C"),
        FileOutcome(name="d.pdf", status="refused", problem="d.pdf: PDF-filen är skadad."),
        FileOutcome(name="予算.txt", status="added", doc_id="dokument-1a2b3c4d", title="予算",
                    id_note="filnamnet kan inte skrivas med latinska bokstäver"),
    ])
    assert summary == "3 dokument tillagda, 1 fil kunde inte läggas till."
    assert [k for k, _ in lines] == ["ok", "ok", "info", "error", "ok"]
    unchanged = [FileOutcome(name="c.txt", status="unchanged", doc_id="c", title="C")]
    assert lf.outcome_lines(unchanged)[0] == "Inget nytt dokument lades till."
    assert lines[1][1] == "b.pdf: ny version av »B« (id b); den tidigare versionen är ersatt."
    assert lines[3][1] == "d.pdf: PDF-filen är skadad."
    assert lines[4][1].endswith("id dokument-1a2b3c4d (filnamnet kan inte skrivas med latinska bokstäver).")
