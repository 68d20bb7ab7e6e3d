"""Offline drafts for four categories: every section cited and every citation verified, the spend
analysis in the draft, ESV's level by organisation type and total volume, category-specific guidance,
no organisation facts beyond the input, and reproducible Markdown and Word output."""

from __future__ import annotations

import io
import re

import pytest

from assistant.drafts.builder import build_draft
from assistant.drafts.format import NBSP
from assistant.drafts.render_docx import render_docx
from assistant.drafts.render_markdown import render_markdown
from assistant.drafts.spend import analyse_spend

from .draft_fixtures import DATE, EXAMPLES, assert_fully_cited, example, section_texts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def drafts(seed_settings, seed_index):
    bygg = example("konsult-myndighet.yaml").model_copy(update={
        "organisation": "Exempelbostäder AB", "typ": "bolag", "kategori": "Bygg- och anläggning",
        "total_inkopsvolym": None, "volym": None, "prioriteringar": ["Inga oseriösa underentreprenörer"]})
    inputs = {
        "it": example("it-kommun.yaml"),
        "livsmedel": example("livsmedel-region.yaml"),
        "konsult": example("konsult-myndighet.yaml"),
        "bygg": bygg,
    }
    return {key: build_draft(inp, seed_settings, index=seed_index) for key, inp in inputs.items()}


@pytest.mark.parametrize("key", ["it", "livsmedel", "konsult", "bygg"])
def test_every_section_is_cited_and_every_citation_verified(drafts, key):
    draft = drafts[key]
    assert draft.mode == "none" and draft.unverified == 0 and not draft.notes
    assert_fully_cited(draft)
    assert all(s.mode == "mall" for s in draft.sections)


@pytest.mark.parametrize("key", ["it", "livsmedel", "konsult"])
def test_markdown_contract(drafts, key, seed_settings):
    draft = drafts[key]
    md = render_markdown(draft, seed_settings)
    lines = md.splitlines()
    assert lines[0] == f"# Kategoristrategi: {draft.input.kategori} – {draft.input.organisation}"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [f"## {s.number}. {s.heading}" for s in draft.sections] + ["## Källor"]
    assert "[Att fylla i:" in md
    sources = lines[lines.index("## Källor") + 1:]
    entries = [line for line in sources if line.strip()]
    assert len(entries) == len(draft.sources)
    for n, line in enumerate(entries, 1):
        # [n] Titel, Utgivare, År, s. X, Avsnitt – »citat«
        assert re.match(rf"^\[{n}\] .+, .+, \d{{4}}, s\. \d+, .+ – ».+«$", line), line
        assert draft.sources[n - 1].quote.split()[-1] in line
    assert "utkast" in md.lower() and "Kategoriassistenten" in md


def test_spend_analysis_in_the_draft(drafts, seed_settings):
    md = render_markdown(drafts["it"], seed_settings)
    s = NBSP
    for row in (f"| Totalt belopp | 1{s}400{s}000{s}kr |", "| Antal leverantörer | 8 |",
                f"| Största leverantör | Atea Sverige AB, 42,9{s}% |",
                f"| De tre största leverantörernas andel | 82,1{s}% |",
                f"| Koncentration (HHI, 0–10 000) | 2{s}873 – hög |",
                f"| Andel utan avtals-id | 6,9{s}% (96{s}000{s}kr) |",
                f"| Kommunledningskontoret | 594{s}000{s}kr | 42,4{s}% | 5 | 40{s}000{s}kr |",
                f"| Atea Sverige AB | 600{s}000{s}kr | 42,9{s}% | 4 | 0{s}kr |"):
        assert row in md, row
    assert "med kategorin »IT« och »IT-tjänster«; 5 rader i andra kategorier ingår inte" in md
    # Section 9 suggests rows from the analysis: the purchases without a contract and the largest contracts.
    plan = "\n".join(section_texts(drafts["it"], 9))
    assert "Dustin Sverige AB, Kod & Moln AB och Lokala Datahjälpen AB" in plan
    assert "Avtal AV-2023-014" in plan and f"i spendfilen 96{s}000{s}kr" in plan
    measures = "\n".join(section_texts(drafts["it"], 11))
    assert f"93,1{s}% (spendfilen)" in measures  # 100 % − 6,9 % with a contract id


def test_bad_spend_rows_are_listed_in_the_draft(seed_settings, seed_index):
    inp = example("it-kommun.yaml")
    spend = analyse_spend(EXAMPLES / "spend-felaktiga-rader.csv", category="IT")
    draft = build_draft(inp, seed_settings, index=seed_index, spend=spend)
    text = "\n".join(section_texts(draft, 2))
    assert "6 rader i spendfilen kunde inte användas" in text
    for line in ("rad 3: beloppet saknas", "rad 4: beloppet »tolv tusen« är inte ett tal",
                 "rad 5: datumet »2025-13-45« går inte att tolka", "rad 8: leverantören saknas",
                 "rad 11: datumet saknas", "rad 15: beloppet »-« är inte ett tal"):
        assert line in text


