"""Kategoristrategi: the input form (with a spend file), a preview of the cited draft, Word and Markdown."""

from __future__ import annotations

from datetime import date

import streamlit as st

from assistant.answers.llm import LLMError
from assistant.drafts import ORG_TYPES, analyse_spend, build_draft, render_docx, render_markdown
from assistant.errors import KategoriError
from ui import state
from ui import viewmodels as vm
from ui.components import cited_block
from ui.draft_view import draft_html
from ui.strategy import read_form
from ui.text import count, file_slug

settings = state.settings()
ss = st.session_state

st.title("Kategoristrategi – utkast")
st.markdown(
    "Ett första utkast till en kategoristrategi (kategoriplan): sexton avsnitt med vägledning ur underlaget, "
    "varje stycke med källhänvisningar som kontrolleras mot källtexten, och markerade platser "
    "(**[Att fylla i: …]**) för det bara ni vet. Inga uppgifter om organisationen hittas på."
)

with st.form("strategi"):
    c1, c2 = st.columns(2)
    organisation = c1.text_input("Organisation", placeholder="t.ex. Exempelkommun")
    typ = c2.selectbox("Typ av organisation", ORG_TYPES, help=vm.ORG_TYPE_HELP)
    c1, c2 = st.columns(2)
    kategori = c1.text_input("Kategori", placeholder="t.ex. IT, livsmedel, konsulttjänster, bygg- och anläggning")
    period = c2.select_slider("Planeringsperiod (år)", options=[2, 3, 4, 5], value=3)
    c1, c2, c3 = st.columns(3)
    volym = c1.text_input("Kategorins årliga volym", placeholder="t.ex. 45 mnkr eller ca 45 miljoner")
    total = c2.text_input("Organisationens totala inköpsvolym", placeholder="t.ex. 2,1 miljarder")
    startar = c3.number_input("Första år", min_value=2020, max_value=2100, value=date.today().year + 1)
    grans = st.text_input("Direktupphandlingsgräns som organisationen tillämpar (kr) – valfri",
                          placeholder="t.ex. 700 000",
                          help="Leverantörer med inköp utan avtals-id över gränsen ett kalenderår markeras "
                               "»kontrollera upphandlingsplikt«. Verktyget hittar aldrig på beloppet.")
    st.caption("Beloppen i kronor per år. Den totala inköpsvolymen avgör vilken av ESV:s nivåer för inköpsanalys "
               "utkastet jämför med.")
    prioriteringar = st.text_area("Kända prioriteringar (en per rad)", height=100)
    # No `type=`: Streamlit would refuse other files in English; the spend reader names the problem.
    spend_file = st.file_uploader("Spendfil (CSV eller Excel) – valfri")
    spend_kategori = st.text_input("Kategorins namn i spendfilen, om det skiljer sig (valfritt)")
    submitted = st.form_submit_button("Ta fram utkast", type="primary", icon=":material/edit_document:")

if submitted:
    data = {
        "organisation": organisation, "typ": typ, "kategori": kategori, "period": period, "startar": int(startar),
        "volym": volym or None, "total_inkopsvolym": total or None, "direktupphandlingsgrans": grans or None,
        "prioriteringar": [p.strip() for p in prioriteringar.splitlines() if p.strip()],
        "spend_kategori": spend_kategori or None,
    }
    try:
        inp = read_form(data)
        spend = None
        if spend_file is not None:
            spend = analyse_spend(spend_file.getvalue(), spend_file.name, category=inp.kategori,
                                  category_value=inp.spend_kategori)
        with st.spinner("Tar fram utkastet …"):
            ss["strategy_draft"] = build_draft(inp, settings, index=state.index(), spend=spend,
                                               offline=settings.llm == "none")
    except LLMError as err:
        st.error(f"{vm.md_escape(str(err))} Utkastet tas fram utan språkmodell i stället.", icon=":material/error:")
        ss["strategy_draft"] = build_draft(inp, settings, index=state.index(), spend=spend, offline=True)
    except KategoriError as err:
        st.error(vm.md_escape(str(err)).replace("\n", "  \n"), icon=":material/error:")
        ss.pop("strategy_draft", None)

draft = ss.get("strategy_draft")
if draft is not None:
    st.divider()
    slug = file_slug(f"kategoristrategi {draft.input.kategori} {draft.input.organisation}")
    c1, c2, c3 = st.columns([2, 2, 3])
    # Made when clicked, not on every rerun.
    c1.download_button("Ladda ned Word (.docx)", lambda: render_docx(draft, settings), file_name=f"{slug}.docx",
                       type="primary", mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       icon=":material/download:", on_click="ignore")
    c2.download_button("Ladda ned Markdown (.md)", lambda: render_markdown(draft, settings), file_name=f"{slug}.md",
                       mime="text/markdown", icon=":material/download:", on_click="ignore")
    verified = len(draft.sources) - draft.unverified
    c3.success(f"{count(len(draft.sections), 'avsnitt', 'avsnitt')}, "
               f"{count(len(draft.sources), 'källhänvisning', 'källhänvisningar')}, varav {verified} verifierade.",
               icon=":material/verified:")
    if draft.spend is not None and draft.spend.bad_rows:
        bad = draft.spend.bad_rows
        lines = ", ".join(str(r.line) for r in bad)
        st.warning(f"{count(len(bad), 'rad', 'rader')} i spendfilen kunde inte användas "
                   f"({'rad' if len(bad) == 1 else 'raderna'} {lines}); de redovisas i avsnitt 2.", icon=":material/warning:")
    for note in draft.notes:
        st.caption(vm.md_escape(note))
    st.caption("Klicka på en siffra i texten eller i källförteckningen för att se citatet markerat i sitt textavsnitt.")
    if ss.get("strategy_views", (None, None))[0] != (id(draft), state.generation()):
        ss["strategy_views"] = ((id(draft), state.generation()), vm.source_views(draft.sources, state.index()))
    sources = ss["strategy_views"][1]
    body, cards = draft_html(draft, sources, settings)
    cited_block(body + f"<h2>Källor ({len(sources)})</h2>", sources, key="strategi", extra_cards=cards, source_list=True)
