"""Readable Swedish text for a result and for an organisation's history (the CLI prints these)."""

from __future__ import annotations

import textwrap

from assistant.ambitionsgraf.advice import section_label
from assistant.ambitionsgraf.history import Comparison, SavedAssessment
from assistant.ambitionsgraf.models import Evaluation, Recommendation, ScoreResult
from assistant.ambitionsgraf.rubric import Rubric, load_rubric
from assistant.passages import LocatedPassage

_WIDTH = 100


def num(x: float, decimals: int = 2) -> str:
    """Swedish decimal comma: 2.5 -> '2,50'."""
    return f"{x:.{decimals}f}".replace(".", ",").replace("-", "−")


def signed(x: float, decimals: int = 2) -> str:
    if round(x, decimals) == 0:
        return "±" + num(0.0, decimals)
    return ("+" if x > 0 else "") + num(x, decimals)


def document_line(p: LocatedPassage) -> str:
    year = f" ({p.year})" if p.year else ""
    return f"{p.publisher}{year}, »{p.doc_title}«"


def citation_line(p: LocatedPassage, with_document: bool = True) -> str:
    where = f"s. {p.page}, avsnitt {section_label(p)}"
    return f"{document_line(p)}, {where}" if with_document else where


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(" ".join(text.split()), width=_WIDTH, initial_indent=first or indent,
                         subsequent_indent=indent)


def format_summary(result: ScoreResult, rubric: Rubric | None = None) -> str:
    rubric = rubric or load_rubric()
    lines: list[str] = []
    title = f"Ambitionsgrafen – {result.organisation}"
    meta = f"{result.n_respondents} svarande" + (f", bedömning {result.datum.isoformat()}" if result.datum else "")
    lines += [title, "=" * len(title), meta, ""]

    lines.append(f"Vertikal axel – {rubric.axes.vertical.name}: {num(result.vertical)}")
    for area in rubric.vertical_areas:
        lines.append(f"    {area.id} {area.name}: {num(result.areas[area.id])}")
    lines.append(f"Horisontell axel – {rubric.axes.horizontal.name}: {num(result.horizontal)}")
    lines.append(f"Nivå enligt verktygets egen läsning (inte rapportens): vertikalt {result.levels.vertical.lower()}, "
                 f"horisontellt {result.levels.horizontal.lower()}.")
    lines.append("")

    if result.n_respondents > 1:
        lines.append("Per svarande (organisationens punkt är medelvärdet av dessa):")
        for r in result.respondents:
            areas = " · ".join(f"{k} {num(v)}" for k, v in r.areas.items())
            lines.append(f"    {r.index}. {r.role}: vertikalt {num(r.vertical)}, horisontellt {num(r.horizontal)}"
                         f"  ({areas})")
        lines.append("")
        if result.spread.flagged:
            lines.append("Stor spridning – underlag för samtal inom organisationen:")
            for qid in result.spread.flagged:
                st = result.spread.questions[qid]
                answers = ", ".join(f"{a.role} {_answer_text(a.answer)}" + (f" ({a.scope})" if a.scope else "")
                                    for a in st.answers)
                lines.append(f"    {qid} {st.short}: {answers}")
                lines.append(f"        – {'; '.join(st.reasons)}")
        else:
            lines.append("Ingen fråga har stor spridning mellan de svarande.")
        lines.append("")

    recs = result.recommendations if isinstance(result, Evaluation) else None
    if recs is not None:
        if recs:
            docs = {c.doc_id: c for rec in recs for c in rec.citations}
            one_doc = len(docs) == 1
            lines.append("Rekommendationer (svaga punkter, med stöd i rapporten):")
            if one_doc:
                lines.append(_wrap(f"Citaten är ur {document_line(next(iter(docs.values())))}.", "  "))
            for n, group in enumerate(by_question(recs), start=1):
                lines.append(f"  {n}. {advice_heading(group)}")
                for rec in group:
                    lines.append(_wrap(rec.advice, "       "))
                    if rec.roles:
                        lines.append(_wrap(weak_roles_line(rec), "       "))
                    for c in rec.citations:
                        lines.append(_wrap(f"Källa: {citation_line(c, not one_doc)}: »{c.quote}«", "       "))
                    if rec.limitation:
                        lines.append(_wrap(f"Obs: {rec.limitation}", "       "))
        else:
            lines.append("Inga svaga punkter: ingen fråga har medelsvar 2 eller lägre.")
        lines.append("")

    lines.append("Så räknas det (tolkningar och antaganden):")
    for i in result.interpretations:
        basis = {"bilaga": "Bilagan", "rapporten": "rapporten", "tolkning": "verktygets tolkning"}[i.basis]
        lines.append(_wrap(f"{i.id} ({basis}): {i.text}", "    ", first="  – "))
    return "\n".join(lines).rstrip() + "\n"


