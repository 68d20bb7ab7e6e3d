"""Offline answers: the sentences of the retrieved passages that answer the question, quoted verbatim.

Deterministic: the same question and index always give the same answer. Every sentence in the answer
is a quote with its citation, so the offline answer goes through exactly the same verification as a
language model's.

How the sentences are chosen (query-focused extraction):

- Units: the passages' sentences; a list item as its whole line; a lead-in that ends in a colon
  together with its list; a sentence that opens with a pointer word (»Detta«, »Dessa« …) together with
  the sentence before it, which says what it points to.
- Each unit is scored against each part of the question (assistant/answers/question.py) by the words
  it shares with the part (weighted by rarity, compound parts at half weight, word pairs that stand
  together), by the dense similarity of its sentence vectors to the part (e5, see
  assistant/store/sentences.py), by how well its section heading matches, and by what the question
  asks for: a figure wants a number, a date question a date, a list question a list.
- The answer leads with the unit that answers best, covers every part with its best unit, and adds
  more only while they are nearly as good: a weak sentence is left out rather than padding the answer.
  A comparison gets the best unit from each document; a list question its list.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from assistant.answers.amounts import amount_in_range, amount_source, asks_with_amount
from assistant.answers.models import Passage, QuoteCitation
from assistant.answers.numbered import Series, find_series
from assistant.answers.question import (
    DEFINED_HOW,
    EXAMPLES_TEXT,
    FREQUENCY_TEXT,
    NUMBER_WORDS,
    NUMBERED_ITEMS,
    SOURCE_WORDS,
    TIME_OF_YEAR,
    VAGUE_FREQUENCY_TEXT,
    WHOSE_CLAUSE,
    QuestionAnalysis,
    analyse,
    count_value,
    focus_word,
    named_sources,
    without_denials,
    without_source_references,
)
from assistant.store.index import ActiveIndex
from assistant.store.records import StoredChunk
from assistant.store.swedish import (
    PAIR_WINDOW,
    STOPWORDS,
    compound_parts,
    short_head,
    stem,
    stems,
    synonym_stems,
    synonyms,
    words,
)
from ingest.sentences import Sentence, split_sentences

_MIN_SENTENCE = 30
# A sentence that says what to do answers »Hur gör vi …?« (0.1, 0.2, 0.3 measured on all sets: 0.3).
HOWTO_BONUS = 0.3
_SOURCE_STEMS = frozenset(stems(" ".join(SOURCE_WORDS)))
_FRAME_STEMS = frozenset(stems("tänkt tänkta avsedd avsedda avsett menad menade riktad riktade"))
_MAX_QUOTE = 450
_PASSAGES_CONSIDERED = 8
_MAX_LIST_ITEMS = 10
_LIST_LINE = re.compile(r"(•|-|–|\d{1,2}[.)])\s")
_COMPLETE = re.compile(r"([.!?:»”\")]|\d)$")
# … and a definite noun that takes up a figure just given (»Enbart 19 procent … Andelen är låg och …«).
_ANAPHOR = re.compile(r"^(Detta|Dessa|Denna|Den|De|Där|Det|Därför|Sådana|Dessutom|Då|Här|Andelen|Siffran|Antalet|Ökningen|Minskningen)\b")
# "Det finns …", "Det är viktigt att …": an expletive »det« points at nothing before it. »Det är en digital
# tjänst där …« after »… lanserar Upphandlingsmyndigheten nu Strategikollen.« says what that is.
_EXPLETIVE = re.compile(
    r"^Det (finns|fanns|krävs|behövs|går|gäller|förekommer|räcker|kan finnas|är (viktigt|av|angeläget|"
    r"också|därför|dessutom|värdefullt|nödvändigt|möjligt|svårt|lätt|inte)|handlar)\b"
)
_NUMBER = re.compile(
    r"\d|\b(" + "|".join(NUMBER_WORDS) + r"|tjugo|trettio|hundra|tusen|hälften|halva|dubbelt|"
    r"tredjedel(ar)?|fjärdedel(ar)?|femtedel(ar)?|sjättedel(ar)?|trettiotal|hundratal|\w+tal)\b|"
    r"\b(en|ett) (procent|miljon|miljard|tredjedel|fjärdedel|femtedel|sjättedel)",
    re.I,
)
_ENUMERATOR = re.compile(r"^\s*(\d{1,2}[.)]|•|-|–)\s+", re.M)
_DATE_TEXT = re.compile(
    r"\b(19|20)\d\d\b|\b(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\b|"
    + TIME_OF_YEAR, re.I
)
_TIME_OF_YEAR_Q = re.compile(r"\b(när|vilken tid|vilka tider|hur ofta) (\w+ ){0,2}(på|under) året\b", re.I)
_TIME_OF_YEAR_TEXT = re.compile(TIME_OF_YEAR, re.I)
_DURATION_TEXT = re.compile(
    r"\b\d+\s*(år|månader|veckor|dagar)\b|\b(ett|två|tre|fyra|fem|sex|tio|tolv)\s+(till\s+\w+\s+)?(års?|månader|veckor)\b|"
    r"\bårs sikt\b|\b\d{4}[–-]\d{4}\b|\bt\.o\.m\.|\btill och med\b|\blångsiktig",
    re.I,
)
_MONEY = re.compile(r"\bkron|\bmiljard|\bmiljon|\bmnkr|\bmkr|\beuro\b|\bkr\b", re.I)
_AMOUNT_ASKED = re.compile(r"\bhur mycket\b|\bbelopp|\bsumm(a|an|or)\b|\bkron|\bmiljard|\bkosta", re.I)
_PERCENT = re.compile(r"procent|%|\bandel", re.I)
_ENUMERATION = re.compile(r"\w+, \w+(?: \w+)?,? (och|eller) \w+")
_CAUSE = re.compile(
    r"\b(eftersom|på grund av|därför|beror på|orsak\w*|till följd av|leder till|bidrar till|för att|syfte\w*|"
    r"hjälpmedel|förutsättningar för|möjliggör|gör det möjligt)\b",
    re.I,
)
_METHOD = re.compile(
    r"\b(genom att|ett sätt|sätt(et)? att|ett annat sätt|kan \w+ genom|steg|åtgärd\w*|bör|behöver|rekommenderar|"
    # »Upphandlande aktörer kan vidare ställa krav …«: what one can do, not how things are
    r"(kan|ska|skall|måste)( \w+){0,2} (ställa|använda|kräva|införa|säkerställa|ta fram|genomföra|följa upp|granska|"
    r"kontrollera|begära|samverka|utveckla|prioritera|analysera|planera|avtala|inkludera))\b",
    re.I,
)
_ROLES = re.compile(
    r"\b(ledning\w*|\w*chef\w*|politisk\w*|nämnd\w*|styrelse\w*|förvaltning\w*|\w*team\w*|profession\w*|"
    r"\w*företrädare|upphandlare|inköpare|beställare|fullmäktige|\w*ansvarig\w*|specialist\w*|jurist\w*)\b",
    re.I,
)


@dataclass
class Weights:
    """How the parts of a unit's score add up. Chosen on all question sets together (dev, own factual,
    own realistic, the shared examples; benchmarks/answer_quality.py), not on any one of them."""

    idf_power: float = 1.0  # <1 flattens rarity, so one rare paraphrased word does not decide alone
    dense: float = 0.6  # the unit's best sentence's similarity, min–max normalised within the question
    heading: float = 0.2
    heading_named: float = 0.3  # the question names the unit's section heading word for word
    rank: float = 0.15  # / passage rank
    pairs: float = 0.3
    topic: float = 0.4  # a follow-up's earlier question, relative to its own words
    # What the asker tells of themselves (»Vi är en statlig myndighet som köper för 300 mille …«): 0.2 and 0.3
    # were measured too; the situation often names the answer's subject (»statlig myndighet«).
    situation: float = 0.4
    synonym: float = 0.3  # a thesaurus synonym of a question word, relative to the word itself
    paragraph: float = -0.1  # a whole paragraph competes with its sentences at a small cost
    focus: float = 2.0  # weight of the word the question asks for ("vilka branscher")
    in_heading: float = 0.6  # credit for a question word found in the unit's section path, not the unit
    in_passage: float = 0.5  # … or elsewhere in its passage
    fill: float = 0.75  # a further unit must score this share of the best
    part: float = 0.5  # a part's own best unit must score this share of the overall best
    cue: float = 0.3  # a word of the question that names the answer (_cue_bonus)
    # A figure's caption (»Figur 7. Verktyg för mätning …«) labels a picture the text lacks; a page break may have
    # joined it to the next page's first sentence.
    caption: float = -0.3


WEIGHTS = Weights()


@dataclass(frozen=True)
class Unit:
    passage: Passage
    start: int  # offsets in the passage's chunk text
    end: int
    kind: str  # "sentence", "item" (a list line) or "list" (a lead-in with its items)
    spans: tuple[tuple[int, int], ...] = ()  # the sentences it is made of

    @property
    def text(self) -> str:
        return self.passage.chunk.text[self.start : self.end]


@dataclass
class Scored:
    unit: Unit
    score: float
    per_part: list[float] = field(default_factory=list)
    lexical: float = 0.0
    dense: float = 0.0


class Idf:
    """Inverse document frequencies of stems, read from the BM25 index's posting lists."""

    def __init__(self, index: ActiveIndex):
        self._bm25 = index.bm25
        self._n = len(index.bm25.ids)
        self._index = index
        self._names: frozenset[str] | None = None

    def is_name(self, word: str) -> bool:
        """A word the documents write capitalised inside sentences and never in lower case (»Nacka«, »Sinfra«)."""
        if self._names is None:
            self._names = _corpus_names(self._index)
        return word.lower() in self._names

    def __call__(self, term: str) -> float:
        df = self._bm25.document_frequency(term) or 0
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def known(self, term: str) -> bool:
        return self._bm25.document_frequency(term) is not None


