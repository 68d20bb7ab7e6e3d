"""The computed parts of a draft, by name (sections.yaml: `kind: generated`). Every number comes from the
input or the spend analysis; what the category profile and the organisation type add is either cited
([[anchor]]) or labelled as the tool's suggestion; everything else about the organisation is an
`[Att fylla i: …]` placeholder.

Blocks may carry `[[anchor]]` markers; the builder turns them into verified citations like the
template text's. Spend-driven parts live in spend_blocks.py, planning parts in planning.py.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.drafts import planning, spend_blocks
from assistant.drafts.context import FILL, SUGGESTION, Context, and_list, fill, substitute
from assistant.drafts.format import integer, mkr, pct, sek
from assistant.drafts.models import Block, Table
from assistant.drafts.profiles import load_categories
from assistant.drafts.sections import priority_goals, suggested_goals


def generate(name: str, ctx: Context, arg: str | None = None) -> list[Block]:
    if name == "guidance":
        return _guidance(ctx, arg or "")
    return _PARTS[name](ctx)


def _guidance(ctx: Context, section: str) -> list[Block]:
    """What the category profile says matters for its type in this section: cited sentences and the
    tool's own suggestions, each labelled."""
    text = ctx.profile.guidance.get(section)
    return [Block(kind="paragraph", text=text)] if text else []


# ---- section 1 ------------------------------------------------------------------------------------------


def _governance(ctx: Context) -> list[Block]:
    return [Block(kind="paragraph", text=" ".join(ctx.org.governance))]


def _tree(ctx: Context) -> list[Block]:
    p = ctx.profile
    if p.unknown:
        rows = [["Huvudkategori", fill("okänd kategorityp – teamet fyller i var kategorin hör hemma")],
                ["Kategori i denna strategi", ctx.inp.kategori],
                ["Ingår", fill("vilka varor och tjänster som ingår")],
                ["Ingår inte", fill("närliggande kategorier som avgränsas bort")]]
    else:
        rows = [["Huvudkategori", p.tree[0]], ["Kategori", p.tree[1]] if len(p.tree) > 1 else ["Kategori", FILL],
                ["Delkategorier", "; ".join(p.subcategories) or FILL],
                ["Ingår", "; ".join(p.includes)], ["Ingår inte (hör till närliggande kategorier)", "; ".join(p.excludes)]]
    blocks = [Block(kind="table", table=Table(
        columns=["Nivå", f"Förslag för {ctx.kategori}"], rows=rows,
        caption=f"Placering i kategoriträdet – {SUGGESTION} utifrån kategoritypen. Det finns ingen nationell "
                "standard för vilka produkter och tjänster som hör till vilken kategori [[kt_standard]], så "
                "teamet anpassar placeringen efter organisationens eget kategoriträd."))]
    texts = [load_categories().example_mentions[a] for a in p.examples] + p.notes
    if texts:
        blocks.append(Block(kind="paragraph", text=" ".join(t if t.rstrip().endswith(".") else t + "." for t in texts)))
    return blocks


# ---- goals and priorities ------------------------------------------------------------------------------


def _goals(ctx: Context) -> list[Block]:
    suggested = suggested_goals(ctx.profile, ctx.spec)
    always = ctx.spec.goal_mapping.always
    blocks = []
    rows = [[str(g.nr), g.name, suggested[g.nr][0], fill(f"hur {ctx.kategori} bidrar, med mått")]
            for g in ctx.spec.goals if g.nr in suggested and g.nr not in always]
    if rows:
        blocks.append(Block(kind="table", table=Table(
            columns=["Nr", "Inriktningsmål", "Varför (förslag)", "Hur kategorin bidrar"], rows=rows,
            caption=f"Inriktningsmål som verktyget föreslår för kategoritypen »{ctx.profile.name}« ({SUGGESTION}, "
                    "ingen bedömning ur källorna) av den nationella upphandlingsstrategins tio [[mal_sju]][[mal_tio]]. "
                    "Teamet bekräftar, stryker eller lägger till.")))
    # Goals 1 and 2 are what category management is for, so they are said in one clause, not a row each.
    others = [str(g.nr) for g in ctx.spec.goals if g.nr not in suggested]
    text = (f"Inriktningsmål {and_list([str(nr) for nr in always])} – {and_list(list(always.values()))} – gäller "
            f"varje kategoristrategi ({SUGGESTION})")
    if others:
        text += (f"; mål {and_list(others)} föreslås inte för kategoritypen »{ctx.profile.name}«. Pröva om något av "
                 "dem ändå hör till organisationens prioriteringar.")
    blocks.append(Block(kind="paragraph", text=text if others else text + "."))
    return blocks


