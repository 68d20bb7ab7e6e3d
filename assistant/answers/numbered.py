"""Items a document gives as numbered headings: »Regeringen pekar ut tre fokusområden …« is followed, pages
later, by the sections »Fokusområde 1: …«, »Fokusområde 2: …«, »Fokusområde 3: …«; »var indelad i tre
områden« by »Område 1 - Strategi och planering« and so on. No sentence of the document lists them, so
sentence extraction alone quotes the announcement without its items.

A series is used only when a sentence of the retrieved passages announces it with the same count (»tre
fokusområden« and exactly Fokusområde 1–3): a question about »områden« in general must not get the
headings of some numbered »Område« sections of the same report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answers.models import Passage
from assistant.answers.question import NUMBER_WORDS, count_value, focus_word
from assistant.store.records import StoredChunk
from assistant.store.swedish import stems
from ingest.sentences import split_sentences

_NUMBERED = re.compile(r"^\s*(\w+)\s+(\d{1,2})\s*(?:[-–:.]\s*|\s)(\S.*)$")
_UP_TO_TEN = [w for w, n in NUMBER_WORDS.items() if n <= 10]
_COUNTED = re.compile(r"\b(" + "|".join(_UP_TO_TEN) + r"|\d{1,2})\s+(?:\w+\s+)?(\w{4,})", re.I)
_MIN_ITEMS = 2


@dataclass(frozen=True)
class Heading:
    number: int
    text: str  # the heading as the chunk's text has it
    chunk: StoredChunk
    start: int  # offsets of the heading in the chunk text
    end: int


@dataclass(frozen=True)
class Series:
    announcement: tuple[Passage, int, int]  # the passage and offsets of the announcing sentence
    headings: list[Heading]


def asked_noun(question: str) -> str | None:
    """The stem of the things asked for: »Vilka områden …« → områd, »de tre fokusområdena« → fokusområd."""
    word = focus_word(question)
    if word is None:
        m = _COUNTED.search(question)
        word = m.group(2) if m else None
    found = stems(word) if word else []
    return found[0] if found else None


def _same_noun(word: str, noun: str) -> bool:
    """Forms of one noun: the Swedish stemmer leaves »fokusområden« but makes »Fokusområde« fokusområd."""
    stem = (stems(word) or [""])[0]
    short, long = sorted((stem, noun), key=len)
    return len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3


def headings_of(chunks: list[StoredChunk], noun: str) -> list[Heading]:
    """The numbered headings »<noun> 1 …«, »<noun> 2 …« of one document, each where its text first stands."""
    found: dict[int, Heading] = {}
    for chunk in chunks:
        for heading in chunk.section_path:
            m = _NUMBERED.match(heading)
            if not m or not _same_noun(m.group(1), noun) or int(m.group(2)) in found:
                continue
            at = _find(chunk.text, heading)
            if at is not None:
                found[int(m.group(2))] = Heading(int(m.group(2)), chunk.text[at[0] : at[1]], chunk, *at)
    return [found[n] for n in sorted(found)]


def _find(text: str, heading: str) -> tuple[int, int] | None:
    """Where the heading stands in the chunk text, whatever its line breaks and spacing."""
    pattern = r"\s+".join(re.escape(w) for w in heading.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


# »Vilka tre saker …«: a word that names no kind of thing; the announcement's noun says which (»tre fokusområden«).
_GENERIC = frozenset(stems("sak saker grej grejer punkt punkter bit bitar moment spår"))


def find_series(question: str, passages: list[Passage], chunks_of) -> Series | None:
    """The numbered headings a question asks for, announced by a sentence of one of the passages."""
    noun = asked_noun(question)
    if noun is None:
        return None
    generic = noun in _GENERIC
    counted = _COUNTED.search(question)
    if generic and counted is None:
        return None
    for passage in passages:
        for count, start, end, found in _announcements(passage, noun, count_value(counted.group(1)) if generic else None):
            headings = headings_of(chunks_of(passage.chunk.doc_id), found)
            if len(headings) >= _MIN_ITEMS and [h.number for h in headings] == list(range(1, count + 1)):
                return Series((passage, start, end), headings)
    return None


def _announcements(passage: Passage, noun: str, count: int | None):
    """(count, start, end, noun) of the passage's sentences that announce `noun`s (»… indelad i tre
    områden.«), or, for a generic noun, any `count` things (»tre fokusområden«)."""
    for sentence in split_sentences(passage.chunk.text):
        for m in _COUNTED.finditer(sentence.text):
            value = count_value(m.group(1))
            if value < _MIN_ITEMS:
                continue
            if count is None and _same_noun(m.group(2), noun):
                yield value, sentence.start, sentence.end, noun
            elif count is not None and value == count and stems(m.group(2)):
                yield value, sentence.start, sentence.end, stems(m.group(2))[0]