def _corpus_names(index: ActiveIndex) -> frozenset[str]:
    capitalised: set[str] = set()
    lower: set[str] = set()
    for doc_id in index.documents():
        for chunk in index.chunks_of(doc_id):
            for m in re.finditer(r"(?<=[\w,] )[A-ZÅÄÖ][a-zåäö]{2,}\b|\b[a-zåäö]{3,}\b", chunk.text):
                (capitalised if m.group()[0].isupper() else lower).add(m.group().lower())
    return frozenset(capitalised - lower)


def _pairs(stemmed: list[str]) -> set[tuple[str, str]]:
    return {
        (a, b) if a < b else (b, a)
        for i, a in enumerate(stemmed)
        for b in stemmed[i + 1 : i + 1 + PAIR_WINDOW]
        if a != b
    }


def _terms_of(text: str) -> set[str]:
    """A text's stems and the stems of its compound parts."""
    out = set(stems(text))
    for w in words(text):
        out.update(stems(" ".join(compound_parts(w))))
        head = short_head(w)
        if head:
            out.add(stem(head))
    return out


@lru_cache(maxsize=256)
def focus_term(text: str) -> str | None:
    """The stem of the word a question asks for ("Vilka branscher …" → bransch): the answer names it."""
    word = focus_word(text)
    found = stems(word) if word else []
    return found[0] if found else None


class _PartScorer:
    """Lexical match of units against one part of the question."""

    def __init__(self, text: str, idf: Idf, topic: str | None, situation: str = ""):
        # »rapporten«, »färdplanen« say where to look, not what the answer says (»Trendens … rapport«).
        # … nor do the words that frame what is asked (»Vem är den tänkt för?«): its topic does.
        # (… and their owner and year: »UHM:s rapport från 2022« favours no sentence that names UHM or 2022.)
        own = [t for t in stems(without_source_references(text)) if t not in _SOURCE_STEMS and t not in _FRAME_STEMS]
        power = WEIGHTS.idf_power
        self.weight: dict[str, float] = {t: idf(t) ** power for t in own}
        focus = focus_term(text)
        if focus in self.weight:
            self.weight[focus] *= WEIGHTS.focus
        for t in synonym_stems(text, idf.known):  # "först" also finds "inledningsvis"s synonym "främst"
            self.weight.setdefault(t, WEIGHTS.synonym * idf(t) ** power)
        for w in words(text):
            for p in stems(" ".join(compound_parts(w))):
                self.weight.setdefault(p, 0.5 * idf(p) ** power)
        if topic:  # a follow-up's earlier question: its words help, the follow-up's own words decide
            for t in stems(topic):
                self.weight.setdefault(t, WEIGHTS.topic * idf(t) ** power)
        # The asker's situation helps as a follow-up's earlier question does; what would mislead in it
        # (»… bara till de sju målen«) is outweighed by what the question says (_same_modifier: »nya«).
        for t in stems(situation):
            self.weight.setdefault(t, WEIGHTS.situation * idf(t) ** power)
        self.total = sum(self.weight.values()) or 1.0
        # Every word the asker wrote, function words too (_heading_named).
        self.said = {stem(w) for w in _WORD.findall(f"{text} {topic or ''} {situation}".lower())}
        self.pairs = _pairs(own)

    def coverage(self, terms: set[str], context: tuple[set[str], set[str]] = (set(), set())) -> float:
        """Weighted share of the part's words in `terms`; a word found only in the unit's section
        headings or elsewhere in its passage counts in part: the context often names the topic while
        the sentence says the answer."""
        heading, passage = context
        got = 0.0
        for t, w in self.weight.items():
            if t in terms:
                got += w
            elif t in heading:
                got += WEIGHTS.in_heading * w
            elif t in passage:
                got += WEIGHTS.in_passage * w
        return got / self.total

    def score(self, text: str, context: tuple[set[str], set[str]] = (set(), set())) -> float:
        terms = _terms_of(text)
        score = self.coverage(terms, context)
        if self.pairs:
            score += WEIGHTS.pairs * len(self.pairs & _pairs(stems(text))) / len(self.pairs)
        return score


# ---- units -----------------------------------------------------------------------------------------


_ELSEWHERE = re.compile(r"\b(ta del av|läsa mer|finns att läsa|finns att hämta|kan laddas ner)\b.{0,80}\bwebbplats", re.I)


def _usable(text: str, passage: Passage) -> bool:
    if "http" in text or "www." in text:  # footnote links are no answer
        return False
    if re.match(r"^(Figur|Tabell|Källa)\b", text):  # captions of figures that are not in the text
        return False
    if _ELSEWHERE.search(text):  # »Det går att ta del av resultaten … på vår webbplats.« says where, not what
        return False
    if any(text == t or text.endswith(t) for t in passage.chunk.section_path[-1:]):
        return False  # the heading line itself
    if _LIST_LINE.match(text):
        return True
    return len(text) >= _MIN_SENTENCE and bool(_COMPLETE.search(text))


def units_of(passage: Passage, pointers_inside: bool = True) -> list[Unit]:
    """The passage's units. `pointers_inside=False` joins a sentence to the one before only for a pointer
    that opens it: the reranker (assistant/rerank.py) ranks passages by units, and there a sentence that
    points back a few words in (»Ett sätt att möta denna utmaning …«) measured no better on all sets together
    (dev MRR@10 0,854 against 0,865), while in answers it keeps the quote whole."""
    text = passage.chunk.text
    points_back = _points_back if pointers_inside else _opens_with_pointer
    sentences = split_sentences(text)
    out: list[Unit] = []
    for i, s in enumerate(sentences):
        if not _usable(s.text, passage):
            continue
        if _LIST_LINE.match(s.text):
            line_end = text.find("\n", s.start)
            line_end = len(text) if line_end < 0 else line_end
            end = len(text[:line_end].rstrip())
            out.append(Unit(passage, s.start, end, "item", _spans_in(sentences, s.start, end)))
            continue
        if s.text.endswith(":"):
            block = _list_after(text, s)
            if block is not None:
                out.append(Unit(passage, s.start, block, "list", _spans_in(sentences, s.start, block)))
                continue
        start = s.start
        if i and points_back(s.text):
            prev = sentences[i - 1]
            if _usable(prev.text, passage) or len(prev.text) >= _MIN_SENTENCE:
                start = prev.start
        end = s.end
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        if nxt is not None and "\n" not in text[s.end : nxt.start]:
            if len(s.text) < 80:
                end = nxt.end  # "Nivå 5 - strategisk samverkan kring inköp." + what it is
            elif points_back(nxt.text) and nxt.end - start <= _MAX_QUOTE:
                end = nxt.end  # "… upphandlare som var ensamma i organisationen. De beskriver att …"
        out.append(Unit(passage, start, end, "sentence", _spans_in(sentences, start, end)))
    # A short paragraph whole: its first sentence often names the subject, a later one the answer.
    for line in re.finditer(r"[^\n]+", text):
        spans = _spans_in(sentences, line.start(), line.end())
        if 2 <= len(spans) and spans[-1][1] - spans[0][0] <= _MAX_QUOTE:
            first = next(s for s in sentences if s.start == spans[0][0])
            if _usable(first.text, passage) and not _LIST_LINE.match(first.text):
                out.append(Unit(passage, spans[0][0], spans[-1][1], "paragraph", spans))
    return out


# »Ett sätt att möta denna utmaning är …«: a pointer a few words in says what the sentence answers just as
# one at the start does.
_POINTER_INSIDE = re.compile(r"^(\w+[ ,]+){1,5}(denna|detta|dessa)\s+\w+", re.I)


def _opens_with_pointer(text: str) -> bool:
    return bool(_ANAPHOR.match(text)) and not _EXPLETIVE.match(text)


def _points_back(text: str) -> bool:
    return _opens_with_pointer(text) or bool(_POINTER_INSIDE.match(text))


def _spans_in(sentences: list[Sentence], start: int, end: int) -> tuple[tuple[int, int], ...]:
    return tuple((s.start, s.end) for s in sentences if start <= s.start < end)


def _list_after(text: str, lead: Sentence) -> int | None:
    """End of the list that follows a lead-in line ("… följande nya inriktningsmål:" + 8. … 10. …)."""
    end, items = lead.end, 0
    for line in re.finditer(r"[^\n]+", text[lead.end :]):
        stripped = line.group().strip()
        if not stripped:
            continue
        if not _LIST_LINE.match(stripped) or items >= _MAX_LIST_ITEMS:
            break
        end = lead.end + line.end()
        items += 1
    return end if items else None


# ---- scoring ---------------------------------------------------------------------------------------


def requested_count(question: str) -> int | None:
    """"de tre nya målen", "topp 5": how many items the question asks for."""
    series = NUMBERED_ITEMS.search(question)
    if series:
        return len(re.findall(r"\d{1,2}", series.group()))  # »mål 8 9 10«: three items, not eight
    m = re.search(r"\b(topp\s+)?(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\b", question, re.I)
    if not m:
        return None
    return count_value(m.group(2))


_HOW_MANY_DO = re.compile(
    r"\bhur många (?!anställda|medarbetare|personer|årsarbetare)(\w+ ){0,2}(har|gör|jobbar|arbetar|använder|saknar)\b", re.I
)


# »vilka två axlar«, »de tre målområdena«: the count and the noun the question asks for a list of.
_COUNTED_LIST_Q = re.compile(r"\b(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\s+(?:\w+\s+)?([a-zåäö]{4,})\b", re.I)


