"""Offline mode (the default): extractive answers on the dev questions, refusals out of scope."""

from __future__ import annotations

import json

import pytest

from assistant.answers.chain import AnswerService, ChatTurn
from assistant.evaluation import load_questions

from .conftest import DEV_QUESTIONS, REPO_ROOT, run_cli

pytestmark = pytest.mark.slow
OUT_OF_SCOPE = REPO_ROOT / "benchmarks" / "questions_out_of_scope.jsonl"


@pytest.fixture(scope="module")
def service(seed_settings, seed_index):
    from assistant.retrieval import build_retriever

    return AnswerService(seed_settings, retriever=build_retriever(seed_settings, index=seed_index))


def test_every_dev_question_is_answered_with_verified_quotes_from_the_corpus(service, seed_index):
    documents = seed_index.documents()
    for q in load_questions(DEV_QUESTIONS):
        answer = service.answer(q.question)
        assert answer.answered, q.id
        assert answer.mode == "none"
        assert answer.citations, q.id
        for c in answer.citations:
            assert c.verified, (q.id, c.quote)
            assert c.chunk_text[c.quote_start : c.quote_end] == c.quote
            doc = documents[c.doc_id]
            # The chunk is an exact slice of the cleaned document, so the quote occurs in the corpus.
            chunk = seed_index.get_chunks([c.chunk_id])[0]
            assert doc.text[chunk.char_start : chunk.char_end] == c.chunk_text
            assert c.quote in doc.text
            assert f"[{c.n}]" in answer.answer


def test_out_of_scope_questions_are_refused_with_the_closest_passages(service):
    questions = [json.loads(line) for line in OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for q in questions[:20]:  # weather, cooking, other countries' law, made-up reports, general knowledge
        answer = service.answer(q["question"])
        assert not answer.answered, q["id"]
        assert answer.answer.startswith("Underlaget besvarar inte frågan.")
        assert not answer.citations and answer.closest


def test_unknown_words_are_named_in_the_refusal(service):
    answer = service.answer("Vilka tröskelvärden gäller för offentlig upphandling i Norge?")
    assert not answer.answered and "»tröskelvärden«" in answer.answer


def test_answers_are_deterministic(service):
    q = "Vad innehåller en kategoristrategi?"
    assert service.answer(q).model_dump() == service.answer(q).model_dump()


def test_list_question_is_answered_with_the_list(service):
    answer = service.answer("Vilka frågor ingår i området Strategi och planering?")
    assert "under rubriken »Område 1 - Strategi och planering«" in answer.answer
    assert answer.answer.count("»Vi ") == 5


def test_offline_follow_up_uses_the_previous_question(service):
    history = [ChatTurn(role="user", content="Vad händer i zon 3, realisera?"),
               ChatTurn(role="assistant", content="…")]
    answer = service.answer("Och i zon 2?", history=history)
    assert answer.search_query == "Vad händer i zon 3, realisera? Och i zon 2?"
    assert answer.answered


def test_ask_cli_json_contract(seed_settings):
    result = run_cli(["ask", "Vad är en spendanalys?", "--json"], seed_settings)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"question", "answered", "answer", "citations", "mode"} <= data.keys()
    assert data["answered"] is True and data["mode"] == "none"
    c = data["citations"][0]
    assert {"n", "doc_id", "title", "page", "section", "chunk_id", "chunk_text", "quote", "verified"} <= c.keys()
    assert c["verified"] and c["quote"] in c["chunk_text"]
    shown = run_cli(["ask", "Vem vann Melodifestivalen 2019?"], seed_settings)
    assert shown.returncode == 0
    assert "Underlaget besvarar inte frågan" in shown.stdout and "Närmaste textavsnitt" in shown.stdout


def test_a_quoted_lead_in_brings_its_list(service):
    answer = service.answer("Vilka tre nya inriktningsmål har regeringen lagt till?")
    quotes = " ".join(c.quote for c in answer.citations)
    for goal in ("8. De offentliga affärerna ska vara attraktiva", "9. Upphandlande aktörer ska säkerställa",
                 "10. Upphandlande aktörer ska säkerställa att behovet"):
        assert goal in quotes
    assert all(c.verified for c in answer.citations)
