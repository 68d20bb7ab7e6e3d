"""Retrieval evaluation: recall@k and MRR@10 against gold passages given as substrings.

A retrieved chunk is a hit when, for some gold string g, norm(g) is a substring of norm(chunk_text),
where norm lower-cases and keeps only characters for which str.isalnum() is true.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, Field, ValidationError

from assistant.errors import InputError

if TYPE_CHECKING:
    from assistant.retrieval import HybridRetriever
    from assistant.search import HybridSearch

MRR_DEPTH = 10
M = TypeVar("M", bound=BaseModel)


class EvalQuestion(BaseModel):
    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    gold: list[str] = Field(min_length=1)


class RetrievedRef(BaseModel):
    rank: int
    chunk_id: str
    doc_id: str
    page: int
    section: str
    hit: bool


class QuestionResult(BaseModel):
    id: str
    question: str
    first_hit_rank: int | None
    hit_at_k: bool
    reciprocal_rank: float
    retrieved: list[RetrievedRef]


class EvalResult(BaseModel):
    retriever: str
    k: int
    n: int
    recall_at_k: float
    mrr_at_10: float
    per_question: list[QuestionResult]


def norm(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch.isalnum())


def is_hit(chunk_text: str, gold: list[str]) -> bool:
    text = norm(chunk_text)
    return any(norm(g) and norm(g) in text for g in gold)


def load_jsonl(path: Path, model: type[M], required: str) -> list[M]:
    """A question file, one JSON object per line, each validated as `model`. Every bad line is named
    (`required` lists the fields a line needs) in one Swedish `InputError`."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: frågefilen finns inte.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: är en katalog, inte en frågefil.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: frågefilen är inte UTF-8-kodad.") from None
    items, errors = [], []
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(model.model_validate(json.loads(line)))
        except json.JSONDecodeError as err:
            errors.append(f"rad {lineno}: ogiltig JSON ({err.msg})")
        except ValidationError as err:
            fields = ", ".join(".".join(map(str, e["loc"])) or "raden" for e in err.errors())
            errors.append(f"rad {lineno}: saknar eller har fel värde för {fields} (kräver {required})")
    if errors:
        raise InputError(f"{path.name}: " + "; ".join(errors[:10]) + (" …" if len(errors) > 10 else ""))
    if not items:
        raise InputError(f"{path.name}: filen innehåller inga frågor.")
    return items


def load_questions(path: Path) -> list[EvalQuestion]:
    return load_jsonl(path, EvalQuestion, "id, question, gold")


def evaluate(retriever: HybridSearch | HybridRetriever, questions: list[EvalQuestion], k: int) -> EvalResult:
    depth = max(k, MRR_DEPTH)
    results = []
    for q in questions:
        hits = retriever.search(q.question, k=depth)
        refs = [
            RetrievedRef(
                rank=h.rank,
                chunk_id=h.chunk.chunk_id,
                doc_id=h.chunk.doc_id,
                page=h.chunk.page_start,
                section=h.chunk.section,
                hit=is_hit(h.chunk.text, q.gold),
            )
            for h in hits
        ]
        results.append(score_question(q, refs, k))
    return summarise(retriever.mode, k, results)


def score_question(q: EvalQuestion, refs: list[RetrievedRef], k: int) -> QuestionResult:
    first = next((r.rank for r in refs if r.hit), None)
    return QuestionResult(
        id=q.id,
        question=q.question,
        first_hit_rank=first,
        hit_at_k=first is not None and first <= k,
        reciprocal_rank=1.0 / first if first is not None and first <= MRR_DEPTH else 0.0,
        retrieved=[r for r in refs if r.rank <= max(k, MRR_DEPTH)],
    )


def summarise(mode: str, k: int, results: list[QuestionResult]) -> EvalResult:
    n = len(results)
    return EvalResult(
        retriever=mode,
        k=k,
        n=n,
        recall_at_k=sum(r.hit_at_k for r in results) / n if n else 0.0,
        mrr_at_10=sum(r.reciprocal_rank for r in results) / n if n else 0.0,
        per_question=results,
    )
