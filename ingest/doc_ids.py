"""Document ids for users' files: readable, stable, and never silently shared by two different files.

The id is the file name as a slug (`Rapport 2024.txt` → `rapport-2024`). The same file name again (case and
Unicode form aside) is a new version of the same document. Any other file whose slug is already taken —
by a seed document, another user file or another file in the same batch — and any name the slug cannot
represent (empty, or mostly non-Latin letters: `予算.txt`, `Προϋπολογισμός.txt`) gets a short hash of its
name appended, so it becomes a document of its own, and the caller is told why.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_MAX_ID = 80


@dataclass(frozen=True)
class IdChoice:
    doc_id: str
    replaces: bool  # the same file name as an existing document: this is a new version of it
    note: str | None = None  # why the id is not simply the file name's slug (Swedish)


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:_MAX_ID].strip("-")


def name_key(name: str) -> str:
    """Two names that are "the same file" to a person: same letters regardless of case or Unicode form."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def _mostly_latin(stem: str) -> bool:
    letters = [ch for ch in stem if ch.isalpha()]
    if not letters:
        return True
    latin = sum(1 for ch in letters if unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").isalpha())
    return latin * 2 >= len(letters)


def _with_hash(base: str, key: str, length: int) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:length]
    base = base[: _MAX_ID - length - 1].strip("-")
    return f"{base}-{digest}" if base else f"dokument-{digest}"


def choose_id(file_name: str, existing: dict[str, str], reserved: dict[str, str]) -> IdChoice:
    """The id for `file_name`.

    `existing`: the user documents already in the library (or earlier in this batch), doc_id → file name.
    `reserved`: ids that belong to something else, doc_id → how to name that owner in a message.
    """
    key = name_key(file_name)
    for doc_id, other in existing.items():
        if name_key(other) == key:
            return IdChoice(doc_id, replaces=True, note="ny version av samma fil")
    stem, suffix = Path(file_name).stem, Path(file_name).suffix.lower()
    slug = slugify(stem)
    # Documents added by earlier versions were stored as "<slug><suffix>": the same slug is the same file.
    if slug in existing and existing[slug] == f"{slug}{suffix}":
        return IdChoice(slug, replaces=True, note="ny version av samma fil")
    taken = set(existing) | set(reserved)
    if len(slug) < 2 or not _mostly_latin(stem):
        candidate = _with_hash(slug if len(slug) >= 2 else "", key, 8)
        why = "är för kort för ett id" if _mostly_latin(stem) else "kan inte skrivas med latinska bokstäver"
        note = f"filnamnet {why}, så id:t har fått en kontrollsumma av namnet"
    elif slug in taken:
        owner = f"filen »{existing[slug]}«" if slug in existing else reserved[slug]
        candidate = _with_hash(slug, key, 6)
        note = f"id:t {slug} används redan av {owner}, så den här filen blev ett eget dokument"
    else:
        return IdChoice(slug, replaces=False)
    length = len(candidate) - candidate.rfind("-") - 1
    while candidate in taken:  # a hash collision: vanishingly rare, but never a silent replacement
        length += 2
        candidate = _with_hash(candidate[: candidate.rfind("-")], key, length)
    return IdChoice(candidate, replaces=False, note=note)
