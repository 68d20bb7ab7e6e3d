"""Does the corpus answer this question at all? Decided before any answer is written.

Two signals, both absolute (the fused retrieval score is normalised within each query and so says
nothing about whether the best passage is any good):

- the best cosine similarity between the question and a retrieved passage (e5), and
- the question's content words that occur nowhere in the corpus (nor in a document's title,
  publisher or type): "tröskelvärden", "Melodifestivalen", "udbudsloven".

A question is answered when the best cosine reaches `answer_min_cosine`, and, if it contains words
the corpus does not know, the stricter `answer_min_cosine_unknown_terms`. The thresholds are
calibrated and measured in benchmarks/answer_quality.py (numbers in the README).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel

from assistant.config import Settings
from assistant.retrieval import ScoredChunk
from assistant.store.index import ActiveIndex
from assistant.store.swedish import STOPWORDS, stems

# Words that say how to answer, not what about: an unknown one is no sign of an out-of-scope question.
_FILLER_WORDS = (
    "ungefär cirka ca egentligen exakt precis snälla tack hej berätta förklara beskriv sammanfatta lista "
    "nämn typ alltså liksom kortfattat utförligt enligt"
)
_WORD = re.compile(r"\w+", re.UNICODE)
_KNOWN_PREFIX = 6


class RelevanceDecision(BaseModel):
    answerable: bool
    max_cosine: float
    unknown_terms: list[str]
    reason: str


@lru_cache(maxsize=4)
def _known_vocabulary(fingerprint: str, index: ActiveIndex) -> tuple[frozenset[str], tuple[str, ...]]:
    terms = {t for t in index.bm25.vocabulary() if "|" not in t}
    for doc in index.documents().values():
        m = doc.manifest
        terms.update(stems(f"{m.title} {m.publisher} {m.document_type}"))
    terms.update(stems(_FILLER_WORDS))
    return frozenset(terms), tuple(sorted(terms))


def _is_known(term: str, vocab: frozenset[str], sorted_vocab: tuple[str, ...]) -> bool:
    """Known if the stem itself, or a word sharing its first six letters, occurs in the corpus: the
    Snowball stemmer leaves "föreslås"/"föreslår" apart, which a shared prefix brings together."""
    if term in vocab:
        return True
    prefix = term[:_KNOWN_PREFIX]
    from bisect import bisect_left

    i = bisect_left(sorted_vocab, prefix)
    return i < len(sorted_vocab) and sorted_vocab[i].startswith(prefix)


def unknown_terms(question: str, index: ActiveIndex) -> list[str]:
    """The question's content words (as written) that the corpus does not know."""
    vocab, sorted_vocab = _known_vocabulary(index.state.fingerprint, index)
    out = []
    for word in _WORD.findall(question.lower()):
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        stem = stems(word)
        if stem and not _is_known(stem[0], vocab, sorted_vocab) and word not in out:
            out.append(word)
    return out


def decide(question: str, hits: list[ScoredChunk], index: ActiveIndex, settings: Settings) -> RelevanceDecision:
    best = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
    unknown = unknown_terms(question, index)
    if not hits:
        return RelevanceDecision(answerable=False, max_cosine=best, unknown_terms=unknown, reason="inga träffar")
    if best < settings.answer_min_cosine:
        return RelevanceDecision(
            answerable=False, max_cosine=best, unknown_terms=unknown,
            reason=f"bästa likhet {best:.3f} < {settings.answer_min_cosine}",
        )  # fmt: skip
    if unknown and best < settings.answer_min_cosine_unknown_terms:
        return RelevanceDecision(
            answerable=False, max_cosine=best, unknown_terms=unknown,
            reason=f"okända ord ({', '.join(unknown)}) och bästa likhet {best:.3f} < "
            f"{settings.answer_min_cosine_unknown_terms}",
        )  # fmt: skip
    return RelevanceDecision(answerable=True, max_cosine=best, unknown_terms=unknown, reason="ok")
