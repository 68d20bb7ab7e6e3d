"""A real HTTP round trip: `kategori ask` through the real langchain-openai client against an
OpenAI-compatible server on 127.0.0.1 – the agent's tool call, structured output, a streamed answer –
and every way the endpoint can fail, each a Swedish message with an offer to answer offline."""

from __future__ import annotations

import json

import pytest

from .conftest import run_cli
from .openai_stub import Stub

pytestmark = pytest.mark.slow
KEY = "ratt-nyckel-7f3a9c"


def _env(stub: Stub, model: str = "testmodell", **extra: str) -> dict[str, str]:
    env = {"KATEGORI_LLM": "openai", "KATEGORI_LLM_BASE_URL": stub.base_url, "KATEGORI_LLM_MODEL": model,
           "OPENAI_API_KEY": KEY, "KATEGORI_LLM_TIMEOUT": "2"}
    env.update(extra)
    return env


def test_agent_round_trip_with_a_tool_call(seed_settings):
    with Stub(key=KEY) as stub:
        result = run_cli(["ask", "Vad är en spendanalys?", "--json"], seed_settings, **_env(stub))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["mode"] == "openai" and data["answered"] is True
    assert data["citations"] and all(c["verified"] for c in data["citations"])
    first, second = stub.requests
    assert first["tools"] and {t["function"]["name"] for t in first["tools"]} == {"sok_i_underlaget", "ambitionsgraf_berakna"}
    assert any(m["role"] == "tool" and "<källa nr=" in m["content"] for m in second["messages"])
    assert first["_auth"] == f"Bearer {KEY}"


def test_chain_round_trip_with_structured_output(seed_settings):
    with Stub(key=KEY) as stub:
        result = run_cli(["ask", "Vad är en spendanalys?", "--json", "--no-agent"], seed_settings, **_env(stub))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answer"] == "Enligt underlaget gäller följande [1]." and data["citations"][0]["verified"]
    [request] = stub.requests
    assert request["response_format"]["type"] == "json_schema"
    assert request["messages"][0]["role"] == "system" and "<källa nr=\"1\"" in request["messages"][1]["content"]


def test_chain_round_trip_streamed(seed_settings):
    with Stub(key=KEY) as stub:
        result = run_cli(["ask", "Vad är en spendanalys?", "--no-agent"], seed_settings, **_env(stub))
    assert result.returncode == 0, result.stderr
    [request] = stub.requests
    assert request["stream"] is True
    assert result.stdout.startswith("Enligt underlaget gäller följande [1].")
    assert "verifierat" in result.stdout and "språkmodell via OpenAI-kompatibelt API" in result.stdout


@pytest.mark.parametrize(
    ("case", "extra", "message"),
    [
        ("unreachable", {"KATEGORI_LLM_BASE_URL": "http://127.0.0.1:9/v1"}, "Kunde inte nå språkmodellen"),
        ("timeout", {"KATEGORI_LLM_MODEL": "langsam", "KATEGORI_LLM_TIMEOUT": "1"}, "svarade inte inom"),
        ("bad key", {"OPENAI_API_KEY": "fel-nyckel-123"}, "avvisade API-nyckeln"),
        ("no tool support", {"KATEGORI_LLM_MODEL": "utan-verktyg"}, "stöder inte verktygsanrop"),
    ],
)
def test_endpoint_failures_are_clear_and_offer_offline(seed_settings, case, extra, message):
    with Stub(key=KEY) as stub:
        failed = run_cli(["ask", "Vad är en spendanalys?", "--json"], seed_settings, **{**_env(stub), **extra})
        assert failed.returncode == 1
        assert message in failed.stderr and "--offline" in failed.stderr
        assert "Traceback" not in failed.stderr
        for secret in (KEY, "fel-nyckel-123"):
            assert secret not in failed.stderr and secret not in failed.stdout
        fallback = run_cli(["ask", "Vad är en spendanalys?", "--json", "--fallback"], seed_settings, **{**_env(stub), **extra})
    assert fallback.returncode == 0, fallback.stderr
    data = json.loads(fallback.stdout)
    assert data["mode"] == "none" and data["answered"] and "Svarar i offlineläge" in fallback.stderr


def test_ollama_round_trip_structured_and_streamed(seed_settings):
    from .ollama_stub import MODEL, OllamaStub

    with OllamaStub() as stub:
        env = {"KATEGORI_LLM": "ollama", "KATEGORI_LLM_BASE_URL": stub.base_url, "KATEGORI_LLM_MODEL": MODEL,
               "KATEGORI_LLM_AGENT": "false"}
        structured = run_cli(["ask", "Vad är en spendanalys?", "--json"], seed_settings, **env)
        streamed = run_cli(["ask", "Vad är en spendanalys?"], seed_settings, **env)
        missing = run_cli(["ask", "Vad är en spendanalys?", "--json"], seed_settings,
                          **{**env, "KATEGORI_LLM_MODEL": "finns-inte"})
    assert structured.returncode == 0, structured.stderr
    data = json.loads(structured.stdout)
    assert data["mode"] == "ollama" and data["answer"] == "Enligt underlaget [1]." and data["citations"][0]["verified"]
    assert stub.requests[0]["format"]  # the JSON schema of the answer
    assert streamed.returncode == 0, streamed.stderr
    assert stub.requests[1]["stream"] is True and "verifierat" in streamed.stdout
    assert missing.returncode == 1 and "finns-inte" in missing.stderr and "--offline" in missing.stderr
