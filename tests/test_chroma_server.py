"""The HttpClient path: a real `chroma run` server on 127.0.0.1, ingest and search against it."""

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

from .conftest import run_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    deadline = time.time() + 60
    while True:
        try:
            client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False))
            client.heartbeat()
            break
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("Chroma-servern startade inte")
            time.sleep(0.3)
    yield port, client
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_search_against_a_chroma_server(chroma_server, small_settings, tmp_path):
    port, client = chroma_server
    env = {"KATEGORI_CHROMA_HOST": "127.0.0.1", "KATEGORI_CHROMA_PORT": str(port)}
    built = run_cli(["ingest", "--quiet"], small_settings, **env)
    assert built.returncode == 0, built.stderr
    names = [c.name for c in client.list_collections()]
    assert names == ["kategori-g000001"]
    assert client.get_collection(names[0]).count() > 0
    # Nothing went to the embedded store.
    assert not (small_settings.data_dir / "chroma").exists()

    found = run_cli(["search", "Vad är kategoristyrning?", "--json", "--k", "3"], small_settings, **env)
    assert found.returncode == 0, found.stderr
    results = json.loads(found.stdout)["results"]
    assert results[0]["doc_id"] == "pressmeddelande-kategoristyrning"
    assert "Kategoristyrning är en arbetsmetod" in " ".join(r["text"] for r in results)

    # A second machine (empty data directory) shares the server: BM25 and texts are rebuilt from Chroma.
    other = Settings(data_dir=tmp_path / "other-machine", corpus_dir=small_settings.corpus_dir)
    again = run_cli(["search", "Vad är kategoristyrning?", "--json", "--k", "3"], other, **env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["results"][0]["chunk_id"] == results[0]["chunk_id"]


def test_unreachable_chroma_server_is_a_clear_error(small_settings):
    result = run_cli(["search", "kategoristyrning"], small_settings,
                     KATEGORI_CHROMA_HOST="127.0.0.1", KATEGORI_CHROMA_PORT=str(_free_port()))
    assert result.returncode == 1
    assert "Kunde inte ansluta till Chroma-servern" in result.stderr and "Traceback" not in result.stderr
