"""The parts of a draft that come from the spend file: key figures and tables, the trend per year, the
purchases without a contract and the direktupphandlingsgräns, the market figures, the dependency on the
largest suppliers, the procurement plan's rows and the supplier follow-up levels."""

from __future__ import annotations

from assistant.drafts.context import CELL_BREAK, FILL, SUGGESTION, Context, and_list, fill
from assistant.drafts.format import day, integer, pct, sek
from assistant.drafts.models import Block, SpendAnalysis, SupplierAction, Table, YearSpend

MAX_BAD_ROWS_SHOWN = 20
MAX_UNITS_SHOWN = 12
MAX_ROWS_SHOWN = 40  # suppliers without a contract listed one by one; the rest are summed up
MAX_PLAN_ROWS = 10  # suppliers without a contract that get a row of their own when no threshold was given
MAX_YEARS_SHOWN = 4
_MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def year_label(y: YearSpend) -> str:
    """"2025", or "2025 (mar–okt)" when the file does not cover the year's first and last month."""
    return str(y.year) if y.full else f"{y.year} ({_MONTHS[y.first.month - 1]}–{_MONTHS[y.last.month - 1]})"


def scope(a: SpendAnalysis, kategori: str) -> str:
    where = f"spendfilen {a.source}" + (f" (bladet {a.sheet})" if a.sheet else "")
    columns = ", ".join(f"{role} = »{col}«" for role, col in a.columns.items())
    if a.category:
        values = and_list([f"»{v}«" for v in a.category_values])
        n = a.rows_other_categories
        text = (f"Analysen omfattar raderna i {where} med kategorin {values}; "
                f"{integer(n)} {'rad' if n == 1 else 'rader'} i andra kategorier ingår inte.")
    else:
        text = (f"Analysen omfattar alla rader i {where}, eftersom filen saknar kategorikolumn – kontrollera att "
                f"filen bara innehåller inköp i {kategori}.")
    return f"{text} Kolumner som användes: {columns}."


def spend(ctx: Context) -> list[Block]:
    a, inp = ctx.spend, ctx.inp
    heading = Block(kind="subheading", text=f"Inköpsanalys för {ctx.kategori}")
    if a is None:
        return [heading, Block(kind="paragraph", text=(
            "Ingen spendfil angavs. " + fill(
                "inköpsanalys för kategorin – totalt belopp, antal leverantörer, de största leverantörerna och "
                "deras andel, inköp per enhet och andelen utan avtal. Verktyget räknar ut detta om en spendfil "
                "(CSV eller Excel) anges")))]
    blocks = [heading, Block(kind="paragraph", text=scope(a, ctx.kategori))]
    top = a.suppliers[0]
    rows = [
        ["Analysperiod", f"{day(a.date_first)} – {day(a.date_last)}" if a.date_first else "Filen saknar datum"],
        ["Använda rader (transaktioner)", integer(a.rows_used)],
        ["Totalt belopp", sek(a.total)],
        ["Antal leverantörer", integer(a.supplier_count)],
        ["Största leverantör", f"{top.supplier}, {pct(top.share)}"],
        ["De tre största leverantörernas andel", pct(a.top3_share)],
        ["Koncentration (HHI, 0–10 000)", f"{integer(a.hhi)} – {a.concentration}"],
    ]
    if a.without_contract_share is not None:
        rows.append(["Andel utan avtals-id", f"{pct(a.without_contract_share)} ({sek(a.without_contract_amount)})"])
    if inp.volym is not None:
        rows.append(["Kategorins årliga volym enligt indata", sek(inp.volym)])
    blocks.append(Block(kind="table", table=Table(
        columns=["Mått", "Värde"], rows=rows,
        caption="Nyckeltal ur spendfilen. Koncentrationen bedöms med verktygets gränser: HHI under 1 500 låg, "
                "1 500–2 500 måttlig, över 2 500 hög.")))
    columns = ["Leverantör", "Belopp", "Andel", "Rader"]
    if a.has_contract_column:
        columns.append("Varav utan avtals-id")
    supplier_rows = []
    for s in a.top_suppliers:
        row = [s.supplier, sek(s.amount), pct(s.share), integer(s.rows)]
        if a.has_contract_column:
            row.append(sek(s.without_contract))
        supplier_rows.append(row)
    blocks.append(Block(kind="table", table=Table(
        columns=columns, rows=supplier_rows,
        caption=f"De {len(supplier_rows)} största leverantörerna av {integer(a.supplier_count)}.")))
    merged = [s for s in a.suppliers if s.variants]
    if merged:
        shown = "; ".join(f"{s.supplier} (även skrivet {and_list([f'»{v}«' for v in s.variants])})" for s in merged)
        blocks.append(Block(kind="paragraph", text=(
            "Namn som bara skiljer sig i stora och små bokstäver, mellanslag eller bolagsform (AB) räknas som samma "
            f"leverantör och visas som de oftast är skrivna i filen: {shown}. Kontrollera att det stämmer.")))
    if a.units:
        blocks.append(_units_table(a))
    if a.bad_rows:
        shown_rows = [f"rad {b.line}: {b.reason}" for b in a.bad_rows[:MAX_BAD_ROWS_SHOWN]]
        more = len(a.bad_rows) - len(shown_rows)
        if more:
            shown_rows.append(f"… och {more} rader till")
        n = len(a.bad_rows)
        blocks.append(Block(kind="paragraph", text=(
            f"{n} {'rad' if n == 1 else 'rader'} i spendfilen kunde inte användas och ingår inte i beloppen ovan. "
            f"Rätta {'den' if n == 1 else 'dem'} i källsystemet eller filen och kör analysen igen:")))
        blocks.append(Block(kind="bullets", items=shown_rows))
    blocks += [Block(kind="note", text=n) for n in a.notes]
    return blocks


