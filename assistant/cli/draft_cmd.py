"""`kategori draft`: a first draft of a category strategy (kategoristrategi) in Word or Markdown, every
piece of guidance cited. All logic lives in assistant.drafts; this module reads the options."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.app import app
from assistant.errors import KategoriError


@app.command("draft")
def draft_command(
    out: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="FIL", show_default=False,
                     help="Var utkastet sparas: FIL.docx (Word) eller FIL.md (Markdown)."),
    ],
    kategori: Annotated[
        str | None,
        typer.Option("--kategori", metavar="NAMN", show_default=False,
                     help="Inköpskategorin, t.ex. IT, livsmedel, konsulttjänster eller bygg- och anläggning."),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option("--organisation", metavar="NAMN", show_default=False, help="Organisationens namn."),
    ] = None,
    typ: Annotated[
        str | None,
        typer.Option("--typ", metavar="TYP", show_default=False,
                     help="Organisationstyp: kommun, region, \"statlig myndighet\" eller bolag (standard: kommun)."),
    ] = None,
    volym: Annotated[
        str | None,
        typer.Option("--volym", metavar="SEK", show_default=False,
                     help="Kategorins årliga inköpsvolym i kronor, t.ex. 45000000, \"45 000 000\" eller \"45 mnkr\"."),
    ] = None,
    total_volym: Annotated[
        str | None,
        typer.Option("--total-volym", metavar="SEK", show_default=False,
                     help="Organisationens totala årliga inköpsvolym; avgör vilken av ESV:s nivåer för "
                     "inköpsanalys som jämförs med."),
    ] = None,
    direktupphandlingsgrans: Annotated[
        str | None,
        typer.Option("--direktupphandlingsgrans", metavar="SEK", show_default=False,
                     help="Den direktupphandlingsgräns organisationen tillämpar, t.ex. \"700 000\". Leverantörer med "
                     "inköp utan avtals-id över gränsen ett kalenderår markeras »kontrollera upphandlingsplikt«. "
                     "Verktyget hittar aldrig på beloppet."),
    ] = None,
    affarspaverkan: Annotated[
        str | None,
        typer.Option("--affarspaverkan", metavar="NIVÅ", show_default=False,
                     help="Teamets bedömning av kategorins affärspåverkan, hög eller låg (annars verktygets läsning)."),
    ] = None,
    forsorjningsrisk: Annotated[
        str | None,
        typer.Option("--forsorjningsrisk", metavar="NIVÅ", show_default=False,
                     help="Teamets bedömning av försörjningsrisken, hög eller låg (annars verktygets läsning)."),
    ] = None,
    period: Annotated[
        int | None,
        typer.Option("--period", metavar="ÅR", show_default=False,
                     help="Planeringsperiod i år, 2–5 (standard: 3)."),
    ] = None,
    startar: Annotated[
        int | None,
        typer.Option("--startar", metavar="ÅR", show_default=False,
                     help="Periodens första år (standard: innevarande år)."),
    ] = None,
    prioriteringar: Annotated[
        list[str] | None,
        typer.Option("--prioriteringar", metavar="TEXT", show_default=False,
                     help="En känd prioritering för kategorin; ange flaggan en gång per prioritering."),
    ] = None,
    spend: Annotated[
        Path | None,
        typer.Option("--spend", metavar="FIL", show_default=False,
                     help="Spendfil (CSV eller Excel) med leverantör, belopp och datum, gärna även kategori, "
                     "förvaltning/enhet och avtals-id. Ger en inköpsanalys i utkastet."),
    ] = None,
    spend_kategori: Annotated[
        str | None,
        typer.Option("--spend-kategori", metavar="NAMN", show_default=False,
                     help="Kategorins namn i spendfilens kategorikolumn, om det skiljer sig från --kategori."),
    ] = None,
    fil: Annotated[
        Path | None,
        typer.Option("--fil", metavar="INDATA", show_default=False,
                     help="YAML- eller JSON-fil med indata (samma fält som flaggorna); flaggor går före filen. "
                     "Exempel finns i assistant/drafts/examples/."),
    ] = None,
    datum: Annotated[
        str | None,
        typer.Option("--datum", metavar="ÅÅÅÅ-MM-DD", show_default=False,
                     help="Utkastets datum (standard: i dag)."),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Skriv utan språkmodell: mallens vägledning och ordagranna citat."),
    ] = False,
    fallback: Annotated[
        bool, typer.Option("--fallback", help="Skriv offline automatiskt om språkmodellen inte går att nå."),
    ] = False,
) -> None:
    """Ta fram ett utkast till kategoristrategi (kategoriplan) med källhänvisningar som kontrolleras mot
    källtexten: syfte och kategoriträd, inköpsanalys med åtgärder, behov och volym, besparingspotential,
    leverantörsmarknad, portföljposition, mål, målkonflikter och krav, avtalsform och avropsväg, seriösa
    leverantörer, beredskap, hållbarhet, upphandlingsplan, leverantörsuppföljning, kategoriteam,
    aktivitetsplan och uppföljning. Kategorins typ (kategoriprofil) och organisationstypen styr förslagen."""
    from assistant.config import get_settings
    from assistant.drafts.inputs import check_output_path, collect_input

    fmt = check_output_path(out)
    flags = {
        "organisation": organisation, "typ": typ, "kategori": kategori, "volym": volym,
        "total_inkopsvolym": total_volym, "direktupphandlingsgrans": direktupphandlingsgrans,
        "affarspaverkan": affarspaverkan, "forsorjningsrisk": forsorjningsrisk, "period": period, "startar": startar,
        "prioriteringar": prioriteringar or None, "spend": spend, "spend_kategori": spend_kategori,
        "datum": datum,
    }
    inp = collect_input(flags, fil)
    # The spend file is read before the index is opened, so a bad file fails fast and says why.
    from assistant.drafts.spend import analyse_spend

    analysis = analyse_spend(inp.spend, category=inp.kategori, category_value=inp.spend_kategori) if inp.spend else None

    settings = get_settings()
    from assistant.cli.progress import stderr_progress
    from ingest.ensure import ensure_index

    with stderr_progress() as progress:
        index = ensure_index(settings, progress=progress)
    from assistant.drafts.builder import build_draft

    try:
        draft = build_draft(inp, settings, index=index, spend=analysis, offline=offline)
    except KategoriError as err:
        if not getattr(err, "offline_fallback", False):  # only a model that cannot answer has an offline way
            raise
        print(f"Fel: {err}", file=sys.stderr)
        if not fallback:
            print("Tips: kör med --offline för ett utkast utan språkmodell, eller --fallback för att göra det "
                  "automatiskt när modellen inte svarar.", file=sys.stderr)
            raise typer.Exit(1) from None
        print("Skriver utkastet i offlineläge.", file=sys.stderr)
        draft = build_draft(inp, settings, index=index, spend=analysis, offline=True)

    from assistant.drafts.output import write_draft

    write_draft(draft, out, fmt, settings)
    cited = len(draft.sources)
    check = "alla verifierade" if not draft.unverified else f"{draft.unverified} kunde inte verifieras"
    print(f"Utkastet är sparat i {out}: {len(draft.sections)} avsnitt, {cited} källhänvisningar ({check}). "
          f"Kategorityp: {draft.kategorityp} (verktygets förslag).")
    if draft.actions is not None and draft.actions.without_contract:
        over = draft.actions.over_threshold
        print(f"Inköp utan avtals-id: {len(draft.actions.without_contract)} leverantörer"
              + (f", varav {len(over)} över direktupphandlingsgränsen (kontrollera upphandlingsplikt)" if over else "")
              + "; se avsnitt 2 och 12.")
    if analysis is not None and analysis.bad_rows:
        lines = ", ".join(str(b.line) for b in analysis.bad_rows[:15])
        more = " …" if len(analysis.bad_rows) > 15 else ""
        n = len(analysis.bad_rows)
        print(f"Obs: {n} {'rad' if n == 1 else 'rader'} i spendfilen kunde inte användas (rad {lines}{more}); "
              f"{'den står listad' if n == 1 else 'de står listade'} i avsnitt 2.")

