"""A tolerant parser for answers written in the text format (answer, then a KÄLLOR: block).

Models that cannot produce structured output, streamed answers and the agent's final message all
arrive as text. The parser accepts the variations models actually produce: markdown around the
heading, dashes or bullets before [n], quotes in »«, "", “” or none, and JSON when a model answers
with the structured object anyway.
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError

from assistant.answers.models import DraftAnswer, DraftCitation

_SOURCES_HEADING = re.compile(r"^\s*(?:[#*_>\s]*)(?:källor|källhänvisningar|citat)\s*[:：]?\s*[*_]*\s*$", re.I | re.M)
_SOURCE_LINE = re.compile(r"^\s*(?:[-*•]\s*)?\[(\d{1,3})\]\s*[:.\-–]?\s*(.+?)\s*$")
_INLINE = re.compile(r"»([^«]{8,}?)«\s*\[(\d{1,3})\]")
_NOT_ANSWERED = re.compile(r"^\W*underlaget besvarar inte frågan", re.I)
_QUOTES = "»«\"“”„'‘’"


def parse_answer_text(text: str) -> DraftAnswer:
    raw = text.strip()
    structured = _try_json(raw)
    if structured is not None:
        return structured
    m = _SOURCES_HEADING.search(raw)
    body, sources = (raw[: m.start()], raw[m.end() :]) if m else (raw, "")
    body = body.strip()
    citations: list[DraftCitation] = []
    for line in sources.splitlines():
        sm = _SOURCE_LINE.match(line)
        if sm:
            quote = _strip_quotes(sm.group(2))
            # "[1] Rapport X, s. 39: »citat«" – keep only the quoted part when there is one.
            inner = re.search(r"[»\"“]([^«\"”]+)[«\"”]", sm.group(2))
            citations.append(DraftCitation(n=int(sm.group(1)), quote=_strip_quotes(inner.group(1)) if inner else quote))
    if not citations:
        citations = [DraftCitation(n=int(n), quote=q.strip()) for q, n in _INLINE.findall(body)]
    answered = not (_NOT_ANSWERED.match(body) and not citations)
    return DraftAnswer(answered=answered, answer=body, citations=citations)


def answer_part(streamed: str) -> str:
    """The part of a partially streamed answer to show the user: everything before KÄLLOR:."""
    m = _SOURCES_HEADING.search(streamed)
    return streamed[: m.start()] if m else streamed


def _strip_quotes(s: str) -> str:
    return s.strip().strip(_QUOTES).strip()


def _try_json(raw: str) -> DraftAnswer | None:
    candidate = raw
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", raw, re.S)
    if fenced:
        candidate = fenced.group(1)
    if not candidate.startswith("{"):
        return None
    try:
        return DraftAnswer.model_validate(json.loads(candidate))
    except (json.JSONDecodeError, ValidationError):
        return None