def _priorities(ctx: Context) -> list[Block]:
    blocks = [Block(kind="subheading", text="Organisationens prioriteringar enligt indata")]
    if not ctx.inp.prioriteringar:
        return [*blocks, Block(kind="paragraph", text=fill(
            f"organisationens kända prioriteringar för kategorin, t.ex. ur {ctx.org.styrdokument}"))]
    items = []
    for priority in ctx.inp.prioriteringar:
        goals = priority_goals(priority, ctx.spec)
        if goals:
            numbers = ", ".join(str(g) for g in goals)
            items.append(f"{priority} – kan kopplas till inriktningsmål {numbers} ({SUGGESTION})")
        else:
            items.append(f"{priority} – {fill('vilket inriktningsmål prioriteringen hör till')}")
    return [*blocks, Block(kind="bullets", items=items)]


def _requirements(ctx: Context) -> list[Block]:
    return ctx.suggestions("Krav att pröva i nästa upphandling", ctx.profile.requirements,
                           "vilka krav som är mest angelägna i kategorin")


def _conflicts(ctx: Context) -> list[Block]:
    rows = [[c, FILL, fill(f"t.ex. {ctx.org.beslutande}")] for c in ctx.profile.conflicts]
    rows.append([fill("fler målkonflikter i kategorin"), FILL, FILL])
    caption = (f"Tänkbara målkonflikter för kategoritypen »{ctx.profile.name}« ({SUGGESTION}) och hur de avgörs."
               if ctx.profile.conflicts else "Målkonflikter i kategorin och hur de avgörs.")
    return [Block(kind="table", table=Table(
        columns=["Målkonflikt", "Prioritering i kategorin", "Avgörs av (nivå och mandat)"], rows=rows, caption=caption))]


# ---- avtalsform, seriousness, beredskap, sustainability -----------------------------------------------


def _routes(ctx: Context) -> list[Block]:
    text = " ".join(ctx.org.routes)
    if {"it_tjanster", "it_varor"} & set(ctx.profile.families) and ctx.inp.typ != "bolag":
        text += (" För it har Statens inköpscentral ramavtal som statliga myndigheter, kommuner och regioner får "
                 "avropa från [[up_sic_it]].")
    blocks = [Block(kind="paragraph", text=text)]
    if ctx.org.questions:
        blocks += [Block(kind="label", text=f"Att klargöra för {ctx.org.en} – {SUGGESTION}"),
                   Block(kind="bullets", items=list(ctx.org.questions))]
    return blocks


def _contract_forms(ctx: Context) -> list[Block]:
    """The contract forms in the order the profile suggests them, each with when it fits the category and,
    where the organisation type has them, its own routes (Adda, statliga ramavtal …)."""
    p, labels = ctx.profile, ctx.spec.contract_forms
    order = [k for k in p.route if k in labels] + [k for k in labels if k not in p.route]
    rows = []
    for i, key in enumerate(order):
        when = p.contract_forms.get(key) or fill("okänd kategorityp – teamet fyller i när avtalsformen passar")
        if i == 0 and p.route:
            when = f"Verktygets förstahandsförslag. {when}"
        if key in ctx.org.route_rows:
            when += f". {ctx.org.route_rows[key]}"
        rows.append([labels[key], when])
    ordered = " i den ordning verktyget föreslår dem" if p.route else ""
    return [Block(kind="table", table=Table(
        columns=["Avtalsform eller avropsväg", f"När den kan passa för {ctx.kategori}"], rows=rows,
        caption=f"Avtalsformer och avropsvägar för kategoritypen »{p.name}« ({SUGGESTION}){ordered}.")),
        Block(kind="bullets", items=[f"Vald avtalsform och avropsväg: {fill('val och motivering')}"])]