def _counts_then_names(text: str, question: str) -> bool:
    """The sentence says the asked-for number of the asked-for things and names them right after
    (»Ambitionsgrafen … består av två axlar, samspel mellan inköpsfunktionen och ledningen och …«)."""
    m = _COUNTED_LIST_Q.search(question)
    if not m:
        return False
    count, noun = m.group(1).lower(), stem(m.group(2).lower())[:5]
    for found in re.finditer(rf"\b{re.escape(count)}\s+(?:\w+\s+)?(\w+)", text, re.I):
        if stem(found.group(1).lower()).startswith(noun) and re.search(r"[,:;]\s*\w+.{0,120}\b(och|samt)\b", text[found.end() : found.end() + 160]):
            return True
    return False


def _kind_match(kind: str, unit: Unit, question: str) -> float:
    text = _ENUMERATOR.sub("", unit.text)  # list numbering is no figure
    if unit.kind == "list":
        count = requested_count(question)
        if count is not None:
            items = len(_lead_and_items(unit)[1])
            return 0.25 if items == count else -0.15
    if kind == "figure":
        if not _NUMBER.search(text):
            return -0.15
        bonus = 0.2
        # (»Hur många har kategoriplaner?«: how many organisations do something is given as a share of them.)
        if re.search(r"\b(andel|procent|del av|vanligt|vanliga|hur stor del|hur många av)\b", question, re.I) or _HOW_MANY_DO.search(question):
            bonus += 0.2 if _PERCENT.search(text) else -0.1
        if _MONEY.search(question) or re.search(r"\b(kosta|mycket pengar|belopp)", question, re.I):
            bonus += 0.1 if _MONEY.search(text) else -0.1
        return bonus
    if kind == "date":
        if not _DATE_TEXT.search(text):
            return -0.1
        if _TIME_OF_YEAR_Q.search(question):
            # »När på året …?« is answered by a time of the year (»tertial- och årsbokslut«), not by a year.
            return 0.4 if _TIME_OF_YEAR_TEXT.search(text) else 0.0
        # »När ska systemet kunna börja användas?« asks what is planned (»ska kunna tas i drift 2028«), not when
        # the work was ordered (»I regleringsbrevet för 2025 fick …«).
        return 0.35 if _FUTURE_Q.search(question) and _FUTURE.search(text) else 0.2
    if kind == "duration":
        return 0.25 if _DURATION_TEXT.search(text) else -0.1
    if kind == "frequency":
        if _MONEY.search(text):
            return 0.0  # »upphandlar … årligen för omkring 879 miljarder kronor« is a sum, not how often
        if not FREQUENCY_TEXT.search(text):
            return -0.1
        # »per tertial och år« says how often; »löpande« only that it recurs.
        return 0.25 if FREQUENCY_TEXT.search(VAGUE_FREQUENCY_TEXT.sub("", text)) else 0.1
    if re.search(r"\bexempel\b", question, re.I) and EXAMPLES_TEXT.search(text):
        # Examples that are listed (»såsom livsmedel, transporter och it«) are what was asked for.
        return 0.2 + (0.1 if _ENUMERATION.search(text) else 0.0)
    if kind == "list":
        if unit.kind == "list" and _announces_other(unit, question):
            return -0.15
        if unit.kind in ("list", "item"):
            return 0.15
        if _counts_then_names(text, question):
            return 0.3  # »vilka två axlar« – »består av två axlar, samspel mellan … och samspel mellan …«
        return 0.1 if _ENUMERATION.search(text) else 0.0
    if kind == "why":
        return 0.15 if _CAUSE.search(text) else 0.0
    if kind == "howto":
        return HOWTO_BONUS if _METHOD.search(text) else 0.0
    if kind == "who":
        return 0.15 if _ROLES.search(text) else 0.0
    return 0.0


# What a lead-in announces: »följande nya inriktningsmål för …:«, else the word before the colon.
_ANNOUNCED = re.compile(r"\bföljande\s+([^:]*?)\s*:\s*$|(\w+)\s*:\s*$", re.I)


def _announces_other(unit: Unit, question: str) -> bool:
    """»Vilka hinder …?« and a lead-in that names the hinder but announces other items (»frågor om vilka
    hinder … upplever i sin strävan efter följande mål:«): the list is of goals, not of obstacles."""
    focus = focus_term(question)
    lead = _lead_and_items(unit)[0]
    announced = _ANNOUNCED.search(lead)
    if not focus or not announced:
        return False
    phrase = (announced.group(1) or announced.group(2) or "").lower()
    if not phrase or phrase in STOPWORDS or phrase in ("följande", "nedan", "exempel", "exempelvis"):
        return False
    return focus in _terms_of(lead[: announced.start()]) and focus not in _terms_of(phrase)


_COUNTED_Q = re.compile(r"\b(de|dess|alla)\s+(två|tre|fyra|fem|sex|sju|åtta|nio|tio|\d{1,2})\s+\w+", re.I)
_TOTAL_Q = re.compile(r"\b(totalt|sammanlagt|allt som allt|sammantaget)\b", re.I)
_CONSISTS = re.compile(
    r"\b((består|bestå|utgörs)( \w+){0,4} av|omfattar|delas in i|delar (vi|man) in \w+( \w+){0,4} i|(är )?indelad\w* i|"
    r"totalt|sammanlagt)\b",
    re.I,
)
_FUTURE_Q = re.compile(r"\bnär\s+(ska|skall|kommer|beräknas|planeras|väntas|blir)\b", re.I)
_FUTURE = re.compile(r"\b(ska|skall|kommer att|beräknas|planeras|väntas)\b", re.I)
_RANKING_Q = re.compile(r"\b(topp|störst\w*|vanligast\w*|främst\w*|viktigast\w*|flest|högst\w*|mest)\b", re.I)
# »högsta ledningen« is the top of the organisation, not a first place.
_RANKING = re.compile(
    r"\b(flest|störst\w*|vanligast\w*|främst\w*|viktigast\w*|högst\w*(?!\s+(ledning|chef|besluta|nivå|instans))|mest)\b", re.I
)
_ORDINAL = re.compile(r"\b(näst|andra|tredje|fjärde|femte)\s+(\w+\s+)?$", re.I)
# »topp tre«, »de tre största hindren«, »fem vanligaste«: every place from the top, not one place.
_EVERY_PLACE_Q = re.compile(
    r"\btopp\b|\b(\d|två|tre|fyra|fem)\s+(\w+\s+)?(störst\w*|vanligast\w*|främst\w*|viktigast\w*|högst\w*|mest)\b", re.I
)


def _asks_every_place(question: str) -> bool:
    return bool(_EVERY_PLACE_Q.search(question))


def _ordinal(match: re.Match, text: str) -> str:
    """»näst«, »tredje« … before a superlative; "" for the first place (»topp tre« asks from the top)."""
    found = _ORDINAL.search(text[: match.start()][-40:])
    return found.group(1).lower().replace("andra", "näst") if found else ""


_ORDINAL_NUMBER = {"första": "1", "andra": "2", "tredje": "3", "fjärde": "4", "femte": "5", "sjätte": "6"}
_NUMBERED_BY_ORDINAL = re.compile(
    r"\b(första|andra|tredje|fjärde|femte|sjätte)\s+(zon\w*|nivå\w*|steg\w*|fas\w*|fokusområde\w*|inriktningsmål\w*)", re.I
)
_FIRST_STEP_Q = re.compile(r"\b(först|första steg\w*|börja med|börjar vi|komma igång)\b", re.I)
# »Och sen?«, »vad gör vi med resultatet när den är klar?«: what the documents say follows.
_NEXT_STEP_Q = re.compile(
    r"^\W*(och |okej,? (och |men )?)?(sen|sedan|därefter|efter det)\b|\b(vad händer|vad gör (vi|man)|vad ska (vi|man) göra) (sen|sedan|därefter|efter det)\b|"
    r"\bnästa steg\b|\bvad gör (vi|man) med (resultatet|den|det)\b|\bnär (den|det|analysen|den väl) (är|blir) (klar|färdig|gjord)",
    re.I,
)
_NEXT_STEP = re.compile(r"\b(sedan|därefter|i nästa steg|i ett nästa steg|efter en|efter det|möjliggör)\b", re.I)
_FIRST_STEP = re.compile(r"\b(inledningsvis|inledande|först|första steg\w*|börja med|till en början|i ett första)\b", re.I)


