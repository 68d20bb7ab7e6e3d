"""Checks on finished drafts: how much text two drafts share, and whether what a draft says about a
source's examples, risk industries and publishers is in the quote it cites.

    python -m assistant.drafts.audit            # all examples in assistant/drafts/examples/, offline

prints, per example draft, its category type, sections, citations and claim problems, and the share of
body lines that drafts of different category types have in common – both for the examples as they are
and for one organisation's input with only the category changed. The tests use the same functions.

Body lines are what a reader reads as the draft's text: every paragraph, list item, table row and table
caption of the sections, without headings (also a table's column headings), the title block, Källor
and placeholders – lines that are only `[Att fylla i: …]` with at most a short label. Before two drafts are compared, the organisation's name, the category's
name and the category type's name are replaced by placeholders and citation numbers removed, so that
text which differs only in those names counts as shared.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.answers.models import Citation
from assistant.drafts.models import Block, StrategyDraft, StrategyInput
from assistant.drafts.profiles import profile_for
from assistant.textmatch import normalise

EXAMPLES = Path(__file__).with_name("examples")
EXAMPLE_DATE = dt.date(2026, 1, 15)
# One organisation's input with only the category changed: text that differs between these drafts
# differs because of the category type, not because of the organisation, its volumes or a spend file.
SAME_INPUT_CATEGORIES = ("IT-konsulttjänster", "Livsmedel", "Fordon och drivmedel", "Lokalvård", "Konsulttjänster",
                         "Medicinteknik", "Bygg och anläggning", "Energi", "Kontorsmaterial", "Transporttjänster")

PLACEHOLDER = re.compile(r"\[Att fylla i(?::[^\]]*)?\]")
_MARKERS = re.compile(r"\s*\[\d{1,3}\](?:\s*\[\d{1,3}\])*")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_TABLE_RULE = re.compile(r"\|[-|\s:]+\|")
_LABEL_WORDS = 6  # a line with placeholders and at most this many other words is a fill-in, not text
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ»(])")

# ---- shared text ---------------------------------------------------------------------------------------


def body_lines(markdown: str, draft: StrategyDraft) -> list[str]:
    """The draft's body lines with names replaced and citation numbers removed (see the module doc)."""
    inp = draft.input
    names = sorted({inp.organisation, inp.kategori, inp.kategori[:1].lower() + inp.kategori[1:],
                    profile_for(inp.kategori).name}, key=len, reverse=True)
    text = markdown.split("\n## Källor", 1)[0]
    start = re.search(r"^## 1\. ", text, re.M)
    text = text[start.start():] if start else text
    out = []
    raw = [line.strip() for line in text.splitlines()]
    for i, line in enumerate(raw):
        if not line or line.startswith("#") or _TABLE_RULE.fullmatch(line):
            continue
        if i + 1 < len(raw) and _TABLE_RULE.fullmatch(raw[i + 1]):
            continue  # a table's column headings
        rest = re.findall(r"[^\W\d_]+", PLACEHOLDER.sub("", line))
        if PLACEHOLDER.search(line) and len(rest) <= _LABEL_WORDS:
            continue  # a fill-in: a short label and placeholders
        if not rest:
            continue
        line = _MARKERS.sub("", line.replace("\u00a0", " "))
        for name in names:
            line = line.replace(name, "{namn}")
        out.append(" ".join(line.split()))
    return out


def overlap(a: list[str], b: list[str]) -> float:
    """The larger of the two shares of body lines that both drafts have (counted with repeats)."""
    shared = sum((Counter(a) & Counter(b)).values())
    return max(shared / len(a), shared / len(b)) if a and b else 0.0


# ---- claims --------------------------------------------------------------------------------------------


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
            for sentence in _SENTENCE_END.split(text):
                if sentence.strip():
                    problems += _sentence_problems(where, sentence, in_text, citation)
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


# ---- the examples -------------------------------------------------------------------------------------


def example_inputs() -> dict[str, StrategyInput]:
    """Every example input in assistant/drafts/examples/, dated so that drafts are reproducible."""
    from assistant.drafts.inputs import collect_input

    return {p.stem: collect_input({"datum": EXAMPLE_DATE.isoformat()}, p) for p in sorted(EXAMPLES.glob("*.yaml"))}


def same_input(category: str) -> StrategyInput:
    return StrategyInput(organisation="Exempelkommun", typ="kommun", kategori=category, volym=20e6,
                         total_inkopsvolym=2.1e9, period=3, startar=2026, datum=EXAMPLE_DATE)


def different_families(a: StrategyDraft, b: StrategyDraft) -> bool:
    return not set(profile_for(a.input.kategori).families) & set(profile_for(b.input.kategori).families)


def overlaps(drafts: dict[str, StrategyDraft], lines: dict[str, list[str]]) -> dict[tuple[str, str], float]:
    """Body-line overlap for every pair of drafts of different category types."""
    import itertools

    return {(a, b): overlap(lines[a], lines[b]) for a, b in itertools.combinations(drafts, 2)
            if different_families(drafts[a], drafts[b])}


# ---- the report ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - run by hand; numbers in the README
    from assistant.config import get_settings
    from assistant.drafts.builder import DraftBuilder
    from assistant.drafts.render_markdown import render_markdown
    from ingest.pipeline import ensure_index

    settings = get_settings()
    builder = DraftBuilder(settings, index=ensure_index(settings))
    sets = {
        f"Exemplen i {EXAMPLES.relative_to(EXAMPLES.parents[2])}": example_inputs(),
        "Samma indata (Exempelkommun, 20 mnkr, ingen spendfil), bara kategorin ändrad":
            {c: same_input(c) for c in SAME_INPUT_CATEGORIES},
    }
    failed = False
    for title, inputs in sets.items():
        drafts = {name: builder.build(inp, offline=True) for name, inp in inputs.items()}
        lines = {name: body_lines(render_markdown(d, settings), d) for name, d in drafts.items()}
        print(f"\n{title}")
        print(f"  {'utkast':<24} {'kategorityp':<42} {'organisationstyp':<18} avsnitt källor verifierade "
              "påståendefel brödrader")
        for name, d in drafts.items():
            problems = check_claims(d)
            failed |= bool(problems) or bool(d.unverified)
            print(f"  {name:<24} {profile_for(d.input.kategori).name[:42]:<42} {d.input.typ:<18} "
                  f"{len(d.sections):>7} {len(d.sources):>6} {len(d.sources) - d.unverified:>11} "
                  f"{len(problems):>12} {len(lines[name]):>10}")
            for p in problems:
                print(f"      {p.section}: {p.problem} – »{p.sentence[:90]}«")
        pairs = overlaps(drafts, lines)
        worst = max(pairs.items(), key=lambda kv: kv[1])
        mean = sum(pairs.values()) / len(pairs)
        failed |= worst[1] > 0.40
        print(f"  Delade brödrader mellan utkast av olika kategorityp ({len(pairs)} par): högst "
              f"{100 * worst[1]:.1f} % ({worst[0][0]} – {worst[0][1]}), medel {100 * mean:.1f} %; mål högst 40 %")
        if "-v" in (argv or []):
            for (a, b), share in sorted(pairs.items(), key=lambda kv: -kv[1]):
                print(f"    {a:<24} {b:<24} {100 * share:5.1f} %")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
