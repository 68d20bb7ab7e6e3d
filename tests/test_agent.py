"""The agent (langchain.agents.create_agent) with a scripted tool-calling model: the corpus-search
tool, the ambitionsgraf tool through the agent, and verification of the agent's final answer."""

from __future__ import annotations

import json
import re

import pytest
from langchain_core.messages import AIMessage, ToolMessage

from assistant.answers.agent import AgentService
from assistant.config import REPO_ROOT, Settings
from assistant.retrieval import build_retriever

from .fake_llm import ScriptedChatModel, first_sentence

pytestmark = pytest.mark.slow


def _settings(base: Settings) -> Settings:
    return Settings(data_dir=base.data_dir, llm="openai", llm_model="testmodell", llm_base_url="http://127.0.0.1:9/v1")


def _tool_call(name: str, args: dict, call_id: str = "c1") -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id}])


def _last_tool_output(messages) -> str:
    return next(m.content for m in reversed(messages) if isinstance(m, ToolMessage))


@pytest.fixture(scope="module")
def retriever(seed_settings, seed_index):
    return build_retriever(seed_settings, index=seed_index)


def test_agent_searches_and_its_answer_is_verified(seed_settings, retriever):
    def final(messages):
        output = _last_tool_output(messages)
        n, body = re.search(r'<källa nr="(\d+)"[^>]*>\n(.*?)\n</källa>', output, re.S).groups()
        return f"Kategoriteam planerar inköpen per kategori [{n}] och ett påhittat påstående [99].\n\nKÄLLOR:\n" \
               f"[{n}] »{first_sentence(body)}«\n[99] »Finns inte.«"

    model = ScriptedChatModel(script=[_tool_call("sok_i_underlaget", {"fraga": "Vem bör ingå i ett kategoriteam?"}), final])
    answer = AgentService(_settings(seed_settings), retriever=retriever, model=model).answer("Vem bör ingå i ett kategoriteam?")
    assert {t.name for t in model.bound_tools} == {"sok_i_underlaget", "ambitionsgraf_berakna"}
    assert answer.answered and len(answer.citations) == 1 and answer.citations[0].verified
    assert "[99]" not in answer.answer and any("[99]" in n for n in answer.notes)
    # The system prompt is the agent prompt file, verbatim.
    system = model.received[0][0]
    assert system.content == (REPO_ROOT / "prompts" / "agent_system.md").read_text(encoding="utf-8").strip()


def test_agent_scores_an_assessment_with_the_ambitionsgraf_tool(seed_settings, retriever):
    assessment = json.loads((REPO_ROOT / "assistant" / "ambitionsgraf" / "examples" / "en-svarande.json").read_text(encoding="utf-8"))
    seen = {}

    def final(messages):
        result = json.loads(_last_tool_output(messages))
        seen["result"] = result
        rec = result["recommendations"][0]
        cite = rec["citations"][0]
        return (f"Er vertikala axel är {result['vertical']:.2f} och den horisontella {result['horizontal']:.2f}. "
                f"{rec['advice']} [{cite['källa_nr']}]\n\nKÄLLOR:\n[{cite['källa_nr']}] »{cite['quote']}«")

    model = ScriptedChatModel(script=[_tool_call("ambitionsgraf_berakna", assessment), final])
    answer = AgentService(_settings(seed_settings), retriever=retriever, model=model).answer(
        "Här är våra svar på ambitionsgrafens frågor – var hamnar vi och vad bör vi göra?")
    result = seen["result"]
    from assistant.ambitionsgraf import evaluate

    expected = evaluate(assessment)
    assert result["vertical"] == pytest.approx(expected.vertical, abs=1e-12)
    assert result["horizontal"] == pytest.approx(expected.horizontal, abs=1e-12)
    assert answer.answered and answer.citations[0].verified
    assert answer.citations[0].doc_id == "uhm-andamalsenliga-inkopsorganisationer"
    assert f"{expected.vertical:.2f}" in answer.answer


def test_bad_tool_input_is_returned_to_the_model_as_a_swedish_error(seed_settings, retriever):
    captured = {}

    def after_error(messages):
        captured["error"] = _last_tool_output(messages)
        return "Underlaget besvarar inte frågan."

    bad = {"organisation": "X", "respondents": [{"role": "inköpschef", "answers": {"V1.1": "kanske"}}]}
    model = ScriptedChatModel(script=[_tool_call("ambitionsgraf_berakna", bad), after_error])
    answer = AgentService(_settings(seed_settings), retriever=retriever, model=model).answer("Räkna ut vår ambitionsgraf")
    assert "V1.1" in captured["error"] and "saknas" in captured["error"]
    assert not answer.answered