def _cue_bonus(unit_text: str, question: str, situation: str = "") -> float:
    """Words of the question that name the answer exactly: a small number it mentions (»nivå 3«), the thing
    it counts next to a number (»hur många inriktningsmål« → »tio inriktningsmål«), a first step (»vad ska
    göras först« → »Inledningsvis …«)."""
    bonus = 0.0
    # Small numbers name things (»nivå 3«, »zon 2«); a year in a question is mostly context (»enkäten från 2020«).
    numbers = set(re.findall(r"\b\d{1,3}\b", _ENUMERATOR.sub("", question)))
    # »den första zonen« is »zon 1«
    numbers |= {_ORDINAL_NUMBER[m.group(1).lower()] for m in _NUMBERED_BY_ORDINAL.finditer(question)}
    if numbers and numbers & set(re.findall(r"\b\d{1,3}\b", _ENUMERATOR.sub("", unit_text))):
        bonus += WEIGHTS.cue
    counted = re.search(r"\bhur många\s+(?:\w+ande\s+|\w+ende\s+|olika\s+|nya\s+)?(\w{4,})", question, re.I)
    if counted:
        noun = stems(counted.group(1))
        number = r"(?:\d+|" + "|".join(NUMBER_WORDS) + r"|tjugo|trettio|hundra)"
        for m in re.finditer(number + r"\s+(?:\w+\s+)?(\w+)", unit_text, re.I):
            if noun and stems(m.group(1))[:1] == noun[:1]:
                bonus += WEIGHTS.cue
                break
    if _FIRST_STEP_Q.search(question) and _FIRST_STEP.search(unit_text):
        bonus += WEIGHTS.cue
    if _NEXT_STEP_Q.search(f"{situation} {question}") and _NEXT_STEP.search(unit_text):
        bonus += WEIGHTS.cue
    if _names_items_of(unit_text, question):
        bonus += WEIGHTS.cue
    if _CALCULATION_Q.search(question) and _CALCULATION.search(unit_text):
        bonus += WEIGHTS.cue
    if _same_modifier(unit_text, question):
        bonus += WEIGHTS.cue
    if _REGISTRATION_Q.search(question) and _REGISTRATION.search(unit_text):
        bonus += 2 * WEIGHTS.cue  # »Vilket diarienummer …?« – »… i uppdrag … (Fi2024/01912)«
    if amount_in_range(unit_text, amount_source(question, situation)):
        # »Vi köper för runt 300 mille om året«: the class the asker's own amount falls in answers.
        bonus += 2 * WEIGHTS.cue
    # »Hur många mål blir det totalt?«, »Vad mäter de två axlarna?«: the sentence that says what the whole
    # consists of (»… består av tio inriktningsmål«, »består av två axlar, …«) answers, not one that
    # mentions a number of them in passing.
    if (counted or _COUNTED_Q.search(question) or _TOTAL_Q.search(question)) and _CONSISTS.search(unit_text):
        bonus += WEIGHTS.cue
    # »topp tre hinder«, »det största hindret«: the sentence that ranks (»det hinder som flest … upplever«).
    # The place must match: »det största« is not »det tredje största«, »det näst största« is.
    asked = _RANKING_Q.search(question)
    top = asked is not None and _asks_every_place(question)  # »topp tre« asks for every place
    if asked and any(top or _ordinal(m, unit_text) == _ordinal(asked, question) for m in _RANKING.finditer(unit_text)):
        bonus += WEIGHTS.cue
    return bonus


# A registration number asked for, and one given: a ministry's (»Fi2024/01912«) or a report series' (»ESV 2023:48«).
_REGISTRATION_Q = re.compile(r"\b(diarienummer\w*|diarienr|dnr|ärendenummer\w*|beteckning\w*)\b", re.I)
_REGISTRATION = re.compile(r"\b[A-ZÅÄÖ][a-zåäö]{0,3}\s?\d{4}[/:]\d+\b")
_ORG = r"(kommun|myndighet|organisation|region|verksamhet|bolag|inköpsavdelning|inköpsfunktion|inköpsenhet|förvaltning)\w*"
_FEW = r"(en|ett|två|tre|fyra|fem|sex|[1-9]|\d\d)"
_SMALL_Q = re.compile(
    rf"\b((liten|litet|lilla|små|mindre) (\w+ )?{_ORG}|(bara|endast|enbart|totalt|bara har|har bara) {_FEW} "
    rf"(personer|upphandlare|inköpare|anställda|på inköp|st)\b|{_FEW} (upphandlare|inköpare) (totalt|sammanlagt)|"
    rf"ensam(ma)? (upphandlare|inköpare)|få (upphandlare|inköpare|personer|anställda)|vi är {_FEW} (på|i|personer))",
    re.I,
)
_FEW_STAFF = re.compile(r"\b(\d+) anställda\b", re.I)
# »små företag« are suppliers, not the asker: only organisations that buy.
_SMALL_ORGANISATION = re.compile(
    r"\b(små|mindre) (kommuner|myndigheter|organisationer|verksamheter|regioner)\b|\bbegränsade? (resurser|inköpsfunktion)|"
    r"\bsin storlek\b",
    re.I,
)


def _small_organisation(text: str) -> bool:
    """The asker says their organisation is small: few buyers, few staff, »en liten kommun«."""
    if _SMALL_Q.search(text):
        return True
    staff = _FEW_STAFF.search(text)
    return staff is not None and int(staff.group(1)) < 100


# »Vilka nya inriktningsmål …?«: the word that says which ones (»nya«, not the »sju« of the old list).
_MODIFIER = re.compile(
    r"\b(nya|gamla|ursprungliga|tidigare|senaste|befintliga|nuvarande|kommande|tillkomna|första)\s+(\w{3,})", re.I
)


def _same_modifier(unit_text: str, question: str) -> bool:
    m = _MODIFIER.search(question)
    if not m:
        return False
    modifier, noun = m.group(1).lower(), stem(m.group(2).lower())

    def same(word: str) -> bool:
        # »nya mål« are the »nya inriktningsmål«: the compound's last part is the noun asked for.
        parts = compound_parts(word)
        head = parts[-1] if len(parts) > 1 else short_head(word)
        return stem(word) == noun or (head is not None and stem(head) == noun)

    return any(same(found.group(2).lower()) for found in _MODIFIER.finditer(unit_text) if found.group(1).lower() == modifier)


# »Hur räknar man ut poängen?« is answered by the sentence that does the arithmetic.
_CALCULATION_Q = re.compile(r"\b(räkna\w* (man |vi |ni )?ut|räknas|beräkna\w*|summera\w*|poängsätt\w*|hur (får|fås|blir) (man |vi )?poäng)", re.I)
_CALCULATION = re.compile(
    r"\b(summera\w*|summan|dela(s|des|t)? med|multiplicera\w*|adderas|medelvärde\w*|genomsnitt\w*|räknas (ut|om|fram)|"
    r"beräknas|viktades|viktas)\b",
    re.I,
)
_ITEMS_FOLLOW = re.compile(r"\s*(:|,?\s*(såsom|som till exempel|t\.ex\.|exempelvis|till exempel|bland annat|bl\.a\.)\s)", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)


def _names_items_of(unit_text: str, question: str) -> bool:
    """»I vilka branscher …?« is answered by the sentence that names them: the asked-for word followed by
    its items (»branscherna bygg- och anläggning, lokalvård och transport«, »kategorier, såsom …«)."""
    focus = focus_term(question)
    if not focus:
        return False
    for m in _WORD.finditer(unit_text):
        if stems(m.group())[:1] != [focus]:
            continue
        after = unit_text[m.end() : m.end() + 90]
        if _ITEMS_FOLLOW.match(after):
            return True
        listed = _ENUMERATION.search(after)
        if listed and listed.start() <= 30:
            return True
    return False


_DEFINING = re.compile(
    r"\b(är|innebär|innebära|betyder|avses|avser|menas|kallas|kallar|benämns|består av|handlar om|utgörs av|definieras|"
    r"räknas|klassas|kännetecknas|utmärks|präglas|finns det)\b",
    re.I,
)


def _term_forms(term: str) -> list[list[str]]:
    """Each content word of a term with the stems of its forms (suppletive comparison: liten → små, mindre)."""
    return [[stem(w), *(stem(f) for f in synonyms(w) if " " not in f)] for w in words(term)]


def defines(unit_text: str, defined: list[list[str]]) -> bool:
    """The unit says what the asked-about term is: the term (each word in one of its forms: »liten
    myndighet« is »små myndigheter«) next to »är«, »innebär«, »avser« … in it."""
    if not defined:
        return False
    n = len(defined)
    if any(_glossary_row(line.strip(), defined) for line in re.split(r"(?<=[.!?;:])\s+|\n", unit_text)):
        return True
    if not _DEFINING.search(unit_text):
        return False
    ends_with_term = False
    for sentence in re.split(r"(?<=[.!?;:])\s+", unit_text):
        tokens = [w.lower() for w in _WORD.findall(sentence)]
        text = [stem(w) for w in tokens]
        if ends_with_term and _POINTED_DEFINITION.match(sentence):
            return True  # »… lanserar Upphandlingsmyndigheten nu Strategikollen. Det är en digital tjänst där …«
        tail = text[-n - 1 :]
        ends_with_term = any(all(tail[i + j] in forms for j, forms in enumerate(defined)) for i in range(len(tail) - n + 1))
        for i in range(len(text) - n + 1):
            if not all(text[i + j] in forms for j, forms in enumerate(defined)):
                continue
            # The term is what the sentence is about (»En X är …«, »I en X finns det …«, »Med X avses …«)
            # and the defining word follows it closely: not »Syftet med att utveckla X är …«.
            if _NAMING.search(" ".join(tokens[max(0, i - _DEFINING_REACH) : i])):
                return True  # »Det tredje exemplet avser små myndigheter som …«
            if any(t not in _DEFINING_OPENERS for t in tokens[:i]):
                continue
            if _DEFINING.search(" ".join(tokens[i + n : i + n + _DEFINING_REACH])):
                return True
    return False


def _glossary_row(unit_text: str, defined: list[list[str]]) -> bool:
    """A row of a table of terms: the term, then its explanation as a sentence of its own without a verb before
    it (»Inköpsorganisation En upphandlande organisations resurser som styr …«)."""
    raw = _WORD.findall(unit_text)
    n = len(defined)
    return (
        len(raw) > n + 2 and raw[0][0].isupper() and raw[n] in _GLOSSARY_OPENERS
        and all(stem(raw[j].lower()) in forms for j, forms in enumerate(defined))
    )  # fmt: skip


_GLOSSARY_OPENERS = frozenset("En Ett Den Det De Alla Samtliga".split())
_DEFINING_REACH = 3
_POINTED_DEFINITION = re.compile(r"^(Det|Detta|Den|Denna) är (en|ett)\b")
_NAMING = re.compile(r"\b(avser|avses|menas|definieras|räknas|klassas|betecknas)\b")
_DEFINING_OPENERS = frozenset("en ett i med de den det denna detta dessa själva begreppet termen ordet".split())


