"""`kategori ingest | search | eval | documents | remove`: the index and retrieval from the command line."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.app import app
from assistant.cli.progress import stderr_progress
from assistant.config import get_settings
from assistant.errors import InputError
from assistant.retrieval import Mode, ScoredChunk, build_retriever
from ingest.pipeline import IngestReport, add_user_documents, ensure_index, remove_user_document, sync_index


def _print_report(report: IngestReport) -> None:
    if not report.changed:
        print(f"Indexet är redan aktuellt: {report.documents} dokument, {report.chunks} textavsnitt. Inget ändrades.")
        return
    parts = []
    for label, docs in (("tillagda", report.added), ("uppdaterade", report.replaced), ("borttagna", report.removed)):
        if docs:
            parts.append(f"{label}: {', '.join(docs)}")
    print(
        f"Indexet är byggt (generation {report.generation}): {report.documents} dokument, {report.chunks} textavsnitt "
        f"({report.embedded} nya embeddings, {report.reused} återanvända) på {report.seconds:.1f} s."
    )
    for part in parts:
        print(f"  {part}")


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Egna PDF- eller textfiler (eller kataloger) att lägga till. Utan argument: "
        "indexera grundkorpusen och tidigare tillagda dokument."),
    ] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Bygg om hela indexet och beräkna alla embeddings på nytt.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Visa ingen förloppsindikator.")] = False,
) -> None:
    """Bygg eller uppdatera sökindexet (Chroma + svensk BM25). Oförändrade dokument lämnas orörda."""
    settings = get_settings()
    if rebuild and paths:
        raise InputError("Ange antingen filer att lägga till eller --rebuild, inte båda.")
    with stderr_progress(not quiet) as progress:
        if paths:
            report = add_user_documents(settings, list(paths), progress=progress)
        else:
            report = sync_index(settings, rebuild=rebuild, progress=progress)
    _print_report(report)


@app.command("remove")
def remove_command(
    doc_id: Annotated[str, typer.Argument(help="Id för ett eget dokument (se `kategori documents`).")],
) -> None:
    """Ta bort ett eget dokument ur biblioteket och indexet. Grundkorpusens dokument kan inte tas bort."""
    report = remove_user_document(get_settings(), doc_id)
    print(f"{doc_id} är borttaget.")
    _print_report(report)


@app.command("documents")
def documents_command(
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut resultatet som JSON.")] = False,
) -> None:
    """Lista dokumenten i indexet med manifestuppgifter och antal textavsnitt."""
    settings = get_settings()
    with stderr_progress() as progress:
        index = ensure_index(settings, progress=progress)
    rows = []
    for doc_id, doc in sorted(index.documents().items()):
        m = doc.manifest
        rows.append(
            {
                "doc_id": doc_id,
                "title": m.title,
                "publisher": m.publisher,
                "year": m.year,
                "document_type": m.document_type,
                "language": m.language,
                "published_at": m.published_at,
                "source": m.source,
                "pages": max((p.page for p in doc.pages), default=1),
                "chunks": len(index.state.chunks_by_doc.get(doc_id, [])),
            }
        )
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        kind = "grundkorpus" if r["source"] == "seed" else "eget dokument"
        print(f"{r['doc_id']}  [{kind}]")
        print(f"  {r['title']} – {r['publisher']}{', ' + str(r['year']) if r['year'] else ''}")
        print(f"  {r['document_type']}; {r['pages']} s.; {r['chunks']} textavsnitt; publicerad: {r['published_at']}")


def _hit_json(hit: ScoredChunk) -> dict:
    c = hit.chunk
    return {
        "rank": hit.rank,
        "score": hit.score,
        "chunk_id": c.chunk_id,
        "doc_id": c.doc_id,
        "title": c.doc_title,
        "publisher": c.publisher,
        "year": c.year,
        "page_start": c.page_start,
        "page_end": c.page_end,
        "section": c.section,
        "char_start": c.char_start,
        "char_end": c.char_end,
        "text": c.text,
        "bm25_score": hit.bm25_score,
        "bm25_rank": hit.bm25_rank,
        "dense_score": hit.dense_score,
        "dense_rank": hit.dense_rank,
    }


def print_hits(hits: list[ScoredChunk], width: int = 100) -> None:
    for hit in hits:
        c = hit.chunk
        year = f", {c.year}" if c.year else ""
        print(f"{hit.rank}. {c.doc_title} ({c.publisher}{year}), {c.pages}   [poäng {hit.score:.3f}]")
        if c.section:
            print(f"   Avsnitt: {c.section}")
        snippet = " ".join(c.text.split())
        if len(snippet) > 400:
            snippet = snippet[:400].rsplit(" ", 1)[0] + " …"
        print(textwrap.indent(textwrap.fill(f"»{snippet}«", width=width - 3), "   "))
        print()


@app.command("search")
def search_command(
    question: Annotated[str, typer.Argument(help="Fråga eller sökord på svenska.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="Antal textavsnitt att visa.")] = 5,
    retriever: Annotated[Mode, typer.Option("--retriever", help="Sökmetod: hybrid, bm25 eller dense.")] = "hybrid",
    doc: Annotated[
        list[str] | None, typer.Option("--doc", help="Begränsa till dokument-id (kan anges flera gånger).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut resultatet som JSON.")] = False,
) -> None:
    """Sök i underlaget och visa de bäst matchande textavsnitten med dokument, sida och avsnitt."""
    settings = get_settings()
    with stderr_progress() as progress:
        index = ensure_index(settings, progress=progress)
    hits = build_retriever(settings, mode=retriever, k=k, index=_checked(index, settings)).search(
        question, k=k, doc_ids=doc or None
    )
    if as_json:
        print(json.dumps({"question": question, "k": k, "retriever": retriever, "results": [_hit_json(h) for h in hits]},
                         ensure_ascii=False, indent=2))
        return
    if not hits:
        print("Inga träffar i underlaget.")
        return
    print_hits(hits)


def _checked(index, settings):
    from assistant.embeddings import get_embeddings

    return index.check_model(get_embeddings(settings).model_key)


@app.command("eval")
def eval_command(
    questions: Annotated[Path, typer.Option("--questions", help="JSONL-fil med id, question och gold per rad.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="Gräns för recall@k.")] = 5,
    retriever: Annotated[Mode, typer.Option("--retriever", help="Sökmetod: hybrid, bm25 eller dense.")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut ett JSON-objekt.")] = False,
) -> None:
    """Utvärdera sökningen: recall@k och MRR@10 mot guldstycken i en frågefil."""
    from assistant.evaluation import evaluate, load_questions

    settings = get_settings()
    qs = load_questions(questions)
    with stderr_progress(not as_json) as progress:
        index = ensure_index(settings, progress=progress)
    result = evaluate(build_retriever(settings, mode=retriever, k=k, index=_checked(index, settings)), qs, k)
    if as_json:
        print(result.model_dump_json())
        return
    print(f"Sökmetod: {result.retriever}  frågor: {result.n}  recall@{k}: {result.recall_at_k:.3f}  MRR@10: {result.mrr_at_10:.3f}")
    for q in result.per_question:
        where = f"träff på plats {q.first_hit_rank}" if q.first_hit_rank else "ingen träff bland de 10 första"
        print(f"  {q.id}: {where} – {q.question}")


@app.command("run")
def run_command(
    port: Annotated[int, typer.Option("--port", help="Port för webbappen.")] = 8501,
    host: Annotated[
        str, typer.Option("--host", help="Adress att lyssna på. Annat än 127.0.0.1 kräver inloggning (KATEGORI_LOGIN).")
    ] = "127.0.0.1",
    no_browser_app: Annotated[
        bool, typer.Option("--bara-index", help="Bygg bara indexet och visa ett exempel, starta inte webbappen.")
    ] = False,
) -> None:
    """Bygg indexet om det saknas och starta webbappen (Streamlit)."""
    import subprocess

    from assistant.config import REPO_ROOT
    from ui.auth import is_loopback

    settings = get_settings()
    if not settings.login and not is_loopback(host):
        raise InputError(
            f"--host {host}: utan inloggning lyssnar webbappen bara på den här datorn (127.0.0.1), eftersom den "
            "inte vet vem som frågar. Slå på inloggning (KATEGORI_LOGIN=true och KATEGORI_OIDC_*, se README) för "
            "att dela appen i nätverket."
        )
    print("Kategoriassistenten: kontrollerar sökindexet …", file=sys.stderr)
    with stderr_progress() as progress:
        index = ensure_index(settings, progress=progress)
    print(f"Sökindexet är klart: {len(index.doc_ids)} dokument, {index.state.chunk_count} textavsnitt.", file=sys.stderr)
    if no_browser_app:
        example = "Vad är en spendanalys?"
        print(f"Exempel – kategori search \"{example}\":\n")
        print_hits(build_retriever(settings, k=3, index=_checked(index, settings)).search(example, k=3))
        return
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    print(f"\nÖppna http://{shown}:{port} i webbläsaren. Avsluta med Ctrl+C.", file=sys.stderr)
    if settings.login:
        print("Inloggning krävs (OpenID Connect).\n", file=sys.stderr)
    else:
        print("Utan inloggning: appen nås bara från den här datorn.\n", file=sys.stderr)
    # ui/server.py serves ui/app.py as an ASGI app (login settings, direct page links).
    command = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "ui" / "server.py"),
               "--server.port", str(port), "--server.address", host, "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    try:
        # From the repository root, so Streamlit reads .streamlit/config.toml.
        subprocess.run(command, cwd=REPO_ROOT, check=False)
    except KeyboardInterrupt:
        print("Webbappen är stoppad.", file=sys.stderr)
