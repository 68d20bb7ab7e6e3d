"""Housekeeping inside the embedded Chroma directory.

Deleting a collection removes its rows from `chroma.sqlite3` but leaves its vector segment directory
(`<chroma>/<segment uuid>/`) behind, so every replaced generation used to leave a directory of HNSW files.
A segment directory whose id is no longer in the `segments` table belongs to no collection and is removed.
Only called under the write lock: then no collection is being created while we look.
"""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


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
