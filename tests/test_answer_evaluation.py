"""`kategori eval-answers` arithmetic on a hand-made case: coverage, first-quote hit, refusals."""

from __future__ import annotations

import json

import pytest

from assistant.answer_evaluation import AnswerQuestion, load_answer_questions, score_answer, summarise_answers
from assistant.answers.models import Answer, Citation
from assistant.errors import InputError


def _citation(n: int, quote: str, verified: bool = True) -> Citation:
    return Citation(n=n, doc_id="d", title="T", publisher="P", year=2024, page=1, section="", chunk_id="c",
                    chunk_text=quote, quote=quote, verified=verified)


def _answer(text: str, quotes: list[str] | tuple = (), answered: bool = True, unverified: tuple = ()) -> Answer:
    cites = [_citation(i + 1, q) for i, q in enumerate(quotes)]
    cites += [_citation(len(cites) + i + 1, q, verified=False) for i, q in enumerate(unverified)]
    return Answer(question="q", answered=answered, answer=text, citations=cites, mode="none")


def test_coverage_first_quote_and_refusals_on_a_hand_made_case():
    q1 = AnswerQuestion(id="1", question="a", key_facts=["två till fem års sikt", "Prioriterade mål!"])
    q2 = AnswerQuestion(id="2", question="b", key_facts=["37 procent", "spendanalys", "högsta ledningen"])
    q3 = AnswerQuestion(id="3", question="c", key_facts=["x-fakta"])  # in scope, refused: scores 0
    q4 = AnswerQuestion(id="4", question="d", in_scope=False)  # out of scope, refused
    q5 = AnswerQuestion(id="5", question="e", in_scope=False)  # out of scope, answered
    results = [
        # Case and punctuation do not matter (norm keeps only alphanumerics, lower-cased); the second fact is
        # in the first quote, so the first quote hits.
        score_answer(q1, _answer("Enligt …", ["De innehåller PRIORITERADE mål.", "…på t.ex. två till fem års sikt."])),
        # One fact in the answer text, one in the second quote, one only in an unverified quote (not counted);
        # the first quote holds none.
        score_answer(q2, _answer("Hela 37 procent.", ["Ingenting här.", "en spendanalys"], unverified=["högsta ledningen"])),
        score_answer(q3, _answer("Underlaget besvarar inte frågan. x-fakta", answered=False)),
        score_answer(q4, _answer("Underlaget besvarar inte frågan.", answered=False)),
        score_answer(q5, _answer("Något", ["citat"])),
    ]
    assert [r.coverage for r in results] == [1.0, pytest.approx(2 / 3), 0.0, None, None]
    assert [r.first_quote_hit for r in results] == [True, False, False, None, None]
    assert results[1].facts_missing == ["högsta ledningen"]
    summary = summarise_answers(results)
    assert summary.n == 5
    assert summary.key_fact_coverage == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert summary.first_quote_hit == pytest.approx(1 / 3)
    assert summary.wrong_refusals == 1
    assert summary.out_of_scope_refused == pytest.approx(0.5)


def test_question_file_errors_name_the_line(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text(json.dumps({"id": "1", "question": "a"}) + "\n{inte json\n" + json.dumps({"id": "3"}) + "\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"rad 2: ogiltig JSON.*rad 3: saknar eller har fel värde för question"):
        load_answer_questions(bad)
    with pytest.raises(InputError, match="finns inte"):
        load_answer_questions(tmp_path / "saknas.jsonl")
    ok = tmp_path / "ok.jsonl"
    ok.write_text(json.dumps({"id": "1", "question": "Och för små?", "previous": ["Vad säger ESV?"]}) + "\n",
                  encoding="utf-8")
    [q] = load_answer_questions(ok)
    assert q.previous == ["Vad säger ESV?"] and q.in_scope and q.key_facts == []
