"""The chat page's logic without Streamlit: example questions, the history the answer service gets,
the Word export's turns and file name, and how an earlier conversation is described in the list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from assistant.answers.chain import ChatTurn
from ui.citations import SourceView
from ui.conversations import ConversationSummary, Turn
from ui.export import ExportTurn

# Each one answered from the seed corpus (tests/test_ui_chat.py asks them all offline).
EXAMPLE_QUESTIONS = (
    "Vad är en spendanalys?",
    "Vad innehåller en kategoristrategi?",
    "Vad är kategoristyrning?",
    "Vilka mål har den nationella upphandlingsstrategin?",
)


def history(turns: list[Turn]) -> list[ChatTurn]:
    """What the answer service sees of the conversation so far (it decides what is a follow-up)."""
    return [ChatTurn(role=t.role, content=t.content) for t in turns if t.content]


def export_turns(turns: list[Turn], views: Callable[[int], list[SourceView]]) -> list[ExportTurn]:
    """Questions paired with what came back; `views(i)` gives the sources of assistant turn i."""
    out: list[ExportTurn] = []
    question = ""
    for i, t in enumerate(turns):
        if t.role == "user":
            if question:  # a question that never got an answer (the page was closed while it ran)
                out.append(ExportTurn(question=question, answer=None, text="(Inget svar sparades.)", sources=[]))
            question = t.content
            continue
        sources = views(i) if t.answer is not None and t.answer.answered else []
        out.append(ExportTurn(question=question, answer=t.answer, text=t.content, sources=sources))
        question = ""
    if question:
        out.append(ExportTurn(question=question, answer=None, text="(Inget svar sparades.)", sources=[]))
    return out


def when_text(moment: datetime, now: datetime) -> str:
    """"i dag 14:03", "i går 09:10", "12 nov.", "12 nov. 2025"."""
    local = moment.astimezone(now.tzinfo) if moment.tzinfo and now.tzinfo else moment
    days = (now.date() - local.date()).days
    if days == 0:
        return f"i dag {local:%H:%M}"
    if days == 1:
        return f"i går {local:%H:%M}"
    month = ("jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec.")[local.month - 1]
    year = f" {local.year}" if local.year != now.year else ""
    return f"{local.day} {month}{year}"


def summary_help(summary: ConversationSummary, now: datetime) -> str:
    questions = (summary.turns + 1) // 2
    return f"Senast {when_text(summary.updated_at, now)} · {questions} {'fråga' if questions == 1 else 'frågor'}"
