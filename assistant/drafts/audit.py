"""How much text two drafts share, and the report that checks the examples.

    python -m assistant.drafts.audit            # all examples and the same-input matrix, offline
    python -m assistant.drafts.audit -v         # … with every pair

prints, per example draft, its category type, sections, citations and claim problems (claims.py), and
the share of body lines that drafts of different category types have in common – for the examples as they
are, and for one organisation's input with only the category changed: one category of every specific
category type, for a kommun, a region and a statlig myndighet (the matrix). The catch-all types (övriga
varor, övriga tjänster) are measured and printed but not held to the target: their drafts are mostly fill-ins
by design. Exit code 1 when a citation is unverified, a claim unsupported or a share above 40 %. The tests
use the same functions.

Body lines are what a reader reads as the draft's text: every paragraph, list item, table row and table
caption of the sections, without headings (also a table's column headings), the title block, Källor and
placeholders – lines that are only `[Att fylla i: …]` with at most a short label. Before two drafts are
compared, the organisation's name, the category's name and the category type's name are replaced by one
placeholder and citation numbers removed, so that text which differs only in those names counts as shared.

The same share is also counted in sentences (every sentence of a paragraph or list item, every table cell
with text): two lines that differ in one clause but repeat the same sentences are shared sentences, so
the number shows text that is merely packed differently.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sys
from collections import Counter
from pathlib import Path

from assistant.drafts.models import StrategyDraft, StrategyInput
from assistant.drafts.profiles import profile_for
from ingest.sentences import split_sentences

EXAMPLES = Path(__file__).with_name("examples")
EXAMPLE_DATE = dt.date(2026, 1, 15)
TARGET = 0.40
# One category of every specific category type, by the name categories.yaml gives it. Drafts for these with the same
# organisation input differ only because of the category type.
SAME_INPUT_CATEGORIES = ("IT-konsulttjänster", "IT-varor", "Livsmedel", "Fordon och drivmedel", "Transporttjänster",
                         "Lokalvård", "Konsulttjänster", "Bygg och anläggning", "Energi", "Medicinteknik",
                         "Kontorsmaterial", "Välfärdstjänster", "Personalintensiva tjänster")
# The catch-all types, measured but not held to the target (see the module doc).
CATCH_ALL_CATEGORIES = ("Förbrukningsmaterial", "Försäkringar")
# The organisation input held identical within each organisation type: (name, total yearly purchasing).
# The category's volume is 20 mnkr everywhere; in the region it is under the portfolio's share threshold.
SAME_INPUT_ORGS = {"kommun": ("Exempelkommun", 2.1e9), "region": ("Exempelregionen", 9e9),
                   "statlig myndighet": ("Exempelmyndigheten", 650e6)}

PLACEHOLDER = re.compile(r"\[Att fylla i(?::[^\]]*)?\]")
_MARKERS = re.compile(r"\s*\[\d{1,3}\](?:\s*\[\d{1,3}\])*")
_TABLE_RULE = re.compile(r"\|[-|\s:]+\|")
_LABEL_WORDS = 6  # a line with placeholders and at most this many other words is a fill-in, not text
_UNIT_WORDS = 3  # a table cell with fewer words is a label or a number, not a sentence

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


def sentences(lines: list[str]) -> list[str]:
    """The body lines as sentences: a paragraph's or list item's sentences, a table row's cells with text."""
    out = []
    for line in lines:
        if line.startswith("|"):
            pieces = [p for cell in line.strip("|").split(" | ") for p in cell.split(" • ")]
        else:
            pieces = [s.text for s in split_sentences(line.removeprefix("- ").strip("*"))]
        for piece in pieces:
            piece = PLACEHOLDER.sub("", piece).strip(" •")
            if len(re.findall(r"[^\W\d_]+", piece)) >= _UNIT_WORDS:
                out.append(piece)
    return out


def overlap(a: list[str], b: list[str]) -> float:
    """The larger of the two shares of body lines that both drafts have (counted with repeats)."""
    shared = sum((Counter(a) & Counter(b)).values())
    return max(shared / len(a), shared / len(b)) if a and b else 0.0


def different_families(a: StrategyDraft, b: StrategyDraft) -> bool:
    return not set(profile_for(a.input.kategori).families) & set(profile_for(b.input.kategori).families)