def _units_table(a: SpendAnalysis) -> Block:
    assert a.units is not None
    columns = ["Förvaltning/enhet", "Belopp", "Andel", "Leverantörer"]
    if a.has_contract_column:
        columns.append("Varav utan avtals-id")
    rows = []
    for u in a.units[:MAX_UNITS_SHOWN]:
        row = [u.unit, sek(u.amount), pct(u.share), integer(u.suppliers)]
        if a.has_contract_column:
            row.append(sek(u.without_contract))
        rows.append(row)
    rest = a.units[MAX_UNITS_SHOWN:]
    if rest:
        row = [f"Övriga {len(rest)} enheter", sek(sum(u.amount for u in rest)), pct(sum(u.share for u in rest)), ""]
        if a.has_contract_column:
            row.append(sek(sum(u.without_contract for u in rest)))
        rows.append(row)
    return Block(kind="table", table=Table(columns=columns, rows=rows, caption="Inköp per förvaltning eller enhet."))


def trend(ctx: Context) -> list[Block]:
    """Year on year, when the file has purchases from more than one calendar year."""
    a = ctx.spend
    if a is None or len(a.years) < 2:
        return []
    years = a.years[-MAX_YEARS_SHOWN:]
    rows = []
    for prev, y in zip([None, *years[:-1]], years, strict=True):
        change = "–"
        if prev is not None and prev.amount > 0:
            diff = y.amount / prev.amount - 1
            change = ("+" if diff >= 0 else "") + pct(diff)
        rows.append([year_label(y), sek(y.amount), change, integer(y.suppliers),
                     sek(y.without_contract) if y.without_contract is not None else "–"])
    partial = [y for y in years if not y.full]
    caption = "Inköp per kalenderår enligt spendfilen."
    if partial:
        caption += (" År med månader inom parentes täcks bara delvis av filen; jämför dem med försiktighet.")
    blocks = [Block(kind="subheading", text="Utveckling per år"),
              Block(kind="table", table=Table(
                  columns=["År", "Belopp", "Förändring", "Leverantörer", "Utan avtals-id"], rows=rows,
                  caption=caption))]
    top = a.suppliers[:5]
    supplier_rows = [[s.supplier, *(sek(s.by_year.get(y.year, 0.0)) for y in years)] for s in top]
    blocks.append(Block(kind="table", table=Table(
        columns=["Leverantör", *(str(y.year) for y in years)], rows=supplier_rows,
        caption="De största leverantörerna per år.")))
    return blocks


