"""Builders for ambitionsgraf inputs, shared by the tests/test_ambitionsgraf_*.py modules."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from assistant.config import REPO_ROOT

EXAMPLES = REPO_ROOT / "assistant" / "ambitionsgraf" / "examples"
EXAMPLE_2025 = EXAMPLES / "exempelkommun-2025.json"
EXAMPLE_2026 = EXAMPLES / "exempelkommun-2026.json"

SCALE_IDS = ["V1.2", "V1.3", "V1.4", "V1.5", "V2.1", "V2.2", "V2.3", "V2.4",
             "V3.1", "V3.2", "V3.3", "V3.4", "V3.5", "H1", "H2", "H3", "H4", "H5"]
ALL_IDS = ["V1.1", *SCALE_IDS]


def answers(value: int = 3, *, goals: bool = True, scope: str = "hela",
            overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """A complete, valid answer set: every scale question `value`, V1.1 `goals`, V3.4 scope `scope`,
    then `overrides` (id -> value) on top."""
    out: dict[str, Any] = {"V1.1": goals, **{qid: value for qid in SCALE_IDS}, "V3.4_omfattning": scope}
    out.update(overrides or {})
    return out


def respondent(role: str = "inköpschef", **kwargs: Any) -> dict[str, Any]:
    return {"role": role, "answers": answers(**kwargs)}


def assessment(*respondents: dict[str, Any], organisation: str = "Testkommun", **extra: Any) -> dict[str, Any]:
    return {"organisation": organisation, "respondents": list(respondents) or [respondent()], **extra}


def example(path: Path = EXAMPLE_2025) -> dict[str, Any]:
    return copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))


def run_main(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    """The real `kategori` entry point in-process: (exit code, stdout, stderr)."""
    from assistant.cli import main

    monkeypatch.setattr(sys, "argv", ["kategori", *argv])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err
