"""The LangChain tool `ambitionsgraf_berakna`, exercised through the tool interface as an agent calls it."""

from __future__ import annotations

import json

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel

from assistant.ambitionsgraf import evaluate
from assistant.ambitionsgraf.tool import ambitionsgraf_berakna, make_tool

from .ambitionsgraf_fixtures import ALL_IDS, assessment, example, respondent


def test_tool_identity_and_schema():
    tool = ambitionsgraf_berakna
    assert isinstance(tool, BaseTool)
    assert tool.name == "ambitionsgraf_berakna"
    assert issubclass(tool.args_schema, BaseModel)
    assert "ambitionsgraf" in tool.description and "Använd verktyget när" in tool.description
    params = convert_to_openai_tool(tool)["function"]["parameters"]
    assert params["required"] == ["organisation", "respondents"]
    answers = params["properties"]["respondents"]["items"]["properties"]["answers"]
    assert answers["properties"]["V1.1"]["type"] == "boolean"
    assert answers["properties"]["H5"] == {**answers["properties"]["H5"], "type": "integer", "minimum": 1,
                                           "maximum": 4}
    assert answers["properties"]["V3.4_omfattning"]["enum"] == ["delar", "hela"]
    assert set(answers["required"]) == {*ALL_IDS, "V3.4_omfattning"}


def test_invoke_returns_the_same_structured_result():
    data = example()
    result = ambitionsgraf_berakna.invoke(data)
    assert isinstance(result, dict)
    assert result == evaluate(data).to_json_dict()
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result  # JSON-serialisable
    assert result["vertical"] == result["vertical"] and abs(result["vertical"] - 21.4 / 9) < 1e-9
    assert {r["question_id"] for r in result["recommendations"]} >= {"V1.4", "H4"}


def test_bad_answers_come_back_as_swedish_error_text():
    data = assessment(respondent("politisk ledning", overrides={"V1.2": 9}), respondent("inköpschef"))
    del data["respondents"][1]["answers"]["V3.4_omfattning"]
    result = ambitionsgraf_berakna.invoke(data)
    assert isinstance(result, str)
    assert result.startswith("Fel i indata till ambitionsgraf_berakna:")
    assert "svarande 1 (politisk ledning), V1.2: värdet 9 ligger utanför skalan" in result
    assert "svarande 2 (inköpschef), V3.4_omfattning: saknas" in result


def test_bad_call_shape_comes_back_as_swedish_error_text():
    result = ambitionsgraf_berakna.invoke({"respondents": "tre stycken"})
    assert isinstance(result, str)
    assert "organisation: saknas" in result and "respondents: ska vara en lista" in result


def test_tool_call_gives_error_status_for_the_agent():
    call = {"type": "tool_call", "id": "call-1", "name": "ambitionsgraf_berakna",
            "args": {"organisation": "X", "respondents": []}}
    msg = ambitionsgraf_berakna.invoke(call)
    assert isinstance(msg, ToolMessage)
    assert msg.status == "error" and "listan är tom" in msg.content
    ok = ambitionsgraf_berakna.invoke({**call, "args": example()})
    assert ok.status == "success"
    assert json.loads(ok.content)["organisation"] == "Exempelkommun"


def test_make_tool_passes_settings(tmp_path):
    from assistant.config import Settings

    empty = tmp_path / "korpus"
    empty.mkdir()
    tool = make_tool(settings=Settings(data_dir=tmp_path / "data", corpus_dir=empty))
    # Weak answers need citations; with a corpus lacking the report the tool says so instead of inventing.
    result = tool.invoke(assessment(respondent(value=1)))
    assert isinstance(result, str) and "finns inte i korpusen" in result
