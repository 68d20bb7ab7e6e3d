"""Answer evaluation: do offline answers carry the facts a good answer needs, and refuse what the corpus
does not answer?

Each question line is `{"id", "question", "key_facts": [...], "in_scope": bool, "previous": [...]}`
(`previous` = earlier questions of the same conversation, oldest first). A key fact counts as found
when `norm(fact)` occurs in `norm(answer text + its verified quotes)`, with the same `norm` as the
retrieval evaluation (lower case, only `str.isalnum()` characters).

- key_fact_coverage: mean over in-scope questions with key facts of the share of facts found; a
  refused in-scope question scores 0.
- first_quote_hit: share of those questions whose first verified quote holds a key fact.
- wrong_refusals: number of in-scope questions refused.
- out_of_scope_refused: share of out-of-scope questions refused (null when the file has none).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.answers.models import Answer
from assistant.evaluation import load_jsonl, norm


class AnswerQuestion(BaseModel):
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    key_facts: list[str] = Field(default_factory=list)
    in_scope: bool = True
    previous: list[str] = Field(default_factory=list)


class AnswerQuestionResult(BaseModel):
    id: str
    question: str
    previous: list[str]
    in_scope: bool
    answered: bool
    coverage: float | None  # None: out of scope, or no key facts given
    first_quote_hit: bool | None
    facts_found: list[str]
    facts_missing: list[str]
    search_query: str | None
    answer: str
    quotes: list[str]


class AnswerEvalResult(BaseModel):
    n: int
    key_fact_coverage: float
    first_quote_hit: float
    wrong_refusals: int
    out_of_scope_refused: float | None
    per_question: list[AnswerQuestionResult]


def load_answer_questions(path: Path) -> list[AnswerQuestion]:
    return load_jsonl(path, AnswerQuestion, "id och question")


def score_answer(q: AnswerQuestion, answer: Answer) -> AnswerQuestionResult:
    quotes = [c.quote for c in answer.citations if c.verified]
    haystack = norm(answer.answer + " " + " ".join(quotes)) if answer.answered else ""
    facts = [f for f in q.key_facts if norm(f)]
    found = [f for f in facts if norm(f) in haystack]
    scored = q.in_scope and bool(facts)
    first = norm(quotes[0]) if quotes and answer.answered else ""
    return AnswerQuestionResult(
        id=q.id,
        question=q.question,
        previous=q.previous,
        in_scope=q.in_scope,
        answered=answer.answered,
        coverage=len(found) / len(facts) if scored else None,
        first_quote_hit=any(norm(f) in first for f in facts) if scored and first else (False if scored else None),
        facts_found=found,
        facts_missing=[f for f in facts if f not in found],
        search_query=answer.search_query,
        answer=answer.answer,
        quotes=quotes,
    )


def summarise_answers(results: list[AnswerQuestionResult]) -> AnswerEvalResult:
    scored = [r for r in results if r.coverage is not None]
    out = [r for r in results if not r.in_scope]
    return AnswerEvalResult(
        n=len(results),
        key_fact_coverage=sum(r.coverage or 0.0 for r in scored) / len(scored) if scored else 0.0,
        first_quote_hit=sum(bool(r.first_quote_hit) for r in scored) / len(scored) if scored else 0.0,
        wrong_refusals=sum(1 for r in results if r.in_scope and not r.answered),
        out_of_scope_refused=sum(not r.answered for r in out) / len(out) if out else None,
        per_question=results,
    )


AnswerFn = Callable[[str, list[str]], Answer]


def evaluate_answers(answer: AnswerFn, questions: list[AnswerQuestion]) -> AnswerEvalResult:
    return summarise_answers([score_answer(q, answer(q.question, q.previous)) for q in questions])
