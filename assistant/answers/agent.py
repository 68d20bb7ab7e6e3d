"""The agent: a LangChain agent (`create_agent`) with a corpus-search tool and the ambitionsgraf tool.

Every passage a tool hands the model in one run gets a number [n] in a per-run registry; the agent's
final answer (text format: answer + KÄLLOR:) is parsed and goes through the same verification as the
chain's, against exactly those passages. So the agent can no more cite an unseen passage or an
invented quote than the chain can.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool
from pydantic import BaseModel, Field

from assistant.ambitionsgraf.tool import TOOL_NAME as AMBITIONSGRAF_TOOL
from assistant.ambitionsgraf.tool import make_tool as make_ambitionsgraf_tool
from assistant.answers.chain import NOT_ANSWERED, ChatTurn, StreamEvent
from assistant.answers.llm import chat_model, describe_error
from assistant.answers.models import Answer, Passage
from assistant.answers.parse import parse_answer_text
from assistant.answers.prompts import load_prompt, render_passages
from assistant.answers.verify import UNVERIFIABLE, verify
from assistant.config import Settings
from assistant.errors import KategoriError
from assistant.retrieval import HybridRetriever, build_retriever
from assistant.store.records import StoredChunk

SEARCH_TOOL = "sok_i_underlaget"
_MAX_STEPS = 12


class PassageRegistry:
    """Numbers every passage the tools return during one agent run; the same chunk keeps its number."""

    def __init__(self) -> None:
        self.passages: list[Passage] = []
        self._numbers: dict[str, int] = {}

    def add(self, chunk: StoredChunk) -> Passage:
        if chunk.chunk_id not in self._numbers:
            self._numbers[chunk.chunk_id] = len(self.passages) + 1
            self.passages.append(Passage(n=len(self.passages) + 1, chunk=chunk))
        return self.passages[self._numbers[chunk.chunk_id] - 1]


class SearchArgs(BaseModel):
    fraga: str = Field(description="Vad som ska sökas, gärna som en fullständig fråga på svenska")
    antal: int = Field(default=5, ge=1, le=10, description="Antal textavsnitt att hämta (1–10)")


def make_search_tool(retriever: HybridRetriever, registry: PassageRegistry) -> StructuredTool:
    def run(fraga: str, antal: int = 5) -> str:
        hits = retriever.search(fraga, k=antal)
        if not hits:
            return "Inga textavsnitt hittades."
        return render_passages([registry.add(h.chunk) for h in hits])

    return StructuredTool.from_function(
        func=run,
        name=SEARCH_TOOL,
        description=(
            "Söker i underlaget om offentlig upphandling och kategoristyrning (Upphandlingsmyndighetens och "
            "regeringens dokument samt användarens egna) och returnerar numrerade textavsnitt [n] med "
            "dokument, sida och avsnitt. Använd för varje sakfråga och citera textavsnitten med [n]."
        ),
        args_schema=SearchArgs,
    )


def make_ambitionsgraf_agent_tool(settings: Settings, retriever: HybridRetriever, registry: PassageRegistry) -> StructuredTool:
    """The ambitionsgraf tool, with every cited report passage registered so the answer can cite it."""
    base = make_ambitionsgraf_tool(settings=settings, index=retriever.index)

    def run(**kwargs: Any) -> str:
        result = base.func(**kwargs)  # bad input raises the base tool's ToolException, returned to the model
        chunk_ids = [
            c["chunk_id"]
            for rec in result.get("recommendations", [])
            for c in rec.get("citations", [])
            if c.get("chunk_id")
        ]
        chunks = {c.chunk_id: c for c in retriever.index.get_chunks(list(dict.fromkeys(chunk_ids)))}
        for rec in result.get("recommendations", []):
            for c in rec.get("citations", []):
                chunk = chunks.get(c.get("chunk_id") or "")
                if chunk is not None:
                    c["källa_nr"] = registry.add(chunk).n
                c.pop("chunk_text", None)  # the numbered passage is the reference; keep the result short
        return json.dumps(result, ensure_ascii=False)

    return StructuredTool.from_function(
        func=run,
        name=AMBITIONSGRAF_TOOL,
        description=base.description + " Källorna i rekommendationerna har nummer (källa_nr) att citera som [n].",
        args_schema=base.args_schema,
        handle_tool_error=True,
        handle_validation_error=base.handle_validation_error,
    )


class AgentService:
    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever | None = None,
        model: BaseChatModel | None = None,
    ):
        self.settings = settings
        self.retriever = retriever or build_retriever(settings)
        self._model = model

    @property
    def model(self) -> BaseChatModel:
        if self._model is None:
            self._model = chat_model(self.settings)
        return self._model

    def _agent(self, registry: PassageRegistry):
        tools = [
            make_search_tool(self.retriever, registry),
            make_ambitionsgraf_agent_tool(self.settings, self.retriever, registry),
        ]
        system = load_prompt(str(self.settings.prompts_dir), "agent_system")
        return create_agent(self.model, tools=tools, system_prompt=system)

    def answer(self, question: str, history: list[ChatTurn] | None = None) -> Answer:
        final = None
        for event in self.stream(question, history):
            if event.kind == "final":
                final = event.answer
        assert final is not None
        return final

    def stream(self, question: str, history: list[ChatTurn] | None = None) -> Iterator[StreamEvent]:
        question = question.strip()
        if not question:
            raise KategoriError("Frågan är tom.")
        registry = PassageRegistry()
        agent = self._agent(registry)
        messages: list[Any] = [
            HumanMessage(content=t.content) if t.role == "user" else AIMessage(content=t.content) for t in history or []
        ]
        messages.append(HumanMessage(content=question))
        final_state: dict[str, Any] | None = None
        try:
            for mode, payload in agent.stream(
                {"messages": messages},
                stream_mode=["messages", "values"],
                config={"recursion_limit": _MAX_STEPS * 2},
            ):
                if mode == "values":
                    final_state = payload
                    continue
                token, _meta = payload
                if isinstance(token, ToolMessage):
                    yield StreamEvent(kind="status", text=f"Verktyget {token.name} har svarat.")
                elif isinstance(token, AIMessageChunk | AIMessage) and not (
                    token.tool_calls or getattr(token, "tool_call_chunks", None)
                ):
                    if isinstance(token.content, str) and token.content:
                        yield StreamEvent(kind="token", text=token.content)
        except KategoriError:
            raise
        except Exception as err:
            if "recursion" in type(err).__name__.lower():
                raise KategoriError("Agenten kom inte fram till ett svar inom tillåtet antal steg.") from None
            raise describe_error(err, self.settings) from err
        last = (final_state or {}).get("messages", [None])[-1]
        text = last.content if isinstance(last, AIMessage) and isinstance(last.content, str) else ""
        yield StreamEvent(kind="final", answer=self._verify(question, text, registry))

    def _verify(self, question: str, text: str, registry: PassageRegistry) -> Answer:
        draft = parse_answer_text(text)
        mode = self.settings.llm
        if not draft.answered or not draft.citations:
            return Answer(question=question, answered=False, answer=text.strip() or NOT_ANSWERED, mode=mode)
        checked = verify(draft.answer, draft.citations, registry.passages, self._page_of)
        if not checked.any_verified:
            return Answer(question=question, answered=False, answer=f"{NOT_ANSWERED} {UNVERIFIABLE}", mode=mode,
                          notes=checked.notes)
        return Answer(
            question=question, answered=True, answer=checked.text_with_warning(), citations=checked.citations,
            mode=mode, unverified=checked.unverified, notes=checked.notes,
        )  # fmt: skip

    def _page_of(self, doc_id: str, offset: int) -> int:
        doc = self.retriever.index.documents().get(doc_id)
        return doc.page_at(offset).page if doc else 1
