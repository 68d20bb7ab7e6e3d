"""The evaluation contract: hit rule, recall@k and MRR@10 arithmetic on a hand-made case, the
`kategori eval --json` output, and the retrieval targets on the dev questions."""

from __future__ import annotations

import json

import pytest

from assistant.errors import InputError
from assistant.evaluation import (
    EvalQuestion,
    RetrievedRef,
    is_hit,
    load_questions,
    norm,
    score_question,
    summarise,
)

from .conftest import DEV_QUESTIONS, EXTRA_QUESTIONS, SHARED_DEV_QUESTIONS, run_cli


def test_repository_copy_of_the_dev_questions_is_current():
    copy = DEV_QUESTIONS.read_text(encoding="utf-8")
    assert len(load_questions(DEV_QUESTIONS)) == 16
    if SHARED_DEV_QUESTIONS.exists():
        assert copy == SHARED_DEV_QUESTIONS.read_text(encoding="utf-8")


def test_norm_and_hit_rule():
    assert norm("Instämmer i hög\ngrad (4) - Inst") == "instämmerihöggrad4inst"
    assert is_hit("Kategoristrategier, ibland kallade kategoriplaner, är", ["Kategoristrategier, ibland kallade kategoripla-"])
    assert not is_hit("Kategoristrategier är viktiga", ["ibland kallade"])
    assert is_hit("x", ["nothing", "X"])  # any gold string will do
    assert not is_hit("text", [""])  # an empty gold string matches nothing


def _refs(hits: list[bool]) -> list[RetrievedRef]:
    return [RetrievedRef(rank=n, chunk_id=f"c{n}", doc_id="d", page=1, section="", hit=h) for n, h in enumerate(hits, 1)]


def test_recall_and_mrr_arithmetic_on_a_hand_made_case():
    q = lambda i: EvalQuestion(id=i, question="?", gold=["g"])  # noqa: E731
    results = [
        score_question(q("a"), _refs([True, False, False]), k=5),  # rank 1: hit@5, rr 1
        score_question(q("b"), _refs([False, False, True]), k=5),  # rank 3: hit@5, rr 1/3
        score_question(q("c"), _refs([False] * 6 + [True]), k=5),  # rank 7: miss@5, rr 1/7
        score_question(q("d"), _refs([False] * 10 + [True]), k=5),  # rank 11: beyond MRR@10 → 0
        score_question(q("e"), _refs([False] * 10), k=5),  # no hit
    ]
    summary = summarise("hybrid", 5, results)
    assert summary.n == 5
    assert summary.recall_at_k == pytest.approx(2 / 5)
    assert summary.mrr_at_10 == pytest.approx((1 + 1 / 3 + 1 / 7) / 5)
    assert [r.first_hit_rank for r in results] == [1, 3, 7, 11, None]
    at_1 = summarise("hybrid", 1, [score_question(q("b"), _refs([False, True]), k=1)])
    assert at_1.recall_at_k == 0 and at_1.mrr_at_10 == pytest.approx(0.5)


def test_question_file_errors_name_the_line(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "a", "question": "x", "gold": ["y"]}\n{"id": "b"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="rad 2.*rad 3"):
        load_questions(bad)


@pytest.mark.slow
def test_eval_cli_json_contract_and_targets(seed_settings):
    runs = {}
    for retriever in ("bm25", "dense", "hybrid"):
        result = run_cli(["eval", "--questions", str(DEV_QUESTIONS), "--k", "5", "--retriever", retriever, "--json"],
                         seed_settings)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)  # exactly one JSON object on stdout
        assert {"retriever", "k", "n", "recall_at_k", "mrr_at_10", "per_question"} <= data.keys()
        assert data["retriever"] == retriever and data["k"] == 5 and data["n"] == 16
        runs[retriever] = data
    hybrid = runs["hybrid"]
    # The bundled 4-bit e5 engine quantises activations to 8 bits, so the last bit of a math-library
    # result (which glibc picks per CPU) can move a cosine by ~1e-3 and swap two near-equal passages: on
    # 16 questions one swap at rank 1 is 0.03 of MRR. The README's 0.85 target is measured per machine
    # (benchmarks/answer_quality.py: 0.865 with answer-aware reranking); here hybrid must hold a floor with
    # room for one such swap.
    assert hybrid["recall_at_k"] >= 0.95 and hybrid["mrr_at_10"] >= 0.83
    for other in ("bm25", "dense"):
        assert hybrid["recall_at_k"] >= runs[other]["recall_at_k"]


@pytest.mark.slow
def test_hybrid_beats_each_method_on_dev_and_own_questions(seed_settings):
    """Hybrid ranks the gold passage higher than BM25 or dense alone over dev and our own factual
    questions together (42): a margin one near-tie swap cannot undo."""
    from assistant.evaluation import evaluate
    from assistant.retrieval import build_retriever
    from assistant.store.index import IndexStore

    index = IndexStore(seed_settings).require_active()
    questions = load_questions(DEV_QUESTIONS) + load_questions(EXTRA_QUESTIONS)
    assert len(questions) == 42
    results = {m: evaluate(build_retriever(seed_settings, mode=m, index=index), questions, k=5) for m in ("hybrid", "bm25", "dense")}
    hybrid = results["hybrid"]
    # Measured 0.907 against bm25 0.851 and dense 0.815 (benchmarks/answer_quality.py, 7 December).
    assert hybrid.recall_at_k >= 0.95 and hybrid.mrr_at_10 >= 0.88
    for other in ("bm25", "dense"):
        assert hybrid.recall_at_k >= results[other].recall_at_k
        assert hybrid.mrr_at_10 >= results[other].mrr_at_10 + 0.04


@pytest.mark.slow
def test_hybrid_on_our_own_held_out_questions(seed_settings):
    from assistant.evaluation import evaluate
    from assistant.retrieval import build_retriever
    from assistant.store.index import IndexStore

    index = IndexStore(seed_settings).require_active()
    result = evaluate(build_retriever(seed_settings, index=index), load_questions(EXTRA_QUESTIONS), k=5)
    assert result.n == 26
    assert result.recall_at_k >= 0.95 and result.mrr_at_10 >= 0.8
