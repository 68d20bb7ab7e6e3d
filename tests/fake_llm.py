"""A scripted chat model for tests: replies in order, can compute a reply from what it was sent,
records every prompt, and supports `bind_tools` (LangChain's fakes do not) so agents can use it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

Reply = AIMessage | str | Callable[[list[BaseMessage]], AIMessage | str]


class ScriptedChatModel(BaseChatModel):
    script: list[Any] = Field(default_factory=list)
    received: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[Any] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-test-model"

    def bind_tools(self, tools, **kwargs):  # noqa: D102 – the agent binds its tools; we record them
        self.bound_tools = list(tools)
        return self

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.received.append(list(messages))
        if not self.script:
            raise AssertionError("the scripted model got more calls than scripted")
        reply = self.script.pop(0)
        if callable(reply):
            reply = reply(messages)
        return reply if isinstance(reply, AIMessage) else AIMessage(content=reply)

    def _generate(self, messages, stop=None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        message = self._next(messages)
        if message.tool_calls or not isinstance(message.content, str):
            yield ChatGenerationChunk(message=AIMessageChunk(content=message.content, tool_calls=message.tool_calls,
                                                             id=message.id))
            return
        for piece in re.findall(r"\S+\s*|\s+", message.content):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


def passage_text(messages: list[BaseMessage], n: int) -> str:
    """The text of passage n as the model was shown it (inside <källa nr="n" …> … </källa>)."""
    blob = "\n".join(str(m.content) for m in messages)
    m = re.search(rf'<källa nr="{n}"[^>]*>\n(.*?)\n</källa>', blob, re.S)
    assert m, f"passage {n} was not in the prompt"
    return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def first_sentence(text: str) -> str:
    body = text.split("\n\n", 1)[-1] if "\n\n" in text else text
    return re.split(r"(?<=[.!?])\s", body.strip(), maxsplit=1)[0]