def test_esv_level_by_type_and_total_volume(drafts):
    it = "\n".join(section_texts(drafts["it"], 2))  # kommun, 2 100 mnkr in total
    assert "ESV:s tre exempel är skrivna för statliga myndigheter. Exempelkommun är en kommun" in it
    assert "inte en rekommendation riktad till kommuner" in it
    assert f"total inköpsvolym på 2{NBSP}100{NBSP}miljoner kronor ESV:s exempel »Mycket stora myndigheter«" in it
    assert it.index("skrivna för statliga myndigheter") < it.index("»Mycket stora myndigheter«")

    konsult = "\n".join(section_texts(drafts["konsult"], 2))  # statlig myndighet, 450 mnkr
    assert "motsvarar Exempelmyndigheten ESV:s exempel »Stora myndigheter«" in konsult
    assert "skrivna för statliga myndigheter" not in konsult

    livsmedel = "\n".join(section_texts(drafts["livsmedel"], 2))  # region, only the category's volume
    assert f"beror på organisationens totala inköpsvolym, inte på kategorins (120{NBSP}000{NBSP}000{NBSP}kr per år)" \
        in livsmedel
    assert "[Att fylla i: organisationens totala årliga inköpsvolym" in livsmedel
    assert "ett bolag" in "\n".join(section_texts(drafts["bygg"], 2))
    # Every level is cited with ESV's own threshold sentence.
    sources = {c.quote for c in drafts["it"].sources}
    assert "Det andra exemplet avser stora myndigheter som har en inköpsvolym på 200–800 miljoner kronor." in sources


def test_ten_goals_and_the_suggested_mapping(drafts):
    table = next(b.table for s in drafts["livsmedel"].sections if s.number == 3 for b in s.blocks if b.table)
    assert [row[0] for row in table.rows] == [str(n) for n in range(1, 11)]
    suggested = [row[0] for row in table.rows if row[2].startswith("Ja (förslag)")]
    assert suggested == ["1", "2", "6", "7", "8", "10"]
    assert "verktygets förslag" in table.caption
    prio = "\n".join(section_texts(drafts["livsmedel"], 3))
    assert "Livsmedelsberedskap för sjukhusens och omsorgens måltider – kan kopplas till inriktningsmål 10" in prio


def test_category_specific_guidance(drafts):
    bygg6 = "\n".join(section_texts(drafts["bygg"], 6))
    assert "bygg- och anläggning, lokalvård och transport" in bygg6 and "riskbranscher" not in bygg6
    assert "riskbranscher" in "\n".join(section_texts(drafts["it"], 6))
    assert "cybersäkerhet" in "\n".join(section_texts(drafts["it"], 7))
    assert "cybersäkerhet" not in "\n".join(section_texts(drafts["livsmedel"], 7))
    assert "exempel på komplicerade upphandlingar" in "\n".join(section_texts(drafts["konsult"], 10))
    # Offline, retrieved sentences that name the category are quoted too (and verified like the rest).
    it2 = section_texts(drafts["it"], 2)
    assert "Mer om IT i underlaget:" in it2
    extra = it2[it2.index("Mer om IT i underlaget:") + 1]
    assert extra.startswith("»") and "IT" in extra and re.search(r"« \[\d+\]$", extra)
    # "Den årliga planeringen … för respektive nämnd" is advice for kommuner and regioner only.
    assert "nämnd" in "\n".join(section_texts(drafts["livsmedel"], 9))
    assert "respektive nämnd" not in "\n".join(section_texts(drafts["konsult"], 9))


def test_no_organisation_facts_beyond_the_input(drafts):
    """Without a spend file the only amounts in the draft are the ones the team gave."""
    draft = drafts["livsmedel"]
    body = "\n".join(section_texts(draft))
    amounts = set(re.findall(r"(\d[\d\u00a0]*(?:,\d+)?)\u00a0kr\b", body))
    assert amounts == {f"120{NBSP}000{NBSP}000"}
    assert "spendfil" not in "\n".join(section_texts(draft, 1))
    assert "Ingen spendfil angavs. [Att fylla i:" in "\n".join(section_texts(draft, 2))
    assert body.count("[Att fylla i") >= 40


def test_drafts_are_deterministic(drafts, seed_settings, seed_index):
    again = build_draft(example("it-kommun.yaml"), seed_settings, index=seed_index)
    assert again.model_dump() == drafts["it"].model_dump()
    assert render_markdown(again, seed_settings) == render_markdown(drafts["it"], seed_settings)
    assert render_docx(again, seed_settings) == render_docx(drafts["it"], seed_settings)
    assert drafts["it"].datum == DATE and DATE.isoformat() in render_markdown(again, seed_settings)


def test_docx_structure(drafts, seed_settings):
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    draft = drafts["it"]
    doc = Document(io.BytesIO(render_docx(draft, seed_settings)))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [f"{s.number}. {s.heading}" for s in draft.sections] + ["Källor"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == ["Kategoristrategi: IT"]
    assert "Ambitionsnivå för inköpsanalysen enligt ESV" in [p.text for p in doc.paragraphs
                                                             if p.style.name == "Heading 2"]
    title_table = doc.tables[0]
    assert [c.text for c in title_table.rows[2].cells] == ["Planeringsperiod", "2026–2028 (3 år)"]
    key_figures = doc.tables[1]
    assert [c.text for c in key_figures.rows[0].cells] == ["Mått", "Värde"]
    assert key_figures.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # repeated on every page
    highlighted = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert highlighted and all(t.startswith("[Att fylla i") for t in highlighted)
    sources = [p.text for p in doc.paragraphs if p.text.startswith("[") and "»" in p.text and "\t" in p.text]
    assert len(sources) == len(draft.sources) and sources[0].startswith("[1]\t")
    assert doc.core_properties.author == "Kategoriassistenten"


def test_a_template_quote_missing_from_the_index_is_a_clear_error(seed_settings, seed_index):
    from assistant.drafts.builder import DraftBuilder
    from assistant.drafts.sections import load_spec
    from assistant.errors import KategoriError

    spec = load_spec().model_copy(deep=True)
    spec.anchors["ks_19"].quote = "Enbart 91 procent av de undersökta organisationerna har kategoristrategier."
    builder = DraftBuilder(seed_settings, index=seed_index, spec=spec)
    with pytest.raises(KategoriError, match="citerar »Enbart 91 procent.*finns inte i något textavsnitt"):
        builder.build(example("livsmedel-region.yaml"))