def _seriousness(ctx: Context) -> list[Block]:
    p = ctx.profile
    blocks = []
    if p.risk_sectors:
        sectors = and_list([f"»{s}«" for s in p.risk_sectors])
        blocks.append(Block(kind="paragraph", text=(
            "Färdplanen nämner bygg- och anläggning, lokalvård och transport som branscher där problemen är "
            f"omfattande och har koppling till organiserad brottslighet [[ak_branscher]]. Kategorin hör till "
            f"branschen {sectors} enligt kategoriprofilen. En riskanalys för branschen [[ak_riskanalys]] och "
            "kontroller i avtalsuppföljningen bör därför ha hög prioritet.")))
    elif p.unknown:
        blocks.append(Block(kind="paragraph", text=(
            "Färdplanen nämner bygg- och anläggning, lokalvård och transport som branscher där problemen är "
            "omfattande och har koppling till organiserad brottslighet [[ak_branscher]]; pröva om kategorin hör till "
            "någon av dem. En riskanalys för branschen visar vilka åtgärder som behövs [[ak_riskanalys]].")))
    else:
        blocks.append(Block(kind="paragraph", text=(
            f"Färdplanens uppräkning av branscher med omfattande problem [[ak_branscher]] omfattar inte "
            f"kategoritypen »{p.name}«, men arbetslivskriminalitet kan förekomma i alla branscher [[ak_alla]], och "
            "en riskanalys för branschen visar vilka åtgärder som behövs [[ak_riskanalys]].")))
    return blocks + ctx.suggestions("Risker och kontroller", p.seriousness,
                                    "om kategorin hör till en riskbransch och vilka kontroller som behövs")


def _beredskap(ctx: Context) -> list[Block]:
    blocks = ctx.suggestions("Beredskap", ctx.profile.beredskap, "vad i kategorin som är samhällsviktigt")
    return blocks + spend_blocks.dependency(ctx)


def _analysis(ctx: Context) -> list[Block]:
    what = ("Att fördjupa i inköpsanalysen" if ctx.spend is not None else "Att ta med i inköpsanalysen")
    return ctx.suggestions(what, ctx.profile.analysis, "vad inköpsanalysen ska visa för kategorin")


def _omvarld(ctx: Context) -> list[Block]:
    return ctx.suggestions("Omvärld och möjligheter att analysera", ctx.profile.omvarld,
                           "vilka trender, regler och nya lösningar som påverkar kategorin")


def _hallbarhet(ctx: Context) -> list[Block]:
    return ctx.suggestions("Hållbarhetsfrågor", ctx.profile.hallbarhet,
                           "kategorins största miljö- och sociala risker")


# ---- organisation and follow-up --------------------------------------------------------------------------


def _team(ctx: Context) -> list[Block]:
    # Who decides is said in section 1 and in the table of goal conflicts; the team is who does the work.
    rows = [
        ["Kategoriansvarig", FILL, "Leder kategoriteamet och håller ihop strategin och planen"],
        ["Upphandlare eller inköpare", FILL, "Genomför upphandlingar och avrop enligt planen"],
        *([role, FILL, duty] for role, duty in ctx.profile.roles),
    ]
    if ctx.profile.unknown:
        rows.append([fill("okänd kategorityp – teamet fyller i vilka kompetenser kategorin behöver"), FILL, FILL])
    return [Block(kind="table", table=Table(
        columns=["Roll", "Namn och enhet", "Ansvar i kategoriarbetet"], rows=rows,
        caption=f"Kategoriteamet. Rollerna efter de två första är {SUGGESTION} för kategoritypen "
                f"»{ctx.profile.name}«; nyckelkompetenser att avsätta tid för är bland andra inköpare, "
                "verksamhetsföreträdare, beställare, hållbarhetsspecialister och jurister [[org_nyckel]]."))]


