"""Input for a draft from the command line: an optional YAML/JSON file with the same fields as the
flags, flags taking precedence, validated into a `StrategyInput`. Also the check of the output file
name, done before anything slow happens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml

from assistant.drafts.models import StrategyInput, parse_input
from assistant.errors import InputError

OutputFormat = Literal["docx", "md"]
_SUFFIXES: dict[str, OutputFormat] = {".docx": "docx", ".md": "md", ".markdown": "md"}
DEFAULT_TYPE = "kommun"


def check_output_path(path: Path) -> OutputFormat:
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        shown = f"»{path.suffix}«" if path.suffix else "ingen filändelse"
        raise InputError(f"Utkastet kan sparas som Word (.docx) eller Markdown (.md), inte {shown}: ange t.ex. "
                         f"--out {path.with_suffix('.docx').name}.")
    if path.is_dir():
        raise InputError(f"{path} är en mapp – ange ett filnamn, t.ex. {path / 'kategoristrategi.docx'}.")
    if not path.parent.exists():
        raise InputError(f"Mappen {path.parent} finns inte – skapa den först eller ange en annan plats för --out.")
    return _SUFFIXES[suffix]


def read_input_file(path: Path) -> dict[str, Any]:
    """The fields of a YAML or JSON input file; a relative spend path is relative to the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"Indatafilen {path} finns inte.") from None
    except IsADirectoryError:
        raise InputError(f"{path} är en mapp – ange en YAML- eller JSON-fil.") from None
    except UnicodeDecodeError:
        raise InputError(f"Indatafilen {path} är inte UTF-8-kodad text – spara den som UTF-8.") from None
    except OSError as err:
        raise InputError(f"Indatafilen {path} kunde inte läsas ({err.strerror or err}).") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"Indatafilen {path} är inte giltig JSON (rad {err.lineno}, kolumn {err.colno}).") from None
    elif path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f" (rad {mark.line + 1}, kolumn {mark.column + 1})" if mark else ""
            raise InputError(f"Indatafilen {path} är inte giltig YAML{where}.") from None
    else:
        raise InputError(f"Indatafilen {path} ska vara YAML (.yaml/.yml) eller JSON (.json).")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(f"Indatafilen {path} ska innehålla fält som organisation, typ och kategori, "
                         "inte en lista eller ett enskilt värde.")
    spend = data.get("spend")
    if isinstance(spend, str) and spend.strip() and not Path(spend).is_absolute():
        data["spend"] = str(path.parent / spend)
    return data


def collect_input(flags: dict[str, Any], file: Path | None = None) -> StrategyInput:
    data: dict[str, Any] = read_input_file(file) if file is not None else {}
    data.update({k: v for k, v in flags.items() if v is not None})
    missing = [f"--{k}" for k in ("kategori", "organisation") if not str(data.get(k) or "").strip()]
    if missing:
        raise InputError(f"Ange {' och '.join(missing)} (eller fälten i en indatafil med --fil). "
                         "Se kategori draft --help.")
    data.setdefault("typ", DEFAULT_TYPE)
    return parse_input(data, source=str(file) if file else None)