def _per_year(action: SupplierAction, years: list[int]) -> str:
    return CELL_BREAK.join(f"{y}: {sek(action.by_year.get(y, 0.0))}" for y in years)


def actions(ctx: Context) -> list[Block]:
    a, act = ctx.spend, ctx.actions
    if a is None or act is None:
        return []
    blocks = [Block(kind="subheading", text="Inköp utan avtal och direktupphandlingsgränsen")]
    years = [y.year for y in a.years][-MAX_YEARS_SHOWN:]
    if not act.contract_column:
        blocks.append(Block(kind="paragraph", text=(
            "Spendfilen saknar kolumn för avtals-id, så verktyget kan inte se vilka inköp som saknar avtal. Att ge "
            "varje avtal ett unikt id och använda det i fakturahanteringen [[avtal_id]] ger spårbarhet och "
            "underlättar uppföljningen [[avtal_id2]]. " + fill("vilka av leverantörerna nedan som har avtal"))))
    elif not act.without_contract:
        blocks.append(Block(kind="paragraph", text=(
            "Alla rader i spendfilen har ett avtals-id. Med stöd av inköpsanalysen går det annars att hitta inköp "
            "från leverantörer utan avtal [[spend_utan_avtal]].")))
    else:
        n = len(act.without_contract)
        blocks.append(Block(kind="paragraph", text=(
            "Med stöd av inköpsanalysen går det att identifiera områden som saknar avtal och inköp från "
            f"leverantörer utan avtal [[spend_utan_avtal]]. I spendfilen har {integer(n)} "
            f"{'leverantör' if n == 1 else 'leverantörer'} inköp utan avtals-id, sammanlagt "
            f"{sek(act.without_contract_amount)} ({pct(a.without_contract_share or 0)} av kategorin). Alla står "
            "nedan, störst först.")))
        columns = ["Leverantör", "Utan avtals-id", "Andel av kategorin"]
        if act.dated and len(years) > 1:
            columns += [str(y) for y in years]
        columns.append("Åtgärd")
        rows = []
        for s in act.without_contract[:MAX_ROWS_SHOWN]:
            row = [s.supplier, sek(s.amount), pct(s.share)]
            if act.dated and len(years) > 1:
                row += [sek(s.by_year.get(y, 0.0)) for y in years]
            if s.over_threshold:
                row.append("Kontrollera upphandlingsplikt")
            elif s.contracts:
                row.append("Har också avtal – kontrollera avtals-id på fakturorna")
            else:
                row.append("Utred om avtal saknas")
            rows.append(row)
        rest = act.without_contract[MAX_ROWS_SHOWN:]
        if rest:
            row = [f"Övriga {len(rest)} leverantörer", sek(sum(s.amount for s in rest)),
                   pct(sum(s.share for s in rest))]
            if act.dated and len(years) > 1:
                row += [sek(sum(s.by_year.get(y, 0.0) for s in rest)) for y in years]
            rows.append(row + ["Utred om avtal saknas"])
        blocks.append(Block(kind="table", table=Table(
            columns=columns, rows=rows,
            caption="Leverantörer med inköp utan avtals-id i spendfilen. Åtgärderna är verktygets förslag.")))
    blocks += _threshold(ctx)
    return blocks


