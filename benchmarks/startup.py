"""Whole-process start-up time of the CLI, as a user meets it: `kategori --help` and one offline
`kategori ask` against the built index (configured by the usual KATEGORI_* variables).

    .venv/bin/python benchmarks/startup.py [--runs 7]

Each command runs `--runs` times after one warm-up run (the warm-up fills the OS file cache, as any
earlier use of the tool would); the median and the fastest run are printed in seconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUESTION = "Vad är en kategoriplan och hur långt fram ska den sträcka sig?"


def _kategori() -> str:
    local = Path(sys.executable).with_name("kategori")
    return str(local) if local.exists() else (shutil.which("kategori") or "kategori")


def timed(cmd: list[str], runs: int) -> dict[str, float]:
    subprocess.run(cmd, capture_output=True, check=True)  # warm-up; also fails loudly on a broken command
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = _kategori()
    result = {
        "kategori --help": timed([exe, "--help"], args.runs),
        "kategori ask --offline --json": timed([exe, "ask", QUESTION, "--offline", "--json"], args.runs),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