def by_question(recs: list[Recommendation]) -> list[list[Recommendation]]:
    """Recommendations grouped per question, in their order: V3.4 can be both weak and partial, and is
    then one item with two pieces of advice, not two items with the same heading."""
    groups: dict[str, list[Recommendation]] = {}
    for rec in recs:
        groups.setdefault(rec.question_id, []).append(rec)
    return list(groups.values())


def advice_reason(group: list[Recommendation]) -> str:
    """Why a question gets advice: 'medel 1,67; minst hälften följer bara upp delar av portföljen'."""
    why = []
    if any(r.trigger == "svag" for r in group):
        why.append(f"medel {num(group[0].mean)}")
    if any(r.trigger == "delar" for r in group):
        why.append("minst hälften följer bara upp delar av portföljen")
    return "; ".join(why)


def advice_heading(group: list[Recommendation]) -> str:
    """'V3.4 Uppföljning av måluppfyllelse (medel 1,67; minst hälften följer bara upp delar av portföljen)'."""
    return f"{group[0].question_id} {group[0].short} ({advice_reason(group)})"


def weak_roles_line(rec: Recommendation) -> str:
    return ("Svarat svagt: " if rec.trigger == "svag" else "Anger delar av portföljen: ") + ", ".join(rec.roles)


def _answer_text(answer: bool | int) -> str:
    if isinstance(answer, bool):
        return "ja" if answer else "nej"
    return str(answer)


def format_history(entries: list[SavedAssessment], comparison: Comparison, rubric: Rubric | None = None) -> str:
    rubric = rubric or load_rubric()
    area_ids = [a.id for a in rubric.vertical_areas]
    title = f"Sparade bedömningar – {comparison.organisation}"
    lines = [title, "=" * len(title)]
    header = f"{'nr':>4}  {'datum':<10}  {'svarande':>8}  {'vertikal':>8}  {'horisontell':>11}  " + \
        "  ".join(f"{a:>5}" for a in area_ids)
    lines.append(header)
    for i, e in enumerate(entries):
        same = next((f.id for f in entries[:i] if f.same_content(e)), None)
        lines.append((f"{e.id:>4}  {e.datum.isoformat():<10}  {e.n_respondents:>8}  {num(e.vertical):>8}  "
                      f"{num(e.horizontal):>11}  " + "  ".join(f"{num(e.areas.get(a, 0.0)):>5}" for a in area_ids)
                      + (f"  (dubblett av nr {same})" if same is not None else "")).rstrip())
    lines.append("")
    if comparison.previous is None:
        lines.append("Bara en sparad bedömning – inget att jämföra med ännu." if len(entries) < 2 else
                     "De sparade bedömningarna har samma datum och samma svar (dubbletter) – inget att jämföra. "
                     f"Ta bort en dubblett med kategori score --delete {entries[-1].id}.")
        return "\n".join(lines) + "\n"
    prev, cur = comparison.previous, comparison.current
    if comparison.unchanged:
        lines.append(f"Inga förändringar sedan förra bedömningen ({prev.datum.isoformat()}): samma värden på axlar, "
                     "områden och frågor.")
        return "\n".join(lines) + "\n"
    lines.append(f"Förändring sedan förra bedömningen ({prev.datum.isoformat()} → {cur.datum.isoformat()}):")
    names = {"vertical": f"Vertikal axel ({rubric.axes.vertical.name})",
             "horizontal": f"Horisontell axel ({rubric.axes.horizontal.name})"}
    for key, d in comparison.axes.items():
        lines.append(f"    {names[key]}: {num(d.previous)} → {num(d.current)} ({signed(d.change)})")
    for area in rubric.vertical_areas:
        if area.id in comparison.areas:
            d = comparison.areas[area.id]
            lines.append(f"    {area.id} {area.name}: {num(d.previous)} → {num(d.current)} ({signed(d.change)})")
    moved = sorted(((k, d) for k, d in comparison.questions.items() if round(d.change, 9) != 0),
                   key=lambda kd: -abs(kd[1].change))
    if moved:
        lines.append("    Frågor som flyttat sig mest (medelpoäng):")
        for qid, d in moved[:5]:
            lines.append(f"        {qid} {rubric.question(qid).short}: {num(d.previous)} → {num(d.current)} "
                         f"({signed(d.change)})")
    if comparison.rubric_changed:
        lines.append(f"    Obs: bedömningarna gjordes med olika versioner av bedömningsmallen "
                     f"({prev.rubric_version} och {cur.rubric_version}).")
    return "\n".join(lines) + "\n"