# »Vad räknas som en liten myndighet enligt ESV, och …?«: the term ends where the part or a source does.
_DEFINED = re.compile(
    r"^\s*(vad|vilka)\s+(är|innebär|betyder|menas med|menar \w+ med|avses med|räknas som|klassas som|utmärker|kännetecknar)\s+"
    r"(en |ett |de |den |det )?(.+?)(?:\s+enligt\b.*|\s+för (?:något|nåt|någonting)\b.*|,.*|\s+och\s+(?:vad|hur|vem|vilk|när|var)\b.*|"
    # »… ambitionsgrafen som Upphandlingsmyndigheten tagit fram? Hur funkar den?«: who made it, and a second question.
    + WHOSE_CLAUSE + r".*|\?\s+\S.*)?"
    # »… kort«, »… egentligen«: how to answer, not part of the term.
    r"(?:\s+(?:kort|kortfattat|kortast|enkelt|snabbt|egentligen|då|alltså|i korthet|med egna ord))*\??\s*$",
    re.I,
)
_HOW_TO_ANSWER = frozenset("kort kortfattat kortast enkelt snabbt egentligen då alltså".split())


# A question that is only a term (»strategikollen??«, »Ambitionsgrafen?«), asked on its own, asks what it is.
_BARE_TERM = re.compile(r"^\s*(\w[\w-]*(?:\s+\w[\w-]*){0,2}?)\s*\?+\s*$")


# (the term after »hur definieras …«, up to a source or the question's end)
_DEFINED_HOW = re.compile("(?:" + DEFINED_HOW + r")(?:en |ett )?(?P<term>.+?)(?:\s+enligt\b.*|,.*)?\??\s*$", re.I)


def defined_term_text(question: str) -> str | None:
    """The term of a »Vad är X?« question as written (»upphandlingsdokument«), or None."""
    m = _DEFINED.match(question)
    if m:
        term = m.group(4).strip()
        # »Vad är det egentligen?«: only how to answer follows the pronoun, which points back to the term.
        return None if term.lower() in _HOW_TO_ANSWER else term
    how = _DEFINED_HOW.match(question)
    return how.group("term").strip() if how else None


def defined_term(question: str, topic: str | None = None) -> list[list[str]]:
    """The forms of the term a »Vad är X?« question asks to define, or [] when it asks something else."""
    term = defined_term_text(question)
    if term:
        return _term_forms(term)
    bare = _BARE_TERM.match(question)
    if bare and topic is None:
        return _term_forms(bare.group(1))  # »strategikollen??« asks what it is
    return []


def score_units(
    analysis: QuestionAnalysis,
    units: list[Unit],
    idf: Idf,
    part_vectors: list[np.ndarray] | None,
    sentence_vectors: dict[tuple[str, int], np.ndarray],
    topic: str | None = None,
    by_rank: bool = True,
) -> list[Scored]:
    """Each unit's evidence that it answers the question. `by_rank=False` leaves the passage's rank out:
    the reranker (assistant/rerank.py) uses the scores to decide that rank."""
    parts = analysis.parts
    scorers = [_PartScorer(p.text, idf, topic, analysis.situation) for p in parts]
    headings, contexts = {}, {}
    for u in units:
        if u.passage.n in headings:
            continue
        path = u.passage.chunk.section_path
        headings[u.passage.n] = _terms_of(path[-1]) if path else set()
        contexts[u.passage.n] = (_terms_of(" ".join(path)), _terms_of(u.passage.chunk.text))
    defined = defined_term(analysis.text, topic)

    # Dense similarity of each unit to each part: its best sentence; normalised within the question.
    dense = np.zeros((len(units), len(parts)))
    if part_vectors is not None:
        for i, u in enumerate(units):
            vecs = [sentence_vectors[(u.passage.chunk.chunk_id, a)] for a, _ in u.spans if (u.passage.chunk.chunk_id, a) in sentence_vectors]
            if vecs:
                m = np.vstack(vecs)
                dense[i] = (m @ np.vstack(part_vectors).T).max(axis=0)
        for j in range(len(parts)):
            col = dense[:, j]
            present = col[col > 0]
            if present.size:
                lo, hi = float(present.min()), float(present.max())
                dense[:, j] = np.where(col > 0, (col - lo) / ((hi - lo) or 1.0), 0.0)

    asker_small = _small_organisation(f"{analysis.situation} {analysis.text}")
    out = []
    for i, u in enumerate(units):
        per_part = []
        lex_best = 0.0
        for feats in _unit_features(u, parts, scorers, headings, contexts, defined, dense[i]):
            if not by_rank:
                feats["rank"] = 0.0
            lex_best = max(lex_best, feats["lex"])
            per_part.append(_combine(feats))
        # »Vi är bara fyra på inköp«: what the documents say of smaller organisations answers the asker, as the
        # class of an amount they give does (_cue_bonus). It says who asks, not what: it counts once for the
        # unit, not for each part, or one such unit would seem to answer every part.
        small = 2 * WEIGHTS.cue if asker_small and _SMALL_ORGANISATION.search(u.text) else 0.0
        out.append(Scored(u, max(per_part) + small, per_part, lex_best, float(dense[i].max()) if len(parts) else 0.0))
    return out


def _unit_features(u: Unit, parts, scorers, headings, contexts, defined, dense_row) -> list[dict[str, float]]:
    """The evidence that a unit answers each part of the question, one named value each (_combine weighs them)."""
    # A list is found by what its lead-in says; its items would make every list look relevant.
    lexical_text = _lead_and_items(u)[0] if u.kind == "list" else u.text
    rows = []
    for j, (part, scorer) in enumerate(zip(parts, scorers, strict=True)):
        rows.append({
            "lex": scorer.score(lexical_text, contexts[u.passage.n]),
            "dense": float(dense_row[j]),
            "heading": scorer.coverage(headings[u.passage.n]),
            "rank": 1 / u.passage.n,
            "kind": _kind_match(part.kind, u, part.text),
            "paragraph": 1.0 if u.kind == "paragraph" else 0.0,
            "cue": _cue_bonus(u.text, part.text, part.situation) / WEIGHTS.cue if WEIGHTS.cue else 0.0,
            "defines": 1.0 if defined and defines(u.text, defined) else 0.0,
            "heading_named": _heading_named(u.passage.chunk.section_path, scorer),
            "caption": 1.0 if _CAPTION.match(u.text) else 0.0,
        })
    return rows


def _heading_named(path: list[str], scorer: _PartScorer) -> float:
    """The question names the unit's own section (»vad gäller för stora myndigheter« under »Stora
    myndigheter«), every word of it: the more words, the more specific (»Mycket stora myndigheter« for
    »och mycket stora då«)."""
    if not path:
        return 0.0
    # Every word counts, »mycket« too: it is what tells »Mycket stora myndigheter« from »Stora myndigheter«.
    heading = [stem(w) for w in _WORD.findall(path[-1].lower()) if not w.isdigit() and w not in _FUNCTION_WORDS]
    if len(heading) < 2 or any(t not in scorer.said for t in heading):
        return 0.0
    return min(len(heading) / 3, 1.0)


_FUNCTION_WORDS = frozenset("och av för i på till med om en ett de den det som att".split())
_CAPTION = re.compile(r"^\s*(Figur|Tabell|Diagram|Bild)\s+\d+\b")


def _combine(f: dict[str, float]) -> float:
    return (
        f["lex"] + WEIGHTS.dense * f["dense"] + WEIGHTS.heading * f["heading"] + WEIGHTS.rank * f["rank"]
        + f["kind"] + WEIGHTS.paragraph * f["paragraph"] + WEIGHTS.cue * f["cue"] + 0.3 * f["defines"]
        + WEIGHTS.heading_named * f["heading_named"] + WEIGHTS.caption * f["caption"]
    )


# ---- selection -------------------------------------------------------------------------------------


def _overlaps(a: Unit, b: Unit) -> bool:
    if a.text.strip() == b.text.strip():
        return True
    if a.passage.chunk.doc_id != b.passage.chunk.doc_id:
        return False
    a0, a1 = a.passage.chunk.char_start + a.start, a.passage.chunk.char_start + a.end
    b0, b1 = b.passage.chunk.char_start + b.start, b.passage.chunk.char_start + b.end
    return a0 < b1 and b0 < a1


