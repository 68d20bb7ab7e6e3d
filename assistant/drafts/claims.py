"""No claim without support: a sentence that says something is one of a source's examples ("X är ett av
exemplen", "X nämner A, B och C som exempel"), that a category belongs to a risk industry, or what a
publisher writes ("Upphandlingsmyndigheten anger …") must match the quote it cites. Used on the template's
drafts by the tests and the audit, and on a language model's text before it goes into a draft."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.answers.models import Citation
from assistant.drafts.models import Block, StrategyDraft
from assistant.textmatch import normalise
from ingest.sentences import split_sentences

_MARKER = re.compile(r"\[(\d{1,3})\]")

@dataclass(frozen=True)
class ClaimProblem:
    section: str
    sentence: str
    problem: str


_EXAMPLE_CLAIMS = (
    re.compile(r"(?:nämner|tar|ger|använder)\s+(?P<items>.+?)\s+som\s+(?:ett\s+|en\s+)?(?:exempel|branscher)"),
    re.compile(r"(?P<items>[^.;:]+?)\s+är\s+(?:ett|en)\s+av\s+(?:de\s+)?(?:exempel|branscher)"),
    re.compile(r"(?P<items>[^.;:]+?)\s+är\s+exempel\s+på"),
    re.compile(r"(?P<items>[^.;:]+?)\s+(?:är|räknas som)\s+(?:en\s+)?riskbransch"),
    re.compile(r"hör till branschen\s+(?P<items>.+?)(?:\s+enligt|[.,;]|$)"),
)
_ITEM_NOISE = re.compile(r"^(?:kategorin|kategorierna|inköp av|inköpen av|branschen|bland annat|t\.ex\.|både)\s+")
# Who a sentence says something comes from, and how to recognise that source among the citations.
_ATTRIBUTIONS = {
    "Upphandlingsmyndigheten": lambda c: "Upphandlingsmyndigheten" in c.publisher,
    "Färdplanen": lambda c: c.title.startswith("Färdplan"),
    "färdplanen": lambda c: c.title.startswith("Färdplan"),
    "Regeringens färdplan": lambda c: c.title.startswith("Färdplan"),
    "Finansdepartementet": lambda c: "Finansdepartementet" in c.publisher,
    "ESV": lambda c: "ESV" in c.quote,
}
_VERBS = r"(?:nämner|tar|ger|anger|skriver|bedömer|framhåller|pekar|varnar|rekommenderar|beskriver|använder|betonar)"


def _items(raw: str) -> list[str]:
    raw = raw.replace("»", "").replace("«", "")
    parts = re.split(r",\s*|\s+och\s+|\s+samt\s+", raw)
    items = []
    for p in parts:
        p = _ITEM_NOISE.sub("", p.strip().lower())
        p = re.sub(r"^.*\b(?:nämner|tar|ger|använder)\s+", "", p)
        if p and p not in {"de", "som"}:
            items.append(p.rstrip("-"))
    return items


def block_texts(block: Block) -> list[str]:
    texts = [block.text, *block.items]
    if block.table:
        texts += [block.table.caption or "", *(c for row in block.table.rows for c in row)]
    return [t for t in texts if t]


def claim_problems(units: Iterable[tuple[str, list[str]]],
                   citation: Callable[[int], Citation | None]) -> list[ClaimProblem]:
    """Sentences saying that something is one of a source's examples or risk industries must have every
    thing they list in the quotes they cite; sentences saying what a publisher writes must cite that
    publisher first (or a quote that names it). `units` are (where, texts); `citation` resolves [n]."""
    problems = []
    for where, texts in units:
        for text in texts:
            in_text = [c for n in _MARKER.findall(text) if (c := citation(int(n))) is not None]
            for sentence in split_sentences(text):
                problems += _sentence_problems(where, sentence.text, in_text, citation)
    return problems


def _sentence_problems(where: str, sentence: str, in_text: list[Citation],
                       citation: Callable[[int], Citation | None]) -> list[ClaimProblem]:
    problems = []
    cited = [c for n in _MARKER.findall(sentence) if (c := citation(int(n))) is not None]
    plain = _MARKER.sub("", sentence)
    for pattern in _EXAMPLE_CLAIMS:
        for m in pattern.finditer(plain.lower()):
            if not (cited or in_text):
                problems.append(ClaimProblem(where, sentence, "påstår ett exempel eller en riskbransch utan källa"))
                continue
            quotes = normalise(" ".join(c.quote for c in (cited or in_text))).lower()
            missing = [i for i in _items(m.group("items")) if normalise(i) not in quotes]
            if missing:
                problems.append(ClaimProblem(where, sentence, "står inte i citatet: " + ", ".join(missing)))
    for who, matches in _ATTRIBUTIONS.items():
        if cited and re.search(rf"(?:\b{re.escape(who)}s?\s+{_VERBS}\b|\bEnligt\s+{re.escape(who)}\b)", plain):
            # The first citation is the one the attribution speaks of; a sentence may go on to cite other
            # sources for other clauses.
            first = cited[0]
            if not matches(first) and who.lower() not in first.quote.lower():
                problems.append(ClaimProblem(where, sentence, f"tillskrivs {who} men citerar {first.publisher} "
                                             f"({first.title[:40]}…)"))
    return problems


def check_claims(draft: StrategyDraft) -> list[ClaimProblem]:
    def citation(n: int) -> Citation | None:
        return draft.sources[n - 1] if 0 < n <= len(draft.sources) else None

    return claim_problems(((f"{s.number}. {s.heading}", [t for b in s.blocks for t in block_texts(b)])
                           for s in draft.sections), citation)
