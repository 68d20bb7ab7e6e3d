"""Kategoriassistenten – the Streamlit app. Start with `make run` (or `kategori run`)."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.viewmodels import mode_label

st.set_page_config(page_title="Kategoriassistenten", page_icon=":material/menu_book:", layout="wide")
st.html(
    "<style>mark{background:#fde68a;padding:0 .15em;border-radius:.2em}"
    ".kalla p{margin:.35em 0;line-height:1.5}</style>"
)

pages = [
    st.Page("views/chatt.py", title="Chatt", icon=":material/forum:", default=True, url_path="chatt"),
    st.Page("views/kallor.py", title="Källor", icon=":material/library_books:", url_path="kallor"),
    st.Page("views/ambitionsgrafen.py", title="Ambitionsgrafen", icon=":material/scatter_plot:", url_path="ambitionsgrafen"),
    st.Page("views/kategoristrategi.py", title="Kategoristrategi", icon=":material/edit_document:", url_path="kategoristrategi"),
]
navigation = st.navigation(pages)

with st.sidebar:
    st.markdown("### Kategoriassistenten")
    st.caption("Svar ur Upphandlingsmyndighetens och regeringens underlag om kategoristyrning – med källor du kan kontrollera.")
    st.info(mode_label(state.settings()), icon=":material/settings:")

state.ensure_built()
navigation.run()
