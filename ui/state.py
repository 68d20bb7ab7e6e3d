"""Long-lived objects for the Streamlit session: settings, the index and the services built on it.

Cached per index generation, so every session sees a newly ingested document on its next rerun
without reloading the model or reopening Chroma on every click.
"""

from __future__ import annotations

import secrets

import streamlit as st

from assistant.answers.chain import AnswerService
from assistant.config import Settings, get_settings
from assistant.retrieval import HybridRetriever, build_retriever
from assistant.store.index import ActiveIndex, IndexStore
from ui.conversations import ConversationStore
from ui.text import progress_label


def settings() -> Settings:
    return get_settings()


def generation() -> str:
    """The active index generation: cached views of citations are valid for one generation."""
    return _generation_key(settings())


def _generation_key(s: Settings) -> str:
    # Asked of the store, not the local cache directory: on a shared Chroma server another instance may
    # have switched generations without this machine's cache knowing.
    return IndexStore(s).active_name() or ""


@st.cache_resource(show_spinner=False)
def _load(data_dir: str, generation: str) -> tuple[ActiveIndex, HybridRetriever, AnswerService]:
    s = settings()
    index = IndexStore(s).require_active()
    retriever = build_retriever(s, index=index)
    return index, retriever, AnswerService(s, retriever=retriever)


def ensure_built() -> None:
    """Build the index on first use, with a progress bar (`make run` normally does this before)."""
    s = settings()
    if _generation_key(s) and IndexStore(s).active() is not None:
        return
    from ingest.ensure import ensure_index

    with st.status("Bygger sökindexet första gången (ungefär en minut) …", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(stage: str, done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=progress_label(stage, done, total))

        ensure_index(s, progress=progress)
        status.update(label="Sökindexet är klart.", state="complete", expanded=False)


def index() -> ActiveIndex:
    s = settings()
    return _load(str(s.data_dir), _generation_key(s))[0]


def retriever() -> HybridRetriever:
    s = settings()
    return _load(str(s.data_dir), _generation_key(s))[1]


def answer_service() -> AnswerService:
    s = settings()
    return _load(str(s.data_dir), _generation_key(s))[2]


def conversations() -> ConversationStore:
    return ConversationStore(settings().data_dir / "samtal.sqlite3")


BROWSER_COOKIE = "kategori_webblasare"
_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie


def conversation_owner() -> str | None:
    """Whose conversations this session sees: the signed-in user, or (login off) this browser, known by a
    random cookie (see `remember_browser`). None when login is on and nobody is signed in."""
    from ui.auth import current_identity

    identity = current_identity()
    if identity is None:
        return None
    if identity.signed_in:
        return identity.user_id
    return f"webbläsare:{_browser_token()}"


def remember_browser() -> None:
    """Set the browser's cookie from the page on the first visit. Until the browser sends it back (on the
    next page load) the session keeps the token in memory."""
    from ui.components import browser_cookie

    token = _browser_token()
    if st.context.cookies.get(BROWSER_COOKIE) != token:
        browser_cookie(BROWSER_COOKIE, token, _COOKIE_MAX_AGE)


def _browser_token() -> str:
    ss = st.session_state
    if "browser_token" not in ss:
        sent = st.context.cookies.get(BROWSER_COOKIE, "")
        ss["browser_token"] = sent if _valid_token(sent) else secrets.token_urlsafe(24)
    return ss["browser_token"]


def _valid_token(value: str) -> bool:
    return 24 <= len(value) <= 64 and all(ch.isalnum() or ch in "-_" for ch in value)
