"""Readers never see a half-built or deleted generation: concurrent cache rebuilds, a grace period for
replaced generations, citations identical byte for byte after a rebuild from Chroma, writers that wait
for each other, and start-up repair of what interrupted writes left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

import pytest

from assistant.store.chroma_files import orphan_segment_dirs
from assistant.store.failures import IndexChangedError, WriterBusyError
from assistant.store.index import IndexStore
from ingest.library import add_paths
from ingest.pipeline import sync_index

from .store_helpers import QUESTION, debris, library, write_text


def test_concurrent_readers_rebuild_the_derived_files_safely(tiny_settings, memo_embeddings):
    sync_index(tiny_settings)
    expected = IndexStore(tiny_settings).require_active().state
    shutil.rmtree(tiny_settings.generations_dir)
    start = threading.Barrier(10)
    errors: list[BaseException] = []

    def search() -> None:
        try:
            start.wait()
            active = IndexStore(tiny_settings).require_active()
            assert active.state.fingerprint == expected.fingerprint
            assert active.bm25_search("kategoristyrning", 3)
            assert "pressmeddelande-kategoristyrning" in active.documents()
        except BaseException as err:  # noqa: BLE001 - collected and reported below
            errors.append(err)

    threads = [threading.Thread(target=search) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(p.name for p in tiny_settings.generations_dir.iterdir()) == [expected.collection]


def test_sentence_search_is_exact_and_the_same_in_every_process(tiny_settings, memo_embeddings):
    """Every stored sentence vector is compared with the question (HNSW's approximate results varied
    between processes near the cut-off, and with them the passages and the answer)."""
    import numpy as np

    from assistant.embeddings import get_embeddings

    sync_index(tiny_settings)
    reader = IndexStore(tiny_settings).require_active()
    vector = get_embeddings(tiny_settings).embed_query_vector(QUESTION)
    stored = reader.sentence_vectors(reader.chunk_ids())
    every = sorted(((cid, a, b, float(np.dot(v, vector))) for cid, items in stored.items() for a, b, v in items),
                   key=lambda x: (-x[3], x[0], x[1]))
    found = reader.sentence_search(vector, 7)
    assert [x[:3] for x in found] == [x[:3] for x in every[:7]]
    assert [round(x[3], 5) for x in found] == [round(x[3], 5) for x in every[:7]]
    one_doc = every[-1][0].split(":")[0]
    assert {cid.split(":")[0] for cid, *_ in reader.sentence_search(vector, 50, [one_doc])} == {one_doc}


def test_a_replaced_generation_stays_readable_for_its_grace_period(tiny_settings, memo_embeddings, tmp_path):
    from assistant.embeddings import get_embeddings

    sync_index(tiny_settings)
    reader = IndexStore(tiny_settings).require_active()  # a search in progress holds this
    unread = IndexStore(tiny_settings).require_active()  # one that has not read anything yet
    vector = get_embeddings(tiny_settings).embed_query_vector("kategoristyrning")
    add_paths(tiny_settings, [write_text(tmp_path / "kaffe.txt", "Om kaffe\n\nKommunen köper kaffe.\n")])
    assert reader.dense_search(vector, 3) and reader.get_chunks(reader.chunk_ids()[:1])
    assert reader.sentence_search(vector, 3)  # the generation's sentence vectors (`<generation>-s`) too

    quick = tiny_settings.model_copy(update={"generation_grace_seconds": 0})
    result = add_paths(quick, [write_text(tmp_path / "te.txt", "Om te\n\nKommunen köper te.\n")])
    assert [g.number for g in IndexStore(quick).generations()] == [3]
    # Replaced generations expiring is routine: not reported as the repair of an interrupted write, and
    # their vector files go with them (they used to stay until the next write, which then reported them).
    assert result.index.notes == []
    assert orphan_segment_dirs(quick.chroma_path) == []
    assert {c.name for c in IndexStore(quick).client.list_collections()} == {
        "kategori-g000003", "kategori-g000003-docs", "kategori-g000003-s"}
    with pytest.raises(IndexChangedError, match="Sökindexet byttes ut medan frågan kördes"):
        reader.dense_search(vector, 3)  # Chroma's collection is gone
    # What a reader has read of its generation's files stays consistent: a search that started finishes
    # on the generation it started on, also past the grace period.
    first = reader.chunk_ids()[:1]
    assert [c.chunk_id for c in reader.get_chunks(first)] == first
    assert {cid for cid, *_ in reader.sentence_search(vector, 3)} <= set(reader.chunk_ids())
    # What it had not read yet went with the generation: a Swedish error, not a crash.
    with pytest.raises(IndexChangedError, match="Sökindexet byttes ut medan frågan kördes"):
        unread.get_chunks(unread.chunk_ids()[:1])
    with pytest.raises(IndexChangedError):
        unread.sentence_search(vector, 3)
    with pytest.raises(IndexChangedError):
        unread.bm25_search("kategoristyrning", 3)


def test_citations_are_identical_after_a_rebuild_from_chroma(small_settings, memo_embeddings, make_pdf):
    """The cache beside Chroma (texts, page maps, BM25, chunks, sentence vectors) is rebuilt from what Chroma
    stores: the same files byte for byte as the commit wrote, so the same citations — pages, publisher and
    year included."""
    from assistant.answers.chain import AnswerService

    sync_index(small_settings)
    pdf = make_pdf("Livsmedel.pdf", [["1 Inledning", "Kommunen köper livsmedel för 40 miljoner kronor per år."],
                                     ["2 Analys", "Tre leverantörer står för 80 procent av inköpen av mejeri."]])
    add_paths(small_settings, [pdf])
    questions = [QUESTION, "Vad ska kategoristyrningen leda till?", "Hur stor andel av mejeriinköpen har tre leverantörer?",
                 "Vad behöver hela organisationen prioritera?"]

    def citations() -> list[str]:
        service = AnswerService(small_settings)
        return [service.answer(q, offline=True).model_dump_json() for q in questions]

    active = IndexStore(small_settings).require_active()
    before = citations()
    # The files the commit wrote: texts, and the chunks and sentence vectors searches read instead of Chroma.
    derived = ("documents.jsonl", "chunks.jsonl", "sentence_vectors.npy", "sentence_spans.npy")
    files = {name: (active.local_dir / name).read_bytes() for name in derived}
    state = active.state
    assert any('"page":2' in c for c in before) and any('"year":2024' in c for c in before)

    shutil.rmtree(small_settings.generations_dir)
    rebuilt = IndexStore(small_settings).require_active()
    assert {name: (rebuilt.local_dir / name).read_bytes() for name in derived} == files
    assert rebuilt.state == state
    assert citations() == before


def test_writers_wait_for_each_other_and_say_who_is_writing(tiny_settings, memo_embeddings, tmp_path):
    sync_index(tiny_settings)
    results: dict[str, object] = {}

    def add(name: str) -> None:
        path = write_text(tmp_path / f"{name}.txt", f"Om {name}\n\nKommunen köper {name} för skolorna.\n")
        results[name] = add_paths(tiny_settings, [path])

    threads = [threading.Thread(target=add, args=(n,)) for n in ("kaffe", "te", "kakao")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {"kaffe", "te", "kakao"} <= set(library(tiny_settings))  # no write lost another's document

    hurried = tiny_settings.model_copy(update={"write_wait_seconds": 0.5, "instance_name": "testinstansen"})
    told: list[str] = []
    with IndexStore(hurried).write_lock():
        with pytest.raises(WriterBusyError) as err:
            add_paths(hurried, [write_text(tmp_path / "saft.txt", "Om saft\n\nSaft.\n")], notify=told.append)
    message = str(err.value)
    assert "En annan skrivning pågår redan: instansen »testinstansen«" in message and f"process {os.getpid()}" in message
    assert "ingenting har ändrats" in message and told and told[0].startswith("Väntar på att en annan skrivning")
    assert "saft" not in library(tiny_settings)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_start_up_repairs_what_interrupted_writes_left(tiny_settings, memo_embeddings, monkeypatch, capsys):
    from .test_library_api import run_main

    sync_index(tiny_settings)
    store = IndexStore(tiny_settings)
    good = library(tiny_settings)
    # What the earlier version and killed writers left: a staging directory, a half-written generation,
    # the documents collection of a generation whose main collection is gone, a cache directory of a
    # process that died, and the vector files of a deleted collection.
    (tiny_settings.user_documents_dir / ".staging-x1y2").mkdir(parents=True)
    (tiny_settings.user_documents_dir / ".staging-x1y2" / "stor.pdf").write_bytes(b"%PDF" + b"0" * 1000)
    half = store.client.create_collection(f"{store.prefix}000007", embedding_function=None, metadata={"complete": False})
    half.add(ids=["a"], embeddings=[[0.1, 0.2]], documents=["halv"])
    store.client.create_collection(f"{store.prefix}000005-docs", embedding_function=None)
    store.client.create_collection(f"{store.prefix}000005-s", embedding_function=None)  # its sentence vectors
    (tiny_settings.generations_dir / f"{store.prefix}000001.tmp-{_dead_pid()}-abcdef12").mkdir(parents=True)
    gone = store.client.create_collection("borttagen-samling", embedding_function=None)
    gone.add(ids=["a"], embeddings=[[0.1, 0.2]], documents=["x"])
    store.client.delete_collection("borttagen-samling")
    assert len(debris(tiny_settings)) >= 6, debris(tiny_settings)

    code, out, err = run_main(["run", "--bara-index"], tiny_settings, monkeypatch, capsys)
    assert code == 0, err
    assert "Städade upp efter en tidigare avbruten skrivning" in err
    assert debris(tiny_settings) == []
    assert library(tiny_settings) == good
    assert [g.number for g in IndexStore(tiny_settings).generations()] == [1]
