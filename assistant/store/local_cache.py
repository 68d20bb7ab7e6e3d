"""Files derived from a generation, kept beside the index: the BM25 index, the documents, the chunks and
sentence vectors (snapshot.py) and a state summary.

They are a cache of what Chroma holds. Every writer (the committing process, or any reader that finds them
missing) builds them in a directory of its own and renames it into place, so a reader sees either no
cache (and builds one) or a complete one, never half of one, and concurrent rebuilds cannot clobber each other.
The state names the generation's fingerprint and commit token (a random id the commit also stores in
Chroma), so a cache left by another attempt at the same generation number is never taken for this one.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from assistant.store import faults
from assistant.store.bm25_index import Bm25Index
from assistant.store.lease import process_alive
from assistant.store.records import StoredChunk
from assistant.store.snapshot import FILES as SNAPSHOT_FILES
from assistant.store.snapshot import SentenceRecord, canonical, write_snapshot
from ingest.models import CleanDocument

STATE_FILE = "state.json"
DOCS_FILE = "documents.jsonl"
_TEMP = re.compile(r"^(?P<name>.+)\.(?:tmp|old)-(?P<pid>\d+)-[0-9a-f]+$")


class IndexState(BaseModel):
    collection: str
    generation: int
    embedding_model: str
    chunk_count: int
    fingerprint: str
    token: str = ""  # the commit's random id (generation metadata "token"); "" for generations written before
    created_at: str
    chunks_by_doc: dict[str, list[str]]
    # Per document: hash of its manifest and cleaned text, so a changed title or publisher is
    # re-written even when every chunk (and so every embedding) stays the same.
    document_versions: dict[str, str] = {}


def document_version(doc: CleanDocument) -> str:
    payload = doc.manifest.model_dump_json() + doc.content_sha256
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def fingerprint(ids: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:24]


def build_state(
    name: str, generation: int, embedding_model: str, chunks: list[StoredChunk], documents: list[CleanDocument],
    created_at: str | None = None, token: str = "",
) -> IndexState:
    by_doc: dict[str, list[str]] = {}
    for c in sorted(chunks, key=lambda c: (c.doc_id, c.chunk_index)):
        by_doc.setdefault(c.doc_id, []).append(c.chunk_id)
    return IndexState(
        collection=name,
        generation=generation,
        embedding_model=embedding_model,
        chunk_count=len(chunks),
        fingerprint=fingerprint([c.chunk_id for c in chunks]),
        token=token,
        created_at=created_at or datetime.now(UTC).isoformat(timespec="seconds"),
        chunks_by_doc=by_doc,
        document_versions={d.manifest.doc_id: document_version(d) for d in documents},
    )


def read_state(local: Path) -> IndexState | None:
    """The cache's state, or None when the cache is missing or incomplete (caches written by earlier versions
    have no snapshot: they are rebuilt)."""
    path = local / STATE_FILE
    if not path.is_file() or not (local / "bm25").is_dir() or not (local / DOCS_FILE).is_file():
        return None
    if not all((local / name).is_file() for name in SNAPSHOT_FILES):
        return None
    try:
        return IndexState.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None


def write_cache(local: Path, state: IndexState, chunks: list[StoredChunk], documents: list[CleanDocument],
                sentences: Sequence[SentenceRecord]) -> None:
    """Build the cache under a private name, then rename it to `local` (replacing a stale one)."""
    local.parent.mkdir(parents=True, exist_ok=True)
    tmp = local.with_name(f"{local.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        tmp.mkdir()
        ordered = canonical(chunks)
        Bm25Index.build([c.chunk_id for c in ordered], [c.bm25_text() for c in ordered]).save(tmp / "bm25")
        write_snapshot(tmp, ordered, sentences)
        with (tmp / DOCS_FILE).open("w", encoding="utf-8") as fh:
            # In id order, as they are read back from Chroma, so a rebuilt file is identical byte for byte.
            for doc in sorted(documents, key=lambda d: d.manifest.doc_id):
                fh.write(doc.model_dump_json() + "\n")
        # Written last: a directory with a state file is complete.
        (tmp / STATE_FILE).write_text(state.model_dump_json(indent=1), encoding="utf-8")
        faults.reached("local.rebuilt")
        _move_into_place(tmp, local, state)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _move_into_place(tmp: Path, local: Path, state: IndexState) -> None:
    try:
        os.rename(tmp, local)
        return
    except OSError as err:
        if err.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
    current = read_state(local)
    if current is not None and (current.fingerprint, current.token) == (state.fingerprint, state.token):
        shutil.rmtree(tmp, ignore_errors=True)  # another process built the same cache first
        return
    old = local.with_name(f"{local.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    with contextlib.suppress(FileNotFoundError):
        os.rename(local, old)
    os.rename(tmp, local)
    shutil.rmtree(old, ignore_errors=True)


def is_temporary(path: Path) -> bool:
    """A cache directory being built or replaced by some process (see `write_cache`)."""
    return _TEMP.match(path.name) is not None


def stale_entries(generations_dir: Path, live_names: set[str], min_age: float = 3600) -> list[Path]:
    """Cache directories of generations that no longer exist, and temporary directories left by processes
    that died (or, when the process is unknown, older than `min_age` seconds)."""
    if not generations_dir.is_dir():
        return []
    out = []
    now = time.time()
    for path in generations_dir.iterdir():
        m = _TEMP.match(path.name)
        if m:
            pid = int(m["pid"])
            dead = pid != os.getpid() and not process_alive(pid)
            with contextlib.suppress(OSError):
                if dead or now - path.stat().st_mtime > min_age:
                    out.append(path)
        elif path.name not in live_names:
            out.append(path)
    return out
