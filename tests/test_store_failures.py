"""Storage failures on the command line: a Swedish message, a non-zero exit code, and nothing lost.
(The Chroma server dying mid-ingest is in test_chroma_server.py, with a real server.)"""

from __future__ import annotations

import errno
import shutil

import pytest

from assistant.store import faults
from ingest.library import add_paths
from ingest.pipeline import sync_index

from .store_helpers import debris, library, write_text
from .test_library_api import run_main


def _disk_full_oserror():
    return OSError(errno.ENOSPC, "No space left on device")


def _disk_full_in_chroma():
    from chromadb.errors import InternalError

    return InternalError("error returned from database: (code: 13) database or disk is full")


@pytest.mark.parametrize(("point", "make_error"), [
    ("commit.documents", _disk_full_oserror),
    ("commit.local", _disk_full_oserror),
    ("commit.chunks", _disk_full_in_chroma),
])
def test_disk_full_during_ingest(point, make_error, tiny_settings, memo_embeddings, tmp_path, monkeypatch, capsys):
    sync_index(tiny_settings)
    add_paths(tiny_settings, [write_text(tmp_path / "kaffe.txt", "Om kaffe\n\nKommunen köper kaffe.\n")])
    before = library(tiny_settings)
    te = write_text(tmp_path / "te.txt", "Om te\n\nRegionen köper te.\n")
    with faults.inject(point, make_error()):
        code, out, err = run_main(["ingest", "--quiet", str(te)], tiny_settings, monkeypatch, capsys)
    assert code == 1 and "Traceback" not in err
    assert "Disken är full" in err and "Frigör utrymme och försök igen" in err
    assert "Indexet och dokumentbiblioteket är oförändrade" in err
    assert library(tiny_settings) == before and debris(tiny_settings) == []
    code, out, err = run_main(["ingest", "--quiet", str(te)], tiny_settings, monkeypatch, capsys)
    assert code == 0, err
    assert set(library(tiny_settings)) == set(before) | {"te"}


def test_disk_full_while_a_reader_rebuilds_its_files(tiny_settings, memo_embeddings, monkeypatch, capsys):
    sync_index(tiny_settings)
    shutil.rmtree(tiny_settings.generations_dir)
    with faults.inject("local.rebuilt", _disk_full_oserror()):
        code, out, err = run_main(["search", "kategoristyrning"], tiny_settings, monkeypatch, capsys)
    assert code == 1 and "Traceback" not in err and "Disken är full" in err
    code, out, err = run_main(["search", "kategoristyrning", "--k", "1"], tiny_settings, monkeypatch, capsys)
    assert code == 0 and "kategoristyrning" in out.lower()


def test_an_unexpected_chroma_error_is_named_not_a_traceback(tiny_settings, memo_embeddings, tmp_path, monkeypatch,
                                                              capsys):
    from chromadb.errors import InternalError

    sync_index(tiny_settings)
    before = library(tiny_settings)
    with faults.inject("commit.created", InternalError("segment reader failed")):
        code, out, err = run_main(["ingest", "--rebuild", "--quiet"], tiny_settings, monkeypatch, capsys)
    assert code == 1 and "Traceback" not in err
    assert "Kunde inte skriva till sökindexet (Chroma: InternalError: segment reader failed)" in err
    assert library(tiny_settings) == before
