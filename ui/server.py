"""The web server: the Streamlit app as an ASGI app (st.App), so that it can

- take its login configuration from KATEGORI_* settings (no secrets.toml to keep in step), and
- serve pages that work when opened directly by URL (/kallor) without failed requests (ui/web.py).

`kategori run` starts it with `streamlit run ui/server.py`.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from assistant.config import get_settings
from ui.auth import streamlit_secrets
from ui.web import IndexPageMiddleware

app = st.App("app.py", secrets=streamlit_secrets(get_settings()), middleware=[Middleware(IndexPageMiddleware)])
