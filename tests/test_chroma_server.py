"""A real `chroma run` server on 127.0.0.1, shared by several instances (separate data directories):
ingest on one and search on another, concurrent ingests, the lease between writers, and the server
killed in the middle of an ingest and restarted — nothing lost, clear Swedish messages.

One server serves the module (starting one takes seconds); each test uses its own collection name."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import KategoriError
from assistant.store import faults
from assistant.store.failures import LeaseLostError, WriterBusyError
from assistant.store.index import IndexStore, make_client
from assistant.store.lease import ServerLease
from ingest.library import add_paths, list_documents, remove_document
from ingest.pipeline import sync_index

from .conftest import cli_env, run_cli
from .store_helpers import debris, library, tiny_corpus, write_text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    def __init__(self, path: Path):
        self.path = path
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        self.proc = subprocess.Popen(
            [chroma, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        deadline = time.time() + 90
        while True:
            try:
                chromadb.HttpClient(host="127.0.0.1", port=self.port,
                                    settings=ChromaSettings(anonymized_telemetry=False)).heartbeat()
                return
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    self.proc.kill()
                    pytest.fail("Chroma-servern startade inte")
                time.sleep(0.2)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=20)

    def env(self, collection: str) -> dict[str, str]:
        return {"KATEGORI_CHROMA_HOST": "127.0.0.1", "KATEGORI_CHROMA_PORT": str(self.port),
                "KATEGORI_COLLECTION": collection}


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data")
    server.start()
    yield server
    if server.proc and server.proc.poll() is None:
        server.proc.terminate()
        server.proc.wait(timeout=20)


def _instance(server: ChromaServer, root: Path, name: str, collection: str, **extra) -> Settings:
    corpus = root / "corpus"
    if not corpus.exists():
        tiny_corpus(corpus)
    return Settings(data_dir=root / name, corpus_dir=corpus, chroma_host="127.0.0.1", chroma_port=server.port,
                    collection=collection, instance_name=name, **extra)


def test_ingest_and_search_against_a_chroma_server(chroma_server, tmp_path):
    a = _instance(chroma_server, tmp_path, "A", "kat-cli")
    env = chroma_server.env("kat-cli")
    built = run_cli(["ingest", "--quiet"], a, **env)
    assert built.returncode == 0, built.stderr
    client = make_client(a)
    names = {c.name for c in client.list_collections() if c.name.startswith("kat-cli-")}
    assert {"kat-cli-g000001", "kat-cli-g000001-docs"} <= names
    assert client.get_collection("kat-cli-g000001").count() > 0
    assert not (a.data_dir / "chroma").exists()  # nothing went to the embedded store

    found = run_cli(["search", "Vad är kategoristyrning?", "--json", "--k", "3"], a, **env)
    assert found.returncode == 0, found.stderr
    results = json.loads(found.stdout)["results"]
    assert results[0]["doc_id"] == "pressmeddelande-kategoristyrning"
    assert "Kategoristyrning är en arbetsmetod" in " ".join(r["text"] for r in results)

    # A second instance (empty data directory) shares the server: its cache is rebuilt from Chroma.
    b = _instance(chroma_server, tmp_path, "B", "kat-cli")
    again = run_cli(["search", "Vad är kategoristyrning?", "--json", "--k", "3"], b, **env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["results"][0]["chunk_id"] == results[0]["chunk_id"]


def test_instances_share_one_document_library(chroma_server, tmp_path, memo_embeddings):
    a = _instance(chroma_server, tmp_path, "A", "kat-lib")
    b = _instance(chroma_server, tmp_path, "B", "kat-lib")
    sync_index(a)
    add_paths(a, [write_text(tmp_path / "kaffe.txt", "Om kaffe\n\nKommunen köper kaffe för tre miljoner kronor.\n")])
    # B sees A's document: listed, searchable, with its text.
    assert "kaffe" in {d.doc_id for d in list_documents(b)}
    from assistant.retrieval import build_retriever

    assert build_retriever(b).search("kaffe", k=3)[0].chunk.doc_id == "kaffe"
    add_paths(b, [write_text(tmp_path / "te.txt", "Om te\n\nRegionen köper te för en miljon kronor.\n")])
    # A plain ingest on A keeps B's document (it used to remove it: "borttagna: te").
    report = sync_index(a)
    assert report.removed == [] and {"kaffe", "te"} <= set(library(a))
    remove_document(b, "kaffe")
    assert "kaffe" not in library(a) and "te" in library(a)


def test_concurrent_ingests_on_three_instances(chroma_server, tmp_path):
    """Three instances start at once on an empty server, each adding its own file: they take turns
    through the lease on the server, and every document is there at the end."""
    env = {**chroma_server.env("kat-conc"), "KATEGORI_WRITE_WAIT_SECONDS": "600"}
    procs = []
    for name, item in (("A", "kaffe"), ("B", "te"), ("C", "kakao")):
        settings = _instance(chroma_server, tmp_path, name, "kat-conc")
        path = write_text(tmp_path / f"{item}.txt", f"Om {item}\n\nKommunen köper {item} till alla skolor.\n")
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "assistant", "ingest", "--quiet", str(path)],
            env={**cli_env(settings, **env), "KATEGORI_INSTANCE_NAME": name}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        ))
    outputs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    assert any("Väntar på att en annan skrivning mot den delade Chroma-servern" in err for _, err in outputs)
    final = _instance(chroma_server, tmp_path, "D", "kat-conc")
    assert {"kaffe", "te", "kakao", "pressmeddelande-kategoristyrning"} == set(library(final))


def test_the_lease_waits_takes_over_when_expired_and_fences_a_stalled_writer(chroma_server, tmp_path):
    a = _instance(chroma_server, tmp_path, "A", "kat-lease", write_lease_seconds=2)
    b = _instance(chroma_server, tmp_path, "B", "kat-lease", write_wait_seconds=0.5)
    client = make_client(a)
    first = ServerLease.acquire(a, client, lambda: make_client(a))
    with pytest.raises(WriterBusyError, match="instansen »A«"):
        ServerLease.acquire(b, make_client(b), lambda: make_client(b))
    first._stop.set()  # A stalls (a paused process): no more renewals
    first._thread.join()
    time.sleep(2.2)
    patient = b.model_copy(update={"write_wait_seconds": 10})
    second = ServerLease.acquire(patient, make_client(b), lambda: make_client(b))
    assert second.epoch == first.epoch + 1
    with pytest.raises(LeaseLostError, match="tagits över av instansen »B«"):
        first.check()
    second.check()
    second.release()


def test_server_killed_mid_ingest_then_restarted_loses_nothing(chroma_server, tmp_path, memo_embeddings,
                                                               monkeypatch, capsys):
    from .test_library_api import run_main

    a = _instance(chroma_server, tmp_path, "A", "kat-kill", write_lease_seconds=3)
    b = _instance(chroma_server, tmp_path, "B", "kat-kill")
    sync_index(a)
    add_paths(a, [write_text(tmp_path / "kaffe.txt", "Om kaffe\n\nKommunen köper kaffe för tre miljoner kronor.\n")])
    before = library(a)
    te = write_text(tmp_path / "te.txt", "Om te\n\nRegionen köper te för en miljon kronor.\n")

    monkeypatch.setenv("KATEGORI_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("KATEGORI_CHROMA_PORT", str(chroma_server.port))
    monkeypatch.setenv("KATEGORI_COLLECTION", "kat-kill")
    monkeypatch.setenv("KATEGORI_WRITE_LEASE_SECONDS", "3")
    # Killed once the half-written generation has its sentence-vector collection too (`<generation>-s`).
    with faults.inject("commit.sentences", chroma_server.kill):
        code, out, err = run_main(["ingest", "--quiet", str(te)], a, monkeypatch, capsys)
    assert code == 1 and "Traceback" not in err
    assert f"Förbindelsen med Chroma-servern på 127.0.0.1:{chroma_server.port} bröts" in err
    assert "Indexet och dokumentbiblioteket är oförändrade" in err

    # While the server is down, reading says so too.
    with pytest.raises(KategoriError, match="Kunde inte ansluta till Chroma-servern"):
        IndexStore(b).require_active()

    chroma_server.start()
    assert library(b) == before  # the old generation is intact; B reads it
    result = add_paths(b, [te])  # waits out A's lease, repairs A's half-written generation, adds te
    assert [f.status for f in result.files] == ["added"]
    assert set(library(a)) == set(before) | {"te"}
    assert any("ofullständig generation kat-kill-g000003" in note for note in result.index.notes)
    assert debris(a) == []  # no half-written generation, no orphan chunk, document or sentence collection


def test_unreachable_chroma_server_is_a_clear_error(small_settings):
    result = run_cli(["search", "kategoristyrning"], small_settings,
                     KATEGORI_CHROMA_HOST="127.0.0.1", KATEGORI_CHROMA_PORT=str(_free_port()))
    assert result.returncode == 1
    assert "Kunde inte ansluta till Chroma-servern" in result.stderr and "Traceback" not in result.stderr