def overlaps(drafts: dict[str, StrategyDraft], lines: dict[str, list[str]]) -> dict[tuple[str, str], float]:
    """Body-line overlap for every pair of drafts of different category types."""
    return {(a, b): overlap(lines[a], lines[b]) for a, b in itertools.combinations(drafts, 2)
            if different_families(drafts[a], drafts[b])}


# ---- the inputs ---------------------------------------------------------------------------------------


def example_inputs() -> dict[str, StrategyInput]:
    """Every example input in assistant/drafts/examples/, dated so that drafts are reproducible."""
    from assistant.drafts.inputs import collect_input

    return {p.stem: collect_input({"datum": EXAMPLE_DATE.isoformat()}, p) for p in sorted(EXAMPLES.glob("*.yaml"))}


def same_input(category: str, typ: str = "kommun") -> StrategyInput:
    organisation, total = SAME_INPUT_ORGS[typ]
    return StrategyInput(organisation=organisation, typ=typ, kategori=category, volym=20e6, total_inkopsvolym=total,
                         period=3, startar=2026, datum=EXAMPLE_DATE)


def same_input_sets(categories: tuple[str, ...] = SAME_INPUT_CATEGORIES) -> dict[str, dict[str, StrategyInput]]:
    """Organisation type -> category -> the same organisation's input with only the category changed."""
    return {typ: {c: same_input(c, typ) for c in categories} for typ in SAME_INPUT_ORGS}


# ---- the report ----------------------------------------------------------------------------------------


def _measure(builder, settings, inputs: dict[str, StrategyInput]):
    from assistant.drafts.render_markdown import render_markdown

    drafts = {name: builder.build(inp, offline=True) for name, inp in inputs.items()}
    lines = {name: body_lines(render_markdown(d, settings), d) for name, d in drafts.items()}
    return drafts, lines


def _summary(pairs: dict[tuple[str, str], float]) -> str:
    (a, b), worst = max(pairs.items(), key=lambda kv: kv[1])
    mean = sum(pairs.values()) / len(pairs)
    return f"högst {100 * worst:.1f} % ({a} – {b}), medel {100 * mean:.1f} %"


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - run by hand; numbers in the README
    from assistant.config import get_settings
    from assistant.drafts.builder import DraftBuilder
    from assistant.drafts.claims import check_claims
    from ingest.ensure import ensure_index

    verbose = "-v" in (argv or [])
    settings = get_settings()
    builder = DraftBuilder(settings, index=ensure_index(settings))
    sets = {f"Exemplen i {EXAMPLES.relative_to(EXAMPLES.parents[2])}": (example_inputs(), True)}
    for typ, inputs in same_input_sets(SAME_INPUT_CATEGORIES + CATCH_ALL_CATEGORIES).items():
        organisation, total = SAME_INPUT_ORGS[typ]
        sets[f"Samma indata: {organisation} ({typ}, total {total / 1e6:.0f} mnkr, kategorin 20 mnkr, ingen "
             "spendfil), bara kategorin ändrad"] = (inputs, False)
    failed = False
    for title, (inputs, examples) in sets.items():
        drafts, lines = _measure(builder, settings, inputs)
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
        held = {k: v for k, v in drafts.items() if examples or k in SAME_INPUT_CATEGORIES}
        pairs = overlaps(held, lines)
        units = {name: sentences(ls) for name, ls in lines.items()}
        failed |= max(pairs.values()) > TARGET
        print(f"  Delade brödrader mellan utkast av olika kategorityp ({len(pairs)} par): {_summary(pairs)}; "
              f"mål högst {100 * TARGET:.0f} %")
        print(f"  Räknat i meningar: {_summary(overlaps(held, units))}")
        if not examples:
            rest = {k: v for k, v in overlaps(drafts, lines).items() if k not in pairs}
            print(f"  Med de samlande kategorityperna (övriga varor, övriga tjänster; {len(rest)} par till, inte "
                  f"mål): {_summary(rest)}")
        if verbose:
            for (a, b), share in sorted(pairs.items(), key=lambda kv: -kv[1]):
                print(f"    {a:<24} {b:<24} {100 * share:5.1f} %")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
