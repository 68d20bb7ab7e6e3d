"""Kategoriassistenten – the Streamlit app. Start with `make run` (or `kategori run`), which serves it
through ui/server.py."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from ui import auth, state
from ui.components import swedish_chrome
from ui.viewmodels import md_escape, mode_label

STATIC = Path(__file__).parent / "static"

# A local file: a `:material/…:` page icon is fetched from a font host on every page load.
st.set_page_config(page_title="Kategoriassistenten", page_icon=str(STATIC / "favicon.png"), layout="wide",
                   menu_items={"Get help": None, "Report a bug": None,
                               "About": "Kategoriassistenten – svar med källor om kategoristyrning i offentlig sektor."})
st.html(f"<style>{(STATIC / 'app.css').read_text(encoding='utf-8')}</style>")

try:
    settings = state.settings()
except ValidationError as err:
    problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'inställning'}: {e['msg'].removeprefix('Value error, ')}"
                         for e in err.errors())
    st.error(f"Fel i konfigurationen (KATEGORI_\\*): {md_escape(problems)}", icon=":material/error:")
    st.stop()

if not settings.login and not auth.is_loopback(st.get_option("server.address")):
    # Without login the app has no idea who is asking: it must not be reachable from other computers.
    st.error("Appen är startad för åtkomst från andra datorer men utan inloggning. Starta den med "
             "`kategori run` (lyssnar bara på 127.0.0.1), eller slå på inloggning med KATEGORI\\_LOGIN=true "
             "för att dela den i nätverket.", icon=":material/lock:")
    st.stop()

identity = auth.current_identity()
if identity is None:
    st.title("Kategoriassistenten")
    st.markdown("Svar ur Upphandlingsmyndighetens och regeringens underlag om kategoristyrning – med källor du "
                "kan kontrollera. Logga in med ditt konto i organisationen för att fortsätta.")
    st.button("Logga in", type="primary", icon=":material/login:", on_click=st.login)
    swedish_chrome()
    st.stop()

with st.sidebar:
    swedish_chrome()

chat = st.Page("views/chatt.py", title="Chatt", icon=":material/forum:", default=True, url_path="start")
pages = [
    chat,
    st.Page("views/kallor.py", title="Källor", icon=":material/library_books:", url_path="kallor"),
    st.Page("views/ambitionsgrafen.py", title="Ambitionsgrafen", icon=":material/scatter_plot:", url_path="ambitionsgrafen"),
    st.Page("views/kategoristrategi.py", title="Kategoristrategi", icon=":material/edit_document:", url_path="kategoristrategi"),
    # The chat lives at the root; /chatt (a natural link to it) leads there too.
    st.Page(lambda: st.switch_page(chat, query_params=st.query_params.to_dict()), title="Chatt", url_path="chatt",
            visibility="hidden"),
]
navigation = st.navigation(pages)

with st.sidebar:
    st.markdown("### Kategoriassistenten")
    st.caption("Svar ur Upphandlingsmyndighetens och regeringens underlag om kategoristyrning – med källor du kan "
               "kontrollera.")

state.ensure_built()
navigation.run()

with st.sidebar:
    st.divider()
    if navigation.url_path:  # the chat page shows the mode under its title
        st.caption(f":material/settings: {mode_label(settings)}")
    if identity.signed_in:
        role = " · biblioteksansvarig" if identity.is_admin else ""
        org = f" ({md_escape(identity.organisation)})" if identity.organisation else ""
        st.caption(f":material/person: Inloggad som {md_escape(identity.name)}{org}{role}")
        st.button("Logga ut", icon=":material/logout:", on_click=st.logout)
    else:
        st.caption(":material/lock: Utan inloggning: appen nås bara från den här datorn (127.0.0.1).")
        state.remember_browser()