def select(analysis: QuestionAnalysis, scored: list[Scored], max_units: int) -> list[Scored]:
    """The units that answer, best first."""
    if not scored:
        return []
    ranked = sorted(scored, key=lambda s: (-s.score, s.unit.passage.n, s.unit.start))
    best = ranked[0]
    if best.score <= 0.2:
        return []
    source = amount_source(analysis.text, analysis.situation)
    in_class = next((s for s in ranked if amount_in_range(s.unit.text, source)), None) if asks_with_amount(source) else None
    if in_class is not None and in_class.score >= WEIGHTS.fill * best.score:
        # »Vi köper för ungefär 120 miljoner kronor«: the class the asker's amount falls in leads, as long as it
        # is among the answering units (its bonus alone may leave it just behind a sentence on the subject).
        best = in_class
        ranked = [in_class, *(s for s in ranked if s is not in_class)]
    chosen: list[Scored] = []

    def add(candidate: Scored) -> bool:
        if any(_overlaps(candidate.unit, c.unit) for c in chosen):
            return False
        chosen.append(candidate)
        return True

    if analysis.kind == "list" and best.unit.kind in ("list", "item"):
        block = [best] + [s for s in ranked[1:] if s.unit.kind == "item" and s.unit.passage.n == best.unit.passage.n]
        if best.unit.kind == "list" or len(block) >= 2:
            for s in (block if best.unit.kind == "item" else [best]):
                add(s)
            return chosen[:_MAX_LIST_ITEMS]

    add(best)
    if amount_in_range(best.unit.text, source):
        # The class the asker's amount falls in (»stora myndigheter … 200–800 miljoner kronor«): what the
        # passage goes on to say about that class is what applies to them.
        where = best.unit.passage.chunk
        at = where.char_start + best.unit.end
        after = [
            s for s in ranked
            if s.unit.passage.chunk.doc_id == where.doc_id and s.unit.passage.chunk.section_path == where.section_path
            and s.unit.passage.chunk.char_start + s.unit.start >= at
        ]  # fmt: skip
        if after:
            add(after[0])
    # Every part of a multi-part question gets its own best unit.
    for j in range(1, len(analysis.parts)):
        part_best = max(scored, key=lambda s: (s.per_part[j], -s.unit.passage.n, -s.unit.start))
        covered = max(c.per_part[j] for c in chosen)
        if part_best.per_part[j] >= WEIGHTS.part * best.score and covered < 0.85 * part_best.per_part[j]:
            add(part_best)
    named = named_sources(analysis.text) if analysis.kind == "comparison" else []
    if named:
        # »Pressmeddelandet och färdplanen anger olika siffror«: the best unit of each document named.
        docs = {best.unit.passage.chunk.doc_id}
        # »… hur mycket det offentliga köper för per år?«: each document's figure, when the question asks one.
        wants_figure = any(p.kind == "figure" for p in analysis.parts) or _FIGURE_ASKED.search(analysis.text)
        for source in named:
            of_source = [
                s for s in ranked[1:]
                if s.score >= 0.4 * best.score and s.unit.passage.chunk.doc_id not in docs
                and source in f"{s.unit.passage.chunk.document_type} {s.unit.passage.chunk.doc_title}".lower()
            ]  # fmt: skip
            if wants_figure:
                of_source.sort(key=lambda s: (not _MONEY.search(s.unit.text), not _NUMBER.search(_ENUMERATOR.sub("", s.unit.text))))
            if of_source and add(of_source[0]):
                docs.add(of_source[0].unit.passage.chunk.doc_id)
    elif analysis.kind == "comparison":
        docs = {best.unit.passage.chunk.doc_id}
        for s in ranked[1:]:
            doc = s.unit.passage.chunk.doc_id
            if doc not in docs and s.score >= 0.55 * best.score and len(docs) < 3:
                if add(s):
                    docs.add(doc)
    # A list asked for in prose ("Vilka av regeringens åtgärder …") takes more of its items.
    prose_list = analysis.kind == "list"
    limit = max_units + (1 if analysis.multi_part or prose_list else 0)
    fill = WEIGHTS.fill - (0.15 if prose_list else 0.0)
    for s in ranked[1:]:
        if len(chosen) >= limit:
            break
        if s.score < fill * best.score:
            break
        if named and s.unit.passage.chunk.doc_id not in docs:
            continue  # a comparison of named documents quotes those documents
        add(s)
    if named and wants_figure and _AMOUNT_ASKED.search(analysis.text):
        # »Hur mycket köper det offentliga för? Färdplanen och pressmeddelandet anger olika belopp.«: the documents'
        # amounts lead, in the order chosen, before what else was said about the subject.
        chosen.sort(key=lambda c: not _MONEY.search(c.unit.text))
    return chosen


# ---- the answer text -------------------------------------------------------------------------------


@dataclass
class Extract:
    text: str
    citations: list[QuoteCitation]
    chosen: list[Scored]
    added: list[Passage] = field(default_factory=list)  # passages quoted beyond the retrieved ones


def extractive_answer(
    question: str,
    passages: list[Passage],
    index: ActiveIndex,
    max_sentences: int,
    *,
    question_vector=None,
    embed=None,
    topic: str | None = None,
    idf: Idf | None = None,
    situation: str = "",
    kind: str | None = None,
) -> Extract:
    """Answer text with [n] markers and the quotes they cite. `situation` is what the asker told about
    themselves before the question (question.split_context); `kind`, what a follow-up asks when it borrows its
    earlier question's (»Och för regionerna?« after »Hur stor andel …?«)."""
    analysis = analyse(question).told(situation)
    if kind and not analysis.multi_part:
        parts = [p.model_copy(update={"kind": kind}) for p in analysis.parts]
        analysis = analysis.model_copy(update={"kind": kind, "parts": parts})
    if situation and analysis.kind != "comparison" and _BOTH.search(question) and len(named_sources(f"{situation} {question}")) >= 2:
        # »Offentliga affärer skrev 2019 … och nu har regeringen kommit med en färdplan. Vad säger de två om …?«
        analysis = analysis.model_copy(update={"kind": "comparison", "text": f"{situation} {question}"})
    considered = passages[:_PASSAGES_CONSIDERED]
    if not analysis.multi_part and (analysis.kind == "list" or requested_count(question)):
        series = find_series(question, considered, index.chunks_of)
        if series is not None:
            return _series_answer(series, passages, index)
    units = [u for p in considered for u in units_of(p)]
    if not units:
        return Extract("", [], [])
    sentence_vectors = sentence_vectors_of(index, considered)
    part_vectors = None
    if question_vector is not None:
        part_vectors = [question_vector]
        if analysis.multi_part and embed is not None:
            part_vectors = [embed(p.text) for p in analysis.parts]
        elif (topic or situation) and embed is not None:
            # A follow-up or a question after the asker's situation: with its topic the vector finds the
            # subject, alone it says what is asked now.
            own = embed(question)
            both = question_vector + own
            part_vectors = [both / (np.linalg.norm(both) or 1.0)]
    scored = score_units(analysis, units, idf or Idf(index), part_vectors, sentence_vectors, topic)
    if analysis.kind != "comparison":  # (a comparison wants each document's own best sentence)
        scored = _from_named_document(question, scored, index)
    # A follow-up's figure is of its topic's subject, as the answer step checks it (»Och vad beräknas helheten
    # kosta?« after »Hur länge är coachprogrammet tänkt att pågå?«: the proposals' cost estimate).
    subject = f"{topic} {question}" if topic else question
    chosen = _with_figure(question, analysis, select(analysis, scored, max_sentences), scored, idf or Idf(index), subject)
    if not chosen:
        return Extract("", [], [])
    chosen, added = _with_ranked_places(question, chosen, passages, index)
    if not added:
        chosen, added = _with_sibling_figures(question, analysis, chosen, passages, index)
    chosen, more = _with_announced_lists(chosen, passages + added, index, keep_rest=analysis.multi_part)
    return Extract(*_compose(chosen, index), chosen, added + more)


# The one kind of document a question names (»Nämns samma uppdrag i färdplanen?«): its sentences come first when
# they answer about as well. Not »rapporten«: users call any of the documents that (measured: restricting to the
# report made the answers worse).
_NAMED_DOCUMENT_BONUS = 1.4  # a factor: it does not lift the named document's weaker sentences over the fill threshold


def documents_of_kind(index: ActiveIndex, source: str) -> list[str]:
    """The ids of the documents of the kind a question names (question.named_sources: »färdpl«), by type or title."""
    return [d for d, doc in index.documents().items() if source in f"{doc.manifest.document_type} {doc.manifest.title}".lower()]


def _from_named_document(question: str, scored: list[Scored], index: ActiveIndex) -> list[Scored]:
    named = named_sources(without_denials(question))
    if len(named) != 1 or named[0] == "rappor":
        return scored
    own = set(documents_of_kind(index, named[0]))
    if not own or len(own) == len(index.documents()):
        return scored
    return [
        replace(s, score=s.score * _NAMED_DOCUMENT_BONUS, per_part=[p * _NAMED_DOCUMENT_BONUS for p in s.per_part])
        if s.unit.passage.chunk.doc_id in own else s
        for s in scored
    ]


# »Var går gränserna mellan små, stora och mycket stora?«, »… beloppsgränserna mellan nivåerna?«: figures asked for
# in the plural, or for several things named in a row.
# (Only bounds or classes in the plural: »andelen av kommunerna« asks for one figure, not one per section.)
_SEVERAL_Q = re.compile(
    r"\b\w*(gränserna|gränser|nivåerna|nivåer|klasserna|grupperna|storlekarna|intervallen)\b|"
    r"\b\w+, (\w+ )?\w+ (och|eller) (\w+ )?\w+\b",
    re.I,
)
_MAX_SIBLINGS = 4


def _with_sibling_figures(
    question: str, analysis: QuestionAnalysis, chosen: list[Scored], passages: list[Passage], index: ActiveIndex
) -> tuple[list[Scored], list[Passage]]:
    """A figure asked for several things, where the leading unit gives it for one of them under a heading whose
    siblings are the others (»Mycket stora myndigheter«, »Stora myndigheter«, »Små myndigheter« under »ESV:s
    exempel …«): each sibling section's first sentence that gives such a figure follows the lead, in document
    order, wherever its passage ranked."""
    from assistant.answers import relevance

    wanted = relevance.figure_kind(question, analysis.kind)
    if not chosen or wanted not in ("money", "percent", "count") or analysis.multi_part or not _SEVERAL_Q.search(question):
        return chosen, []
    lead = chosen[0].unit
    path = lead.passage.chunk.section_path
    pattern = relevance.FIGURE_TEXT[wanted]
    if len(path) < 2 or not pattern.search(_ENUMERATOR.sub("", lead.text)):
        return chosen, []
    by_chunk = {p.chunk.chunk_id: p for p in passages}
    added: list[Passage] = []
    found: dict[str, Unit] = {}
    for chunk in index.chunks_of(lead.passage.chunk.doc_id):
        heading = chunk.section_path[-1] if chunk.section_path else ""
        if chunk.section_path[:-1] != path[:-1] or heading == path[-1] or heading in found:
            continue
        for sentence in split_sentences(chunk.text):
            if pattern.search(sentence.text) and _usable(sentence.text, Passage(n=0, chunk=chunk)):
                found[heading] = Unit(_passage_for(chunk, by_chunk, passages, added), sentence.start, sentence.end, "sentence")
                break
        if len(found) >= _MAX_SIBLINGS:
            break
    if not found:
        return chosen, []
    siblings = [Scored(u, chosen[0].score) for u in found.values()]
    rest = [c for c in chosen[1:] if not any(_overlaps(c.unit, x.unit) for x in siblings)]
    result = [chosen[0], *siblings, *rest][: 1 + len(siblings) + 1]
    return result, _still_quoted(added, result)


