"""Retrieval and offline answers on every question set, in one process: the numbers in the README.

    .venv/bin/python benchmarks/answer_quality.py [--data-dir DIR] [--sets dev,egna,...] [--no-latency] [--verbose]

Sets (all in benchmarks/):
- dev (dev_questions.jsonl) and egna (questions_extra.jsonl): factual questions with gold passages —
  recall@5, MRR@10 (hybrid, bm25, dense), share answered, share whose citations include a gold passage.
- realistiska (questions_realistic.jsonl), exempel (realistic_examples.jsonl, copy of the shared
  examples) and other files in the same format: questions phrased as users ask them, with key facts —
  key fact in the top 5 of the (follow-up resolved) search, MRR@10 on key facts, key-fact coverage,
  first-quote hit, wrong refusals, out-of-scope refused.
  situation (questions_context.jsonl): long questions that open with the asker's own situation, and
  varierade (questions_varied.jsonl): many kinds of askers (typos, English terms, abbreviations, half
  sentences) — both written by helpers from the corpus without reading the code, then used for tuning.
  chatt, roller, ekonomi (controllers and politicians), nybörjare (a new kategoriansvarig in a small
  organisation, in everyday words) and snabba (hurried chat in lower case: »vad e det«, »orgs«, »vs«) were
  written the same way, measured blind first, then read. praktiker (a kategoriteam in the middle of the
  work: »vad gör vi när avtalet är påskrivet«) and siffror (figures, dates, names and who, in loose words,
  with near-domain questions for figures the documents do not give) likewise, and nära (30 near-domain
  questions the documents do not answer – how-to details, named agreements, predictions – and 10 that they do).
  kategoriteam (a kommun's kategoriteam writing its first kategoristrategi, in its own category words) and pm
  (an utredare at a regional inköpscentral writing a memo: lists, figures, definitions, what each document says),
  written in session 10 the same way, measured blind first, then read; so were kanal (a Slack channel for
  upphandlare in kommuner: short, colloquial, follow-up chains of 3–4), revision (a controller and an
  internrevisor at a large statlig myndighet: intern styrning och kontroll, ESV's levels, risks) and lösa siffror
  (24 figure questions in loose words: »vad landar det på«, »när var det nu«).
  ekonomichef (a sceptical ekonomichef in a kommun: costs, savings, evidence, in ironic everyday words), journalist
  (a trade-press reporter: who said what and when, figures worth quoting, claims to check), mobilchatt (an
  upphandlare on her phone: lower case, typos, »kat.styrning«, »upph«, »iaf«, chains of follow-ups) and
  studiecirkel (a study-circle leader: definitions, steps in order, small vs large, »stämmer det att …«) were
  written in session 11 the same way, measured first on the session-start code, then read.
  liten myndighet (the one inköpsansvarig of a statlig myndighet with 150 staff: what applies to us, ESV's levels,
  follow-ups), teams (a kategoriansvarig in a Teams chat: lower case, »ngn«, »ksk«, English words) and workshop (a
  consultant preparing a workshop for a ledningsgrupp: lists, definitions, who does what, quotable figures) were
  written in session 12 the same way, measured first on the session-start code, then read.
  utan å/ä/ö (questions_realistic_no_marks.jsonl): realistiska with å, ä, ö written a, a, o, as on a keyboard
  without them (generated from questions_realistic.jsonl, same key facts).
- utanför (questions_out_of_scope.jsonl): share refused.
Latency: warm in-process offline answers over dev + realistiska, p50/p95.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from assistant.answer_evaluation import AnswerQuestion, load_answer_questions, score_answer, summarise_answers  # noqa: E402
from assistant.answers.chain import AnswerService, ChatTurn  # noqa: E402
from assistant.config import REPO_ROOT, Settings  # noqa: E402
from assistant.evaluation import MRR_DEPTH, is_hit, load_questions  # noqa: E402
from assistant.retrieval import build_retriever  # noqa: E402
from ingest.ensure import ensure_index  # noqa: E402

BENCH = REPO_ROOT / "benchmarks"
GOLD_SETS = {"dev": BENCH / "dev_questions.jsonl", "egna": BENCH / "questions_extra.jsonl"}
FACT_SETS = {
    "realistiska": BENCH / "questions_realistic.jsonl",
    "exempel": BENCH / "realistic_examples.jsonl",
    "heldout": BENCH / "questions_heldout.jsonl",
    "situation": BENCH / "questions_context.jsonl",
    "varierade": BENCH / "questions_varied.jsonl",
    "chatt": BENCH / "questions_chat.jsonl",
    "roller": BENCH / "questions_roles.jsonl",
    "ekonomi": BENCH / "questions_finance.jsonl",
    "nybörjare": BENCH / "questions_newcomers.jsonl",
    "snabba": BENCH / "questions_hurried.jsonl",
    "praktiker": BENCH / "questions_practitioners.jsonl",
    "siffror": BENCH / "questions_figures.jsonl",
    "nära": BENCH / "questions_near_domain.jsonl",
    "kategoriteam": BENCH / "questions_category_team.jsonl",
    "pm": BENCH / "questions_memo.jsonl",
    "kanal": BENCH / "questions_chat_channel.jsonl",
    "revision": BENCH / "questions_audit.jsonl",
    "lösa siffror": BENCH / "questions_loose_figures.jsonl",
    "ekonomichef": BENCH / "questions_sceptic.jsonl",
    "journalist": BENCH / "questions_journalist.jsonl",
    "mobilchatt": BENCH / "questions_phone_chat.jsonl",
    "studiecirkel": BENCH / "questions_study_circle.jsonl",
    "liten myndighet": BENCH / "questions_small_agency.jsonl",
    "teams": BENCH / "questions_teams_chat.jsonl",
    "workshop": BENCH / "questions_workshop.jsonl",
    "utan å/ä/ö": BENCH / "questions_realistic_no_marks.jsonl",
}
OUT_OF_SCOPE = BENCH / "questions_out_of_scope.jsonl"


def _retrieval(services: dict, items: list[tuple[str, list[str], list[str]]]) -> dict:
    """recall@5 and MRR@10 of each retriever, searching as the answer step does (follow-ups resolved)."""
    out = {}
    for mode, service in services.items():
        ranks = []
        for question, previous, gold in items:
            resolved = service.resolve(question, [ChatTurn(role="user", content=p) for p in previous], "none")
            hits = service.retrieve(resolved, MRR_DEPTH)
            ranks.append(next((h.rank for h in hits if is_hit(h.chunk.text, gold)), None))
        out[mode] = {
            "recall_at_5": sum(r is not None and r <= 5 for r in ranks) / len(ranks),
            "mrr_at_10": sum(1 / r for r in ranks if r) / len(ranks),
        }
    return out


def _answer(service: AnswerService, question: str, previous: list[str]):
    return service.answer(question, [ChatTurn(role="user", content=p) for p in previous], offline=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--sets", default="", help="Kommaseparerade set (standard: alla som finns)")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="Skriv ut svaren som inte har alla nyckelfakta")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "answer_quality.json")
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    index = ensure_index(settings)
    services = {m: AnswerService(settings, retriever=build_retriever(settings, mode=m, index=index)) for m in ("hybrid", "bm25", "dense")}
    service = services["hybrid"]
    wanted = set(filter(None, args.sets.split(",")))
    results: dict = {}

    for name, path in GOLD_SETS.items():
        if wanted and name not in wanted:
            continue
        qs = load_questions(path)
        r = {"n": len(qs), "retrieval": _retrieval(services, [(q.question, [], q.gold) for q in qs])}
        answered = gold = 0
        for q in qs:
            a = service.answer(q.question)
            answered += a.answered
            gold += any(is_hit(c.chunk_text, q.gold) for c in a.citations)
        r.update(answered=answered / len(qs), gold_cited=gold / len(qs))
        results[name] = r

    for name, path in FACT_SETS.items():
        if (wanted and name not in wanted) or not path.exists():
            continue
        qs: list[AnswerQuestion] = load_answer_questions(path)
        in_scope = [q for q in qs if q.in_scope and q.key_facts]
        items = [(q.question, q.previous, q.key_facts) for q in in_scope]
        scored = [score_answer(q, _answer(service, q.question, q.previous)) for q in qs]
        summary = summarise_answers(scored)
        results[name] = {
            "n": len(qs),
            "n_in_scope": len(in_scope),
            "retrieval": _retrieval(services, items),
            **summary.model_dump(exclude={"per_question"}),
        }
        if args.verbose:
            for s in scored:
                if (s.in_scope and (s.coverage or 0) < 1) or (not s.in_scope and s.answered):
                    print(f"\n--- {name} {s.id} cov={s.coverage} answered={s.answered} {s.question}")
                    if s.previous:
                        print(f"    (efter: {' | '.join(s.previous)})")
                    print(f"    saknas: {s.facts_missing}")
                    print("    " + s.answer.replace("\n", "\n    "))

    if not wanted or "utanför" in wanted:
        oos = [json.loads(line) for line in OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines() if line.strip()]
        refused = [not service.answer(q["question"]).answered for q in oos]
        results["utanför"] = {"n": len(oos), "refused": sum(refused) / len(oos),
                              "answered_ids": [q["id"] for q, r in zip(oos, refused, strict=True) if not r]}

    if not args.no_latency:
        qs = [q.question for q in load_questions(GOLD_SETS["dev"])]
        qs += [q.question for q in load_answer_questions(FACT_SETS["realistiska"])]
        service.answer(qs[0])
        times = []
        for q in qs:
            started = time.perf_counter()
            service.answer(q)
            times.append((time.perf_counter() - started) * 1000)
        results["latency_ms"] = {"p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95)), "n": len(times)}

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    _print_tables(results)


def _print_tables(results: dict) -> None:
    print("| Frågor | n | Metod | recall@5 | MRR@10 |\n|---|---|---|---|---|")
    for name, r in results.items():
        if "retrieval" in r:
            for mode, m in r["retrieval"].items():
                print(f"| {name} | {r.get('n_in_scope', r['n'])} | {mode} | {m['recall_at_5']:.3f} | {m['mrr_at_10']:.3f} |")
    print("\n| Frågor | n | Nyckelfakta i svaren | Första citatet träffar | Felaktigt avböjda | Utanför avböjda |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        if "key_fact_coverage" in r:
            oos = "–" if r["out_of_scope_refused"] is None else f"{r['out_of_scope_refused']:.0%}"
            print(f"| {name} | {r['n']} | {r['key_fact_coverage']:.2f} | {r['first_quote_hit']:.2f} | "
                  f"{r['wrong_refusals']} av {r['n_in_scope']} | {oos} |")
    for name in GOLD_SETS:
        if name in results:
            r = results[name]
            print(f"{name}: besvarade {r['answered']:.0%}, guldstycket citerat {r['gold_cited']:.0%}")
    if "utanför" in results:
        r = results["utanför"]
        print(f"utanför underlaget: {r['refused']:.0%} avböjda av {r['n']} (besvarade: {', '.join(r['answered_ids'])})")
    if "latency_ms" in results:
        lat = results["latency_ms"]
        print(f"Offlinesvar, varm: p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms ({lat['n']} frågor)")


if __name__ == "__main__":
    main()
