"""Whole-process start-up time of the CLI, as a user meets it: `kategori --help` and one offline
`kategori ask` against the built index (configured by the usual KATEGORI_* variables), as JSON and as text.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--repo DIR]

Each command runs `--runs` times after one warm-up run. The warm-up fills the OS file cache and writes
Python's bytecode caches, as any earlier use of the tool would (so PYTHONDONTWRITEBYTECODE is removed from
the commands' environment). Printed per command: median, fastest and slowest wall time, and the median CPU
time (user + system) of the process, which says more than the wall time when other processes share the
cores. The load average before and after is printed too: numbers measured under load are not comparable.

`--repo DIR` times another checkout of this repository (`python -m assistant` in that directory, with
this interpreter), e.g. the main branch, on the same machine and index.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUESTION = "Vad är en kategoriplan och hur långt fram ska den sträcka sig?"


def _kategori() -> list[str]:
    local = Path(sys.executable).with_name("kategori")
    return [str(local) if local.exists() else (shutil.which("kategori") or "kategori")]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], runs: int, cwd: Path | None, env: dict[str, str]) -> dict[str, float]:
    subprocess.run(cmd, capture_output=True, check=True, cwd=cwd, env=env)  # warm-up; fails loudly if broken
    wall, cpu = [], []
    for _ in range(runs):
        cpu_before = _children_cpu()
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, cwd=cwd, env=env)
        wall.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - cpu_before)
    return {
        "median_s": round(statistics.median(wall), 3),
        "min_s": round(min(wall), 3),
        "max_s": round(max(wall), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repo", type=Path, default=None, help="Tid för en annan utcheckning av förrådet")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("HF_HUB_OFFLINE", "1")
    if args.repo:
        exe, cwd = [sys.executable, "-m", "assistant"], args.repo.resolve()
    else:
        exe, cwd = _kategori(), None
    load_before = os.getloadavg()
    commands = {
        "kategori --help": ["--help"],
        "kategori ask --offline --json": ["ask", QUESTION, "--offline", "--json"],
        "kategori ask --offline": ["ask", QUESTION, "--offline"],
    }
    result: dict = {name: timed(exe + argv, args.runs, cwd, env) for name, argv in commands.items()}
    result["load_average_1min"] = {"before": round(load_before[0], 2), "after": round(os.getloadavg()[0], 2)}
    result["runs"] = args.runs
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