_MAX_ANNOUNCED_CHUNKS = 3  # how far the items of a list announced at a passage's end are looked for


def _with_announced_lists(
    chosen: list[Scored], passages: list[Passage], index: ActiveIndex, keep_rest: bool
) -> tuple[list[Scored], list[Passage]]:
    """»Träffsäker upphandling består av tre målområden:« at the end of a passage says nothing without its items,
    which the next passages hold (chunking breaks at the blank line before a list). The lead-in is quoted
    with its list: the bullets whole (»- Coachprogram för …«), a numbered item that is a paragraph by its first
    sentence (»1. Upphandlingen ska vara effektiv genom …«)."""
    by_chunk = {p.chunk.chunk_id: p for p in passages}
    added: list[Passage] = []
    out: list[Scored] = []
    for c in chosen:
        u = c.unit
        rest = u.passage.chunk.text[u.end :]
        if u.kind == "list" or not u.text.rstrip().endswith(":") or rest.strip():
            out.append(c)
            continue
        items = _announced_items(u, index)
        if len(items) < 2:
            out.append(c)
            continue
        units = [Unit(_passage_for(chunk, by_chunk, passages, added), start, end, kind) for chunk, start, end, kind in items]
        out.extend(Scored(x, c.score) for x in units)
        if not keep_rest:
            break  # the list is the answer; what was chosen after it only pads
    return out, _still_quoted(added, out)


