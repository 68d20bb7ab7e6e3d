"""PDFs through pypdf: physical pages, printed page labels, running footers, hyphenation, headings,
and a real PDF ingested with `kategori ingest` and found again with `kategori search`."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfWriter

from ingest.documents import load_user_file
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
    loaded = load_user_file(path.name, path.read_bytes())
    # What the PDF says about itself is kept as a suggestion, never taken as the publisher.
    assert loaded.metadata.title == "Livsmedelsstrategi" and loaded.metadata.author == "Testkommunen"
    assert loaded.document.manifest.publisher == "Okänd utgivare" and loaded.pages == 3 and loaded.paged
    doc = loaded.document

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
    assert "Livsmedel 2026.pdf → livsmedel-2026 (nytt dokument)" in added.stdout
    found = run_cli(["search", "Vem ingår i kategoriteamet för livsmedel?", "--k", "3", "--json"], small_settings)
    assert found.returncode == 0, found.stderr
    top = json.loads(found.stdout)["results"][0]
    assert top["doc_id"] == "livsmedel-2026"
    assert top["page_start"] == 2 and top["section"] == "1 Inledning"
    assert "Kategoriteamet för livsmedel består av kostchef" in top["text"]
    # The title is the PDF's own (a real one); the publisher is not taken from its Author field.
    assert top["title"] == "Livsmedelsstrategi" and top["publisher"] == "Okänd utgivare"
    listed = json.loads(run_cli(["documents", "--json"], small_settings).stdout)
    mine = next(d for d in listed if d["doc_id"] == "livsmedel-2026")
    assert mine["source"] == "user" and mine["file"] == "Livsmedel 2026.pdf" and mine["pages"] == 3
    shown = run_cli(["search", "kategoriteamet livsmedel", "--k", "1"], small_settings)
    assert "s. 2 (tryckt sida 1)" in shown.stdout


def test_short_pages_are_not_mistaken_for_running_headers(make_pdf):
    """Three pages of two lines each: every line is at a page edge, but none is a header."""
    pages = [[f"Avsnitt {n}: kommunen köper tjänster för {n * 10} miljoner kronor.",
              f"Leverantörerna i område {n} utvärderas varje år."] for n in range(1, 4)]
    path = make_pdf("korta-sidor.pdf", pages)
    doc = load_user_file(path.name, path.read_bytes()).document
    for page in pages:
        for line in page:
            assert line in doc.text
    assert [p.page for p in doc.pages] == [1, 2, 3]


def test_a_real_running_header_is_still_removed(make_pdf):
    pages = [["Exempelkommunen – Inköpsrapport 2026", f"Kapitel {n} handlar om upphandling av tjänster.",
              "Texten fortsätter med fler detaljer om kategorin.", f"Sida {n}"] for n in range(1, 5)]
    path = make_pdf("rapport.pdf", pages)
    doc = load_user_file(path.name, path.read_bytes()).document
    assert "Inköpsrapport 2026" not in doc.text and "Sida 2" not in doc.text
    assert "Kapitel 3 handlar om upphandling" in doc.text


@pytest.mark.parametrize(("pdf_title", "expected"), [
    ("about:blank", "Upphandlingsplan 2025"),
    ("Microsoft Word - dok1.docx", "Upphandlingsplan 2025"),
    ("untitled", "Upphandlingsplan 2025"),
    (None, "Upphandlingsplan 2025"),
    ("Plan för upphandling av livsmedel", "Plan för upphandling av livsmedel"),
])
def test_title_from_the_file_name_when_the_pdf_title_is_junk(make_pdf, pdf_title, expected):
    from ingest.documents import suggested_title

    path = make_pdf("Upphandlingsplan_2025.pdf", [["1 Inledning", "Kommunen upphandlar livsmedel."]], title=pdf_title)
    loaded = load_user_file(path.name, path.read_bytes())
    assert suggested_title(loaded.metadata, path.name) == expected
