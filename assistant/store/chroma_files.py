"""Reading and housekeeping inside the embedded Chroma directory, with sqlite alone.

Collections: which collections exist and their metadata (a generation's `complete` flag, fingerprint,
commit token) are read straight from `chroma.sqlite3`, read-only. A reader that finds its generation's
derived files complete needs nothing else from Chroma, and this saves it loading the chromadb package and
opening a client. When the file cannot be read this way (another Chroma layout), the caller asks Chroma.

Segments: deleting a collection removes its rows from `chroma.sqlite3` but leaves its vector segment
directory (`<chroma>/<segment uuid>/`) behind, so every replaced generation used to leave a directory of
HNSW files. A segment directory whose id is no longer in the `segments` table belongs to no collection
and is removed. Only called under the write lock: then no collection is being created while we look.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# Where chromadb.PersistentClient keeps collections unless told otherwise (we never tell it otherwise).
_TENANT, _DATABASE = "default_tenant", "default_database"
_COLLECTIONS = """
    SELECT c.name, m.key, m.str_value, m.int_value, m.float_value, m.bool_value
    FROM collections c JOIN databases d ON d.id = c.database_id
    LEFT JOIN collection_metadata m ON m.collection_id = c.id
    WHERE d.tenant_id = ? AND d.name = ?
"""


def read_collections(chroma_path: Path) -> list[tuple[str, dict[str, Any]]] | None:
    """Every collection's name and metadata, as `client.list_collections()` gives them; None when the
    database cannot be read this way (missing, locked too long, or laid out differently)."""
    db = chroma_path / "chroma.sqlite3"
    if not db.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as con:
            rows = con.execute(_COLLECTIONS, (_TENANT, _DATABASE)).fetchall()
    except sqlite3.Error as err:
        log.info("Läser samlingarna via Chroma (%s)", err)
        return None
    out: dict[str, dict[str, Any]] = {}
    for name, key, text, integer, real, flag in rows:
        meta = out.setdefault(name, {})
        if key is not None:
            meta[key] = text if text is not None else integer if integer is not None else real if real is not None else (
                bool(flag) if flag is not None else None)
    return list(out.items())


def orphan_segment_dirs(chroma_path: Path) -> list[Path]:
    db = chroma_path / "chroma.sqlite3"
    if not db.is_file():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as con:
        known = {row[0] for row in con.execute("SELECT id FROM segments")}
    return sorted(p for p in chroma_path.iterdir() if p.is_dir() and _UUID.match(p.name) and p.name not in known)


def remove_orphan_segments(chroma_path: Path) -> list[str]:
    removed = []
    try:
        orphans = orphan_segment_dirs(chroma_path)
    except sqlite3.Error as err:  # an older or newer Chroma layout: leave the directory alone
        log.warning("Kunde inte läsa Chromas segmenttabell: %s", err)
        return []
    for path in orphans:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    return removed