def _announced_items(lead: Unit, index: ActiveIndex) -> list[tuple[StoredChunk, int, int, str]]:
    """The lead-in and the list items after it, as (chunk, start, end, kind): one "list" unit when the next
    passage repeats the lead-in before short items, else the lead-in (with the first item's first sentence when
    they stand together) and one "item" per further item, a numbered one by its first sentence."""
    chunk = lead.passage.chunk
    lead_text = lead.text.strip()
    following = [c for c in index.chunks_of(chunk.doc_id) if c.chunk_index > chunk.chunk_index][:_MAX_ANNOUNCED_CHUNKS]
    if not following:
        return []
    first = following[0]
    repeated = lead_text in first.text
    position = first.text.index(lead_text) + len(lead_text) if repeated else 0
    items: list[tuple[StoredChunk, int, int]] = []
    numbered = None
    for c in following:
        stop = False
        for line in re.finditer(r"[^\n]+", c.text[position:]):
            text = line.group().strip()
            if not text:
                continue
            number = re.match(r"(\d{1,2})[.)]\s", text)
            if numbered is None and items == [] and _LIST_LINE.match(text):
                numbered = number is not None
            if numbered and number and int(number.group(1)) == len(items) + 1:
                pass
            elif numbered is False and _LIST_LINE.match(text) and not number:
                pass
            elif numbered and items:
                continue  # a numbered item may run over several paragraphs
            else:
                stop = True
                break
            if len(items) >= _MAX_LIST_ITEMS:
                stop = True
                break
            lead_space = len(line.group()) - len(line.group().lstrip())
            items.append((c, position + line.start() + lead_space, position + line.end()))
        if stop or c is following[-1]:
            break
        position = 0
    if len(items) < 2:
        return []
    start = first.text.index(lead_text) if repeated else None
    if start is not None and all(e - s <= _MAX_QUOTE // 3 and k is first for k, s, e in items):
        return [(first, start, items[-1][2], "list")]
    out = [] if start is not None else [(chunk, lead.start, lead.end, "sentence")]
    for n, (c, s, e) in enumerate(items):
        sentence = next((x for x in split_sentences(c.text) if s <= x.start < e), None)
        end = min(e, sentence.end) if sentence and numbered else e
        if n == 0 and start is not None:
            out.append((first, start, end, "sentence"))  # the lead-in and the first item read as one quote
        else:
            out.append((c, s, end, "item"))
    return out


_PLACES = ("näst", "tredje", "fjärde", "femte")


def _with_ranked_places(
    question: str, chosen: list[Scored], passages: list[Passage], index: ActiveIndex
) -> tuple[list[Scored], list[Passage]]:
    """»topp tre hinder«: when the answer leads with the first place (»det hinder som flest … upplever«), the
    second and third (»Det näst mest upplevda hindret …«, »Det tredje största hindret …«) follow it in the
    document, often in the next passage, which the question's words need not find."""
    count = requested_count(question)
    asked = _RANKING_Q.search(question)
    if not count or count < 2 or not asked or not _asks_every_place(question):
        return chosen, []
    # »de tre största hindren«: the first place names what is ranked (»det hinder som flest …«); »främst« alone is
    # often only »mainly«.
    noun = re.search(r"\b(?:störst|vanligast|främst|viktigast|högst|mest)\w*\s+(\w{4,})", question, re.I)
    ranked = stem(noun.group(1))[:4] if noun else ""
    by_chunk = {p.chunk.chunk_id: p for p in passages}
    added: list[Passage] = []
    firsts = [c for c in chosen if _first_place(c.unit.text)]
    candidates = [c for c in firsts if ranked in c.unit.text.lower()] if ranked else firsts[:1]
    # Only a later place chosen (»Det näst mest upplevda hindret …«): the first stands before it in the document.
    later = next((c for c in chosen if ranked and ranked in c.unit.text.lower() and _later_place(c.unit.text)), None)
    first = _first_place_before(later.unit, ranked, index, by_chunk, passages, added) if later else None
    if first is not None:
        candidates.append(Scored(first, later.score))
    candidates = candidates or firsts[:1]
    if not candidates:
        return chosen, []
    wanted = list(_PLACES[: count - 1])
    # The first place whose document goes on to the next places leads (»Ett av de största hindren …« in another
    # document ranks nothing), wherever the scores put it among the chosen units.
    for top in candidates:
        found = _places_after(top.unit, wanted, index, by_chunk, passages, added)
        if ranked and ranked not in top.unit.text.lower() and "näst" in found:
            # The lead was a first place of something else (»främst«): the one ranked stands before the second.
            first = _first_place_before(found["näst"], ranked, index, by_chunk, passages, added)
            top = Scored(first, top.score) if first is not None else top
        if found:
            break
    else:
        top, found = candidates[0], {}
    places = [Scored(found[p], top.score) for p in wanted if p in found]
    rest = [c for c in chosen if not any(_overlaps(c.unit, u.unit) for u in (top, *places))]
    result = [top, *places, *rest][: 1 + len(places) + 1] if places else [top, *rest]
    return result, _still_quoted(added, result)


def _first_place(text: str) -> bool:
    return any(not _ordinal(m, text) for m in _RANKING.finditer(text))


def _later_place(text: str) -> bool:
    return any(_ordinal(m, text) for m in _RANKING.finditer(text))


def _places_after(
    lead: Unit, wanted: list[str], index: ActiveIndex, by_chunk: dict[str, Passage], passages: list[Passage], added: list[Passage]
) -> dict[str, Unit]:
    """The later places (»näst«, »tredje« …) in the sentences after `lead`, in its passage and the next two."""
    found: dict[str, Unit] = {}
    following = [c for c in index.chunks_of(lead.passage.chunk.doc_id) if c.chunk_index >= lead.passage.chunk.chunk_index][:3]
    for chunk in following:
        for sentence in split_sentences(chunk.text):
            if chunk.chunk_id == lead.passage.chunk.chunk_id and sentence.start < lead.end:
                continue
            for m in _RANKING.finditer(sentence.text):
                place = _ordinal(m, sentence.text)
                if place in wanted and place not in found:
                    found[place] = Unit(_passage_for(chunk, by_chunk, passages, added), sentence.start, sentence.end, "sentence")
    return found


def _first_place_before(
    later: Unit, ranked: str, index: ActiveIndex, by_chunk: dict[str, Passage], passages: list[Passage], added: list[Passage]
) -> Unit | None:
    """The nearest sentence before `later`, in its passage or the one before, that names the first place of
    what is ranked."""
    chunks = [c for c in index.chunks_of(later.passage.chunk.doc_id) if c.chunk_index <= later.passage.chunk.chunk_index]
    for chunk in reversed(chunks[-2:]):
        same = chunk.chunk_id == later.passage.chunk.chunk_id
        for sentence in reversed(split_sentences(chunk.text)):
            if same and sentence.end > later.start:
                continue
            if ranked in sentence.text.lower() and _first_place(sentence.text):
                return Unit(_passage_for(chunk, by_chunk, passages, added), sentence.start, sentence.end, "sentence")
    return None


def sentence_vectors_of(index: ActiveIndex, passages: list[Passage]) -> dict[tuple[str, int], np.ndarray]:
    """The stored vector of each sentence of the passages, by (chunk id, start offset): what score_units reads."""
    return {
        (cid, start): vec
        for cid, items in index.sentence_vectors([p.chunk.chunk_id for p in passages]).items()
        for start, _, vec in items
    }


def _still_quoted(added: list[Passage], chosen: list[Scored]) -> list[Passage]:
    """The passages added beyond the retrieved ones (_passage_for) that the final units still quote."""
    used = {c.unit.passage.chunk.chunk_id for c in chosen}
    return [p for p in added if p.chunk.chunk_id in used]


def _passage_for(chunk: StoredChunk, by_chunk: dict[str, Passage], passages: list[Passage], added: list[Passage]) -> Passage:
    """The passage to quote `chunk` from: a retrieved one, else a new one numbered after them (Extract.added)."""
    passage = by_chunk.get(chunk.chunk_id)
    if passage is None:
        passage = Passage(n=len(passages) + len(added) + 1, chunk=chunk)
        by_chunk[chunk.chunk_id] = passage
        added.append(passage)
    return passage


_FIGURE_ASKED = re.compile(r"\bhur (mycket|många|stor)\b|\bsiffr|\bandel|\bprocent", re.I)
# (»… enligt vilken källa?«, »Vilket dokument säger vad?«, »Vilka belopp står i vilket?« ask each document too.)
_BOTH = re.compile(
    r"\b(de två|båda|bägge|dem båda|de båda|de tre|alla tre)\b|\benligt vilk(en|et|a) (källa|källor|dokument)\b|"
    r"\bvilk(et|a) dokument\b|\bi vilket\b",
    re.I,
)


def _series_answer(series: Series, passages: list[Passage], index: ActiveIndex) -> Extract:
    """The announcing sentence and the numbered headings it announces, each quoted where it stands. A
    heading's chunk that is not among the passages is added as a passage of its own (Extract.added)."""
    by_chunk = {p.chunk.chunk_id: p for p in passages}
    added: list[Passage] = []
    lead_passage, start, end = series.announcement
    units = [Unit(lead_passage, start, end, "sentence")]
    for heading in series.headings:
        units.append(Unit(_passage_for(heading.chunk, by_chunk, passages, added), heading.start, heading.end, "item"))
    chosen = [Scored(u, 1.0) for u in units]
    locate = _locator(index)
    citations: list[QuoteCitation] = []
    lines: list[str] = []
    for n, u in enumerate(units, 1):
        name, page, paged = locate(u)
        where = f"s. {page}" if paged else ""
        citations.append(QuoteCitation(n=n, passage=u.passage.n, quote=u.text))
        if n == 1:
            lines.append(f"Enligt {name}" + (f", {where}" if where else "") + f": »{_one_line(u.text)}« [1]\n")
        else:
            lines.append(f"- »{_one_line(u.text)}« [{n}]" + (f" ({where})" if where else ""))
    return Extract("\n".join(lines), citations, chosen, added)


def _with_figure(
    question: str, analysis: QuestionAnalysis, chosen: list[Scored], scored: list[Scored], idf: Idf, subject: str | None = None
) -> list[Scored]:
    """A question that asks for a figure leads with a unit that gives one about it: when the chosen units
    have none, the best unit that has one replaces the last of them (if it scores at least half of the
    best). Without one, the answer step says the documents do not state it (relevance.missing_specific)."""
    from assistant.answers import relevance

    if not chosen or relevance.figure_kind(question, analysis.kind) is None:
        return chosen
    if analysis.multi_part:
        # »Hur många har gjort en spendanalys? Och hur många har kategoristrategier?«: each part that asks
        # for a figure gets a unit that gives it.
        for j, part in enumerate(analysis.parts):
            if relevance.figure_kind(part.text, part.kind) is not None:
                chosen = _with_part_figure(part.text, part.kind, j, chosen, scored, idf)
        return chosen

    def gives_figure(s: Scored) -> bool:
        return _gives_figure(s, subject or question, analysis.kind, idf)

    giving = [c for c in chosen if gives_figure(c)]
    if giving:
        return _led_by(giving[0], chosen) if relevance.figure_kind(question, analysis.kind) in relevance.AMOUNT_KINDS else chosen
    best = chosen[0].score
    for s in sorted(scored, key=lambda s: (-s.score, s.unit.passage.n, s.unit.start)):
        if s.score < 0.5 * best:
            break
        if gives_figure(s) and not any(_overlaps(s.unit, c.unit) for c in chosen):
            return [s, *chosen[: max(len(chosen) - 1, 1)]]
    return chosen


def _led_by(first: Scored, chosen: list[Scored]) -> list[Scored]:
    """`chosen` with `first` (a unit that gives the amount or share asked for) moved to the front."""
    return [first, *(c for c in chosen if c is not first)]


def _gives_figure(s: Scored, question: str, kind: str, idf: Idf) -> bool:
    """The unit passes the answer step's own figure check (relevance.missing_specific); the section's
    headings count, since they often say what a figure is of."""
    from assistant.answers import relevance

    ev = relevance.Evidence(text=s.unit.text, context="", heading=" ".join(s.unit.passage.chunk.section_path))
    return relevance.missing_specific(question, kind, [ev], idf, years=False) is None


def _with_part_figure(text: str, kind: str, j: int, chosen: list[Scored], scored: list[Scored], idf: Idf) -> list[Scored]:
    def gives(s: Scored) -> bool:
        return _gives_figure(s, text, kind, idf)

    giving = [c for c in chosen if gives(c)]
    if giving:
        from assistant.answers import relevance

        # The first part's amount or share leads, as in a question of one part (_with_figure).
        return _led_by(giving[0], chosen) if j == 0 and relevance.figure_kind(text, kind) in relevance.AMOUNT_KINDS else chosen
    best = max(c.per_part[j] for c in chosen)
    for s in sorted(scored, key=lambda s: (-s.per_part[j], s.unit.passage.n, s.unit.start)):
        if s.per_part[j] < 0.5 * best:
            break
        if gives(s) and not any(_overlaps(s.unit, c.unit) for c in chosen):
            return [*chosen, s] if j else [s, *chosen]
    return chosen


def _locator(index: ActiveIndex):
    """A unit's document name, page and whether the document has pages."""
    documents = index.documents()

    def locate(u: Unit) -> tuple[str, int, bool]:
        chunk = u.passage.chunk
        doc = documents.get(chunk.doc_id)
        page = doc.page_at(chunk.char_start + u.start).page if doc else chunk.page_start
        name = (doc.manifest.short_title or doc.manifest.title) if doc else chunk.doc_title
        return name, page, doc.manifest.paged if doc else True

    return locate


def _compose(chosen: list[Scored], index: ActiveIndex) -> tuple[str, list[QuoteCitation]]:
    locate = _locator(index)
    citations: list[QuoteCitation] = []
    units = [c.unit for c in chosen]
    # A list answer: the list, one quote for the whole block.
    if units[0].kind == "list" or (len(units) >= 2 and all(u.kind == "item" for u in units)):
        first = units[0]
        name, page, paged = locate(first)
        where = f", s. {page}" if paged else ""
        if first.kind == "list":
            lead, items = _lead_and_items(first)
            citations.append(QuoteCitation(n=1, passage=first.passage.n, quote=first.text))
            lines = "\n".join(f"- »{item}«" for item in items)
            return f"Enligt {name}{where}: »{lead}« [1]\n\n{lines}", citations
        heading = first.passage.chunk.section_path[-1] if first.passage.chunk.section_path else ""
        intro = f"Enligt {name}{where}" + (f", under rubriken »{heading}«:" if heading else ":")
        lines = []
        for n, u in enumerate(units, 1):
            quote = _item_text(u.text)
            citations.append(QuoteCitation(n=n, passage=u.passage.n, quote=quote))
            lines.append(f"- »{quote}« [{n}]")
        return intro + "\n\n" + "\n".join(lines), citations

    parts: list[str] = []
    previous: tuple[str, int] | None = None
    followers = iter(())
    in_list = False
    for n, u in enumerate(units, 1):
        name, page, paged = locate(u)
        quote = _item_text(u.text) if u.kind == "item" else u.text
        citations.append(QuoteCitation(n=n, passage=u.passage.n, quote=quote))
        # The items of a list announced by the unit before (_with_announced_lists) are its lines.
        listed = in_list
        in_list = u.kind == "item" and n > 1 and (in_list or units[n - 2].text.rstrip().endswith(":") or units[n - 2].kind == "sentence" and _ENUMERATOR.search(units[n - 2].text))
        if in_list:
            # (A blank line before the first item, as in the list answers above: Markdown shows them as a list.)
            parts[-1] += ("\n- " if listed else "\n\n- ") + f"»{_one_line(quote)}« [{n}]"
            previous = (u.passage.chunk.doc_id, page)
            continue
        doc_id = u.passage.chunk.doc_id
        if previous is None or doc_id != previous[0]:
            lead = f"Enligt {name}" + (f", s. {page}" if paged else "")
            followers = iter(("Där står också", "Vidare", "Dessutom"))
        else:
            lead = next(followers, "Vidare") + (f" (s. {page})" if paged and page != previous[1] else "")
        parts.append(f"{lead}: »{_one_line(quote)}« [{n}]")
        previous = (doc_id, page)
    return "\n\n".join(parts), citations


def _item_text(text: str) -> str:
    return re.sub(r"^(•|-|–)\s*", "", text.strip())


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)


def _lead_and_items(unit: Unit) -> tuple[str, list[str]]:
    lines = [line.strip() for line in unit.text.splitlines() if line.strip()]
    return lines[0], [_item_text(line) for line in lines[1:]]


@dataclass(frozen=True)
class Candidate:
    """A chosen sentence (or list item) of a passage, for callers that quote single sentences (drafts)."""

    passage: Passage
    sentence: Sentence
    score: float


def select_sentences(question: str, passages: list[Passage], idf: Idf, max_sentences: int) -> list[Candidate]:
    """The best-matching units of `passages` for `question` by their words alone (no vectors), best first."""
    analysis = analyse(question)
    units = [u for p in passages for u in units_of(p)]
    chosen = select(analysis, score_units(analysis, units, idf, None, {}), max_sentences)
    return [Candidate(c.unit.passage, Sentence(c.unit.start, c.unit.end, c.unit.text), c.score) for c in chosen]
