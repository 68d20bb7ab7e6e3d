"""What both renderers write the same way: the title lines, the note that this is a generated draft,
and one Källor entry."""

from __future__ import annotations

import re

from assistant.answers.models import Citation
from assistant.answers.prompts import load_prompt
from assistant.config import Settings, get_settings
from assistant.drafts.format import sek
from assistant.drafts.models import StrategyDraft

PLACEHOLDER = re.compile(r"\[Att fylla i(?::[^\]]*)?\]")
_MODES = {"none": "offline, utan språkmodell", "openai": "med språkmodell", "ollama": "med språkmodell"}


def title_lines(draft: StrategyDraft) -> list[tuple[str, str]]:
    """The facts the draft builds on, from the input and the spend file; everything else is in the text."""
    inp = draft.input

    def amount(value: float | None, per_year: bool = False) -> str:
        if value is None:
            return "[Att fylla i]"
        return sek(value) + (" per år" if per_year else "")

    lines = [
        ("Organisation", f"{inp.organisation} ({inp.typ})"),
        ("Kategori", inp.kategori),
        ("Kategorityp", f"{draft.kategorityp} (verktygets förslag utifrån namnet)" if draft.kategorityp else "–"),
        ("Planeringsperiod", inp.period_text),
        ("Kategorins årliga volym", amount(inp.volym, per_year=True) + _spend_volume(draft)),
        ("Organisationens totala inköpsvolym", amount(inp.total_inkopsvolym, per_year=True)),
        ("Direktupphandlingsgräns (organisationens)", amount(inp.direktupphandlingsgrans)),
    ]
    if draft.spend is not None:
        lines.append(("Spendfil", draft.spend.source))
    lines.append(("Utkast daterat", draft.datum.isoformat()))
    return lines


def _spend_volume(draft: StrategyDraft) -> str:
    """When the team gave no volume, what the spend file says for its latest full calendar year."""
    full = [y for y in (draft.spend.years if draft.spend else []) if y.full]
    if draft.input.volym is not None or not full:
        return ""
    return f" (spendfilen: {sek(full[-1].amount)} för {full[-1].year})"


def intro_note(draft: StrategyDraft, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    template = load_prompt(str(settings.prompts_dir), "draft_intro")
    return template.format(datum=draft.datum.isoformat(), mode=_MODES[draft.mode],
                           organisation=draft.input.organisation)


def section_label(section: str) -> str:
    """From the deepest numbered heading down ('6.4.3 Planera-delens två steg › Planera inköp per
    kategori'); a document without numbered headings gives its deepest heading."""
    parts = [p for p in section.split(" > ") if p]
    if not parts:
        return ""
    numbered = [i for i, p in enumerate(parts) if p[:1].isdigit()]
    start = numbered[-1] if numbered else len(parts) - 1
    return " › ".join(parts[start:])


def source_entry(c: Citation) -> str:
    """'Titel, Utgivare, År, s. X, Avsnitt – »citat«' (without the [n])."""
    parts = [c.title, c.publisher]
    if c.year:
        parts.append(str(c.year))
    parts.append(f"s. {c.page}")
    label = section_label(c.section)
    if label:
        parts.append(label)
    text = ", ".join(parts) + f" – »{' '.join(c.quote.split())}«"
    if not c.verified:
        text += " (EJ VERIFIERAT: citatet finns inte i källtexten)"
    return text
