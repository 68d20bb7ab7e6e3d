"""Offline answers: the best-matching sentences of the top passages, quoted verbatim in a Swedish frame.

Deterministic: the same question and index always give the same answer. Every sentence in the
answer is a quote with its citation, so the offline answer goes through exactly the same
verification as a language model's.

Sentence scores combine the question's words found in the sentence (weighted by rarity, with a bonus
for word pairs that stand together), how well the passage's own heading matches the question, and the
passage's retrieval rank. A "Vilka …?" question whose best passage is a list under a matching heading
is answered with the list.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from assistant.answers.models import DraftCitation, Passage
from assistant.answers.sentences import Sentence, split_sentences
from assistant.store.index import ActiveIndex
from assistant.store.swedish import PAIR_WINDOW, stems

_NUMERIC_QUESTION = re.compile(r"\b(hur (många|mycket|stor|stora|lång|länge|ofta)|hur stor andel|vilket år|när)\b", re.I)
_DEFINITION = re.compile(r"^\s*(vad|vilka)\s+(är|innebär|betyder|menas med)\s+(en |ett |de |den |det )?(.+?)\??\s*$", re.I)
_LIST_QUESTION = re.compile(r"^\s*vilka\b", re.I)
_COMPLETE = re.compile(r"([.!?:»”\")]|\d)$")
_MIN_SENTENCE = 30
_PASSAGES_CONSIDERED = 4
_MAX_LIST_ITEMS = 8


@dataclass(frozen=True)
class Candidate:
    passage: Passage
    sentence: Sentence
    score: float

    @property
    def is_bullet(self) -> bool:
        return self.sentence.text.startswith("•")


class Idf:
    """Inverse document frequencies of stems, read from the BM25 index's posting lists."""

    def __init__(self, index: ActiveIndex):
        model = index.bm25._model  # noqa: SLF001 – the posting lists are bm25s internals
        df = np.diff(model.scores["indptr"])
        self._n = len(index.bm25.ids)
        self._df = {term: int(df[i]) for term, i in model.vocab_dict.items() if i < len(df)}

    def __call__(self, term: str) -> float:
        df = self._df.get(term, 0)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return {tuple(sorted((a, b))) for i, a in enumerate(words) for b in words[i + 1 : i + 1 + PAIR_WINDOW] if a != b}


class _Scorer:
    def __init__(self, question: str, idf: Idf):
        words = stems(question)
        self.terms = set(words)
        self.weight = {t: idf(t) for t in self.terms}
        self.total = sum(self.weight.values()) or 1.0
        self.pairs = _pairs(words)
        self.numeric = bool(_NUMERIC_QUESTION.search(question))
        definition = _DEFINITION.match(question)
        self.defined = stems(definition.group(4)) if definition else []

    def coverage(self, words: list[str]) -> float:
        return sum(self.weight[t] for t in self.terms & set(words)) / self.total

    def sentence(self, text: str, rank: int, heading: float) -> float:
        words = stems(text)
        overlap = self.coverage(words)
        if overlap == 0 and heading == 0:
            return 0.0
        score = overlap + 0.3 * heading + 0.25 / rank
        if self.pairs:
            score += 0.3 * len(self.pairs & _pairs(words)) / len(self.pairs)
        if self.numeric and re.search(r"\d", text):
            score += 0.2
        if self.defined and _defines(words, self.defined):
            score += 0.4
        return score


def _usable(sentence: Sentence, passage: Passage) -> bool:
    text = sentence.text
    if len(text) < _MIN_SENTENCE and not text.startswith("•"):
        return False
    if "http" in text or "www." in text:  # footnote links are no answer
        return False
    if re.match(r"^(Figur|Tabell|Källa)\b", text):  # captions of figures that are not in the text
        return False
    if any(text == t or text.endswith(t) for t in passage.chunk.section_path[-1:]):
        return False  # the heading line itself
    return bool(_COMPLETE.search(text)) or text.startswith("•")


def select_sentences(question: str, passages: list[Passage], idf: Idf, max_sentences: int) -> list[Candidate]:
    scorer = _Scorer(question, idf)
    if not scorer.terms:
        return []
    candidates: list[Candidate] = []
    seen: set[str] = set()  # overlapping chunks repeat sentences
    list_answer: list[Candidate] = []
    for rank, passage in enumerate(passages[:_PASSAGES_CONSIDERED], 1):
        title = passage.chunk.section_path[-1] if passage.chunk.section_path else ""
        heading = scorer.coverage(stems(title)) if title else 0.0
        bullets: list[Candidate] = []
        for sentence in split_sentences(passage.chunk.text):
            if sentence.text in seen:
                continue
            seen.add(sentence.text)
            if _usable(sentence, passage):
                score = scorer.sentence(sentence.text, rank, heading)
                if score > 0.25 / rank:  # more than the rank prior alone
                    candidates.append(Candidate(passage, sentence, score))
                if sentence.text.startswith("•"):
                    bullets.append(Candidate(passage, _whole_line(passage.chunk.text, sentence), score))
        # "Vilka frågor ingår i området X?": a list under a heading that matches the question is the answer.
        if not list_answer and rank <= 2 and heading >= 0.5 and len(bullets) >= 2 and _LIST_QUESTION.match(question):
            list_answer = bullets[:_MAX_LIST_ITEMS]
    if list_answer:
        return list_answer
    if not candidates:
        return []
    # Deterministic order: score, then passage rank, then position.
    candidates.sort(key=lambda c: (-c.score, c.passage.n, c.sentence.start))
    best = candidates[0]
    chosen = [best]
    for cand in candidates[1:]:
        if len(chosen) >= max_sentences or cand.score < 0.6 * best.score:
            break
        # Prefer breadth: a second sentence from a passage already used must be nearly as good.
        if any(c.passage.n == cand.passage.n for c in chosen) and cand.score < 0.85 * best.score:
            continue
        chosen.append(cand)
    return [_with_continuation(c) for c in sorted(chosen, key=lambda c: (c.passage.n, c.sentence.start))]


