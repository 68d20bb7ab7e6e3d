"""Benchmarks for the README: ingest overhead, warm search latency, latency as the corpus grows,
and retrieval quality on the dev questions and our own held-out questions.

    .venv/bin/python benchmarks/run_benchmarks.py [--scale 1 10 100] [--repeat 3]

Everything runs in a temporary data directory; results are printed as a Markdown table and written
to benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from assistant.config import REPO_ROOT, Settings  # noqa: E402
from assistant.embeddings import get_embeddings  # noqa: E402
from assistant.evaluation import evaluate, load_questions  # noqa: E402
from assistant.retrieval import build_retriever  # noqa: E402
from assistant.store.index import IndexStore  # noqa: E402
from ingest.pipeline import all_sources, prepare, sync_index  # noqa: E402

DEV = REPO_ROOT / "benchmarks" / "dev_questions.jsonl"  # copy of ../shared/eval/dev_questions.jsonl
EXTRA = REPO_ROOT / "benchmarks" / "questions_extra.jsonl"


def machine() -> str:
    cpu = "okänd CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} kärnor, Python {platform.python_version()}"


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p))


def bench_ingest(base: Path) -> dict:
    settings = Settings(data_dir=base / "cold")
    embeddings = get_embeddings(settings)
    embeddings.embed_passages(["uppvärmning av modellen"])  # model load is not part of either number
    started = time.perf_counter()
    report = sync_index(settings)
    ingest_s = time.perf_counter() - started
    _, chunks = prepare(all_sources(settings), settings)
    started = time.perf_counter()
    embeddings.embed_passages([c.embedding_text() for c in chunks])
    encode_s = time.perf_counter() - started
    return {"chunks": report.chunks, "documents": report.documents, "ingest_s": ingest_s, "encode_s": encode_s,
            "ratio": ingest_s / encode_s, "settings": settings}


def search_latency(settings: Settings, questions: list[str], repeat: int) -> dict:
    index = IndexStore(settings).require_active()
    retriever = build_retriever(settings, index=index, k=5)
    retriever.search(questions[0])  # warm: model loaded, BM25 and Chroma open
    times = []
    for _ in range(repeat):
        for q in questions:
            started = time.perf_counter()
            retriever.search(q, k=5)
            times.append((time.perf_counter() - started) * 1000)
    return {"n": len(times), "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "chunks": index.state.chunk_count}


def build_scaled(base: Path, seed: Settings, factor: int) -> Settings:
    """The seed index copied `factor` times with new document and chunk ids (vectors slightly jittered
    so the HNSW graph is not built over exact duplicates)."""
    settings = Settings(data_dir=base / f"x{factor}")
    source = IndexStore(seed).require_active()
    chunks = [c for d in source.doc_ids for c in source.chunks_of(d)]
    vectors = source.embeddings_for([c.chunk_id for c in chunks])
    documents = list(source.documents().values())
    rng = np.random.default_rng(factor)
    all_chunks, all_vectors, all_docs = [], [], []
    for copy in range(factor):
        suffix = "" if copy == 0 else f"-kopia{copy}"
        for c in chunks:
            all_chunks.append(c.model_copy(update={"chunk_id": c.chunk_id.replace(":", f"{suffix}:", 1),
                                                   "doc_id": c.doc_id + suffix}))
            v = vectors[c.chunk_id] + (rng.normal(0, 0.01, vectors[c.chunk_id].shape) if copy else 0)
            all_vectors.append(v / np.linalg.norm(v))
        for d in documents:
            manifest = d.manifest.model_copy(update={"doc_id": d.manifest.doc_id + suffix})
            all_docs.append(d.model_copy(update={"manifest": manifest}))
    store = IndexStore(settings)
    with store.write_lock():
        store.commit(all_chunks, np.vstack(all_vectors).astype(np.float32), all_docs, source.embedding_model)
    return settings


def quality(settings: Settings) -> dict:
    index = IndexStore(settings).require_active()
    out = {}
    for name, path in (("dev", DEV), ("extra", EXTRA)):
        if not path.exists():
            continue
        questions = load_questions(path)
        for mode in ("bm25", "dense", "hybrid"):
            r = evaluate(build_retriever(settings, mode=mode, index=index), questions, 5)
            out[f"{name}/{mode}"] = {"n": r.n, "recall_at_5": r.recall_at_k, "mrr_at_10": r.mrr_at_10}
        rrf = Settings(data_dir=settings.data_dir, fusion="rrf", weight_bm25=1.0, weight_dense=1.0)
        r = evaluate(build_retriever(rrf, index=index), questions, 5)
        out[f"{name}/hybrid-rrf"] = {"n": r.n, "recall_at_5": r.recall_at_k, "mrr_at_10": r.mrr_at_10}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    questions = [q.question for q in load_questions(DEV)] + [q.question for q in load_questions(EXTRA)]
    results: dict = {"date": date.today().isoformat(), "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="kategori-bench-") as tmp:
        base = Path(tmp)
        ingest = bench_ingest(base)
        seed = ingest.pop("settings")
        results["ingest"] = ingest
        print(f"Kall indexering: {ingest['ingest_s']:.1f} s, ren kodning: {ingest['encode_s']:.1f} s, "
              f"kvot {ingest['ratio']:.2f} ({ingest['chunks']} textavsnitt)", flush=True)
        results["quality"] = quality(seed)
        results["latency"] = {}
        for factor in args.scale:
            settings = seed if factor == 1 else build_scaled(base, seed, factor)
            lat = search_latency(settings, questions, args.repeat)
            results["latency"][f"{factor}x"] = lat
            print(f"Sökning {factor}× ({lat['chunks']} textavsnitt): p50 {lat['p50_ms']:.1f} ms, "
                  f"p95 {lat['p95_ms']:.1f} ms", flush=True)
    out = REPO_ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print_markdown(results)


def print_markdown(results: dict) -> None:
    print(f"\n### Mätt {results['date']} på {results['machine']}\n")
    i = results["ingest"]
    print("| Mått | Värde | Mål |\n|---|---|---|")
    print(f"| Kall indexering av grundkorpusen ({i['chunks']} textavsnitt) | {i['ingest_s']:.1f} s | |")
    print(f"| Ren kodning av samma textavsnitt | {i['encode_s']:.1f} s | |")
    print(f"| Kvot indexering / kodning | {i['ratio']:.2f} | ≤ 1,2 |")
    lat = results["latency"]
    for key, v in lat.items():
        print(f"| Sökning {key} ({v['chunks']} textavsnitt), p50 / p95 | {v['p50_ms']:.1f} / {v['p95_ms']:.1f} ms | p50 ≤ 100 ms |")
    if "1x" in lat and len(lat) > 1:
        last = list(lat)[-1]
        print(f"| Tillväxt p50 {last} / 1x | {lat[last]['p50_ms'] / lat['1x']['p50_ms']:.2f} | ≤ 2 |")
    print("\n| Frågor | Metod | recall@5 | MRR@10 |\n|---|---|---|---|")
    for key, v in results["quality"].items():
        qset, mode = key.split("/")
        print(f"| {qset} ({v['n']}) | {mode} | {v['recall_at_5']:.3f} | {v['mrr_at_10']:.3f} |")


if __name__ == "__main__":
    main()
