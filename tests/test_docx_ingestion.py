"""Word files: paragraphs, headings as sections, tables as text, lists, Word's own page marks; the title
from the file name when the file's title is junk; broken and old-format files refused in Swedish."""

from __future__ import annotations

import json

import pytest

from ingest.documents import load_user_file, suggested_title
from ingest.sections import build_sections


def _rendered_break(paragraph) -> None:
    """What Word writes where it broke the page when it last laid the document out."""
    from docx.oxml import OxmlElement

    run = paragraph.runs[0]
    run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))


def make_docx(path, *, title="Microsoft Word - dok1", rendered_pages=True):
    import docx

    d = docx.Document()
    d.core_properties.title = title
    d.core_properties.author = "Upphandlingsmyndigheten"  # a claim, not a fact: never the publisher
    d.add_heading("Kategoriplan för livsmedel", level=0)
    d.add_heading("1 Inledning", level=1)
    d.add_paragraph("Kommunen köper livsmedel till skolor och äldreomsorg. Planen gäller 2025–2027.")
    d.add_paragraph("Minska matsvinnet", style="List Bullet")
    d.add_paragraph("Öka andelen ekologiska varor", style="List Bullet")
    page2 = d.add_heading("2 Spendanalys", level=1)
    if rendered_pages:
        _rendered_break(page2)
    d.add_paragraph("Tabellen visar inköpen per område under 2024.")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("Område", "Belopp", "Leverantörer"), ("Mejeri", "12 mnkr", "3"),
                             ("Frukt och grönt", "8 mnkr", "5")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_heading("2.1 Slutsatser", level=2)
    d.add_paragraph("Mejeriinköpen är koncentrerade till få leverantörer, vilket ger en hög leverantörsrisk.")
    d.save(str(path))
    return path


def test_docx_structure_pages_and_metadata(tmp_path):
    path = make_docx(tmp_path / "Kategoriplan_livsmedel.docx")
    loaded = load_user_file(path.name, path.read_bytes())
    doc = loaded.document
    assert loaded.paged and loaded.pages == 2 and doc.manifest.paged
    assert [(h.level, h.title) for h in doc.headings] == [
        (1, "Kategoriplan för livsmedel"), (1, "1 Inledning"), (1, "2 Spendanalys"), (2, "2.1 Slutsatser")]
    assert "• Minska matsvinnet\n\n• Öka andelen ekologiska varor" in doc.text
    assert "Område | Belopp | Leverantörer\nMejeri | 12 mnkr | 3\nFrukt och grönt | 8 mnkr | 5" in doc.text
    pos = doc.text.index("Mejeri | 12 mnkr")
    assert doc.page_at(pos).page == 2 and doc.page_at(doc.text.index("Minska matsvinnet")).page == 1
    section = next(s for s in build_sections(doc) if s.start <= pos < s.end)
    assert section.path == ["2 Spendanalys"]
    pos = doc.text.index("leverantörsrisk")
    assert next(s for s in build_sections(doc) if s.start <= pos < s.end).path == ["2 Spendanalys", "2.1 Slutsatser"]
    # "Microsoft Word - dok1" names nothing: the title comes from the file name.
    assert suggested_title(loaded.metadata, path.name) == "Kategoriplan livsmedel"
    assert doc.manifest.publisher == "Okänd utgivare"


def test_docx_without_word_page_marks_has_no_page_numbers(tmp_path):
    path = make_docx(tmp_path / "plan.docx", title="Plan för livsmedel", rendered_pages=False)
    loaded = load_user_file(path.name, path.read_bytes())
    assert not loaded.paged and [p.page for p in loaded.document.pages] == [1]
    assert suggested_title(loaded.metadata, path.name) == "Plan för livsmedel"


def test_docx_ingested_with_title_publisher_year_and_found(tmp_path, tiny_settings, memo_embeddings, monkeypatch,
                                                           capsys):
    from .test_library_api import run_main

    path = make_docx(tmp_path / "Kategoriplan_livsmedel.docx")
    code, out, err = run_main(["ingest", "--quiet", str(path), "--utgivare", "Exempelkommunen", "--ar", "2025"],
                              tiny_settings, monkeypatch, capsys)
    assert code == 0, err
    assert "Kategoriplan_livsmedel.docx → kategoriplan-livsmedel (nytt dokument)" in out
    code, out, err = run_main(["search", "Vilka leverantörer har mejeri?", "--k", "3", "--json"], tiny_settings,
                              monkeypatch, capsys)
    results = json.loads(out)["results"]
    table = next(r for r in results if "Mejeri | 12 mnkr | 3" in r["text"])
    assert table["doc_id"] == "kategoriplan-livsmedel" and table["page_start"] == 2 and table["section"] == "2 Spendanalys"
    assert (table["title"], table["publisher"], table["year"]) == ("Kategoriplan livsmedel", "Exempelkommunen", 2025)


def _old_doc(tmp_path):
    (tmp_path / "gammal.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    return tmp_path / "gammal.doc"


def _ole_docx(tmp_path):  # an encrypted .docx is an OLE container, not a zip
    (tmp_path / "skyddad.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    return tmp_path / "skyddad.docx"


def _not_zip(tmp_path):
    (tmp_path / "trasig.docx").write_bytes("det här är ingen Word-fil".encode())
    return tmp_path / "trasig.docx"


def _zip_without_document(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "tom-zip.docx", "w") as zf:
        zf.writestr("hej.txt", "hej")
    return tmp_path / "tom-zip.docx"


def _empty_docx(tmp_path):
    import docx

    docx.Document().save(str(tmp_path / "tomt.docx"))
    return tmp_path / "tomt.docx"


@pytest.mark.parametrize(("make", "reason"), [
    (_old_doc, "äldre Word-formatet .doc"),
    (_ole_docx, "lösenordsskyddad"),
    (_not_zip, "skadad eller ingen giltig .docx"),
    (_zip_without_document, "skadad eller ingen giltig .docx"),
    (_empty_docx, "innehåller ingen text"),
])
def test_bad_word_files_are_refused_in_swedish(tmp_path, make, reason):
    from assistant.errors import InputError

    path = make(tmp_path)
    with pytest.raises(InputError, match=reason) as err:
        load_user_file(path.name, path.read_bytes())
    assert str(err.value).startswith(path.name)
