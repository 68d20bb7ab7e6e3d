"""The computed parts of a section: facts from the input, the spend tables, ESV's level, the goals
table, the procurement plan and the measures. Every number here comes from the input or the spend
analysis; everything else about the organisation is an `[Att fylla i: …]` placeholder.

Blocks may carry `[[anchor]]` markers (the ESV levels, the goals list); the builder turns them into
verified citations like the template text's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.drafts.format import day, integer, mkr, pct, sek
from assistant.drafts.models import Block, SpendAnalysis, StrategyInput, Table
from assistant.drafts.sections import DraftSpec, priority_goals, suggested_goals

FILL = "[Att fylla i]"
MAX_BAD_ROWS_SHOWN = 20
MAX_UNITS_SHOWN = 12

_TYPE_EN = {"kommun": "en kommun", "region": "en region", "statlig myndighet": "en statlig myndighet",
            "bolag": "ett bolag"}
_TYPE_PLURAL = {"kommun": "kommuner", "region": "regioner", "statlig myndighet": "statliga myndigheter",
                "bolag": "bolag"}


def running_text(name: str) -> str:
    """A category name as it reads inside a sentence: "Livsmedel" → "livsmedel", while "IT" and
    "IT-tjänster" keep their capitals."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def and_list(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " och " + items[-1] if len(items) > 1 else "".join(items)


def fill(what: str) -> str:
    return f"[Att fylla i: {what}]"


@dataclass
class Context:
    inp: StrategyInput
    spend: SpendAnalysis | None
    spec: DraftSpec

    @property
    def kategori(self) -> str:
        return running_text(self.inp.kategori)

    @property
    def variables(self) -> dict[str, str]:
        return {
            "organisation": self.inp.organisation,
            "kategori": self.kategori,
            "typ": self.inp.typ,
            "period": self.inp.period_text,
            "forsta_ar": str(self.inp.first_year),
            "sista_ar": str(self.inp.last_year),
        }


def generate(name: str, ctx: Context) -> list[Block]:
    return _PARTS[name](ctx)


# ---- section 1 ------------------------------------------------------------------------------------------


def _facts(ctx: Context) -> list[Block]:
    inp = ctx.inp
    items = [
        f"Organisation: {inp.organisation} ({inp.typ})",
        f"Kategori: {inp.kategori}",
        f"Planeringsperiod: {inp.period_text}",
        f"Kategorins årliga inköpsvolym: {sek(inp.volym)}" if inp.volym is not None
        else f"Kategorins årliga inköpsvolym: {fill('belopp i kronor per år')}",
        f"Organisationens totala inköpsvolym: {sek(inp.total_inkopsvolym)} per år" if inp.total_inkopsvolym is not None
        else f"Organisationens totala inköpsvolym: {fill('belopp i kronor per år')}",
    ]
    if ctx.spend:
        items.append(f"Inköpsanalys: spendfilen {ctx.spend.source} (se avsnitt 2)")
    return [Block(kind="bullets", items=items)]


# ---- section 2 ------------------------------------------------------------------------------------------


