"""Everyday phrases for what the documents name in their own words (»när avtalet är påskrivet« is the
documents' »realisera«), searched together with those words.

The list is reviewed data in data/paraphrases.yaml. As with abbreviations, the documents' words are added
after the phrase (»när avtalet är påskrivet (realisera inköpet, …)«), so the question keeps its own words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.answers.countries import adjective_rules
from assistant.store.swedish import stem

_FILE = Path(__file__).resolve().parent / "data" / "paraphrases.yaml"


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[re.Pattern, str], ...]:
    entries = yaml.safe_load(_FILE.read_text(encoding="utf-8")) or []
    # A country's adjective adds the country's name (»det norska programmet« – »i Norge«): from the one table of
    # countries (countries.py), not written out here.
    pairs = [(e["pattern"], str(e["adds"])) for e in entries] + adjective_rules()
    return tuple((re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I), adds) for pattern, adds in pairs)


def with_document_words(text: str) -> str:
    """`text` with the documents' words after each everyday phrase it contains (once per phrase)."""
    for pattern, adds in _rules():
        found = list(pattern.finditer(text))
        if not found or adds.lower() in text.lower():
            continue
        # The last one: the question comes after what the asker tells (»Avtalet är påskrivet. Vad gör vi när …«).
        m = found[-1]
        text = f"{text[: m.end()]} ({adds}){text[m.end():]}"
    return text


def explained(text: str, end: int) -> bool:
    """Is the word ending at `end` followed by the documents' words that with_document_words added for it?
    Such a word is the asker's way of saying what the documents name, not a word they lack."""
    m = re.match(r"\s*\(([^)]*)\)", text[end:])
    return bool(m) and m.group(1) in _added_words()


@lru_cache(maxsize=1)
def _added_words() -> frozenset[str]:
    return frozenset(adds for _, adds in _rules())


# »en plan per kategori«, »team för varje kategori«: what Swedish writes as one word (»kategoriplan«).
_PER = re.compile(r"\b(\w{3,}) (?:per|för varje|för respektive|inom varje) (\w{4,})\b", re.I)


def with_compounds(text: str, known: Callable[[str], bool]) -> str:
    """`text` with the compound the documents use after »A per B« (»plan per kategori (kategoriplan)«), when
    `known` (a stem the index has) knows it; the question keeps its own words."""
    for m in reversed(list(_PER.finditer(text))):
        head, modifier = m.group(1).lower(), m.group(2).lower()
        compound = next((c for c in (f"{modifier}{head}", f"{modifier}s{head}") if known(stem(c))), None)
        if compound and compound not in text.lower():
            text = f"{text[: m.end()]} ({compound}){text[m.end():]}"
    return text
