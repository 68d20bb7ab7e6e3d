"""The planning parts of a draft: needs and volume per year, the savings range, the portfolio position
and the activity plan quarter by quarter. Numbers come from the input and the spend file; the
arithmetic on them (a trend carried forward, 5–10 % of a volume) and the portfolio reading are the
tool's and say so."""

from __future__ import annotations

from assistant.drafts.context import CELL_BREAK, FILL, SUGGESTION, Context, and_list, fill
from assistant.drafts.format import integer, pct, sek
from assistant.drafts.models import Block, Table

_QUADRANT = {("hög", "hög"): "strategisk", ("hög", "låg"): "havstang", ("låg", "hög"): "flaskhals",
             ("låg", "låg"): "rutin"}


def _growth(ctx: Context) -> tuple[int, int, float] | None:
    """The change between the last two full calendar years in the spend file, when they follow each other."""
    full = [y for y in (ctx.spend.years if ctx.spend else []) if y.full]
    if len(full) < 2 or full[-1].year != full[-2].year + 1 or full[-2].amount <= 0:
        return None
    return full[-2].year, full[-1].year, full[-1].amount / full[-2].amount - 1


def forecast(ctx: Context) -> list[Block]:
    inp = ctx.inp
    volume = ctx.annual_volume()
    growth = _growth(ctx)
    columns = ["År", "Utgångsläge per år"]
    if growth and volume:
        y1, y2, g = growth
        columns.append(f"Om förändringen {y1}–{y2} ({'+' if g >= 0 else ''}{pct(g)}) fortsätter")
    # Needs are forecast in what the category counts (portions, MWh, hours), not only in kronor.
    unit = ctx.profile.unit
    columns += [*([f"Mängd ({unit})"] if unit else []), "Teamets prognos", "Vad som driver förändringen"]
    rows = []
    for year in range(inp.first_year, inp.last_year + 1):
        row = [str(year), sek(volume[0]) if volume else fill("volym")]
        if growth and volume:
            _, last, g = growth
            row.append(sek(round(volume[0] * (1 + g) ** (year - last), -3)))
        rows.append(row + [FILL] * (3 if unit else 2))
    if volume:
        caption = (f"Behov och volym per år. Utgångsläget är {volume[1]}"
                   + ("; kolumnen med spendfilens förändring är verktygets räkneexempel, inte en prognos."
                      if growth else ".") + " Teamet fyller i sin prognos.")
    else:
        caption = "Behov och volym per år. Ange kategorins årliga volym (indata eller spendfil), så fylls utgångsläget i."
    if unit:
        caption += f" Mängden räknas i {unit} ({SUGGESTION}), så att förändringar i pris och i behov syns var för sig."
    return [Block(kind="table", table=Table(columns=columns, rows=rows, caption=caption)),
            *ctx.suggestions("Vad som driver behov och volym", ctx.profile.drivers,
                             "vad som driver behov och volym i kategorin")]


def savings(ctx: Context) -> list[Block]:
    s, inp = ctx.spec.savings, ctx.inp
    blocks = [Block(kind="paragraph", text=(
        "Genom att utveckla sitt strategiska inköpsarbete har upphandlande aktörer sänkt de totala "
        "inköpskostnaderna med 5–10 procent [[bes_5_10]], och med ett kategoribaserat arbetssätt går det att hitta "
        "besparingspotentialer [[bes_kategori]]."))]
    volume = ctx.annual_volume()
    if volume:
        rows = [[pct(share, 0), sek(round(volume[0] * share, -3)), sek(round(volume[0] * share * inp.period, -3))]
                for share in (s.low, s.high)]
        blocks.append(Block(kind="table", table=Table(
            columns=["Andel av kategorins volym", "Per år", f"Under perioden ({inp.period} år)"], rows=rows,
            caption=f"Räkneexempel ({SUGGESTION}): färdplanens spann tillämpat på {sek(volume[0])} ({volume[1]}). "
                    "Färdplanens siffra gäller de totala inköpskostnaderna hos "
                    "organisationer som utvecklat sitt strategiska inköpsarbete, inte en enskild kategori – "
                    "räkneexemplet visar en storleksordning, inget mål och ingen prognos.")))
    else:
        blocks.append(Block(kind="paragraph", text=fill(
            "kategorins årliga volym – med den räknar verktyget om färdplanens spann till kronor")))
    levers = list(ctx.profile.levers)
    if ctx.actions is not None and ctx.actions.without_contract:
        levers.append(f"Föra in inköpen utan avtals-id under avtal: {sek(ctx.actions.without_contract_amount)} i "
                      "spendfilen (avsnitt 2)")
    return blocks + ctx.suggestions("Möjliga besparingar", levers if not ctx.profile.unknown else [],
                                    "var besparingarna kan finnas")