_LIST_LINE = re.compile(r"(•|-|\d{1,2}[.)])\s")
_MAX_LEAD_IN_ITEMS = 10


def _with_continuation(cand: Candidate) -> Candidate:
    """A lead-in that ends in a colon is quoted with the list that follows it ("… följande nya
    inriktningsmål: 8. … 9. … 10. …"), and a short sentence that only names the topic ("Nivå 5 -
    strategisk samverkan kring inköp.") with the sentence after it on the same line, which says what it is."""
    text = cand.passage.chunk.text
    if cand.sentence.text.endswith(":"):
        end = cand.sentence.end
        items = 0
        for line in re.finditer(r"[^\n]+", text[cand.sentence.end :]):
            if not _LIST_LINE.match(line.group()) or items >= _MAX_LEAD_IN_ITEMS:
                break
            end = cand.sentence.end + line.end()
            items += 1
        if items:
            return Candidate(cand.passage, Sentence(cand.sentence.start, end, text[cand.sentence.start : end]), cand.score)
        return cand
    if len(cand.sentence.text) >= 80 or cand.is_bullet:
        return cand
    following = [s for s in split_sentences(text) if s.start > cand.sentence.start]
    nxt = following[0] if following else None
    if nxt is None or "\n" in text[cand.sentence.end : nxt.start]:
        return cand
    merged = Sentence(cand.sentence.start, nxt.end, text[cand.sentence.start : nxt.end])
    return Candidate(cand.passage, merged, cand.score)


def _whole_line(text: str, sentence: Sentence) -> Sentence:
    """A list item is quoted whole, even when it holds more than one sentence."""
    end = text.find("\n", sentence.start)
    end = len(text) if end < 0 else end
    return Sentence(sentence.start, end, text[sentence.start : end].rstrip())


def _defines(words: list[str], defined: list[str]) -> bool:
    """The sentence says what the asked-about term is: the term and är/innebär/avses in it."""
    joined = " ".join(words)
    term = " ".join(defined)
    return bool(re.search(rf"\b{re.escape(term)}\b", joined)) and bool(
        re.search(r"\b(är|innebär|betyd|avs)\b", joined)
    )


def extractive_answer(
    question: str, passages: list[Passage], index: ActiveIndex, max_sentences: int
) -> tuple[str, list[DraftCitation]]:
    """Answer text with [n] markers and the quotes they cite (n = passage number)."""
    chosen = select_sentences(question, passages, Idf(index), max_sentences)
    if not chosen:
        return "", []
    documents = index.documents()
    drafts = [DraftCitation(n=c.passage.n, quote=c.sentence.text.lstrip("•- ").strip()) for c in chosen]

    def locate(c: Candidate) -> tuple[str, int, bool]:
        chunk = c.passage.chunk
        doc = documents.get(chunk.doc_id)
        page = doc.page_at(chunk.char_start + c.sentence.start).page if doc else chunk.page_start
        name = (doc.manifest.short_title or doc.manifest.title) if doc else chunk.doc_title
        return name, page, doc.manifest.paged if doc else True

    if all(c.is_bullet for c in chosen) and len(chosen) >= 2:
        name, page, paged = locate(chosen[0])
        heading = chosen[0].passage.chunk.section_path[-1] if chosen[0].passage.chunk.section_path else ""
        where = f", s. {page}" if paged else ""
        intro = f"Enligt {name}{where}" + (f", under rubriken »{heading}«:" if heading else ":")
        items = "\n".join(f"- »{d.quote}« [{d.n}]" for d in drafts)
        return f"{intro}\n\n{items}", drafts

    parts: list[str] = []
    previous: tuple[str, int] | None = None
    followers = iter(())
    for cand, draft in zip(chosen, drafts, strict=True):
        name, page, paged = locate(cand)
        doc_id = cand.passage.chunk.doc_id
        if previous is None or doc_id != previous[0]:
            lead = f"Enligt {name}" + (f", s. {page}" if paged else "")
            followers = iter(("Där står också", "Vidare", "Dessutom"))
        else:
            lead = next(followers, "Vidare") + (f" (s. {page})" if paged and page != previous[1] else "")
        parts.append(f"{lead}: »{draft.quote}« [{draft.n}]")
        previous = (doc_id, page)
    return "\n\n".join(parts), drafts
