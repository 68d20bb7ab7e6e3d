"""Writing a draft to a file in the format its name asks for."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.drafts.inputs import OutputFormat, check_output_path
from assistant.drafts.models import StrategyDraft
from assistant.errors import InputError


def render(draft: StrategyDraft, fmt: OutputFormat, settings: Settings | None = None) -> bytes:
    if fmt == "docx":
        from assistant.drafts.render_docx import render_docx

        return render_docx(draft, settings)
    from assistant.drafts.render_markdown import render_markdown

    return render_markdown(draft, settings).encode("utf-8")


def write_draft(draft: StrategyDraft, path: Path, fmt: OutputFormat | None = None,
                settings: Settings | None = None) -> Path:
    fmt = fmt or check_output_path(path)
    data = render(draft, fmt, settings)
    try:
        path.write_bytes(data)
    except OSError as err:
        raise InputError(f"Utkastet kunde inte sparas i {path} ({err.strerror or err}).") from None
    return path
