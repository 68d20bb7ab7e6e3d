"""A Kategoristrategi draft as HTML for the preview: the same sections, tables and [n] markers as the
Word and Markdown files, with every marker a button that opens its source. Plain Python, no Streamlit.

Built from the draft model rather than from its Markdown, so that nothing in the draft's text (which
quotes documents) is ever read as Markdown or HTML."""

from __future__ import annotations

from assistant.config import Settings
from assistant.drafts.models import Block, StrategyDraft, Table
from assistant.drafts.render_common import PLACEHOLDER, intro_note, title_lines
from ui.citations import CitedText, SourceView, esc


def _inline(text: str, cited: CitedText) -> str:
    # Placeholders contain no markers and no characters that escaping changes, so they are found in
    # the escaped text and marked there.
    return PLACEHOLDER.sub(lambda m: f'<span class="fill">{m.group(0)}</span>', cited.inline(text))


def _table(table: Table, cited: CitedText) -> str:
    caption = f"<caption>{_inline(table.caption, cited)}</caption>" if table.caption else ""
    head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_inline(c, cited)}</td>" for c in row) + "</tr>" for row in table.rows)
    return f'<div class="table-wrap"><table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


def _block(block: Block, cited: CitedText) -> str:
    if block.kind == "subheading":
        return f"<h3>{_inline(block.text, cited)}</h3>"
    if block.kind == "bullets":
        return "<ul>" + "".join(f"<li>{_inline(item, cited)}</li>" for item in block.items) + "</ul>"
    if block.kind == "table" and block.table is not None:
        return _table(block.table, cited)
    if block.kind == "note":
        return f"<blockquote>{_inline(block.text, cited)}</blockquote>"
    return "".join(f"<p>{_inline(p, cited)}</p>" for p in block.text.split("\n\n") if p.strip())


def draft_html(draft: StrategyDraft, sources: list[SourceView], settings: Settings | None = None
               ) -> tuple[str, dict[str, str]]:
    """The draft as HTML, and the extra cards its markers open (see CitedText)."""
    cited = CitedText({s.n: s for s in sources})
    inp = draft.input
    out = [f"<h1>{esc(draft.title)} – {esc(inp.organisation)}</h1>",
           '<div class="titlelines">' + " · ".join(f"<strong>{esc(k)}:</strong> {esc(v)}" for k, v in title_lines(draft))
           + "</div>",
           f"<blockquote>{esc(intro_note(draft, settings))}</blockquote>"]
    out += [f"<blockquote>Obs: {esc(note)}</blockquote>" for note in draft.notes]
    for section in draft.sections:
        out.append(f"<h2>{section.number}. {esc(section.heading)}</h2>")
        out += [_block(block, cited) for block in section.blocks]
    return "".join(out), cited.cards
