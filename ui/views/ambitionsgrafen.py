"""Ambitionsgrafen: the Bilaga's questionnaire for one or several respondents, the score, the chart,
the spread between respondents, cited advice, history and JSON export/import."""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from assistant.ambitionsgraf import (
    ROLES,
    AssessmentInputError,
    HistoryStore,
    evaluate,
    load_rubric,
    make_figure,
)
from assistant.ambitionsgraf.rubric import FREQUENCY_KEY, SCOPE_KEY
from assistant.errors import InputError
from ui import state
from ui import viewmodels as vm

settings = state.settings()
rubric = load_rubric()
OTHER_ROLE = "Annan roll …"
ss = st.session_state
ss.setdefault("ag_count", 1)


def _key(i: int, field: str) -> str:
    return f"ag_{i}_{field}"


def _import(data: dict) -> None:
    """Put an exported assessment into the form's widget state (before the widgets are drawn)."""
    ss["ag_org"] = data.get("organisation", "")
    try:
        ss["ag_date"] = date.fromisoformat(data["datum"]) if data.get("datum") else date.today()
    except ValueError:
        ss["ag_date"] = date.today()
    respondents = data.get("respondents", [])
    ss["ag_count"] = max(1, len(respondents))
    for i, r in enumerate(respondents):
        role = str(r.get("role", ""))
        ss[_key(i, "role")] = role if role in ROLES else OTHER_ROLE
        ss[_key(i, "role_other")] = "" if role in ROLES else role
        answers = r.get("answers", {}) if isinstance(r.get("answers"), dict) else {}
        for q in rubric.questions:
            ss[_key(i, q.id)] = answers.get(q.id)
        ss[_key(i, SCOPE_KEY)] = answers.get(SCOPE_KEY)
        ss[_key(i, FREQUENCY_KEY)] = answers.get(FREQUENCY_KEY)


pending = ss.pop("ag_pending_import", None)
if pending is not None:
    _import(pending)

st.title("Ambitionsgrafen – självskattning")
st.markdown(
    "Frågorna är Upphandlingsmyndighetens (rapporten *Att stimulera etableringen av ändamålsenliga "
    "inköpsorganisationer*, Bilaga Enkätfrågor). Den vertikala axeln är **"
    f"{rubric.axes.vertical.name}**, den horisontella **{rubric.axes.horizontal.name}**. Låt gärna flera roller "
    "svara – organisationens punkt är medelvärdet, och skillnaderna mellan dem är underlag för samtal."
)

with st.expander("Importera tidigare svar (JSON)"):
    uploaded = st.file_uploader("JSON-fil i samma format som `kategori score` läser", type=["json"], key="ag_import")
    if uploaded is not None and st.button("Läs in svaren"):
        try:
            ss["ag_pending_import"] = vm.assessment_from_json(uploaded.getvalue())
            st.rerun()
        except InputError as err:
            st.error(str(err))

col1, col2 = st.columns([3, 1])
organisation = col1.text_input("Organisation", key="ag_org", placeholder="t.ex. Exempelkommun")
datum = col2.date_input("Datum för bedömningen", key="ag_date", value=date.today(), format="YYYY-MM-DD")

scale = vm.scale_options(rubric)
respondents = []
survey_tab, result_tab = st.tabs(["Enkät", "Resultat och råd"])
with survey_tab:
    titles = []
    for i in range(ss["ag_count"]):
        choice = ss.get(_key(i, "role")) or ROLES[min(i, len(ROLES) - 1)]
        titles.append(f"{i + 1}. {(ss.get(_key(i, 'role_other')) or 'annan roll') if choice == OTHER_ROLE else choice}")
    tabs = st.tabs(titles)
    for i, tab in enumerate(tabs):
        role_choice = ss.get(_key(i, "role")) or ROLES[min(i, len(ROLES) - 1)]
        with tab:
            c1, c2, c3 = st.columns([2, 2, 1])
            role = c1.selectbox("Roll", [*ROLES, OTHER_ROLE], key=_key(i, "role"),
                                index=[*ROLES, OTHER_ROLE].index(role_choice))
            if role == OTHER_ROLE:
                role = c2.text_input("Vilken roll?", key=_key(i, "role_other"))
            if ss["ag_count"] > 1 and c3.button("Ta bort svarande", key=_key(i, "remove"), icon=":material/person_remove:"):
                for j in range(i, ss["ag_count"] - 1):  # shift later respondents up
                    for field in [*rubric.question_ids, SCOPE_KEY, FREQUENCY_KEY, "role", "role_other"]:
                        ss[_key(j, field)] = ss.get(_key(j + 1, field))
                ss["ag_count"] -= 1
                st.rerun()
            answers: dict = {}
            for area in rubric.areas:
                st.markdown(f"##### {area.id} {area.name}" + (f"  \n{area.lead_in}" if area.lead_in else ""))
                for q in area.questions:
                    if q.answer_type == "ja_nej":
                        answers[q.id] = st.radio(
                            f"{q.id}. {q.text}", [True, False], index=None, horizontal=True, key=_key(i, q.id),
                            format_func=lambda v, q=q: f"Ja ({q.points['ja']} poäng)" if v else f"Nej ({q.points['nej']} poäng)",
                        )
                    else:
                        answers[q.id] = st.radio(
                            f"{q.id}. {q.text}", scale, index=None, horizontal=True, key=_key(i, q.id),
                            format_func=lambda v: f"{v} – {rubric.scale.label(v)}",
                        )
                    if q.has_scope:
                        answers[SCOPE_KEY] = st.radio(
                            "Omfattning", ["delar", "hela"], index=None, horizontal=True, key=_key(i, SCOPE_KEY),
                            format_func=lambda v, q=q: q.scope_lines[v] if q.scope_lines else v,
                        )
                    if q.frequencies:
                        answers[FREQUENCY_KEY] = st.selectbox(
                            "Hur ofta (valfritt)", [None, *q.frequencies], key=_key(i, FREQUENCY_KEY),
                            format_func=lambda v: "–" if v is None else v,
                        )
            respondents.append({"role": role or "", "answers": answers})

    if st.button("Lägg till svarande", icon=":material/person_add:"):
        ss["ag_count"] += 1
        st.rerun()

    data = vm.assessment_dict(organisation or "", datum, respondents)
    st.download_button(
        "Exportera svaren (JSON)", json.dumps(data, ensure_ascii=False, indent=2), icon=":material/download:",
        file_name=f"ambitionsgraf-{(organisation or 'organisation').strip().replace(' ', '-')}-{datum}.json",
        mime="application/json",
    )
    survey_status = st.empty()


