"""Chatt: questions answered from the corpus; every citation opens its quote inside the passage."""

from __future__ import annotations

import streamlit as st

from assistant.answers.chain import ChatTurn
from assistant.answers.llm import LLMError
from assistant.answers.models import Answer
from assistant.answers.parse import answer_part
from assistant.errors import KategoriError
from ui import state
from ui import viewmodels as vm
from ui.components import citation_grid

settings = state.settings()
history: list[dict] = st.session_state.setdefault("chat", [])

st.title("Chatt med underlaget")
left, right = st.columns([4, 1])
left.caption(vm.mode_label(settings))
if right.button("Ny konversation", icon=":material/restart_alt:", width="stretch", disabled=not history):
    history.clear()
    st.rerun()


def render_answer(answer: Answer, key: str) -> None:
    if answer.answered:
        st.markdown(vm.answer_markdown(answer))
    else:
        st.warning(vm.md_escape(answer.answer), icon=":material/search_off:")
    if answer.citations:
        st.caption("Källor – klicka för att se citatet markerat i sitt textavsnitt")
        citation_grid(answer.citations, key)
    if answer.closest:
        st.caption("Närmaste textavsnitt i underlaget")
        citation_grid(answer.closest, f"{key}-near")
    for note in answer.notes:
        st.caption(f":material/info: {note}")


for i, turn in enumerate(history):
    with st.chat_message(turn["role"]):
        if turn["role"] == "user":
            st.markdown(vm.md_escape(turn["content"]))
        elif turn.get("answer"):
            render_answer(Answer.model_validate(turn["answer"]), key=f"t{i}")
        else:
            st.error(turn["content"])

question = st.chat_input("Ställ en fråga …")
retry = st.session_state.pop("retry_offline", None)
if retry:
    question = retry
if not history and not question:
    st.info(
        "Ställ en fråga om kategoristyrning, inköpsorganisation eller upphandlingsstrategin, till exempel "
        "*Vad är en spendanalys?* eller *Vad innehåller en kategoristrategi?* Varje svar har källor som "
        "visar citatet i sitt sammanhang.",
        icon=":material/lightbulb:",
    )


if question:
    earlier = [ChatTurn(role=t["role"], content=t["content"]) for t in history if t.get("content")]
    offline = bool(retry) or settings.llm == "none"
    if not retry:
        history.append({"role": "user", "content": question})
        with st.chat_message("user"):
            st.markdown(vm.md_escape(question))
    with st.chat_message("assistant"):
        placeholder = st.empty()
        answer: Answer | None = None
        try:
            if offline:
                with st.spinner("Söker i underlaget …"):
                    answer = state.answer_service().answer(question, earlier, offline=True)
            else:
                if settings.llm_agent:
                    from assistant.answers.agent import AgentService

                    events = AgentService(settings, retriever=state.retriever()).stream(question, earlier)
                else:
                    events = state.answer_service().stream(question, earlier)
                buffer = ""
                placeholder.caption("Söker i underlaget …")
                for event in events:
                    if event.kind == "token":
                        buffer += event.text
                        placeholder.markdown(vm.md_escape(answer_part(buffer)) + " ▌")
                    elif event.kind == "status":
                        placeholder.caption(event.text)
                    else:
                        answer = event.answer
            placeholder.empty()
        except LLMError as err:
            placeholder.empty()
            st.error(str(err), icon=":material/error:")
            history.append({"role": "assistant", "content": str(err)})
            st.button("Svara i offlineläge i stället", icon=":material/cloud_off:",
                      on_click=lambda q=question: st.session_state.update(retry_offline=q))
        except KategoriError as err:
            placeholder.empty()
            st.error(str(err))
        if answer is not None:
            render_answer(answer, key=f"t{len(history)}")
            history.append({"role": "assistant", "content": answer.answer, "answer": answer.model_dump()})
