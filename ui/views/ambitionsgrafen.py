"""Ambitionsgrafen: the Bilaga's questionnaire for one or several respondents, the score, the chart,
the spread between respondents, cited advice, history, a PDF report and JSON export/import.

All state and text live in ui.ambitionsgraf_form; this file lays out widgets."""

from __future__ import annotations

import io
import json
from datetime import date

import streamlit as st

from assistant.ambitionsgraf import (
    AssessmentInputError,
    Evaluation,
    HistoryStore,
    evaluate,
    load_rubric,
    make_figure,
    parse_assessment,
)
from assistant.ambitionsgraf.history import HistoryError, SavedAssessment, compare, earlier, snapshot
from assistant.ambitionsgraf.pdf import build_pdf
from assistant.ambitionsgraf.report import advice_heading, by_question, weak_roles_line
from assistant.ambitionsgraf.rubric import FREQUENCY_KEY, SCOPE_KEY
from assistant.errors import InputError
from ui import ambitionsgraf_form as agf
from ui import state
from ui.viewmodels import md_escape

settings = state.settings()
rubric = load_rubric()
ss = st.session_state
form = agf.Form(ss, rubric)

pending = ss.pop("ag_pending_import", None)
if pending is not None:
    form.load(pending)

st.title("Ambitionsgrafen – självskattning")
st.markdown(
    "Frågorna är Upphandlingsmyndighetens (rapporten *Att stimulera etableringen av ändamålsenliga "
    "inköpsorganisationer*, Bilaga Enkätfrågor). Den vertikala axeln är **"
    f"{rubric.axes.vertical.name}**, den horisontella **{rubric.axes.horizontal.name}**. Låt gärna flera roller "
    "svara – organisationens punkt är medelvärdet, och skillnaderna mellan dem är underlag för samtal."
)

with st.expander("Importera tidigare svar (JSON)"):
    uploaded = st.file_uploader("JSON-fil som har exporterats från den här sidan (knappen Exportera svaren)",
                                type=["json"], key="ag_import")
    if uploaded is not None and st.button("Läs in svaren"):
        try:
            data, notes = agf.read_import(uploaded.getvalue(), rubric)
        except InputError as err:
            st.error(str(err), icon=":material/error:")
        else:
            ss["ag_pending_import"] = data
            ss["ag_import_notes"] = (uploaded.name, notes)
            st.rerun()
# Always present, so the elements below keep their place (and the open tab) whether a notice shows or not.
with st.container(key="ag_import_notice"):
    if "ag_import_notes" in ss:
        name, notes = ss["ag_import_notes"]
        if not notes:  # the success is said once; what could not be read stays until the next import
            del ss["ag_import_notes"]
        if notes:
            st.warning(f"Svaren i {name} är inlästa, men {agf.plural(len(notes), 'uppgift', 'uppgifter')} kunde "
                       "inte användas:\n" + "\n".join(f"- {md_escape(n)}" for n in notes), icon=":material/warning:")
        else:
            st.success(f"Svaren i {name} är inlästa.", icon=":material/check_circle:")

col1, col2 = st.columns([3, 1])
organisation = col1.text_input("Organisation", key="ag_org", placeholder="t.ex. Exempelkommun")
ss.setdefault("ag_date", date.today())
datum = col2.date_input("Datum för bedömningen", key="ag_date", format="YYYY-MM-DD")


def _add_respondent() -> None:
    form.add()
    ss["ag_scroll"] = True


