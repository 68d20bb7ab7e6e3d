"""`kategori score`: the ambitionsgraf from the command line. All logic lives in assistant.ambitionsgraf."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assistant.cli.app import app
from assistant.errors import InputError

# The scoring, the history database and the charts are imported when the command runs, not on `--help`.
if TYPE_CHECKING:
    from assistant.ambitionsgraf import HistoryStore
    from assistant.ambitionsgraf.history import SavedAssessment


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
                                       "datakatalogen) så att den kan jämföras med senare bedömningar. En "
                                       "bedömning med samma datum och samma svar sparas inte två gånger.")] = False,
    history: Annotated[
        str | None,
        typer.Option("--history", metavar="ORGANISATION", show_default=False,
                     help="Lista organisationens sparade bedömningar och visa hur axlar och områden har "
                     "förändrats sedan förra gången. Kan användas utan FIL."),
    ] = None,
    delete: Annotated[
        int | None,
        typer.Option("--delete", metavar="NR", show_default=False,
                     help="Ta bort sparad bedömning nummer NR ur historiken (numret står i --history)."),
    ] = None,
    png: Annotated[
        Path | None,
        typer.Option("--png", metavar="PNG-FIL", show_default=False,
                     help="Spara ambitionsgrafen som PNG, med tidigare sparade bedömningar som spår. Utan FIL "
                     "ritas den senast sparade bedömningen för --history."),
    ] = None,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", metavar="PDF-FIL", show_default=False,
                     help="Spara en rapport för ledningsgruppen som PDF: diagram, resultat, spridning och råd "
                     "med citat ur rapporten. Utan FIL gäller den senast sparade bedömningen för --history."),
    ] = None,
) -> None:
    """Placera en organisation i ambitionsgrafen (Upphandlingsmyndighetens rapport om ändamålsenliga
    inköpsorganisationer, avsnitt 6.3 och Bilaga Enkätfrågor) och ge råd med citat ur rapporten."""
    if file is None and history is None and delete is None:
        raise InputError("Ange en JSON-fil med enkätsvar (kategori score FIL), --history ORGANISATION eller "
                         "--delete NR. Se kategori score --help.")
    if file is None and history is None and (png or pdf or save):
        raise InputError("--png, --pdf och --save behöver en JSON-fil eller --history ORGANISATION.")
    # Fail on unwritable output paths before anything is computed or saved.
    if png is not None:
        from assistant.ambitionsgraf.chart import check_png_path

        check_png_path(png)
    if pdf is not None:
        from assistant.ambitionsgraf.pdf import check_pdf_path

        check_pdf_path(pdf)
    from assistant.ambitionsgraf import (
        HistoryStore,
        evaluate,
        format_history,
        format_summary,
        read_assessment_file,
    )
    from assistant.ambitionsgraf.history import compare, earlier, snapshot
    from assistant.config import get_settings

    settings = get_settings()
    store = HistoryStore.default(settings)
    # Status lines go to stderr with --json so stdout stays one parseable JSON document.
    status_out = sys.stderr if as_json else sys.stdout

    if delete is not None:
        print(store.delete(delete), file=status_out)
        if file is None and history is None:
            return

    payload: dict[str, Any] = {}
    if file is not None:
        assessment = read_assessment_file(file)
        result = evaluate(assessment, settings=settings)
        for warning in result.warnings:
            print(f"Varning: {warning}", file=sys.stderr)
        saved, duplicate = (_save(store, result, assessment) if save else (None, None))
        trail = _trail(store, result) if (png or pdf) else []
        chart = report = None
        if png is not None:
            from assistant.ambitionsgraf.chart import save_png

            chart = save_png(result, png, trail)
        if pdf is not None:
            from assistant.ambitionsgraf.pdf import save_pdf

            report = save_pdf(result, pdf, trail, comparison=compare(snapshot(result), trail) if trail else None)
        if as_json:
            payload = result.to_json_dict()
            if saved is not None:
                payload["saved"] = {"id": saved.id, "datum": saved.datum.isoformat(), "database": str(store.path)}
            if duplicate is not None:
                payload["already_saved"] = {"id": duplicate.id, "datum": duplicate.datum.isoformat()}
            if chart is not None:
                payload["png"] = str(chart)
            if report is not None:
                payload["pdf"] = str(report)
        else:
            print(format_summary(result), end="")
        if saved is not None:
            print(f"Sparad i historiken som bedömning {saved.id} ({saved.datum.isoformat()}) i {store.path}.",
                  file=status_out)
        if duplicate is not None:
            print(f"Inte sparad: samma bedömning (samma datum och samma svar) finns redan i historiken som nummer "
                  f"{duplicate.id}, sparad {duplicate.saved_at.astimezone():%Y-%m-%d %H:%M}.", file=status_out)
        if chart is not None:
            print(f"Diagrammet är sparat i {chart}.", file=status_out)
        if report is not None:
            print(f"Rapporten är sparad i {report}.", file=status_out)
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
        if file is None and (png or pdf):
            latest = store.get(comparison.current.id)
            trail = earlier(latest, entries)
            if png is not None:
                from assistant.ambitionsgraf.chart import save_png

                payload["png"] = str(save_png(latest, png, trail))
                print(f"Diagrammet är sparat i {payload['png']}.", file=status_out)
            if pdf is not None:
                from assistant.ambitionsgraf.pdf import save_pdf

                payload["pdf"] = str(save_pdf(latest, pdf, trail, comparison=comparison))
                print(f"Rapporten är sparad i {payload['pdf']}.", file=status_out)

    if as_json:
        _print_json(payload)


def _save(store: HistoryStore, result, assessment) -> tuple[SavedAssessment | None, SavedAssessment | None]:
    """(saved entry, None), or (None, the existing entry) when the same assessment is saved already."""
    same = store.duplicates(result)
    if same:
        return None, same[-1]
    return store.save(result, assessment), None


def _trail(store: HistoryStore, result) -> list[SavedAssessment]:
    """Earlier saved assessments for the chart; a history that cannot be read only costs the trail."""
    from assistant.ambitionsgraf.history import HistoryError, earlier

    try:
        return earlier(result, store.list(result.organisation))
    except HistoryError as err:
        print(f"Varning: {err} Diagrammet ritas utan tidigare bedömningar.", file=sys.stderr)
        return []
