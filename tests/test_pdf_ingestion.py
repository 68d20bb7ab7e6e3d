"""PDFs through pypdf: physical pages, printed page labels, running footers, hyphenation, headings,
and a real PDF ingested with `kategori ingest` and found again with `kategori search`."""

from __future__ import annotations

import json

from pypdf import PdfWriter

from ingest.documents import SourceDocument, clean_document, user_manifest
from ingest.sections import build_sections

from .conftest import run_cli

PAGES = [
    ["Livsmedelsstrategi för Testkommunen", "", "Förord", "Detta är en rapport om upphandling av livsmedel i kommu-",
     "nen och dess skolor."],
    ["1 Inledning", "Kommunen köper livsmedel för 40 miljoner kronor per år. Kategoriteamet för livs-",
     "medel består av kostchef, upphandlare och controller.", "", "1.1 Bakgrund",
     "Upphandlingen av frukt och grönt ska ske med hänsyn till säsong och närhet."],
    ["2 Analys", "Spendanalysen visar att tre leverantörer står för 80 procent av inköpen av mejeri-",
     "produkter, vilket ger en hög koncentration."],
]


def _labelled_pdf(make_pdf, tmp_path):
    plain = make_pdf("plain.pdf", PAGES, title="Livsmedelsstrategi", author="Testkommunen",
                     footer="Testkommunen – livsmedelsrapport")
    writer = PdfWriter(clone_from=str(plain))
    writer.set_page_label(0, 0, style="/r")  # the title page is printed as "i"
    writer.set_page_label(1, 2, style="/D", start=1)  # then 1, 2
    out = tmp_path / "Livsmedel 2026.pdf"
    writer.write(str(out))
    return out


def test_pdf_pages_labels_footers_and_sections(make_pdf, tmp_path):
    path = _labelled_pdf(make_pdf, tmp_path)
    manifest = user_manifest(path, reserved_ids=set())
    assert manifest.doc_id == "livsmedel-2026"
    assert manifest.title == "Livsmedelsstrategi" and manifest.publisher == "Testkommunen"
    doc = clean_document(SourceDocument(manifest=manifest, path=path))

    assert [(p.page, p.label) for p in doc.pages] == [(1, "i"), (2, "1"), (3, "2")]
    assert "livsmedelsrapport" not in doc.text  # running footer on every page
    assert "kommunen och dess skolor" in doc.text and "Kategoriteamet för livsmedel består" in doc.text
    assert "mejeriprodukter" in doc.text
    pos = doc.text.index("Kategoriteamet")
    assert doc.page_at(pos).page == 2 and doc.page_at(pos).label == "1"
    section = next(s for s in build_sections(doc) if s.start <= pos < s.end)
    assert section.path == ["1 Inledning"]
    pos = doc.text.index("frukt och grönt")
    assert next(s for s in build_sections(doc) if s.start <= pos < s.end).path == ["1 Inledning", "1.1 Bakgrund"]


def test_pdf_ingested_and_found_by_search(make_pdf, tmp_path, small_settings):
    path = _labelled_pdf(make_pdf, tmp_path)
    added = run_cli(["ingest", "--quiet", str(path)], small_settings)
    assert added.returncode == 0, added.stderr
    assert "livsmedel-2026" in added.stdout
    found = run_cli(["search", "Vem ingår i kategoriteamet för livsmedel?", "--k", "3", "--json"], small_settings)
    assert found.returncode == 0, found.stderr
    top = json.loads(found.stdout)["results"][0]
    assert top["doc_id"] == "livsmedel-2026"
    assert top["page_start"] == 2 and top["section"] == "1 Inledning"
    assert "Kategoriteamet för livsmedel består av kostchef" in top["text"]
    # The library keeps the file and its manifest for later rebuilds.
    assert (small_settings.user_documents_dir / "livsmedel-2026.pdf").is_file()
    assert (small_settings.user_documents_dir / "livsmedel-2026.yaml").is_file()
    shown = run_cli(["search", "kategoriteamet livsmedel", "--k", "1"], small_settings)
    assert "s. 2 (tryckt sida 1)" in shown.stdout