def _respondent(rid: int) -> None:
    """One respondent's questions. Every key carries the respondent's id, never their position."""
    key = form.key
    c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
    c1.selectbox("Roll", agf.ROLE_OPTIONS, key=key(rid, "role"))
    if ss.get(key(rid, "role")) == agf.OTHER_ROLE:
        c2.text_input("Vilken roll?", key=key(rid, "role_other"), placeholder="t.ex. ekonomichef")
    if len(form.ids) > 1:
        with c3.popover("Ta bort svarande", icon=":material/person_remove:"):
            st.write(f"Ta bort svarande {form.ids.index(rid) + 1} ({form.role(rid) or 'roll saknas'}) och alla "
                     "svar?")
            st.button("Ja, ta bort", key=key(rid, "remove"), type="primary", on_click=form.remove, args=(rid,))
    for area in rubric.areas:
        st.markdown(f"##### {area.id} {area.name}" + (f"  \n{area.lead_in}" if area.lead_in else ""))
        for q in area.questions:
            options = [True, False] if q.answer_type == "ja_nej" else agf.scale_options(rubric)
            st.radio(f"{q.id}. {q.text}", options, index=None, horizontal=True, key=key(rid, q.id),
                     format_func=lambda v, q=q: agf.answer_label(q, v, rubric))
            if q.has_scope:
                st.radio(f"{q.id} omfattning: uppföljningen gäller", list(agf.SCOPE_LABELS), index=None,
                         horizontal=True, key=key(rid, SCOPE_KEY), format_func=agf.SCOPE_LABELS.get)
            if q.frequencies:
                st.selectbox(f"{q.id} hur ofta (valfritt, påverkar inte poängen)", q.frequencies, index=None,
                             key=key(rid, FREQUENCY_KEY), placeholder="Välj om ni vill – kan lämnas tomt")
    st.button("Lägg till svarande", key=key(rid, "add"), icon=":material/person_add:", on_click=_add_respondent)


@st.cache_data(show_spinner=False, max_entries=32)
def _chart(result_json: str, trail_json: str) -> bytes:
    """The chart as PNG, drawn once per result and trail (every click on the page reruns this script)."""
    buf = io.BytesIO()
    trail = [SavedAssessment.model_validate(e) for e in json.loads(trail_json)]
    make_figure(Evaluation.model_validate_json(result_json), trail).savefig(buf, format="png", dpi=110,
                                                                             facecolor="white")
    return buf.getvalue()


survey_tab, result_tab = st.tabs(["Enkät", "Resultat och råd"], key="ag_main_tabs")
with survey_tab:
    with st.container(key="ag_respondents"):
        head, add = st.columns([4, 1], vertical_alignment="bottom")
        head.markdown(f"**{agf.plural(len(form.ids), 'svarande', 'svarande')}** – en flik per person. "
                      "Svaren hör till personen, inte till fliken, och följer med om rollen ändras.")
        add.button("Lägg till svarande", key="ag_add_top", icon=":material/person_add:", on_click=_add_respondent,
                   width="stretch")
        tabs = st.tabs(form.labels(), key=agf.TABS_KEY, default=form.open_tab(), on_change=form.tab_selected)
        for rid, tab in zip(form.ids, tabs, strict=True):
            with tab:
                _respondent(rid)
    if ss.pop("ag_scroll", False):
        # The new respondent's tab is open; bring it into view (the add button may be far below). Repeated
        # while the page settles: the old tab's content is still being replaced when the script starts.
        st.html(f"<script data-respondent='{form.active}'>"
                "for (const ms of [200, 600, 1200]) setTimeout(() => {"
                "const el = document.querySelector('.st-key-ag_respondents');"
                "if (el) { el.style.scrollMarginTop = '4rem'; el.scrollIntoView({block: 'start'}); } }, ms);"
                "</script>", unsafe_allow_javascript=True)
        st.toast(f"Svarande {len(form.ids)} är tillagd – fliken är öppen.", icon=":material/person_add:")

    respondents = form.respondents()
    data = agf.assessment_dict(organisation or "", datum, respondents)
    # Built when clicked, and no rerun on the click: a file built on every rerun is replaced while an answer or
    # a role change is still being applied, and a click just then asked for the replaced file (HTTP 404).
    st.download_button(
        "Exportera svaren (JSON)", lambda: json.dumps(data, ensure_ascii=False, indent=2), icon=":material/download:",
        file_name=agf.export_file_name(organisation, datum, "json"), mime="application/json", on_click="ignore",
    )
    survey_status = st.empty()