def _measures(ctx: Context) -> list[Block]:
    a, inp = ctx.spend, ctx.inp
    source = " (spendfilen)"
    rows = [["Andel av inköpen med avtals-id (avtalstrohet)",
             pct(1 - a.without_contract_share) + source
             if a is not None and a.without_contract_share is not None else FILL],
            ["Antal leverantörer i kategorin", integer(a.supplier_count) + source if a else FILL]]
    rows += [[m, FILL] for m in ctx.profile.measures]
    rows.append(["Måluppfyllelse för de prioriterade inriktningsmålen", FILL])
    rows = [r + [FILL, FILL, FILL] for r in rows]
    caption = (f"Förslag på mått; måtten efter de två första är {SUGGESTION} för kategoritypen »{ctx.profile.name}«. "
               + ("Utgångslägen ur spendfilen gäller filens period." if a is not None else
                  "Utgångsläge, mål, frekvens och ansvar fylls i av teamet."))
    return [Block(kind="table", table=Table(
        columns=["Mått", "Utgångsläge", f"Mål {inp.last_year}", "Frekvens", "Ansvarig"], rows=rows, caption=caption))]


def _reporting(ctx: Context) -> list[Block]:
    # When the strategy is revised is in section 1 and in the activity plan's yearly cycle.
    return [Block(kind="bullets", items=[
        f"Rapportering till ledningen: i {ctx.org.rapportering} – {fill('forum, mottagare och hur ofta')}",
    ])]


def _units(ctx: Context) -> list[Block]:
    a = ctx.spend
    if a is None or not a.units:
        return []
    named = [u for u in a.units if u.share > 0][:3]
    listed = and_list([f"{u.unit} ({pct(u.share)})" for u in named])
    return [Block(kind="paragraph", text=(
        f"Enligt spendfilen står {listed} för störst del av inköpen i kategorin. Företrädare för dem är "
        "naturliga deltagare i kategoriteamet."))]


def _esv(ctx: Context) -> list[Block]:
    esv, inp = ctx.spec.esv, ctx.inp
    if inp.typ != "statlig myndighet":
        # ESV's examples are written for state agencies: for others one comparison, not a section.
        if inp.total_inkopsvolym is not None:
            level = esv.level_for(inp.total_inkopsvolym)
            comparison = esv.compare.format(total=mkr(inp.total_inkopsvolym), level=level.name,
                                            summary=level.summary, organisation=inp.organisation)
        else:
            comparison = esv.compare_unknown
        text = substitute(esv.not_state, ctx.variables | {"typ_plural": ctx.org.plural}) + " " + comparison
        return [Block(kind="subheading", text=esv.heading), Block(kind="paragraph", text=text)]
    blocks = [Block(kind="subheading", text=esv.heading)]
    if inp.total_inkopsvolym is not None:
        # The level that applies; the other two are not the myndighet's and are left out.
        level = esv.level_for(inp.total_inkopsvolym)
        blocks.append(Block(kind="paragraph", text=esv.intro + " " + esv.known.format(
            total=mkr(inp.total_inkopsvolym), organisation=inp.organisation, level=level.name, summary=level.summary,
            recommendation=level.recommendation)))
    else:
        volym_text = f" ({sek(inp.volym)} per år)" if inp.volym is not None else ""
        blocks += [Block(kind="paragraph", text=f"{esv.intro} {esv.list_intro}"),
                   Block(kind="bullets", items=[f"{lv.name}: {lv.summary}" for lv in esv.levels]),
                   Block(kind="paragraph", text=esv.unknown.format(volym_text=volym_text))]
    return [*blocks, Block(kind="paragraph", text=esv.state)]


_PARTS: dict[str, Callable[[Context], list[Block]]] = {
    "governance": _governance,
    "tree": _tree,
    "spend": spend_blocks.spend,
    "analysis": _analysis,
    "trend": spend_blocks.trend,
    "actions": spend_blocks.actions,
    "esv": _esv,
    "forecast": planning.forecast,
    "savings": planning.savings,
    "market": spend_blocks.market,
    "omvarld": _omvarld,
    "portfolio": planning.portfolio,
    "goals": _goals,
    "priorities": _priorities,
    "conflicts": _conflicts,
    "requirements": _requirements,
    "routes": _routes,
    "contract_forms": _contract_forms,
    "seriousness": _seriousness,
    "beredskap": _beredskap,
    "hallbarhet": _hallbarhet,
    "plan": spend_blocks.plan,
    "srm": spend_blocks.srm,
    "units": _units,
    "team": _team,
    "activities": planning.activities,
    "measures": _measures,
    "reporting": _reporting,
}
