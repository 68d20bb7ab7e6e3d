"""How much text two drafts share, and the report that checks the examples.

    python -m assistant.drafts.audit            # all examples in assistant/drafts/examples/, offline

prints, per example draft, its category type, sections, citations and claim problems (claims.py), and
the share of body lines that drafts of different category types have in common – both for the examples
as they are and for one organisation's input with only the category changed. The tests use the same
functions.

Body lines are what a reader reads as the draft's text: every paragraph, list item, table row and table
caption of the sections, without headings (also a table's column headings), the title block, Källor and
placeholders – lines that are only `[Att fylla i: …]` with at most a short label. Before two drafts are
compared, the organisation's name, the category's name and the category type's name are replaced by one
placeholder and citation numbers removed, so that text which differs only in those names counts as shared.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path

from assistant.drafts.models import StrategyDraft, StrategyInput
from assistant.drafts.profiles import profile_for

EXAMPLES = Path(__file__).with_name("examples")
EXAMPLE_DATE = dt.date(2026, 1, 15)
# One organisation's input with only the category changed: text that differs between these drafts
# differs because of the category type, not because of the organisation, its volumes or a spend file.
SAME_INPUT_CATEGORIES = ("IT-konsulttjänster", "Livsmedel", "Fordon och drivmedel", "Lokalvård", "Konsulttjänster",
                         "Medicinteknik", "Bygg och anläggning", "Energi", "Kontorsmaterial", "Transporttjänster")

PLACEHOLDER = re.compile(r"\[Att fylla i(?::[^\]]*)?\]")
_MARKERS = re.compile(r"\s*\[\d{1,3}\](?:\s*\[\d{1,3}\])*")
_TABLE_RULE = re.compile(r"\|[-|\s:]+\|")
_LABEL_WORDS = 6  # a line with placeholders and at most this many other words is a fill-in, not text

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
    from assistant.drafts.claims import check_claims
    from assistant.drafts.render_markdown import render_markdown
    from ingest.ensure import ensure_index

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
