"""`kategori eval-answers`: offline answers measured against key facts and expected refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.app import app
from assistant.cli.progress import stderr_progress


@app.command("eval-answers")
def eval_answers_command(
    questions: Annotated[
        Path,
        typer.Option("--questions", help="JSONL-fil: en fråga per rad med id, question, key_facts, in_scope, previous."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut resultatet som ett JSON-objekt.")] = False,
) -> None:
    """Mät offlinesvaren: andel nyckelfakta i svaren, första citatets träff, felaktiga avböjanden och
    avböjda frågor utanför underlaget."""
    from assistant.answer_evaluation import evaluate_answers, load_answer_questions
    from assistant.answers.chain import AnswerService, ChatTurn
    from assistant.config import get_settings
    from assistant.search import build_search
    from ingest.ensure import ensure_index

    qs = load_answer_questions(questions)  # bad input is reported before the index is opened
    settings = get_settings()
    with stderr_progress(not as_json) as progress:
        index = ensure_index(settings, progress=progress)
    service = AnswerService(settings, retriever=build_search(settings, index=index))

    def answer(question: str, previous: list[str]):
        history = [ChatTurn(role="user", content=p) for p in previous]
        return service.answer(question, history, offline=True)

    result = evaluate_answers(answer, qs)
    if as_json:
        print(json.dumps(result.model_dump(), ensure_ascii=False, indent=2))
        return
    oos = "–" if result.out_of_scope_refused is None else f"{result.out_of_scope_refused:.0%}"
    print(
        f"{result.n} frågor. Nyckelfakta i svaren: {result.key_fact_coverage:.0%}. Första citatet träffar: "
        f"{result.first_quote_hit:.0%}. Felaktigt avböjda: {result.wrong_refusals}. Avböjda utanför underlaget: {oos}."
    )
    for r in result.per_question:
        if r.in_scope and (not r.answered or (r.coverage is not None and r.coverage < 1)):
            state = "AVBÖJD" if not r.answered else f"{len(r.facts_found)}/{len(r.facts_found) + len(r.facts_missing)}"
            print(f"  {r.id} [{state}] {r.question} – saknas: {'; '.join(r.facts_missing)}")
        elif not r.in_scope and r.answered:
            print(f"  {r.id} [BESVARAD, utanför underlaget] {r.question}")
