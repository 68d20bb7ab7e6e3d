"""Shared helpers for the kategoristrategi tests: the example inputs and checks of a draft's citations."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from assistant.config import REPO_ROOT
from assistant.drafts.inputs import collect_input
from assistant.drafts.models import StrategyDraft, StrategyInput
from assistant.drafts.sections import load_spec
from assistant.textmatch import find_quote

EXAMPLES = REPO_ROOT / "assistant" / "drafts" / "examples"
DATE = dt.date(2026, 1, 15)
MARKER = re.compile(r"\[(\d+)\]")


def example(name: str, **changes) -> StrategyInput:
    inp = collect_input({"datum": DATE.isoformat()}, EXAMPLES / name)
    return inp.model_copy(update=changes)


def section_texts(draft: StrategyDraft, number: int | None = None) -> list[str]:
    out = []
    for section in draft.sections:
        if number is not None and section.number != number:
            continue
        for b in section.blocks:
            out.append(b.text)
            out += b.items
            if b.table:
                out += [b.table.caption or "", *b.table.columns, *(c for row in b.table.rows for c in row)]
    return [t for t in out if t]


def markers(texts: list[str]) -> list[int]:
    return [int(m) for t in texts for m in MARKER.findall(t)]


def assert_fully_cited(draft: StrategyDraft) -> None:
    """Every section cites, every citation is verified against its chunk, every [n] is in Källor and
    every Källor entry is cited; numbering follows first use."""
    assert len(draft.sections) == len(load_spec().sections) == 16
    for section in draft.sections:
        cited = markers(section_texts(draft, section.number))
        assert cited, f"avsnitt {section.number} saknar källhänvisning"
        assert all(draft.sources[n - 1].verified for n in cited), f"avsnitt {section.number}"
        assert section.citations == list(dict.fromkeys(cited))
    first_use = list(dict.fromkeys(markers(section_texts(draft))))
    assert first_use == list(range(1, len(draft.sources) + 1))
    for c in draft.sources:
        assert c.verified
        span = find_quote(c.chunk_text, c.quote)
        assert span is not None and c.chunk_text[c.quote_start:c.quote_end] == c.quote


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
