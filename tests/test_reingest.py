"""Re-ingesting unchanged documents is a no-op; a changed document replaces exactly its own chunks."""

from __future__ import annotations

import shutil

from assistant.store.index import IndexStore
from ingest.pipeline import add_user_documents, sync_index


def _ids_by_doc(settings):
    return {d: sorted(ids) for d, ids in IndexStore(settings).require_active().state.chunks_by_doc.items()}


def test_unchanged_corpus_is_a_no_op(small_settings):
    first = sync_index(small_settings)
    assert first.changed and first.embedded == first.chunks
    generation = IndexStore(small_settings).require_active().state.generation
    again = sync_index(small_settings)
    assert not again.changed and again.embedded == 0
    assert IndexStore(small_settings).require_active().state.generation == generation


def test_changed_document_replaces_only_its_own_chunks(small_settings, tmp_path):
    sync_index(small_settings)
    note = tmp_path / "anteckning.txt"
    note.write_text("Kategori IT\n\nVi köper datorer och licenser för 12 miljoner kronor per år.\n", encoding="utf-8")
    add_user_documents(small_settings, [note])
    before = _ids_by_doc(small_settings)
    assert "anteckning" in before

    # A new version of the same file: same doc_id, different text.
    note.write_text("Kategori IT\n\nVi köper datorer, licenser och molntjänster för 15 miljoner kronor per år.\n",
                    encoding="utf-8")
    report = add_user_documents(small_settings, [note])
    after = _ids_by_doc(small_settings)
    assert report.replaced == ["anteckning"] and report.added == [] and report.removed == []
    assert report.embedded == len(after["anteckning"])  # only the changed document was embedded
    assert after["anteckning"] != before["anteckning"]
    for doc_id in before:
        if doc_id != "anteckning":
            assert after[doc_id] == before[doc_id]
    # The library holds the new version (its cleaned text, in the index itself).
    stored = IndexStore(small_settings).require_active().documents()["anteckning"]
    assert "molntjänster" in stored.text and stored.manifest.file == "anteckning.txt"


def test_rebuild_recomputes_everything_and_survives_lost_bm25_files(small_settings):
    sync_index(small_settings)
    rebuilt = sync_index(small_settings, rebuild=True)
    assert rebuilt.changed and rebuilt.embedded == rebuilt.chunks and rebuilt.reused == 0
    active = IndexStore(small_settings).require_active()
    # Chroma is the source of truth: deleting the BM25 files beside it only costs a rebuild of them.
    shutil.rmtree(active.local_dir)
    again = IndexStore(small_settings).require_active()
    assert again.state.fingerprint == active.state.fingerprint
    assert again.bm25_search("kategoristyrning", 3)
    doc = again.documents()["pressmeddelande-kategoristyrning"]
    chunk = again.chunks_of("pressmeddelande-kategoristyrning")[0]
    assert doc.text[chunk.char_start : chunk.char_end] == chunk.text


def test_changed_embedding_model_is_detected(small_settings):
    import pytest

    from assistant.errors import IndexMismatchError

    sync_index(small_settings)
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        IndexStore(small_settings).require_active("sentence-transformers:annan-modell:plain")


def test_changed_manifest_is_rewritten_without_re_embedding(small_settings):
    sync_index(small_settings)
    manifest = small_settings.corpus_dir / "pressmeddelande-kategoristyrning.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("publisher: Regeringskansliet, Finansdepartementet",
                                                     "publisher: Regeringskansliet"),
        encoding="utf-8",
    )
    report = sync_index(small_settings)
    assert report.changed and report.replaced == ["pressmeddelande-kategoristyrning"] and report.embedded == 0
    active = IndexStore(small_settings).require_active()
    assert {c.publisher for c in active.chunks_of("pressmeddelande-kategoristyrning")} == {"Regeringskansliet"}
