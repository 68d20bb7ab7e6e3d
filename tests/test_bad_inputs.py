"""Bad input never corrupts the index: a clear Swedish error naming the file and the reason, a non-zero
exit code, and the index, its generation and the document library exactly as before."""

from __future__ import annotations

import pytest
from pypdf import PdfWriter

from assistant.store.index import IndexStore

from .conftest import run_cli, write_pdf

GOOD_PAGES = [["1 Inledning", "Kommunen upphandlar skolskjutsar och färdtjänst varje år."]]


def _snapshot(settings):
    active = IndexStore(settings).require_active()
    library = sorted((d, doc.content_sha256) for d, doc in active.documents().items())
    return active.state.generation, active.state.fingerprint, library


def _encrypted(tmp_path):
    plain = write_pdf(tmp_path / "plain.pdf", GOOD_PAGES)
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="hemligt", owner_password="ägare", algorithm="AES-256")
    writer.write(str(tmp_path / "krypterad.pdf"))
    return tmp_path / "krypterad.pdf"


def _image_only(tmp_path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "inskannad.pdf"))
    c.rect(100, 100, 300, 400, fill=1)  # a "scan": graphics, no text layer
    c.showPage()
    c.save()
    return tmp_path / "inskannad.pdf"


def _empty(tmp_path):
    (tmp_path / "tom.pdf").write_bytes(b"")
    return tmp_path / "tom.pdf"


def _no_pages(tmp_path):
    PdfWriter().write(str(tmp_path / "utan-sidor.pdf"))
    return tmp_path / "utan-sidor.pdf"


def _corrupt(tmp_path):
    (tmp_path / "trasig.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n%%EOF")
    return tmp_path / "trasig.pdf"


def _latin1(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Upphandling av livsmedel i kommunen – rapport".encode("cp1252"))
    return tmp_path / "latin1.txt"


def _empty_dir(tmp_path):
    d = tmp_path / "inga-dokument"
    d.mkdir()
    (d / "bild.png").write_bytes(b"\x89PNG")
    return d


def _unsupported(tmp_path):
    (tmp_path / "kalkyl.xlsx").write_bytes(b"PK\x03\x04")
    return tmp_path / "kalkyl.xlsx"


CASES = {
    "encrypted": (_encrypted, "krypterad.pdf", "lösenordsskyddad"),
    "image-only": (_image_only, "inskannad.pdf", "ingen extraherbar text"),
    "empty": (_empty, "tom.pdf", "filen är tom"),
    "no pages": (_no_pages, "utan-sidor.pdf", "inga sidor"),
    "corrupt": (_corrupt, "trasig.pdf", "skadad"),
    "not utf-8": (_latin1, "latin1.txt", "inte UTF-8"),
    "directory without supported files": (_empty_dir, "inga-dokument", "inga filer som stöds"),
    "unsupported type": (_unsupported, "kalkyl.xlsx", "stöds inte"),
}


@pytest.fixture
def built(small_settings, tmp_path, memo_embeddings):
    """The index with one user document, built in this process (each text embedded once per session);
    the bad input itself then goes through the real command line in a subprocess."""
    from ingest.library import add_paths

    good = write_pdf(tmp_path / "bra.pdf", GOOD_PAGES)
    assert [f.status for f in add_paths(small_settings, [good]).files] == ["added"]
    return small_settings


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_refused_and_index_untouched(case, built, tmp_path):
    make, name, reason = CASES[case]
    before = _snapshot(built)
    result = run_cli(["ingest", "--quiet", str(make(tmp_path))], built)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert name in result.stderr and reason in result.stderr, result.stderr
    assert "Indexet är oförändrat" in result.stderr
    assert _snapshot(built) == before


def test_several_bad_files_are_all_named_and_nothing_is_added(built, tmp_path):
    before = _snapshot(built)
    result = run_cli(["ingest", "--quiet", str(_corrupt(tmp_path)), str(_latin1(tmp_path))], built)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "trasig.pdf" in result.stderr and "latin1.txt" in result.stderr and "indexet är oförändrat" in result.stderr
    assert _snapshot(built) == before


def test_bad_files_do_not_block_the_good_ones_in_a_batch(built, tmp_path):
    """One bad file used to block all: now every good file is added and every bad one named with its reason."""
    good = write_pdf(tmp_path / "ny-bra.pdf", GOOD_PAGES)
    note = tmp_path / "anteckning.txt"
    note.write_text("Om kaffe\n\nKommunen köper kaffe för tre miljoner kronor per år.\n", encoding="utf-8")
    result = run_cli(["ingest", "--quiet", str(good), str(_corrupt(tmp_path)), str(note), str(_latin1(tmp_path))],
                     built)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "trasig.pdf: PDF-filen är skadad" in result.stderr and "latin1.txt: filen är inte UTF-8" in result.stderr
    assert "Övriga filer är inlästa (ny-bra, anteckning)" in result.stderr
    assert "ny-bra.pdf → ny-bra (nytt dokument)" in result.stdout and "anteckning.txt → anteckning" in result.stdout
    assert {"bra", "ny-bra", "anteckning"} <= set(IndexStore(built).require_active().doc_ids)


def test_missing_path_and_conflicting_flags(built, tmp_path):
    missing = run_cli(["ingest", str(tmp_path / "finns-inte.pdf")], built)
    assert missing.returncode == 2 and "finns inte" in missing.stderr
    both = run_cli(["ingest", "--rebuild", str(tmp_path)], built)
    assert both.returncode == 2 and "--rebuild" in both.stderr


def test_seed_documents_cannot_be_removed_but_user_documents_can(built):
    seed = run_cli(["remove", "pressmeddelande-kategoristyrning"], built)
    assert seed.returncode == 2 and "grundkorpusen" in seed.stderr
    unknown = run_cli(["remove", "finns-inte"], built)
    assert unknown.returncode == 2 and "finns-inte" in unknown.stderr
    removed = run_cli(["remove", "bra"], built)
    assert removed.returncode == 0, removed.stderr
    assert "bra" not in IndexStore(built).require_active().doc_ids
    assert "bra" not in IndexStore(built).require_active().documents()


def test_a_failed_write_leaves_the_previous_generation_active(built):
    """An exception in the middle of writing a generation (here a full disk) must not leave a
    half-written index behind or replace the active one."""
    import errno

    from assistant.store import faults
    from assistant.store.failures import DiskFullError
    from ingest.pipeline import sync_index

    before = _snapshot(built)
    full = OSError(errno.ENOSPC, "No space left on device")
    with faults.inject("commit.local", full), pytest.raises(DiskFullError, match="Disken är full"):
        sync_index(built, rebuild=True)
    assert _snapshot(built) == before
    store = IndexStore(built)
    assert [g.name for g in store.generations() if not g.complete] == []
    assert not [c.name for c in store.client.list_collections() if c.name.startswith(f"{store.prefix}{before[0] + 1:06d}")]
