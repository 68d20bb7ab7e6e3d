"""Offline answers: how often the corpus is judged to answer, whether the citations hold, and latency.

    .venv/bin/python benchmarks/answer_quality.py [--data-dir DIR]

- In scope: the dev questions and our own 26 (benchmarks/questions_extra.jsonl). Measured: share
  answered, share with ≥ 1 citation, share of citations verified, share whose cited passages include
  a gold passage.
- Out of scope: benchmarks/questions_out_of_scope.jsonl – o01–o20 (weather, cooking, other countries'
  law, made-up reports, general knowledge) and o21–o25, questions about procurement that the corpus
  does not cover. Measured: share refused.
- Latency: warm offline `kategori ask` equivalents over the dev questions, p50/p95.
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

from assistant.answers.chain import AnswerService  # noqa: E402
from assistant.config import REPO_ROOT, Settings  # noqa: E402
from assistant.evaluation import is_hit, load_questions  # noqa: E402
from ingest.pipeline import ensure_index  # noqa: E402

BENCH = REPO_ROOT / "benchmarks"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None, help="Befintlig datakatalog (annars ./data)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    ensure_index(settings)
    service = AnswerService(settings)

    results: dict = {}
    for name, path in (("dev", BENCH / "dev_questions.jsonl"), ("egna", BENCH / "questions_extra.jsonl")):
        qs = load_questions(path)
        answered = cited = gold = 0
        citations = verified = 0
        for q in qs:
            a = service.answer(q.question)
            if args.verbose and not a.answered:
                print(f"  EJ BESVARAD {q.id}: {q.question} – {a.answer[:120]}")
            answered += a.answered
            cited += bool(a.citations)
            citations += len(a.citations)
            verified += sum(c.verified for c in a.citations)
            gold += any(is_hit(c.chunk_text, q.gold) for c in a.citations)
        results[name] = {
            "n": len(qs),
            "answered": answered / len(qs),
            "with_citation": cited / len(qs),
            "citations_verified": verified / citations if citations else 0.0,
            "gold_cited": gold / len(qs),
        }
    out_qs = [json.loads(line) for line in (BENCH / "questions_out_of_scope.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    for label, subset in (("utanför (o01–o20)", out_qs[:20]), ("nära domänen (o21–o25)", out_qs[20:])):
        refused = 0
        for q in subset:
            a = service.answer(q["question"])
            refused += not a.answered
            if args.verbose and a.answered:
                print(f"  BESVARAD {q['id']}: {q['question']}")
        results[label] = {"n": len(subset), "refused": refused / len(subset) if subset else 0.0}

    dev = [q.question for q in load_questions(BENCH / "dev_questions.jsonl")]
    service.answer(dev[0])
    times = []
    for _ in range(3):
        for q in dev:
            started = time.perf_counter()
            service.answer(q)
            times.append((time.perf_counter() - started) * 1000)
    results["latency_ms"] = {"p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95)), "n": len(times)}

    out = BENCH / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "answer_quality.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print("| Frågor | n | Besvarade | Med källa | Verifierade citat | Guldstycke citerat |\n|---|---|---|---|---|---|")
    for name in ("dev", "egna"):
        r = results[name]
        print(f"| {name} | {r['n']} | {r['answered']:.0%} | {r['with_citation']:.0%} | {r['citations_verified']:.0%} | {r['gold_cited']:.0%} |")
    print("\n| Frågor utanför underlaget | n | Avböjda |\n|---|---|---|")
    for label in ("utanför (o01–o20)", "nära domänen (o21–o25)"):
        r = results[label]
        print(f"| {label} | {r['n']} | {r['refused']:.0%} |")
    lat = results["latency_ms"]
    print(f"\nOffline-svar, varm: p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms ({lat['n']} anrop)")


if __name__ == "__main__":
    main()
