"""What a command loads is what it needs: `kategori --help` no numerics or models, an offline `kategori ask`
neither LangChain nor chromadb (nor scipy through bm25s); the model-backed modes import LangChain when they
run (tests/test_answers_llm.py, test_agent.py). Each runs in a fresh interpreter and reports its sys.modules; benchmarks/startup.py has the timings."""

from __future__ import annotations

import json
import os
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
loaded = sorted({m.split(".")[0] for m in sys.modules} | {m for m in sys.modules if m.startswith(("typer.", "rich."))})
print("\\n@@" + json.dumps({"code": code, "loaded": loaded}))
"""


def _run(args: list[str], env: dict[str, str] | None = None, first: str = "") -> tuple[str, int, set[str]]:
    run = subprocess.run([sys.executable, "-c", first + _RUN_MAIN, json.dumps(args)], capture_output=True, text=True,
                         env={**(env or os.environ), "COLUMNS": "100"}, cwd=REPO_ROOT, timeout=300)
    out, _, report = run.stdout.rpartition("\n@@")
    assert report, run.stderr
    result = json.loads(report)
    return out, result["code"], set(result["loaded"])


def test_help_is_swedish_and_loads_no_numerics_or_models():
    out, code, loaded = _run(["--help"])
    assert code == 0
    assert "Användning: kategori" in out and "Kommandon" in out and "Flaggor" in out and "ask" in out
    assert loaded.isdisjoint(HEAVY | {"numpy", "pydantic"})
    # The help panels are drawn without rich's Markdown and traceback modules, and look the same as with them.
    assert "rich" in loaded and not {m for m in loaded if m in ("rich.markdown", "rich.traceback")}
    for args in (["--help"], ["ask", "--help"]):
        assert _run(args)[0] == _run(args, first="import rich.markdown, rich.traceback, typer.rich_utils\n")[0]


def test_the_deferred_rich_classes_are_the_real_ones_when_used():
    code = """
import sys
from assistant.cli.swedish_click import _rich_utils
from typer.models import DeveloperExceptionConfig
rich_utils = _rich_utils()
assert "rich.markdown" not in sys.modules and "rich.traceback" not in sys.modules
try:
    1 / 0
except ZeroDivisionError as err:  # what typer shows for an uncaught exception
    shown = rich_utils.get_traceback(err, DeveloperExceptionConfig(), [])
import rich.markdown, rich.traceback
assert isinstance(shown, rich.traceback.Traceback)
assert isinstance(rich_utils._make_rich_text(text="**fet**", markup_mode="markdown"), rich.markdown.Markdown)
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


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



def _exit_with(setup: str) -> subprocess.CompletedProcess:
    code = setup + (
        "\nimport atexit, sys\natexit.register(lambda: print(' och avslutningen körs', end=''))\n"
        "class Teardown:\n    def __del__(self):\n        sys.stdout.write(' (nedmonterad)')\n"
        "kept = Teardown()\n"  # freed when the interpreter tears down its modules
        "from assistant.cli import _exit\nprint('svaret skrivs', end='')\n_exit(3)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_a_finished_command_exits_quickly_but_completely():
    """The process ends without the interpreter's teardown, but with its exit code, its whole output and
    its exit handlers; with the Chroma client loaded or a thread still working it exits as usual."""
    done = _exit_with("")
    assert (done.returncode, done.stdout) == (3, "svaret skrivs och avslutningen körs")
    store = _exit_with("import chromadb")
    assert (store.returncode, store.stdout) == (3, "svaret skrivs och avslutningen körs (nedmonterad)")
    thread = _exit_with("import threading, time\n"
                        "threading.Thread(target=lambda: (time.sleep(0.5), print(' tråden blev klar', end=''))).start()")
    assert thread.returncode == 3 and " tråden blev klar" in thread.stdout


def test_the_command_keeps_its_exit_codes_and_output(tiny_settings, memo_embeddings):
    sync_index(tiny_settings)
    env = cli_env(tiny_settings)
    answer = subprocess.run([sys.executable, "-m", "assistant", "ask", QUESTION, "--offline", "--json"],
                            capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["answered"]  # the whole JSON object reached the pipe
    usage = subprocess.run([sys.executable, "-m", "assistant", "ask"], capture_output=True, text=True, env=env,
                           cwd=REPO_ROOT, timeout=120)
    assert usage.returncode == 2 and "Argumentet question saknas" in usage.stderr
