"""Swedish text analysis for BM25: lower-case word tokens, Snowball stopwords, Snowball stemming, and
proximity terms.

Proximity terms are unordered pairs of stems that occur at most `PAIR_WINDOW` positions apart
("upphandl|organisation"). Indexed beside the stems they let BM25 reward passages where the query's
words stand together, which plain bag-of-words BM25 cannot (see benchmarks/README for the measurement).
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_SWEDISH

_WORD = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(STOPWORDS_SWEDISH)
PAIR_WINDOW = 2


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def stems(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return _stemmer().stemWords(words)


def index_terms(text: str) -> list[str]:
    """Stems followed by the proximity pairs among them; used for both passages and queries."""
    words = stems(text)
    pairs = []
    for i, a in enumerate(words):
        for b in words[i + 1 : i + 1 + PAIR_WINDOW]:
            if a != b:
                pairs.append(f"{a}|{b}" if a < b else f"{b}|{a}")
    return words + pairs
