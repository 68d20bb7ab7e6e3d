"""`kategori ingest | search | eval | documents | remove`: the index and retrieval from the command line."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from assistant.cli.app import app
from assistant.cli.progress import stderr_progress
from assistant.errors import InputError

# The store, the embedding model and the retrievers are imported inside the commands that use them, so
# `kategori --help` and the other commands start without them.
if TYPE_CHECKING:
    from assistant.search import ScoredChunk
    from ingest.library import UploadReport
    from ingest.pipeline import IngestReport

Mode = Literal["hybrid", "bm25", "dense"]  # assistant.search.Mode, here without importing the search


def _notify(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _print_report(report: IngestReport) -> None:
    for note in report.notes:
        print(f"Obs: {note}", file=sys.stderr)
    if not report.changed:
        print(f"Indexet är redan aktuellt: {report.documents} dokument, {report.chunks} textavsnitt. Inget ändrades.")
        return
    parts = []
    for label, docs in (("tillagda", report.added), ("uppdaterade", report.replaced), ("borttagna", report.removed)):
        if docs:
            parts.append(f"{label}: {', '.join(docs)}")
    fresh = "ny sökvektor" if report.embedded == 1 else "nya sökvektorer"
    reused = "återanvänd" if report.reused == 1 else "återanvända"
    print(
        f"Indexet är byggt (generation {report.generation}): {report.documents} dokument, {report.chunks} textavsnitt "
        f"({report.embedded} {fresh}, {report.reused} {reused}) på {report.seconds:.1f} s."
    )
    for part in parts:
        print(f"  {part}")


def _print_files(result: UploadReport) -> None:
    accepted = result.accepted
    if accepted:
        print("Filer:")
    for f in accepted:
        print(f"  {f.summary()}")


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Egna PDF-, Word-, text- eller Markdown-filer (eller kataloger) att lägga till. Utan "
        "argument: indexera grundkorpusen och tidigare tillagda dokument."),
    ] = None,
    titel: Annotated[str | None, typer.Option("--titel", help="Dokumentets titel (bara när en fil läggs till). "
                                              "Standard: filens egen titel om den är rimlig, annars filnamnet.")] = None,
    utgivare: Annotated[str | None, typer.Option("--utgivare", help="Vem som gett ut dokumentet, t.ex. "
                                                 "»Exempelkommunen«. Standard: »Okänd utgivare«.")] = None,
    ar: Annotated[str | None, typer.Option("--ar", help="Utgivningsår, t.ex. 2024.")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Bygg om hela indexet och beräkna alla sökvektorer på nytt.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Visa ingen förloppsindikator.")] = False,
) -> None:
    """Bygg eller uppdatera sökindexet (Chroma + svensk BM25). Oförändrade dokument lämnas orörda.

    Med filer: varje fil som går att läsa läggs till; filer som inte går att läsa listas med orsak (felkod 2).
    Samma filnamn igen blir en ny version av samma dokument."""
    from assistant.config import get_settings
    from ingest.api_models import DocumentFields
    from ingest.library import add_paths
    from ingest.pipeline import sync_index

    settings = get_settings()
    if rebuild and paths:
        raise InputError("Ange antingen filer att lägga till eller --rebuild, inte båda.")
    if not paths and (titel or utgivare or ar):
        raise InputError("--titel, --utgivare och --ar gäller filer som läggs till; ange filerna också.")
    with stderr_progress(not quiet) as progress:
        if paths:
            fields = DocumentFields.parse(titel, utgivare, ar)
            result = add_paths(settings, list(paths), fields, progress=progress, notify=_notify)
        else:
            result = None
            report = sync_index(settings, rebuild=rebuild, progress=progress, notify=_notify)
    if result is None:
        _print_report(report)
        return
    if result.index is not None:
        _print_report(result.index)
        _print_files(result)
    result.raise_for_refused()


@app.command("remove")
def remove_command(
    doc_id: Annotated[str, typer.Argument(help="Id för ett eget dokument (se `kategori documents`).")],
) -> None:
    """Ta bort ett eget dokument ur biblioteket och indexet. Grundkorpusens dokument kan inte tas bort."""
    from assistant.config import get_settings
    from ingest.library import remove_document

    report = remove_document(get_settings(), doc_id, notify=_notify)
    print(f"{doc_id} är borttaget.")
    _print_report(report)


documents_app = typer.Typer(
    help="Lista dokumenten i indexet, eller ändra titel, utgivare och år för ett eget dokument (`edit`).",
    no_args_is_help=False,
    rich_markup_mode="rich",
)
app.add_typer(documents_app, name="documents")


@documents_app.callback(invoke_without_command=True)
def documents_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut resultatet som JSON.")] = False,
) -> None:
    """Lista dokumenten i indexet med manifestuppgifter och antal textavsnitt."""
    from assistant.config import get_settings
    from ingest.ensure import ensure_index
    from ingest.library import list_documents

    if ctx.invoked_subcommand is not None:
        return
    settings = get_settings()
    with stderr_progress() as progress:
        index = ensure_index(settings, progress=progress)
    rows = list_documents(settings, index)
    if as_json:
        keep = ("doc_id", "title", "publisher", "year", "document_type", "language", "published_at", "source",
                "pages", "chunks", "paged", "file", "added_at")
        print(json.dumps([r.model_dump(include=set(keep)) for r in rows], ensure_ascii=False, indent=2))
        return
    for r in rows:
        kind = "grundkorpus" if r.source == "seed" else "eget dokument"
        pages = f"{r.pages} s." if r.paged else "utan sidnummer"
        print(f"{r.doc_id}  [{kind}]")
        print(f"  {r.title} – {r.publisher}{', ' + str(r.year) if r.year else ''}")
        print(f"  {r.document_type}; {pages}; {r.chunks} textavsnitt; publicerad: {r.published_at}")
        if r.source == "user":
            print(f"  fil: {r.file}" + (f"; tillagd {r.added_at[:10]}" if r.added_at else ""))


@documents_app.command("edit")
def documents_edit_command(
    doc_id: Annotated[str, typer.Argument(help="Id för ett eget dokument (se `kategori documents`).")],
    titel: Annotated[str | None, typer.Option("--titel", help="Ny titel.")] = None,
    utgivare: Annotated[str | None, typer.Option("--utgivare", help="Ny utgivare.")] = None,
    ar: Annotated[str | None, typer.Option("--ar", help="Nytt utgivningsår, t.ex. 2024.")] = None,
    utan_ar: Annotated[bool, typer.Option("--utan-ar", help="Ta bort ett angivet år.")] = False,
) -> None:
    """Ändra titel, utgivare eller år för ett eget dokument. Texten och sökvektorerna återanvänds."""
    from assistant.config import get_settings
    from ingest.api_models import DocumentEdit, DocumentFields
    from ingest.library import edit_document

    if ar and utan_ar:
        raise InputError("Ange antingen --ar eller --utan-ar, inte båda.")
    fields = DocumentFields.parse(titel, utgivare, ar)
    edit = DocumentEdit(**fields.model_dump(), clear_year=utan_ar)
    if edit.is_empty():
        raise InputError("Ange något att ändra: --titel, --utgivare, --ar eller --utan-ar.")
    report = edit_document(get_settings(), doc_id, edit, notify=_notify)
    print(f"{doc_id} är ändrat.")
    _print_report(report)


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
    from assistant.config import get_settings
    from assistant.search import build_search
    from ingest.ensure import ensure_index

    settings = get_settings()
    with stderr_progress() as progress:
        index = ensure_index(settings, progress=progress)
    hits = build_search(settings, mode=retriever, k=k, index=_checked(index, settings)).search(
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
    from assistant.config import get_settings
    from assistant.evaluation import evaluate, load_questions
    from assistant.search import build_search
    from ingest.ensure import ensure_index

    settings = get_settings()
    qs = load_questions(questions)
    with stderr_progress(not as_json) as progress:
        index = ensure_index(settings, progress=progress)
    result = evaluate(build_search(settings, mode=retriever, k=k, index=_checked(index, settings)), qs, k)
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

    from assistant.config import REPO_ROOT, get_settings
    from assistant.search import build_search
    from assistant.store.index import IndexStore
    from ingest.ensure import ensure_index
    from ui.auth import is_loopback

    settings = get_settings()
    if not settings.login and not is_loopback(host):
        raise InputError(
            f"--host {host}: utan inloggning lyssnar webbappen bara på den här datorn (127.0.0.1), eftersom den "
            "inte vet vem som frågar. Slå på inloggning (KATEGORI_LOGIN=true och KATEGORI_OIDC_*, se README) för "
            "att dela appen i nätverket."
        )
    print("Kategoriassistenten: kontrollerar sökindexet …", file=sys.stderr)
    repaired = IndexStore(settings).try_repair()
    if repaired:
        print(f"Städade upp efter en tidigare avbruten skrivning: {', '.join(repaired)}.", file=sys.stderr)
    with stderr_progress() as progress:
        index = ensure_index(settings, progress=progress)
    print(f"Sökindexet är klart: {len(index.doc_ids)} dokument, {index.state.chunk_count} textavsnitt.", file=sys.stderr)
    if no_browser_app:
        example = "Vad är en spendanalys?"
        print(f"Exempel – kategori search \"{example}\":\n")
        print_hits(build_search(settings, k=3, index=_checked(index, settings)).search(example, k=3))
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
