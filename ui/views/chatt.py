"""Chatt: questions answered from the corpus; every [n] and every source opens its quote inside the
passage. Conversations are saved as they happen and listed in the sidebar."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from assistant.answers.llm import LLMError
from assistant.answers.models import Answer
from assistant.answers.parse import answer_part
from assistant.errors import KategoriError
from ui import chat, state
from ui import citations as cv
from ui import viewmodels as vm
from ui.components import cited_block
from ui.conversations import StoreError, Turn
from ui.export import conversation_docx
from ui.text import file_slug

settings = state.settings()
store = state.conversations()
owner = state.conversation_owner()
ss = st.session_state
assert owner is not None  # app.py asks for a login first when login is on


# ---- which conversation ------------------------------------------------------------------------------------


def _open(conv_id: str | None) -> None:
    """Make `conv_id` the conversation on the page (None: a new, empty one)."""
    ss["chat_id"], ss["chat_turns"], ss["chat_views"] = conv_id, [], {}
    if conv_id is None:
        st.query_params.pop("samtal", None)
        return
    try:
        conversation = store.get(owner, conv_id)
    except StoreError as err:
        ss["chat_notice"] = str(err)
        conversation = None
    if conversation is None:
        ss["chat_id"] = None
        st.query_params.pop("samtal", None)
        ss.setdefault("chat_notice", "Samtalet finns inte längre, eller hör till någon annan. Ett nytt samtal är öppnat.")
        return
    ss["chat_turns"] = conversation.turns
    st.query_params["samtal"] = conv_id


wanted = st.query_params.get("samtal")
if "chat_id" not in ss or (wanted and wanted != ss.get("chat_id")):
    _open(wanted)
elif ss["chat_id"] and wanted != ss["chat_id"]:
    st.query_params["samtal"] = ss["chat_id"]  # back from another page: keep the address reloadable

turns: list[Turn] = ss["chat_turns"]


def _views(i: int) -> tuple[list[cv.SourceView], list[cv.SourceView]]:
    """Sources and nearest passages of assistant turn i, computed once per index generation."""
    key = (i, state.generation())
    views = ss["chat_views"].get(key)
    if views is None:
        answer = turns[i].answer
        assert answer is not None
        index = state.index()
        views = (vm.source_views(answer.citations, index), vm.source_views(answer.closest, index, verified=None))
        ss["chat_views"][key] = views
    return views


def _save(turn: Turn, question: str | None = None) -> None:
    """Write the turn at once; the page keeps it even when the database cannot be written."""
    turns.append(turn)
    try:
        if ss["chat_id"] is None:
            ss["chat_id"] = store.create(owner, question or turn.content)
            st.query_params["samtal"] = ss["chat_id"]
        store.append(owner, ss["chat_id"], turn)
    except StoreError as err:
        st.warning(f"Samtalet kunde inte sparas: {vm.md_escape(str(err))}", icon=":material/warning:")


# ---- sidebar: earlier conversations --------------------------------------------------------------------

with st.sidebar:
    st.markdown("**Tidigare samtal**")
    try:
        earlier = store.list(owner, limit=30)
    except StoreError as err:
        earlier = []
        st.caption(vm.md_escape(str(err)))
    if not earlier:
        st.caption("Inga sparade samtal ännu. Varje fråga och svar sparas när de ställs.")
    now = datetime.now().astimezone()
    with st.container(key="samtalslista", gap=None):
        for summary in earlier:
            current = summary.id == ss["chat_id"]
            st.button(vm.md_escape(summary.title), key=f"samtal-{summary.id}", width="stretch",
                      type="secondary" if current else "tertiary", icon=":material/chat_bubble:",
                      help=chat.summary_help(summary, now), on_click=_open, args=(summary.id,))


# ---- header ------------------------------------------------------------------------------------------------

st.title("Chatt med underlaget")
st.caption(vm.mode_label(settings))
notice = ss.pop("chat_notice", None)
if notice:
    st.info(vm.md_escape(notice), icon=":material/info:")

if turns:
    c1, c2, c3 = st.columns(3, gap="small")
    c1.button("Nytt samtal", icon=":material/add_comment:", width="stretch", on_click=_open, args=(None,))
    title = next((t.content for t in turns if t.role == "user"), "Samtal")

    # Made when clicked, outside this script run: everything it needs is captured here.
    exported = chat.export_turns(turns, lambda i: _views(i)[0])
    mode = vm.mode_label(settings)

    def _docx() -> bytes:
        return conversation_docx(title, exported, mode)

    c2.download_button("Exportera till Word", _docx, file_name=f"samtal-{file_slug(title)}.docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       icon=":material/download:", width="stretch", on_click="ignore")
    with c3.popover("Ta bort samtalet", icon=":material/delete:", width="stretch"):
        st.write("Samtalet tas bort för gott, med alla frågor och svar.")
        if st.button("Ta bort", type="primary", key="chat_delete"):
            try:
                if ss["chat_id"]:
                    store.delete(owner, ss["chat_id"])
            except StoreError as err:
                ss["chat_notice"] = str(err)
            _open(None)
            st.rerun()


# ---- the conversation ------------------------------------------------------------------------------------


def render_answer(i: int, answer: Answer) -> None:
    sources, closest = _views(i)
    if answer.answered:
        body, cards = cv.text_html(answer.answer, {s.n: s for s in sources})
        cited_block(body, sources, key=f"svar-{ss['chat_id']}-{i}", extra_cards=cards,
                    heading="Källor – klicka för att se citatet i sitt sammanhang",
                    copy_markdown=cv.answer_markdown(answer, sources))
    else:
        st.warning(vm.md_escape(answer.answer), icon=":material/search_off:")
        if closest:
            cited_block("<p class='lead'>Närmaste textavsnitt i underlaget:</p>", closest,
                        key=f"nara-{ss['chat_id']}-{i}", source_list=True)
    for note in answer.notes:
        st.caption(f":material/info: {vm.md_escape(note)}")


for i, turn in enumerate(turns):
    with st.chat_message(turn.role, avatar=":material/person:" if turn.role == "user" else ":material/menu_book:"):
        if turn.role == "user":
            st.text(turn.content)
        elif turn.answer is not None:
            render_answer(i, turn.answer)
        else:
            st.error(vm.md_escape(turn.content), icon=":material/error:")

question = st.chat_input("Ställ en fråga om kategoristyrning …", max_chars=2000)
retry = ss.pop("retry_offline", None)
example = ss.pop("example_question", None)
question = retry or example or question

if not turns and not question:
    st.markdown("Ställ en fråga om kategoristyrning, inköpsorganisation eller upphandlingsstrategin. Varje svar "
                "har källor: klicka på en siffra i texten för att se citatet markerat i sitt textavsnitt.")
    st.caption("Prova till exempel:")
    cols = st.columns(2)
    for n, example_question in enumerate(chat.EXAMPLE_QUESTIONS):
        cols[n % 2].button(example_question, key=f"exempel-{n}", icon=":material/chat_bubble:", width="stretch",
                           on_click=ss.update, kwargs={"example_question": example_question})

if question:
    earlier_turns = chat.history(turns)
    offline = bool(retry) or settings.llm == "none"
    if not retry:
        with st.chat_message("user", avatar=":material/person:"):
            st.text(question)
        _save(Turn(role="user", content=question))
    with st.chat_message("assistant", avatar=":material/menu_book:"):
        placeholder = st.empty()
        answer: Answer | None = None
        try:
            if offline:
                with st.spinner("Söker i underlaget …"):
                    answer = state.answer_service().answer(question, earlier_turns, offline=True)
            else:
                if settings.llm_agent:
                    from assistant.answers.agent import AgentService

                    events = AgentService(settings, retriever=state.retriever()).stream(question, earlier_turns)
                else:
                    events = state.answer_service().stream(question, earlier_turns)
                buffer = ""
                placeholder.caption("Söker i underlaget …")
                for event in events:
                    if event.kind == "token":
                        buffer += event.text
                        placeholder.text(answer_part(buffer) + " ▌")
                    elif event.kind == "status":
                        placeholder.caption(vm.md_escape(event.text))
                    else:
                        answer = event.answer
            placeholder.empty()
        except LLMError as err:
            placeholder.empty()
            st.error(vm.md_escape(str(err)), icon=":material/error:")
            _save(Turn(role="assistant", content=str(err)))
            st.button("Svara i offlineläge i stället", icon=":material/cloud_off:",
                      on_click=ss.update, kwargs={"retry_offline": question})
        except KategoriError as err:
            placeholder.empty()
            st.error(vm.md_escape(str(err)), icon=":material/error:")
            _save(Turn(role="assistant", content=str(err)))
        if answer is not None:
            _save(Turn(role="assistant", content=answer.answer, answer=answer))
            st.rerun()  # drawn with the rest, and the header and the sidebar list now include it
