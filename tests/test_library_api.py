"""The document library: ids that never collide silently, title/publisher/year the user gives (and can
edit without re-embedding), batches where bad files do not block good ones, the upload check for forms,
limits refused up front, a time estimate, and the old on-disk library moved in without loss."""

from __future__ import annotations

import sys
import tomllib

import pytest

from assistant.config import REPO_ROOT, Settings, get_settings
from assistant.errors import InputError
from assistant.store.index import IndexStore
from ingest.api_models import DocumentEdit, DocumentFields, UploadedFile, UploadRequest
from ingest.library import add_documents, add_paths, check_file, edit_document, list_documents
from ingest.pipeline import sync_index

from .conftest import write_pdf
from .store_helpers import library, write_text


def run_main(args: list[str], settings: Settings, monkeypatch, capsys) -> tuple[int, str, str]:
    """The real command line, in this process (so the test's embedding cache applies)."""
    from assistant.cli import main

    monkeypatch.setenv("KATEGORI_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KATEGORI_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setattr(sys, "argv", ["kategori", *args])
    get_settings.cache_clear()
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


COLLIDING = {
    "Προϋπολογισμός.txt": "Om budgeten\n\nBudgeten för inköp av skolskjuts är fyra miljoner kronor.\n",
    "予算.txt": "Om budgeten\n\nBudgeten för inköp av färdtjänst är sex miljoner kronor.\n",
    "..txt": "Om budgeten\n\nBudgeten för inköp av snöröjning är två miljoner kronor.\n",
    "Rapport 2024.txt": "Om rapporten\n\nRapporten beskriver inköpen av kontorsmaterial under året.\n",
    "rapport_2024.md": "# Om rapporten\n\nRapporten beskriver inköpen av möbler under året.\n",
}


def test_file_names_that_reduce_to_the_same_id_stay_separate_documents(tiny_settings, memo_embeddings, tmp_path,
                                                                      monkeypatch, capsys):
    sync_index(tiny_settings)
    folder = tmp_path / "filer"
    folder.mkdir()
    for name, text in COLLIDING.items():
        write_text(folder / name, text)
    code, out, err = run_main(["ingest", "--quiet", str(folder)], tiny_settings, monkeypatch, capsys)
    assert code == 0, err
    docs = library(tiny_settings)
    users = {d for d in docs if d != "pressmeddelande-kategoristyrning"}
    assert len(users) == 5 and "rapport-2024" in users  # before: three of them became "dokument-x"
    assert "rapport_2024.md → rapport-2024-" in out and "används redan av filen »Rapport 2024.txt«" in out
    assert "予算.txt → dokument-" in out and "kan inte skrivas med latinska bokstäver" in out
    texts = {IndexStore(tiny_settings).require_active().documents()[d].manifest.file for d in users}
    assert texts == set(COLLIDING)

    # The same file name again is a new version of that document, and only of that one.
    write_text(folder / "Rapport 2024.txt", "Om rapporten\n\nRapporten beskriver inköpen av papper och pennor.\n")
    code, out, err = run_main(["ingest", "--quiet", str(folder / "Rapport 2024.txt")], tiny_settings, monkeypatch, capsys)
    assert code == 0, err
    assert "Rapport 2024.txt → rapport-2024 (ny version av samma fil)" in out and "uppdaterade: rapport-2024" in out
    after = library(tiny_settings)
    assert set(after) == set(docs) and after["rapport-2024"] != docs["rapport-2024"]
    assert all(after[d] == docs[d] for d in docs if d != "rapport-2024")


def test_a_file_named_like_a_seed_document_does_not_replace_it(tiny_settings, memo_embeddings, tmp_path):
    sync_index(tiny_settings)
    clash = write_text(tmp_path / "pressmeddelande-kategoristyrning.txt", "Om annat\n\nEn helt annan text om lokalvård.\n")
    result = add_paths(tiny_settings, [clash])
    (outcome,) = result.files
    assert outcome.status == "added" and outcome.doc_id.startswith("pressmeddelande-kategoristyrning-")
    assert "grunddokumentet" in outcome.id_note
    docs = IndexStore(tiny_settings).require_active().documents()
    assert docs["pressmeddelande-kategoristyrning"].manifest.source == "seed"


def test_user_fields_new_versions_and_edits_without_re_embedding(tiny_settings, memo_embeddings, tmp_path):
    sync_index(tiny_settings)
    pdf = write_pdf(tmp_path / "Avtal.pdf", [["1 Avtal", "Avtalet om städtjänster löper till 2027 med option."]],
                    title="about:blank", author="Upphandlingsmyndigheten")
    result = add_paths(tiny_settings, [pdf], DocumentFields.parse(publisher="Exempelkommunen", year="2024"))
    assert [f.status for f in result.files] == ["added"]
    manifest = IndexStore(tiny_settings).require_active().documents()["avtal"].manifest
    # The user's publisher, never the PDF's Author; the junk PDF title replaced by the file name.
    assert (manifest.title, manifest.publisher, manifest.year, manifest.source) == ("Avtal", "Exempelkommunen", 2024, "user")

    # A new version without fields keeps what the user set.
    pdf = write_pdf(tmp_path / "Avtal.pdf", [["1 Avtal", "Avtalet om städtjänster löper till 2028 med option."]])
    assert add_paths(tiny_settings, [pdf]).files[0].status == "replaced"
    active = IndexStore(tiny_settings).require_active()
    assert active.documents()["avtal"].manifest.publisher == "Exempelkommunen"
    ids_before = active.state.chunks_by_doc["avtal"]

    report = edit_document(tiny_settings, "avtal", DocumentEdit(title="Städavtal 2024", publisher="Kommunstyrelsen",
                                                                clear_year=True))
    assert report.changed and report.embedded == 0 and report.replaced == ["avtal"]
    active = IndexStore(tiny_settings).require_active()
    assert active.state.chunks_by_doc["avtal"] == ids_before
    chunk = active.chunks_of("avtal")[0]
    assert (chunk.doc_title, chunk.publisher, chunk.year) == ("Städavtal 2024", "Kommunstyrelsen", None)
    doc = active.documents()["avtal"]
    assert doc.manifest.short_title == "dokumentet »Städavtal 2024«" and doc.manifest.file == "Avtal.pdf"

    with pytest.raises(InputError, match="grundkorpusen"):
        edit_document(tiny_settings, "pressmeddelande-kategoristyrning", DocumentEdit(title="x"))
    with pytest.raises(InputError, match="inget eget dokument"):
        edit_document(tiny_settings, "finns-inte", DocumentEdit(title="x"))
    with pytest.raises(InputError, match="mellan 1900 och 2100"):
        DocumentFields.parse(year="tjugohundra")


def test_documents_edit_command(tiny_settings, memo_embeddings, tmp_path, monkeypatch, capsys):
    sync_index(tiny_settings)
    add_paths(tiny_settings, [write_text(tmp_path / "kaffe.txt", "Om kaffe\n\nKommunen köper kaffe.\n")])
    code, out, err = run_main(["documents", "edit", "kaffe", "--titel", "Kaffeavtalet", "--utgivare", "Exempelkommunen",
                               "--ar", "2023"], tiny_settings, monkeypatch, capsys)
    assert code == 0, err
    assert "kaffe är ändrat" in out and "0 nya sökvektorer" in out
    code, out, err = run_main(["documents"], tiny_settings, monkeypatch, capsys)
    assert "Kaffeavtalet – Exempelkommunen, 2023" in out and "[eget dokument]" in out and "fil: kaffe.txt" in out
    code, out, err = run_main(["documents", "edit", "kaffe"], tiny_settings, monkeypatch, capsys)
    assert code == 2 and "Ange något att ändra" in err
    code, out, err = run_main(["documents", "edit", "kaffe", "--ar", "1066"], tiny_settings, monkeypatch, capsys)
    assert code == 2 and "mellan 1900 och 2100" in err and "Traceback" not in err


def test_upload_api_checks_adds_and_reports_each_file(tiny_settings, memo_embeddings, tmp_path):
    sync_index(tiny_settings)
    pdf = write_pdf(tmp_path / "x.pdf", [["1 Plan", "Planen för inköp av möbler gäller i tre år."]] * 2,
                    title="Microsoft Word - dok1", author="Någon")
    check = check_file(tiny_settings, UploadedFile(name="Möbelplan.pdf", data=pdf.read_bytes()))
    assert check.ok and check.doc_id == "mobelplan" and check.replaces is None and check.pages == 2
    assert check.suggested.title == "Möbelplan" and check.file_metadata.publisher == "Någon"
    assert check.estimated_seconds and check.estimated_seconds > 0
    bad = check_file(tiny_settings, UploadedFile(name="trasig.pdf", data=b"%PDF-1.7 garbage"))
    assert not bad.ok and "trasig.pdf: PDF-filen är skadad" in bad.problem

    report = add_documents(tiny_settings, [
        UploadRequest(file=UploadedFile(name="trasig.pdf", data=b"%PDF-1.7 garbage")),
        UploadRequest(file=UploadedFile(name="../../Möbelplan.pdf", data=pdf.read_bytes()),
                      fields=DocumentFields(title="Möbelplan 2025", publisher="Exempelkommunen")),
        UploadRequest(file=UploadedFile(name="kalkyl.xlsx", data=b"PK\x03\x04")),
    ])
    assert [(f.name, f.status) for f in report.files] == [
        ("trasig.pdf", "refused"), ("Möbelplan.pdf", "added"), ("kalkyl.xlsx", "refused")]
    assert "stöds inte" in report.files[2].problem and report.index is not None and report.index.added == ["mobelplan"]
    assert check_file(tiny_settings, UploadedFile(name="Möbelplan.pdf", data=pdf.read_bytes())).replaces == "mobelplan"
    info = {d.doc_id: d for d in list_documents(tiny_settings)}["mobelplan"]
    assert (info.title, info.publisher, info.source, info.file) == ("Möbelplan 2025", "Exempelkommunen", "user",
                                                                    "Möbelplan.pdf")


def test_limits_are_refused_up_front_with_the_limit_named(tiny_settings, memo_embeddings, tmp_path):
    big = tmp_path / "stor.txt"
    with big.open("wb") as fh:  # sparse: 60 MB on paper, nothing on disk, and never read
        fh.truncate(60 * 1024 * 1024)
    result = add_paths(tiny_settings, [big])
    assert "stor.txt: filen är 60,0 MB; gränsen är 50 MB per fil (KATEGORI_MAX_FILE_MB)" in result.files[0].problem
    assert result.index is None

    strict = tiny_settings.model_copy(update={"max_pages": 2, "max_characters": 1000})
    pdf = write_pdf(tmp_path / "tre.pdf", [["1 Del", "Kommunen köper tjänster."]] * 3)
    long = write_text(tmp_path / "lang.txt", "Kommunen köper tjänster av många slag. " * 40)
    problems = {f.name: f.problem for f in add_paths(strict, [pdf, long]).files}
    assert "filen har 3 sidor; gränsen är 2 sidor per fil (KATEGORI_MAX_PAGES)" in problems["tre.pdf"]
    assert "gränsen är 1\u00a0000 tecken per fil (KATEGORI_MAX_CHARACTERS)" in problems["lang.txt"]

    streamlit = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert streamlit["server"]["maxUploadSize"] == Settings().max_file_mb == 50
    assert Settings().max_pages == 2000


def test_a_long_ingest_is_announced_with_a_time_estimate(tiny_settings, memo_embeddings, tmp_path):
    from assistant.embeddings import get_embeddings
    from ingest import estimate

    sync_index(tiny_settings)
    key = get_embeddings(tiny_settings).model_key
    estimate.record(tiny_settings, key, chunks=40, seconds=4000)  # as if this machine were very slow
    told: list[str] = []
    # At 0.01 textavsnitt a second, even one new passage is worth announcing.
    add_paths(tiny_settings, [write_text(tmp_path / "kort.txt", "Om kaffe\n\nKommunen köper kaffe.\n")],
              notify=told.append)
    assert any("nya textavsnitt ska få sökvektorer; det tar ca" in m and "minut" in m for m in told), told
    assert estimate.describe_duration(4500) == "ca 1 timme och 15 minuter"


def test_the_old_on_disk_library_moves_into_the_index_without_loss(tiny_settings, memo_embeddings, tmp_path):
    """Data directories from the earlier version kept user files in data/documents/ and wrote generations
    without stored documents. The first write reads them in once; a manifest whose file was lost in an
    old crash does not block anything, and its document survives from the index."""
    import yaml

    sync_index(tiny_settings)
    for name in ("kaffe", "te"):
        add_paths(tiny_settings, [write_text(tmp_path / f"{name}.txt", f"Om {name}\n\nKommunen köper {name} varje år.\n")])
    store = IndexStore(tiny_settings)
    active = store.active_generation()
    # Turn the active generation into the old format: no stored documents.
    store.client.delete_collection(f"{active.name}-docs")
    store.client.get_collection(active.name).modify(metadata={**active.metadata, "parts": ""})
    import shutil

    shutil.rmtree(tiny_settings.generations_dir)
    old = tiny_settings.user_documents_dir
    old.mkdir(parents=True)
    write_text(old / "kaffe.txt", "Om kaffe\n\nKommunen köper kaffe varje år.\n")
    for doc_id, file in (("kaffe", "kaffe.txt"), ("te", "te.txt")):  # te.txt itself is missing
        (old / f"{doc_id}.yaml").write_text(yaml.safe_dump({
            "doc_id": doc_id, "title": doc_id.title(), "publisher": "Okänd (eget dokument)", "document_type": "eget dokument",
            "published_at": "Tillagt av användaren", "file": file, "source": "user", "paged": False}), encoding="utf-8")
    (old / ".staging-abc123").mkdir()

    report = sync_index(tiny_settings)
    assert report.changed
    assert any("te.yaml" in n and "saknas" in n for n in report.notes) or any("te.txt" in n for n in report.notes), report.notes
    docs = IndexStore(tiny_settings).require_active().documents()
    assert {"kaffe", "te"} <= set(docs)
    assert docs["kaffe"].manifest.publisher == "Okänd utgivare"
    assert not old.exists() and (tiny_settings.data_dir / "documents.importerade" / "kaffe.txt").is_file()
    assert "documents.importerade" in " ".join(report.notes)
    assert sync_index(tiny_settings).changed is False  # imported once
