"""What a command loads is what it needs: `kategori --help` no numerics or models, an offline `kategori ask`
neither LangChain nor chromadb (nor scipy through bm25s); the model-backed modes import LangChain when they
run (tests/test_answers_llm.py, test_agent.py). Each runs in a fresh interpreter and reports its sys.modules; benchmarks/startup.py has the timings."""

from __future__ import annotations

import json
import subprocess
import sys

from assistant.config import REPO_ROOT
from ingest.pipeline import sync_index

from .conftest import cli_env
from .store_helpers import QUESTION

HEAVY = {"chromadb", "langchain", "langchain_core", "langsmith", "langchain_openai", "bm25s", "scipy", "torch",
         "sentence_transformers", "streamlit", "matplotlib", "docx"}

_RUN_MAIN = """
import json, sys
sys.argv = ["kategori", *json.loads(sys.argv[1])]
from assistant.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
loaded = sorted({m.split(".")[0] for m in sys.modules} | {m for m in sys.modules if m == "typer.rich_utils"})
print("\\n@@" + json.dumps({"code": code, "loaded": loaded}))
"""


def _run(args: list[str], env: dict[str, str] | None = None) -> tuple[str, int, set[str]]:
    run = subprocess.run([sys.executable, "-c", _RUN_MAIN, json.dumps(args)], capture_output=True, text=True,
                         env=env, cwd=REPO_ROOT, timeout=300)
    out, _, report = run.stdout.rpartition("\n@@")
    assert report, run.stderr
    result = json.loads(report)
    return out, result["code"], set(result["loaded"])


def test_help_is_swedish_and_loads_no_numerics_or_models():
    out, code, loaded = _run(["--help"])
    assert code == 0
    assert "Användning: kategori" in out and "Kommandon" in out and "Flaggor" in out and "ask" in out
    assert loaded.isdisjoint(HEAVY | {"numpy", "pydantic"})


def test_offline_ask_loads_neither_langchain_nor_chromadb(tiny_settings, memo_embeddings):
    sync_index(tiny_settings)
    out, code, loaded = _run(["ask", QUESTION, "--offline", "--json"], env=cli_env(tiny_settings))
    assert code in (0, None)
    answer = json.loads(out)
    assert answer["answered"] and answer["citations"] and answer["mode"] == "none"
    assert loaded.isdisjoint(HEAVY | {"typer.rich_utils"}), loaded & (HEAVY | {"typer.rich_utils"})
    # Without the flag, offline is the configured mode (KATEGORI_LLM=none): the same.
    out, code, loaded = _run(["ask", QUESTION], env=cli_env(tiny_settings, KATEGORI_LLM="none"))
    assert "Källor:" in out and loaded.isdisjoint(HEAVY)


def test_importing_the_answer_chain_does_not_load_langchain_or_chromadb():
    code = (
        "import sys, json; import assistant.answers.chain, assistant.search, assistant.answers.llm; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert set(json.loads(run.stdout)).isdisjoint(HEAVY)