def _threshold(ctx: Context) -> list[Block]:
    a, act, inp = ctx.spend, ctx.actions, ctx.inp
    assert a is not None and act is not None
    if inp.direktupphandlingsgrans is None:
        return [Block(kind="paragraph", text=(
            "Ingen direktupphandlingsgräns angavs, så verktyget har inte jämfört beloppen med någon gräns. Stöd för "
            "var gränserna går finns på Konkurrensverkets och Upphandlingsmyndighetens webbplatser [[dir_granser]]. "
            + fill("den direktupphandlingsgräns organisationen tillämpar – anges den i indata markeras "
                   "leverantörerna över gränsen")))]
    limit = sek(inp.direktupphandlingsgrans)
    what = "inköp utan avtals-id" if act.contract_column else "inköp (filen saknar avtals-id)"
    per = "per kalenderår" if act.dated else "för hela filen, som saknar datum"
    over = act.over_threshold
    if over:
        names = and_list([s.supplier for s in over])
        own = "Den har en egen rad" if len(over) == 1 else "Var och en har en egen rad"
        result = (f"{integer(len(over))} {'leverantör ligger' if len(over) == 1 else 'leverantörer ligger'} över "
                  f"gränsen och markeras »kontrollera upphandlingsplikt«: {names}. {own} i upphandlingsplanen "
                  "(avsnitt 12).")
    else:
        result = "Ingen leverantör ligger över gränsen."
    blocks = [Block(kind="paragraph", text=(
        f"Direktupphandlingsgränsen som {inp.organisation} angav är {limit}. Verktyget jämför varje leverantörs "
        f"{what} {per} med gränsen. {result} Jämförelsen är en signal att kontrollera, inte en bedömning: hur "
        "värdet ska beräknas avgör ni, och stöd för var gränserna går finns på Konkurrensverkets och "
        "Upphandlingsmyndighetens webbplatser [[dir_granser]].")),
    ]
    if over:
        years = sorted({y for s in over for y in s.over})
        rows = [[s.supplier, CELL_BREAK.join(f"{y if y else 'hela filen'}: {sek(v)}" for y, v in sorted(s.over.items())),
                 and_list(s.contracts) if s.contracts else "–"] for s in over]
        blocks.append(Block(kind="table", table=Table(
            columns=["Leverantör", f"Över {limit}", "Avtals-id i filen"], rows=rows,
            caption=f"Kontrollera upphandlingsplikt ({SUGGESTION}): leverantörer med {what} över gränsen"
                    + (f", per år ({and_list([str(y) for y in years if y])})." if act.dated else ".")))
        )
    if act.category_over and len(act.without_contract) > len(over):
        spans = and_list([f"{y if y else 'hela filen'}: {sek(v)}" for y, v in sorted(act.category_over.items())])
        blocks.append(Block(kind="paragraph", text=(
            f"Kategorins inköp utan avtals-id sammantaget ligger också över gränsen ({spans}). Pröva om inköpen "
            f"från flera leverantörer tillsammans borde ha upphandlats ({SUGGESTION}).")))
    return blocks


def market(ctx: Context) -> list[Block]:
    a = ctx.spend
    blocks = []
    if a is not None:
        top = a.suppliers[0]
        text = (f"Enligt spendfilen köpte {ctx.inp.organisation} {ctx.kategori} av {integer(a.supplier_count)} "
                f"leverantörer. Den största, {top.supplier}, står för {pct(top.share)} och de tre största för "
                f"{pct(a.top3_share)}; koncentrationen är {a.concentration} (HHI {integer(a.hhi)}).")
        blocks.append(Block(kind="paragraph", text=text))
        if a.sizes:
            rows = [[s.size, sek(s.amount), pct(s.share), integer(s.suppliers)] for s in a.sizes]
            blocks.append(Block(kind="table", table=Table(
                columns=["Företagsstorlek enligt filen", "Belopp", "Andel", "Leverantörer"], rows=rows,
                caption=f"Inköpen fördelade på leverantörernas storlek, så som kolumnen »{a.columns.get('företagsstorlek')}« "
                        "i spendfilen anger den.")))
        else:
            blocks.append(Block(kind="paragraph", text=(
                "Spendfilen anger inte leverantörernas storlek, så de små företagens andel går inte att räkna ut. "
                + fill("andel av inköpen hos små företag, t.ex. ur leverantörsregistret"))))
    return blocks + ctx.suggestions("Frågor om leverantörsmarknaden", ctx.profile.market,
                                    "vilka leverantörer som finns och hur marknaden fungerar")


