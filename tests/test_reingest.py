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


def test_reader_brings_the_index_up_to_date_after_the_shipped_corpus_changed(small_settings):
    """An upgrade that changes a shipped manifest must not leave answers citing the old one until someone
    runs `kategori ingest`: the next reader notices and updates (re-using every embedding)."""
    from ingest.ensure import ensure_index

    first = ensure_index(small_settings)
    doc_id = "pressmeddelande-kategoristyrning"
    assert ensure_index(small_settings).state.token == first.state.token  # unchanged corpus: same generation
    manifest = small_settings.corpus_dir / f"{doc_id}.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "short_title:" in text
    manifest.write_text(
        "\n".join("short_title: det nya pressmeddelandet (2024)" if line.startswith("short_title:") else line
                  for line in text.splitlines()) + "\n",
        encoding="utf-8",
    )
    updated = ensure_index(small_settings)
    assert updated.state.generation == first.state.generation + 1
    assert updated.documents()[doc_id].manifest.short_title == "det nya pressmeddelandet (2024)"
    assert ensure_index(small_settings).state.token == updated.state.token  # and only once


def test_reader_keeps_its_index_when_the_shipped_corpus_is_broken(small_settings):
    from ingest.ensure import ensure_index

    first = ensure_index(small_settings)
    (small_settings.corpus_dir / "pressmeddelande-kategoristyrning.yaml").write_text("title: [trasig\n", encoding="utf-8")
    again = ensure_index(small_settings)
    assert again.state.token == first.state.token
    assert again.documents()["pressmeddelande-kategoristyrning"].manifest.title == first.documents()[
        "pressmeddelande-kategoristyrning"].manifest.title
