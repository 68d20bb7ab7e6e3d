"""The draft as Markdown: `# Kategoristrategi: …`, `## n. Rubrik` per section, tables, [n] markers and
`## Källor` last."""

from __future__ import annotations

from assistant.config import Settings
from assistant.drafts.models import Block, StrategyDraft, Table
from assistant.drafts.render_common import intro_note, source_entry, title_lines


def _cell(text: str) -> str:
    # A cell with several lines (e.g. a quarter's activities) reads as a list; the no-break spaces in
    # "1 400 000 kr" stay.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = " ".join(f"• {line}" for line in lines) if len(lines) > 1 else " ".join(lines)
    return joined.replace("|", "\\|") or " "


def _table(table: Table) -> list[str]:
    lines = []
    if table.caption:
        lines += [f"*{table.caption}*", ""]
    lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return lines


def _block(block: Block) -> list[str]:
    if block.kind == "subheading":
        return [f"### {block.text}"]
    if block.kind == "label":
        return [f"#### {block.text}"]
    if block.kind == "bullets":
        return [f"- {item}" for item in block.items]
    if block.kind == "table" and block.table is not None:
        return _table(block.table)
    if block.kind == "note":
        return [f"> {block.text}"]
    return [block.text]


def render_markdown(draft: StrategyDraft, settings: Settings | None = None) -> str:
    inp = draft.input
    out = [f"# {draft.title} – {inp.organisation}", ""]
    out += ["| Uppgift | Värde |", "|---|---|", *(f"| {k} | {_cell(v)} |" for k, v in title_lines(draft)), ""]
    out += [f"> {intro_note(draft, settings)}", ""]
    for note in draft.notes:
        out += [f"> Obs: {note}", ""]
    for section in draft.sections:
        out += [f"## {section.number}. {section.heading}", ""]
        for block in section.blocks:
            out += _block(block)
            out.append("")
    out += ["## Källor", ""]
    for c in draft.sources:
        out += [f"[{c.n}] {source_entry(c)}", ""]
    return "\n".join(out).rstrip() + "\n"
