"""The files a search reads instead of Chroma (assistant/store/snapshot.py, chroma_files.py, bm25_index.py):
they hold exactly what Chroma holds, belong to exactly one commit, score exactly as bm25s would, and a
reader of the embedded store loads neither chromadb nor LangChain (exact sentence search:
test_store_readers.py)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import numpy as np

from assistant.store.chroma_files import read_collections
from assistant.store.index import IndexStore
from ingest.library import add_paths
from ingest.pipeline import sync_index

from .conftest import cli_env
from .store_helpers import QUESTION, assert_snapshot_agrees_with_chroma, write_text

HEAVY = ("chromadb", "langchain", "langchain_core", "langsmith", "bm25s", "scipy", "torch")


def test_generations_are_read_from_sqlite_as_chroma_lists_them(tiny_settings, memo_embeddings, tmp_path):
    sync_index(tiny_settings)
    add_paths(tiny_settings, [write_text(tmp_path / "kaffe.txt", "Om kaffe\n\nKommunen köper kaffe.\n")])
    listed = read_collections(tiny_settings.chroma_path)
    chroma = {c.name: dict(c.metadata or {}) for c in IndexStore(tiny_settings).client.list_collections()}
    assert listed is not None and dict(listed) == chroma
    old, new = chroma["kategori-g000001"], chroma["kategori-g000002"]
    # Every kind of value comes back as Chroma gives it: the flag, the count, the time it was replaced.
    assert new["complete"] is True and isinstance(new["chunk_count"], int) and isinstance(old["superseded_at"], float)
    assert IndexStore(tiny_settings).active_name() == "kategori-g000002"


def test_an_unreadable_chroma_database_is_left_to_chroma(tmp_path):
    assert read_collections(tmp_path) is None  # no database yet
    sqlite3.connect(tmp_path / "chroma.sqlite3").close()  # a database without Chroma's tables
    assert read_collections(tmp_path) is None


def test_derived_files_of_another_commit_or_an_earlier_version_are_rebuilt(tiny_settings, memo_embeddings):
    sync_index(tiny_settings)
    active = IndexStore(tiny_settings).require_active()
    local = active.local_dir
    files = {name: (local / name).read_bytes() for name in ("chunks.jsonl", "sentence_vectors.npy", "sentence_spans.npy")}

    # Another attempt at the same generation number (same chunks, other commit) left its files in place.
    state = json.loads((local / "state.json").read_text(encoding="utf-8"))
    assert state["token"] == active.state.token != ""
    state["token"] = "ett-avbrutet-forsok"
    (local / "state.json").write_text(json.dumps(state), encoding="utf-8")
    (local / "chunks.jsonl").write_text(files["chunks.jsonl"].decode().replace("Regeringskansliet", "Någon annan"),
                                        encoding="utf-8")
    reopened = IndexStore(tiny_settings).require_active()
    assert reopened.state == active.state
    assert {name: (local / name).read_bytes() for name in files} == files

    # A cache written before snapshots existed has no vectors: rebuilt, byte for byte the same.
    (local / "sentence_vectors.npy").unlink()
    IndexStore(tiny_settings).require_active()
    assert {name: (local / name).read_bytes() for name in files} == files
    assert_snapshot_agrees_with_chroma(tiny_settings, IndexStore(tiny_settings).require_active())


def test_bm25_scores_are_the_scores_bm25s_computes(tmp_path):
    import bm25s

    from assistant.store.bm25_index import Bm25Index
    from assistant.store.swedish import query_terms

    texts = ["Kategoristyrning är ett arbetssätt för inköp.", "Kommunen köper kaffe och te till förvaltningarna.",
             "Inköpsorganisationen leder kategoristyrningen och följer upp avtalen.", "Upphandling av livsmedel."]
    Bm25Index.build([f"c{i}" for i in range(len(texts))], texts).save(tmp_path / "bm25")
    ours, theirs = Bm25Index.load(tmp_path / "bm25"), bm25s.BM25.load(str(tmp_path / "bm25"))
    for query in ("kategoristyrning och inköp", "kaffe kaffe te", "uppföljning av avtal", "livsmedelsupphandling"):
        for terms, _ in query_terms(query):
            tokens = [t for t in terms if t in ours.vocabulary()]
            if tokens:
                assert np.array_equal(ours._scores.get_scores(tokens), theirs.get_scores(tokens))
    assert [cid for cid, _ in ours.search("kaffe till förvaltningen", 4)] == ["c1"]
    assert ours.document_frequency("kaff") == 1 and ours.document_frequency("inget-sådant-ord") is None


def test_a_reader_of_the_embedded_store_loads_neither_chromadb_nor_langchain(tiny_settings, memo_embeddings):
    sync_index(tiny_settings)
    code = f"""
import json, sys
from assistant.answers.chain import AnswerService
from assistant.config import get_settings
from assistant.store.index import IndexStore
answer = AnswerService(get_settings()).answer({QUESTION!r}, offline=True)
active = IndexStore(get_settings()).require_active()
import shutil
shutil.rmtree(active.local_dir)  # the generation's files vanish before this reader read them
try:
    active.documents()
    error = None
except Exception as err:
    error = type(err).__name__
print(json.dumps({{"answered": answer.answered, "cited": len(answer.citations), "error": error,
                  "loaded": sorted({{m.split(".")[0] for m in sys.modules}} & set({list(HEAVY)!r}))}}))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(tiny_settings), timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["answered"] and result["cited"]
    assert result["error"] == "IndexChangedError"  # a Swedish error, still without loading chromadb
    assert result["loaded"] == []
