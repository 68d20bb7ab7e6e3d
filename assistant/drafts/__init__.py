"""Draft kategoristrategi: a cited, editable category strategy in Markdown and Word.

Typical use (CLI, UI):

    from assistant.drafts import analyse_spend, build_draft, parse_input, render_docx, render_markdown
    inp = parse_input({"organisation": "Exempelkommun", "typ": "kommun", "kategori": "IT-konsulttjänster",
                       "period": 3, "direktupphandlingsgrans": "700 000"})
    spend = analyse_spend(uploaded_bytes, "spend.xlsx", category=inp.kategori)   # optional
    draft = build_draft(inp, settings, spend=spend)
    docx_bytes, markdown = render_docx(draft), render_markdown(draft)
"""

from __future__ import annotations

from assistant.drafts.builder import DraftBuilder, build_draft
from assistant.drafts.inputs import check_output_path, collect_input, read_input_file
from assistant.drafts.models import (
    ORG_TYPES,
    BadRow,
    Block,
    DraftSection,
    SpendAnalysis,
    StrategyDraft,
    StrategyInput,
    SupplierSpend,
    Table,
    UnitSpend,
    parse_amount,
    parse_input,
)
from assistant.drafts.output import render, write_draft
from assistant.drafts.profiles import profile_for
from assistant.drafts.render_docx import render_docx
from assistant.drafts.render_markdown import render_markdown
from assistant.drafts.spend import analyse_spend

__all__ = [
    "ORG_TYPES", "BadRow", "Block", "DraftBuilder", "DraftSection", "SpendAnalysis", "StrategyDraft",
    "StrategyInput", "SupplierSpend", "Table", "UnitSpend", "analyse_spend", "build_draft", "check_output_path",
    "collect_input", "parse_amount", "parse_input", "profile_for", "read_input_file", "render", "render_docx",
    "render_markdown", "write_draft",
]
