"""`kategori ask`: a question answered from the corpus, with verified citations."""

from __future__ import annotations

import json
import sys
import textwrap
from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli.app import app
from assistant.cli.progress import stderr_progress
from assistant.errors import KategoriError

# The answer chain, the store and the models are imported when a question is asked, not on `--help`.
if TYPE_CHECKING:
    from assistant.answers.models import Answer, Citation

_MODE_TEXT = {
    "none": "offline – ordagranna utdrag ur källorna, ingen språkmodell",
    "openai": "språkmodell via OpenAI-kompatibelt API",
    "ollama": "språkmodell via Ollama",
}


def format_citation(c: Citation, width: int = 100) -> str:
    year = f", {c.year}" if c.year else ""
    badge = "verifierat" if c.verified else "EJ VERIFIERAT"
    head = f"[{c.n}] {c.title} ({c.publisher}{year}), s. {c.page} – {badge}"
    lines = [head]
    if c.section:
        lines.append(f"    Avsnitt: {c.section}")
    lines.append(textwrap.indent(textwrap.fill(f"»{c.quote}«", width=width - 4), "    "))
    return "\n".join(lines)


def format_answer(answer: Answer) -> str:
    out = [answer.answer, ""]
    if answer.citations:
        out.append("Källor:")
        out += [format_citation(c) for c in answer.citations]
    if answer.closest:
        out.append("Närmaste textavsnitt:")
        out += [format_citation(c) for c in answer.closest]
    for note in answer.notes:
        out.append(f"Obs: {note}")
    out.append(f"\nLäge: {_MODE_TEXT[answer.mode]}")
    return "\n".join(out)


def _run(question: str, offline: bool, agent: bool, stream: bool = True, previous: list[str] | None = None) -> Answer:
    from assistant.answers.chain import ChatTurn
    from assistant.config import get_settings
    from ingest.ensure import ensure_index

    settings = get_settings()
    history = [ChatTurn(role="user", content=p) for p in previous or []]
    with stderr_progress() as progress:
        index = ensure_index(settings, progress=progress)
    with_model = settings.llm != "none" and not offline
    if with_model:
        from assistant.retrieval import build_retriever

        retriever = build_retriever(settings, index=index)
    else:  # the LangChain retriever's plain core: an offline answer needs no LangChain
        from assistant.search import build_search

        retriever = build_search(settings, index=index)
    if with_model and agent:
        from assistant.answers.agent import AgentService

        service = AgentService(settings, retriever=retriever)
        return _with_status(service.stream(question, history)) if stream else service.answer(question, history)
    from assistant.answers.chain import AnswerService

    service = AnswerService(settings, retriever=retriever)
    if settings.llm == "none" or offline or not stream:
        # Without streaming the model is asked for structured output where it supports it.
        return service.answer(question, history, offline=offline)
    return _with_status(service.stream(question, history))


def _with_status(events) -> Answer:
    """Show progress on stderr while the model writes; the verified answer is printed at the end."""
    from rich.console import Console

    console = Console(stderr=True)
    written = 0
    final = None
    with console.status("Språkmodellen arbetar …") as status:
        for event in events:
            if event.kind == "token":
                written += len(event.text)
                status.update(f"Språkmodellen skriver … {written} tecken")
            elif event.kind == "status":
                status.update(event.text)
            elif event.kind == "final":
                final = event.answer
    assert final is not None
    return final


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(help="Frågan, på svenska.")],
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut svaret som ett JSON-objekt.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Svara utan språkmodell (ordagranna utdrag).")] = False,
    fallback: Annotated[
        bool, typer.Option("--fallback", help="Svara offline automatiskt om språkmodellen inte går att nå.")
    ] = False,
    agent: Annotated[
        bool | None,
        typer.Option("--agent/--no-agent", help="Använd agenten med verktyg (standard: KATEGORI_LLM_AGENT)."),
    ] = None,
    previous: Annotated[
        list[str] | None,
        typer.Option(
            "--previous",
            help="En tidigare fråga i samma konversation (kan upprepas, äldst först). En följdfråga som "
            "»Och för små myndigheter?« tolkas då i sitt sammanhang.",
        ),
    ] = None,
) -> None:
    """Besvara en fråga ur underlaget med källhänvisningar som kontrolleras mot källtexten."""
    from assistant.config import get_settings

    settings = get_settings()
    use_agent = settings.llm_agent if agent is None else agent
    try:
        answer = _run(question, offline, use_agent, stream=not as_json, previous=previous)
    except KategoriError as err:
        if not getattr(err, "offline_fallback", False):  # only a model that cannot answer has an offline way
            raise
        print(f"Fel: {err}", file=sys.stderr)
        if fallback or (not as_json and sys.stdin.isatty() and typer.confirm(
            "Vill du få ett svar i offlineläge i stället (utdrag ur källorna, ingen språkmodell)?", default=True,
            err=True,
        )):
            print("Svarar i offlineläge.", file=sys.stderr)
            answer = _run(question, offline=True, agent=False, previous=previous)
        else:
            print("Tips: kör med --offline för ett svar utan språkmodell, eller --fallback för att göra det "
                  "automatiskt när modellen inte svarar.", file=sys.stderr)
            raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(answer.to_contract(), ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