n_missing, missing = agf.missing_answers(organisation or "", respondents, rubric)
if missing:
    survey_status.info(f"{agf.plural(n_missing, 'uppgift', 'uppgifter')} saknas innan resultatet kan räknas ut "
                       "(se fliken Resultat och råd).", icon=":material/edit_note:")
else:
    survey_status.success("Alla frågor är besvarade – resultatet finns under fliken Resultat och råd.",
                          icon=":material/check_circle:")

with result_tab:
    if missing:
        st.info("Resultatet visas när alla frågor är besvarade.", icon=":material/edit_note:")
        with st.expander(f"Saknas: {agf.plural(n_missing, 'uppgift', 'uppgifter')}", expanded=True):
            st.markdown("\n".join(f"- {md_escape(m)}" for m in missing))
        st.stop()

    try:
        assessment = parse_assessment(data, rubric)
        result = evaluate(assessment, rubric, settings=settings, index=state.index())
    except AssessmentInputError as err:
        st.error("Bedömningen kan inte räknas ut:\n" + "\n".join(f"- {md_escape(agf.problem_text(p))}"
                                                                 for p in err.problems), icon=":material/error:")
        st.stop()

    res = result.to_json_dict()
    store = HistoryStore.default(settings)
    try:
        entries, damaged = store.scan(result.organisation)
        history_error = None
    except HistoryError as err:
        entries, damaged, history_error = [], [], err
    trail = earlier(result, entries)

    st.header(f"Resultat för {result.organisation}")
    for warning in result.warnings:
        st.warning(warning, icon=":material/group:")
    m1, m2, m3 = st.columns(3)
    m1.metric("Vertikal axel (ledningen)", agf.format_score(result.vertical))
    m2.metric("Horisontell axel (verksamheten)", agf.format_score(result.horizontal))
    m3.metric("Svarande", result.n_respondents)
    st.caption(f"Nivå enligt verktygets egen läsning (inte rapportens): vertikalt {result.levels.vertical.lower()}, "
               f"horisontellt {result.levels.horizontal.lower()}. {result.levels.note}")

    chart_col, table_col = st.columns([3, 2])
    with chart_col:
        st.image(_chart(result.model_dump_json(), json.dumps([e.model_dump(mode="json") for e in trail])),
                 width="stretch")
    with table_col:
        st.markdown("**Områden på den vertikala axeln**")
        st.dataframe(agf.area_rows(res, rubric), hide_index=True, width="stretch")
        st.markdown("**Per svarande**")
        st.dataframe(agf.respondent_rows(res), hide_index=True, width="stretch")

    st.subheader("Spridning mellan de svarande")
    spread = agf.spread_rows(res)
    if result.n_respondents == 1:
        st.caption("En svarande – ingen spridning att visa. Låt gärna fler roller svara.")
    elif spread:
        st.table(spread)
    else:
        st.caption("Inga frågor där de svarande skiljer sig med två skalsteg eller mer.")

    st.subheader("Rekommendationer med stöd i rapporten")
    if not result.recommendations:
        st.caption("Inga svaga punkter (inget medelsvar på 2 eller lägre).")
    for group in by_question(result.recommendations):
        with st.expander(advice_heading(group)):
            for rec in group:
                st.markdown(md_escape(rec.advice))
                if rec.roles and result.n_respondents > 1:
                    st.caption(weak_roles_line(rec))
                if rec.limitation:
                    st.caption(f"Obs: {rec.limitation}")
                for c in rec.citations:
                    st.markdown(f"> »{md_escape(c.quote)}«  \n> — {md_escape(c.doc_title)}, s. {c.page}, "
                                f"{md_escape(c.section)}")

    with st.expander("Så räknas det – tolkningar och antaganden"):
        for t in result.interpretations:
            st.markdown(f"- **{t.id}** ({agf.BASIS_LABELS[t.basis]}): {md_escape(t.text)}")

    st.subheader("Rapport för ledningsgruppen")
    cmp = compare(snapshot(result), entries)
    st.download_button(
        "Ladda ner rapporten (PDF)", icon=":material/picture_as_pdf:", mime="application/pdf",
        file_name=agf.export_file_name(result.organisation, result.datum, "pdf"),
        # Built only when clicked: the chart and the page layout take a second or two.
        data=lambda: build_pdf(result, trail, comparison=cmp), on_click="ignore",
    )
    st.caption("En sida med diagrammet, resultatet per axel och område, spridningen och råden med sidhänvisningar; "
               "ordagranna citat på sidan 1 eller, när de inte får plats, på en bilagesida.")

    st.subheader("Spara och jämför")
    if history_error is not None:
        st.error(str(history_error), icon=":material/error:")
    else:
        same = store.duplicates(result)
        flash = ss.pop("ag_history_message", None)
        if flash:
            st.success(flash, icon=":material/check_circle:")
        if ss.get("ag_confirm_save") and same:
            st.warning(f"Samma bedömning (samma datum och samma svar) är redan sparad som nummer {same[-1].id}. "
                       "Vill du spara den en gång till?", icon=":material/content_copy:")
            buttons = st.container(horizontal=True)
            if buttons.button("Spara ändå", type="primary"):
                saved = store.save(result, assessment)
                ss["ag_history_message"] = f"Sparad som bedömning {saved.id} ({saved.datum})."
                ss.pop("ag_confirm_save")
                st.rerun()
            if buttons.button("Avbryt"):
                ss.pop("ag_confirm_save")
                st.rerun()
        else:
            ss.pop("ag_confirm_save", None)
            if same:
                st.caption(f"Den här bedömningen är sparad som nummer {same[-1].id}.")
            if st.button("Spara bedömningen i historiken", icon=":material/save:"):
                if same:
                    ss["ag_confirm_save"] = True
                else:
                    saved = store.save(result, assessment)
                    ss["ag_history_message"] = f"Sparad som bedömning {saved.id} ({saved.datum})."
                st.rerun()

        if entries:
            st.markdown(f"**Sparade bedömningar för {result.organisation}**")
            st.dataframe(agf.history_rows(entries, rubric), hide_index=True, width="stretch")
        for err in damaged:
            st.error(str(err), icon=":material/error:")
        choices = {e.id: f"Nr {e.id} – {e.datum}, sparad {e.saved_at.astimezone():%Y-%m-%d %H:%M}" for e in entries}
        choices.update({d.entry_id: f"Nr {d.entry_id} – skadad" for d in damaged})
        if choices:
            def delete_chosen() -> None:
                ss["ag_history_message"] = store.delete(ss["ag_delete_choice"])
                ss["ag_delete_open"] = False  # close the popover again

            # A form, so choosing an entry does not rerun the page before the button is pressed.
            with st.popover("Ta bort en sparad bedömning", icon=":material/delete:", key="ag_delete_open",
                            on_change="rerun"), st.form("ag_delete", border=False):
                st.selectbox("Vilken?", list(choices), format_func=choices.get, key="ag_delete_choice")
                st.form_submit_button("Ta bort den valda bedömningen", type="primary", on_click=delete_chosen)

        if cmp.previous is None:
            if entries:
                st.caption("Ingen tidigare sparad bedömning med andra svar att jämföra med.")
        elif cmp.unchanged:
            st.info(f"Inga förändringar sedan bedömningen {cmp.previous.datum}: samma värden på axlar, områden och "
                    "frågor.", icon=":material/horizontal_rule:")
        else:
            st.markdown(f"**Förändring sedan bedömningen {cmp.previous.datum}**")
            st.dataframe(agf.comparison_rows(cmp, rubric), hide_index=True, width="stretch")