def dependency(ctx: Context) -> list[Block]:
    a = ctx.spend
    if a is None:
        return []
    top = a.suppliers[0]
    return [Block(kind="paragraph", text=(
        f"I spendfilen står {top.supplier} för {pct(top.share)} av inköpen i kategorin och de tre största för "
        f"{pct(a.top3_share)}. Ta med i riskanalysen vad ett avbrott hos dem skulle betyda för verksamheten."))]


def plan(ctx: Context) -> list[Block]:
    a, act, inp = ctx.spend, ctx.actions, ctx.inp
    columns = ["Upphandling eller åtgärd", "Omfattning i spendfilen", "Nuvarande leverantör(er)", "Avtal löper ut",
               "Planerad start", "Ansvarig"]
    rows: list[list[str]] = []
    years = [y.year for y in a.years][-MAX_YEARS_SHOWN:] if a is not None else []

    def amount(s: SupplierAction) -> str:
        return _per_year(s, years) if act is not None and act.dated and len(years) > 1 else sek(s.amount)

    if a is not None and act is not None:
        for s in act.over_threshold:
            rows.append([f"Inköp utan avtal – kontrollera upphandlingsplikt, {fill('åtgärd')}", amount(s), s.supplier,
                         "Saknar avtal", FILL, FILL])
        rest = [s for s in act.without_contract if not s.over_threshold]
        if inp.direktupphandlingsgrans is None:
            own, rest = rest[:MAX_PLAN_ROWS], rest[MAX_PLAN_ROWS:]
            for s in own:
                rows.append([f"Inköp utan avtal – {fill('åtgärd')}", amount(s), s.supplier, "Saknar avtal", FILL, FILL])
        if rest:
            rows.append([f"Övriga inköp utan avtal – {fill('åtgärd')}", sek(sum(s.amount for s in rest)),
                         and_list([s.supplier for s in rest]), "Saknar avtal", FILL, FILL])
        for c in act.contracts[:6]:
            rows.append([f"Avtal {c.contract} – {fill('åtgärd')}", sek(c.amount), and_list(c.suppliers), FILL, FILL, FILL])
    rows += [[FILL] * len(columns) for _ in range(2)]
    if a is not None:
        period = f" under {day(a.date_first)} – {day(a.date_last)}" if a.date_first else ""
        caption = (f"Upphandlingsplan {inp.first_year}–{inp.last_year}. Raderna med leverantörer och avtal är "
                   f"{SUGGESTION} utifrån spendfilen; beloppen är inköpen i filen{period}. Åtgärd: ny upphandling, "
                   "avrop, förlängning eller avveckling.")
    else:
        caption = (f"Upphandlingsplan {inp.first_year}–{inp.last_year}. Fyll i utifrån avtalsdatabasen och "
                   "inköpsanalysen.")
    return [Block(kind="table", table=Table(columns=columns, rows=rows, caption=caption))]


def srm(ctx: Context) -> list[Block]:
    a, act = ctx.spend, ctx.actions
    blocks: list[Block] = []
    if a is not None:
        no_contract = {s.supplier for s in act.without_contract} if act else set()
        rows = []
        for s in a.suppliers[:8]:
            if s.share >= 0.2:
                level = "Strategisk dialog, kvartalsvis"
            elif s.share >= 0.05:
                level = "Avtalsuppföljning, halvårsvis"
            else:
                level = "Löpande uppföljning, årligen"
            if s.supplier in no_contract and not s.contracts:
                level = "Utred avtal först (inköp utan avtals-id)"
            rows.append([s.supplier, pct(s.share), level, FILL])
        blocks.append(Block(kind="table", table=Table(
            columns=["Leverantör", "Andel", "Föreslagen nivå", "Ansvarig"], rows=rows,
            caption=f"Uppföljningsnivå per leverantör ({SUGGESTION} utifrån andelen i spendfilen: minst 20 % "
                    "strategisk dialog, minst 5 % avtalsuppföljning).")))
    else:
        blocks.append(Block(kind="paragraph", text=fill(
            "de viktigaste leverantörerna och hur ofta var och en följs upp (utan spendfil kan verktyget inte "
            "föreslå nivåer)")))
    return blocks + ctx.suggestions("Att följa upp", ctx.profile.srm, "vad som följs upp hos leverantörerna")