def _spend(ctx: Context) -> list[Block]:
    a, inp = ctx.spend, ctx.inp
    heading = Block(kind="subheading", text=f"Inköpsanalys för {ctx.kategori}")
    if a is None:
        return [heading, Block(kind="paragraph", text=(
            "Ingen spendfil angavs. " + fill(
                "inköpsanalys för kategorin – totalt belopp, antal leverantörer, de största leverantörerna och "
                "deras andel, inköp per förvaltning eller enhet och andelen utan avtal. Verktyget räknar ut detta "
                "om en spendfil (CSV eller Excel) anges")))]
    blocks = [heading, Block(kind="paragraph", text=spend_scope(a, ctx.kategori))]
    rows = [
        ["Analysperiod", f"{day(a.date_first)} – {day(a.date_last)}" if a.date_first else "Filen saknar datum"],
        ["Använda rader (transaktioner)", integer(a.rows_used)],
        ["Totalt belopp", sek(a.total)],
        ["Antal leverantörer", integer(a.supplier_count)],
        ["Största leverantör", f"{a.suppliers[0].supplier}, {pct(a.suppliers[0].share)}"],
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
    if a.units:
        unit_columns = ["Förvaltning/enhet", "Belopp", "Andel", "Leverantörer"]
        if a.has_contract_column:
            unit_columns.append("Varav utan avtals-id")
        unit_rows = []
        for u in a.units[:MAX_UNITS_SHOWN]:
            row = [u.unit, sek(u.amount), pct(u.share), integer(u.suppliers)]
            if a.has_contract_column:
                row.append(sek(u.without_contract))
            unit_rows.append(row)
        rest = a.units[MAX_UNITS_SHOWN:]
        if rest:
            row = [f"Övriga {len(rest)} enheter", sek(sum(u.amount for u in rest)), pct(sum(u.share for u in rest)), ""]
            if a.has_contract_column:
                row.append(sek(sum(u.without_contract for u in rest)))
            unit_rows.append(row)
        blocks.append(Block(kind="table", table=Table(columns=unit_columns, rows=unit_rows,
                                                      caption="Inköp per förvaltning eller enhet.")))
    if a.bad_rows:
        shown = [f"rad {b.line}: {b.reason}" for b in a.bad_rows[:MAX_BAD_ROWS_SHOWN]]
        more = len(a.bad_rows) - len(shown)
        if more:
            shown.append(f"… och {more} rader till")
        n = len(a.bad_rows)
        blocks.append(Block(kind="paragraph", text=(
            f"{n} {'rad' if n == 1 else 'rader'} i spendfilen kunde inte användas och ingår inte i beloppen ovan. "
            "Rätta dem i källsystemet eller filen och kör analysen igen:")))
        blocks.append(Block(kind="bullets", items=shown))
    return blocks


def spend_scope(a: SpendAnalysis, kategori: str) -> str:
    where = f"spendfilen {a.source}" + (f" (bladet {a.sheet})" if a.sheet else "")
    columns = ", ".join(f"{role} = »{col}«" for role, col in a.columns.items())
    if a.category:
        values = and_list([f"»{v}«" for v in a.category_values])
        scope = (f"Analysen omfattar raderna i {where} med kategorin {values}; "
                 f"{integer(a.rows_other_categories)} rader i andra kategorier ingår inte.")
    else:
        scope = (f"Analysen omfattar alla rader i {where}, eftersom filen saknar kategorikolumn – kontrollera att "
                 f"filen bara innehåller inköp i {kategori}.")
    return f"{scope} Kolumner som användes: {columns}."


def _esv(ctx: Context) -> list[Block]:
    esv, inp = ctx.spec.esv, ctx.inp
    state = inp.typ == "statlig myndighet"
    variables = ctx.variables | {"typ_en": _TYPE_EN[inp.typ], "typ_plural": _TYPE_PLURAL[inp.typ]}
    blocks = [Block(kind="subheading", text=esv.heading), Block(kind="paragraph", text=esv.intro),
              Block(kind="bullets", items=[f"{lv.name}: {lv.summary}" for lv in esv.levels])]
    if not state:
        # Said before any level is named, so no one reads ESV's advice as addressed to a municipality.
        blocks.append(Block(kind="paragraph", text=substitute(esv.not_state, variables)))
    if inp.total_inkopsvolym is not None:
        level = esv.level_for(inp.total_inkopsvolym)
        template = esv.known if state else esv.known_other
        conclusion = template.format(total=mkr(inp.total_inkopsvolym), organisation=inp.organisation,
                                     level=level.name, recommendation=level.recommendation)
    else:
        volym_text = f" ({sek(inp.volym)} per år)" if inp.volym is not None else ""
        conclusion = esv.unknown.format(volym_text=volym_text)
    blocks.append(Block(kind="paragraph", text=conclusion))
    if state:
        blocks.append(Block(kind="paragraph", text=esv.state))
    return blocks


# ---- section 3 ------------------------------------------------------------------------------------------


def _goals(ctx: Context) -> list[Block]:
    suggested = suggested_goals(ctx.inp.kategori, ctx.spec)
    rows = []
    for goal in ctx.spec.goals:
        if goal.nr in suggested:
            why, source = suggested[goal.nr]
            relevance = f"Ja (förslag): {why}"
            how = fill(f"hur {ctx.kategori} bidrar, med mått")
        else:
            relevance = "–"
            how = "–"
        rows.append([str(goal.nr), goal.name, relevance, how])
    caption = (f"Den nationella upphandlingsstrategins tio inriktningsmål [[mal_sju]][[mal_tio]]. Kolumnen "
               f"»Relevant för {ctx.kategori}?« är verktygets förslag utifrån kategorins namn, inte en "
               "bedömning ur källorna – teamet bekräftar, stryker eller lägger till.")
    return [Block(kind="table", table=Table(
        columns=["Nr", "Inriktningsmål", f"Relevant för {ctx.kategori}?", "Hur kategorin bidrar"],
        rows=rows, caption=caption))]


def _priorities(ctx: Context) -> list[Block]:
    blocks = [Block(kind="subheading", text="Organisationens prioriteringar")]
    if not ctx.inp.prioriteringar:
        return [*blocks, Block(kind="paragraph", text=fill(
            "organisationens kända prioriteringar för kategorin, t.ex. ur inköpspolicy, mål och budget eller "
            "regleringsbrev"))]
    items = []
    for priority in ctx.inp.prioriteringar:
        goals = priority_goals(priority, ctx.spec)
        if goals:
            numbers = ", ".join(str(g) for g in goals)
            items.append(f"{priority} – kan kopplas till inriktningsmål {numbers} (verktygets förslag)")
        else:
            items.append(f"{priority} – {fill('vilket inriktningsmål prioriteringen hör till')}")
    return [*blocks, Block(kind="paragraph", text="Prioriteringar som angavs i indata:"),
            Block(kind="bullets", items=items)]


# ---- sections 5, 7 and 10 ----------------------------------------------------------------------------------


def _market(ctx: Context) -> list[Block]:
    a = ctx.spend
    if a is None:
        return []
    top = a.suppliers[0]
    text = (f"Enligt spendfilen köpte {ctx.inp.organisation} {ctx.kategori} av {integer(a.supplier_count)} "
            f"leverantörer. Den största, {top.supplier}, står för {pct(top.share)} och de tre största för "
            f"{pct(a.top3_share)}; koncentrationen är {a.concentration} (HHI {integer(a.hhi)}).")
    return [Block(kind="paragraph", text=text)]


def _dependency(ctx: Context) -> list[Block]:
    a = ctx.spend
    if a is None:
        return []
    top = a.suppliers[0]
    return [Block(kind="paragraph", text=(
        f"I spendfilen står {top.supplier} för {pct(top.share)} av inköpen i kategorin. Ta med i riskanalysen "
        "vad ett avbrott hos de största leverantörerna skulle betyda för verksamheten."))]


def _units(ctx: Context) -> list[Block]:
    a = ctx.spend
    if a is None or not a.units:
        return []
    named = [u for u in a.units if u.share > 0][:3]
    listed = and_list([f"{u.unit} ({pct(u.share)})" for u in named])
    return [Block(kind="paragraph", text=(
        f"Enligt spendfilen står {listed} för störst del av inköpen i kategorin. Företrädare för dem är "
        "naturliga deltagare i kategoriteamet."))]


# ---- section 9 ------------------------------------------------------------------------------------------


def _plan(ctx: Context) -> list[Block]:
    a, inp = ctx.spend, ctx.inp
    columns = ["Upphandling/avtal", "Omfattning (SEK/år)", "Nuvarande leverantör(er)", "Avtal löper ut",
               "Planerad start", "Ansvarig"]
    rows: list[list[str]] = []
    if a is not None:
        if a.has_contract_column and a.without_contract_amount:
            without = [s for s in a.suppliers if s.without_contract > 0][:3]
            names = and_list([s.supplier for s in without])
            rows.append([f"Inköp utan avtal – {fill('åtgärd')}",
                         f"{FILL} (i spendfilen {sek(a.without_contract_amount)})", names, "Saknar avtal", FILL, FILL])
        for s in a.top_suppliers[:4]:
            if a.has_contract_column and not s.contracts:
                continue  # already in the row for purchases without a contract
            label = f"Avtal {', '.join(s.contracts)}" if s.contracts else fill(f"avtal med {s.supplier}")
            rows.append([f"{label} – {fill('åtgärd')}",
                         f"{FILL} (i spendfilen {sek(s.amount)})", s.supplier, FILL, FILL, FILL])
    rows += [[FILL] * len(columns) for _ in range(2)]
    if a is not None:
        period = f" under {day(a.date_first)} – {day(a.date_last)}" if a.date_first else ""
        caption = (f"Upphandlingsplan {inp.first_year}–{inp.last_year}. Raderna med leverantörer är verktygets "
                   f"förslag utifrån spendfilen; beloppen i parentes är inköpen i filen{period}. Åtgärd: ny "
                   "upphandling, avrop, förlängning eller avveckling.")
    else:
        caption = (f"Upphandlingsplan {inp.first_year}–{inp.last_year}. Fyll i utifrån avtalsdatabasen och "
                   "inköpsanalysen.")
    return [Block(kind="table", table=Table(columns=columns, rows=rows, caption=caption))]


# ---- section 11 -----------------------------------------------------------------------------------------


def _measures(ctx: Context) -> list[Block]:
    a, inp = ctx.spend, ctx.inp
    source = " (spendfilen)"
    with_contract = (pct(1 - a.without_contract_share) + source
                     if a is not None and a.without_contract_share is not None else FILL)
    rows = [
        ["Andel av inköpen med avtals-id (avtalstrohet)", with_contract],
        ["De tre största leverantörernas andel", pct(a.top3_share) + source if a else FILL],
        ["Antal leverantörer i kategorin", integer(a.supplier_count) + source if a else FILL],
        ["Antal anbud per upphandling i kategorin", FILL],
        ["Andel konkurrensutsatta direktupphandlingar", FILL],
        ["Andel avtal med genomförd avtalsuppföljning", FILL],
        ["Måluppfyllelse för de prioriterade inriktningsmålen", FILL],
    ]
    rows = [r + [FILL, FILL, FILL] for r in rows]
    caption = ("Förslag på mått. Utgångslägen ur spendfilen gäller filens period; övriga fylls i av teamet."
               if a is not None else "Förslag på mått. Utgångsläge, mål, frekvens och ansvar fylls i av teamet.")
    return [Block(kind="table", table=Table(
        columns=["Mått", "Utgångsläge", f"Mål {inp.last_year}", "Frekvens", "Ansvarig"], rows=rows,
        caption=caption))]


def substitute(text: str, variables: dict[str, str]) -> str:
    """Fill {name} for known names only; any other braces in a text stay as they are."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: variables.get(m.group(1), m.group(0)), text)


_PARTS: dict[str, Callable[[Context], list[Block]]] = {
    "facts": _facts,
    "spend": _spend,
    "esv": _esv,
    "goals": _goals,
    "priorities": _priorities,
    "market": _market,
    "dependency": _dependency,
    "plan": _plan,
    "units": _units,
    "measures": _measures,
}