def _levels(ctx: Context) -> tuple[tuple[str, list[str]] | None, tuple[str, list[str]] | None]:
    inp, a, p, spec = ctx.inp, ctx.spend, ctx.profile, ctx.spec.portfolio

    def combine(found: list[tuple[str, str]]) -> tuple[str, list[str]] | None:
        if not found:
            return None
        level = "hög" if any(lv == "hög" for lv, _ in found) else "låg"
        return level, [why for _, why in found]

    impact: list[tuple[str, str]] = []
    if inp.affarspaverkan:
        impact.append((inp.affarspaverkan, "teamets bedömning i indata"))
    else:
        volume = ctx.annual_volume()
        if volume and inp.total_inkopsvolym:
            share = volume[0] / inp.total_inkopsvolym
            impact.append(("hög" if share >= spec.share_high else "låg",
                           f"kategorins volym ({sek(volume[0])}) är {pct(share)} av organisationens totala inköp; "
                           f"verktyget räknar minst {pct(spec.share_high)} som hög"))
        if p.business_impact:
            impact.append((p.business_impact.level, f"kategoritypens utgångsläge: {p.business_impact.why}"))
    risk: list[tuple[str, str]] = []
    if inp.forsorjningsrisk:
        risk.append((inp.forsorjningsrisk, "teamets bedömning i indata"))
    else:
        if a is not None:
            top = a.suppliers[0]
            high = top.share >= spec.top_high or a.hhi > 2500 or a.supplier_count <= spec.few_suppliers
            risk.append(("hög" if high else "låg",
                         f"i spendfilen står den största leverantören för {pct(top.share)}, HHI är {integer(a.hhi)} "
                         f"och leverantörerna är {integer(a.supplier_count)}; verktyget räknar minst "
                         f"{pct(spec.top_high, 0)} för den största, HHI över 2 500 eller högst "
                         f"{spec.few_suppliers} leverantörer som hög"))
        if p.supply_risk:
            risk.append((p.supply_risk.level, f"kategoritypens utgångsläge: {p.supply_risk.why}"))
    return combine(impact), combine(risk)


def portfolio(ctx: Context) -> list[Block]:
    impact, risk = _levels(ctx)
    q = ctx.spec.portfolio.quadrants
    key = _QUADRANT[(impact[0], risk[0])] if impact and risk else None

    def cell(k: str) -> str:
        return f"{q[k].name} – här placerar verktyget {ctx.kategori}" if k == key else q[k].name

    table = Block(kind="table", table=Table(
        columns=["Affärspåverkan", "Låg försörjningsrisk", "Hög försörjningsrisk"],
        rows=[["Hög", cell("havstang"), cell("strategisk")], ["Låg", cell("rutin"), cell("flaskhals")]],
        caption=f"Portföljmatris: verktygets egen modell och läsning av indata ({SUGGESTION}), inte en modell ur "
                "källorna. Teamet prövar placeringen."))
    reasons = [f"Affärspåverkan: {impact[0]} – " + "; ".join(impact[1]) if impact else
               "Affärspåverkan: " + fill("hög eller låg – ange affarspaverkan i indata, eller kategorins volym "
                                         "och organisationens totala inköpsvolym"),
               f"Försörjningsrisk: {risk[0]} – " + "; ".join(risk[1]) if risk else
               "Försörjningsrisk: " + fill("hög eller låg – ange forsorjningsrisk i indata, eller en spendfil")]
    blocks = [table, Block(kind="bullets", items=reasons)]
    if key:
        blocks += [Block(kind="paragraph", text=f"Vad positionen »{q[key].name}« brukar kräva ({SUGGESTION}):"),
                   Block(kind="bullets", items=list(q[key].calls_for))]
    else:
        blocks.append(Block(kind="paragraph", text=fill("placering i matrisen när båda axlarna är kända")))
    return blocks


def activities(ctx: Context) -> list[Block]:
    inp, org, act = ctx.inp, ctx.org, ctx.actions
    plan: dict[tuple[int, int], list[str]] = {}

    def add(year: int, quarter: int, text: str) -> None:
        if 1 <= year <= inp.period:
            plan.setdefault((year, quarter), []).append(text)

    add(1, 1, org.activities["decide"] + "; utse kategoriansvarig och kategoriteam")
    if act is not None and act.over_threshold:
        add(1, 1, "Utred inköpen utan avtal över direktupphandlingsgränsen: "
            + and_list([s.supplier for s in act.over_threshold]))
    if act is not None and len(act.without_contract) > len(act.over_threshold):
        rest = len(act.without_contract) - len(act.over_threshold)
        add(1, 2, f"Utred övriga inköp utan avtals-id ({integer(rest)} leverantörer, se avsnitt 2)")
    for a in ctx.profile.activities:
        add(a.year, a.quarter, a.text)
    add(1, 2, fill("upphandlingar och avrop enligt upphandlingsplanen, med kvartal"))
    add(inp.period, 3, f"Utvärdera strategin och ta fram nästa kategoristrategi från {inp.last_year + 1}")
    if ctx.profile.unknown:
        add(1, 2, fill("okänd kategorityp – teamet fyller i kategorins egna aktiviteter"))
    rows = [[f"{inp.first_year + y - 1} kv. {q}", CELL_BREAK.join(texts), FILL] for (y, q), texts in sorted(plan.items())]
    # The yearly cycle: the organisation's planning and follow-up, and the category's own (a season, a price
    # hedge, a yearly review), one entry per quarter.
    quarters: dict[int, list[str]] = {}
    for quarter, text in [(3, org.activities["plan"]), (4, org.activities["annual"]),
                          *((y.quarter, y.text) for y in ctx.profile.yearly)]:
        texts = quarters.setdefault(quarter, [])
        texts.append(text[:1].lower() + text[1:] if texts else text)
    yearly = sorted((q, ", ".join(texts)) for q, texts in quarters.items())
    return [Block(kind="table", table=Table(
                columns=["Kvartal", "Aktiviteter", "Ansvarig"], rows=rows,
                caption=f"Aktivitetsplan {inp.first_year}–{inp.last_year} kvartal för kvartal ({SUGGESTION}).")),
            Block(kind="paragraph", text=(
                "Återkommande varje år: " + "; ".join(f"kv. {q} – {t}" for q, t in yearly) + "."))]

