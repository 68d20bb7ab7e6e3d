"""`kategori score`: the ambitionsgraf from the command line. All logic lives in assistant.ambitionsgraf."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.ambitionsgraf import (
    HistoryStore,
    evaluate,
    format_history,
    format_summary,
    read_assessment_file,
)
from assistant.cli.app import app
from assistant.config import get_settings
from assistant.errors import InputError


def _print_json(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))


@app.command("score")
def score_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="JSON-fil med enkätsvaren: organisation och en lista med svarande (roll + svar på "
                       "V1.1–H5). Exempel finns i assistant/ambitionsgraf/examples/.", show_default=False,
                       metavar="FIL"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut hela resultatet som ett JSON-objekt "
                                          "(oavrundade värden) i stället för en sammanfattning.")] = False,
    save: Annotated[bool, typer.Option("--save", help="Spara bedömningen i historiken (ambitionsgraf.sqlite i "
                                       "datakatalogen) så att den kan jämföras med senare bedömningar.")] = False,
    history: Annotated[
        str | None,
        typer.Option("--history", metavar="ORGANISATION", show_default=False,
                     help="Lista organisationens sparade bedömningar och visa hur axlar och områden har "
                     "förändrats sedan förra gången. Kan användas utan FIL."),
    ] = None,
    png: Annotated[
        Path | None,
        typer.Option("--png", metavar="PNG-FIL", show_default=False,
                     help="Spara ambitionsgrafen som PNG, med tidigare sparade bedömningar som spår. Utan FIL "
                     "ritas den senast sparade bedömningen för --history."),
    ] = None,
) -> None:
    """Placera en organisation i ambitionsgrafen (Upphandlingsmyndighetens rapport om ändamålsenliga
    inköpsorganisationer, avsnitt 6.3 och Bilaga Enkätfrågor) och ge råd med citat ur rapporten."""
    if file is None and history is None:
        raise InputError("Ange en JSON-fil med enkätsvar (kategori score FIL) eller --history ORGANISATION. "
                         "Se kategori score --help.")
    if png is not None:
        from assistant.ambitionsgraf.chart import check_png_path

        check_png_path(png)  # fail before anything is computed or saved
    settings = get_settings()
    store = HistoryStore.default(settings)
    # Status lines go to stderr with --json so stdout stays one parseable JSON document.
    status_out = sys.stderr if as_json else sys.stdout

    payload: dict[str, Any] = {}
    if file is not None:
        assessment = read_assessment_file(file)
        result = evaluate(assessment, settings=settings)
        earlier = store.list(result.organisation)  # read before saving: the trail is the earlier ones
        saved = store.save(result, assessment) if save else None
        chart = None
        if png is not None:
            from assistant.ambitionsgraf.chart import save_png

            chart = save_png(result, png, earlier)
        if as_json:
            payload = result.to_json_dict()
            if saved is not None:
                payload["saved"] = {"id": saved.id, "datum": saved.datum.isoformat(), "database": str(store.path)}
            if chart is not None:
                payload["png"] = str(chart)
        else:
            print(format_summary(result), end="")
        if saved is not None:
            print(f"Sparad i historiken som bedömning {saved.id} ({saved.datum.isoformat()}) i {store.path}.",
                  file=status_out)
        if chart is not None:
            print(f"Diagrammet är sparat i {chart}.", file=status_out)
        if history is not None and not as_json:
            print()

    if history is not None:
        comparison = store.compare(history)
        entries = store.list(history)
        if as_json:
            hist = {
                "organisation": comparison.organisation,
                "assessments": [e.model_dump(mode="json") for e in entries],
                "comparison": comparison.model_dump(mode="json"),
            }
            if file is None:
                payload = hist
            else:
                payload["history"] = hist
        else:
            print(format_history(entries, comparison), end="")
        if file is None and png is not None:
            from assistant.ambitionsgraf.chart import save_png

            latest = store.get(comparison.current.id)
            chart = save_png(latest, png, entries[:-1])
            if as_json:
                payload["png"] = str(chart)
            print(f"Diagrammet är sparat i {chart}.", file=status_out)

    if as_json:
        _print_json(payload)
