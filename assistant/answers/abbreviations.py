"""Abbreviations and English terms in questions (»UHM«, »mnkr«, »roadmap«) searched together with what
they stand for.

The list is reviewed data in data/abbreviations.yaml. The expansion is added after the abbreviation
("UHM (Upphandlingsmyndigheten)"), so the question keeps its own words and gains the documents' words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.yaml"


_HOMOGRAPHS = frozenset({"LOV", "DIS", "SIC"})


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern, dict[str, str]]:
    table = {str(k): str(v) for k, v in (yaml.safe_load(_FILE.read_text(encoding="utf-8")) or {}).items()}
    # An abbreviation typed in lower case (»uhm:s uppdrag«) is still one, unless the lower-case form is
    # a Swedish word of its own (»lov«, »dis«).
    lowered = {k.lower(): v for k, v in table.items() if not k.isupper() or k not in _HOMOGRAPHS}
    caps = {k: v for k, v in table.items() if k.isupper()}
    names = sorted(set(caps) | set(lowered), key=len, reverse=True)
    # Case: capitals as written ("UHM", also "UHM:s"); other shorthand and abbreviations in any case.
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(:s\b|s\b)?(?![\w-])", re.I)
    return pattern, {**lowered, **caps}


def expand(text: str) -> str:
    pattern, table = _table()

    def repl(m: re.Match) -> str:
        word = m.group(1)
        expansion = table.get(word) if word.isupper() else table.get(word.lower())
        if expansion is None or expansion.lower() in text.lower():
            return m.group(0)
        return f"{m.group(0)} ({expansion})"

    return pattern.sub(repl, text)


@lru_cache(maxsize=1)
def _phrase_words() -> frozenset[str]:
    _, table = _table()
    return frozenset(w.lower() for key in table if " " in key for w in key.split())


def is_abbreviation(word: str) -> bool:
    """A word the table expands, or a word of a phrase it expands (»category« in »category management«):
    it stands for words the documents use, so it is no unknown word."""
    _, table = _table()
    if word in table or word.lower() in table or word.lower() in _phrase_words():
        return True
    # A genitive written without the colon, as chat does (»UHMs handlingsplan«, »ESVs nivåer«).
    return len(word) > 2 and word.endswith("s") and word[:-1].isupper() and word[:-1] in table


def expansion(word: str) -> str | None:
    """What an abbreviation stands for (»LOU« → »lagen om offentlig upphandling«), or None."""
    _, table = _table()
    return table.get(word) if word.isupper() else table.get(word.lower())