missing = vm.missing_answers(respondents, rubric)
if not (organisation or "").strip():
    missing.insert(0, "Organisationens namn")
if missing:
    survey_status.info(f"{len(missing)} uppgifter saknas innan resultatet kan räknas ut (se fliken Resultat och råd).",
                       icon=":material/edit_note:")
else:
    survey_status.success("Alla frågor är besvarade – resultatet finns under fliken Resultat och råd.",
                          icon=":material/check_circle:")

with result_tab:
    if missing:
        st.info("Resultatet visas när alla frågor är besvarade.", icon=":material/edit_note:")
        with st.expander(f"Saknas ({len(missing)})"):
            st.markdown("\n".join(f"- {m}" for m in missing))
        st.stop()

    try:
        result = evaluate(data, settings=settings, index=state.index())
    except AssessmentInputError as err:
        st.error(str(err))
        st.stop()

    res = result.to_json_dict()
    history_store = HistoryStore.default(settings)
    earlier = [h for h in history_store.list(result.organisation) if result.datum is None or h.datum < result.datum]

    st.header(f"Resultat för {result.organisation}")
    m1, m2, m3 = st.columns(3)
    m1.metric("Vertikal axel (ledningen)", vm.format_score(result.vertical))
    m2.metric("Horisontell axel (verksamheten)", vm.format_score(result.horizontal))
    m3.metric("Svarande", result.n_respondents)
    st.caption(f"Nivå enligt verktygets egen läsning (inte rapportens): vertikalt {res['levels']['vertical'].lower()}, "
               f"horisontellt {res['levels']['horizontal'].lower()}. {res['levels']['note']}")

    chart_col, table_col = st.columns([3, 2])
    with chart_col:
        st.pyplot(make_figure(result, earlier), width="stretch")
    with table_col:
        st.markdown("**Områden på den vertikala axeln**")
        st.dataframe(vm.area_rows(res, rubric), hide_index=True, width="stretch")
        st.markdown("**Per svarande**")
        st.dataframe(
            [{"Roll": r["role"], "Vertikal": vm.format_score(r["vertical"]), "Horisontell": vm.format_score(r["horizontal"])}
             for r in res["respondents"]],
            hide_index=True, width="stretch",
        )

    st.subheader("Spridning mellan de svarande")
    spread = vm.spread_rows(res)
    if spread:
        st.table(spread)
    else:
        st.caption("Inga frågor där de svarande skiljer sig med två skalsteg eller mer.")

    st.subheader("Rekommendationer med stöd i rapporten")
    if not result.recommendations:
        st.caption("Inga svaga punkter (inget medelsvar på 2 eller lägre).")
    for rec in result.recommendations:
        with st.expander(f"{rec.question_id} {rec.short} – medel {vm.format_score(rec.mean)}"):
            st.markdown(vm.md_escape(rec.advice))
            if rec.roles:
                st.caption("Svarat svagt: " + ", ".join(rec.roles))
            if rec.limitation:
                st.caption(f"Obs: {rec.limitation}")
            for c in rec.citations:
                st.markdown(f"> »{vm.md_escape(c.quote)}«  \n> — {vm.md_escape(c.doc_title)}, s. {c.page}, {vm.md_escape(c.section)}")

    with st.expander("Så räknas det – tolkningar och antaganden"):
        for t in result.interpretations:
            st.markdown(f"- **{t.id}** ({t.basis}): {vm.md_escape(t.text)}")

    st.subheader("Spara och jämför")
    if st.button("Spara bedömningen i historiken", icon=":material/save:"):
        saved = history_store.save(result, None)
        st.success(f"Sparad som bedömning {saved.id} ({saved.datum}).")
    entries = history_store.list(result.organisation)
    if entries:
        st.dataframe(
            [{"Datum": str(e.datum), "Svarande": e.n_respondents, "Vertikal": vm.format_score(e.vertical),
              "Horisontell": vm.format_score(e.horizontal), **{k: vm.format_score(v) for k, v in e.areas.items()}}
             for e in entries],
            hide_index=True, width="stretch",
        )
    if len(entries) >= 2:
        cmp = history_store.compare(result.organisation)
        st.markdown(f"**Förändring sedan förra sparade bedömningen ({cmp.previous.datum} → {cmp.current.datum}):**")
        st.dataframe(
            [{"Mått": name, "Förra": vm.format_score(d.previous), "Nu": vm.format_score(d.current),
              "Förändring": f"{d.change:+.2f}".replace(".", ",")} for name, d in {**cmp.axes, **cmp.areas}.items()],
            hide_index=True, width="stretch",
        )
