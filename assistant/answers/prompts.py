"""Prompts are files in prompts/; this module only loads them and fills in question and passages.

Passages are wrapped in <källa> tags with their provenance as attributes. Anything in a passage that
could close or open such a tag is escaped, so a document cannot break out of its delimiters.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assistant.answers.models import Passage
from assistant.errors import KategoriError


@lru_cache(maxsize=32)
def load_prompt(prompts_dir: str, name: str) -> str:
    path = Path(prompts_dir) / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise KategoriError(f"Promptfilen {path} saknas.") from None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def render_passages(passages: list[Passage]) -> str:
    blocks = []
    for p in passages:
        c = p.chunk
        attrs = [
            f'nr="{p.n}"',
            f'dokument="{_attr(c.doc_title)}"',
            f'utgivare="{_attr(c.publisher)}"',
        ]
        if c.year:
            attrs.append(f'år="{c.year}"')
        attrs.append(f'sida="{c.page_start}"' if c.page_start == c.page_end else f'sida="{c.page_start}-{c.page_end}"')
        if c.section:
            attrs.append(f'avsnitt="{_attr(c.section)}"')
        blocks.append(f"<källa {' '.join(attrs)}>\n{_escape(c.text)}\n</källa>")
    return "\n\n".join(blocks)


def system_prompt(prompts_dir: str, structured: bool) -> str:
    fmt = "answer_format_structured" if structured else "answer_format_text"
    return f"{load_prompt(prompts_dir, 'answer_system')}\n\n{load_prompt(prompts_dir, fmt)}"


def render_evidence(evidence: list[tuple[int, str]]) -> str:
    """The offline answer's chosen sentences, as hints inside their own escaped tags."""
    if not evidence:
        return "(inga)"
    return "\n".join(f'<utdrag nr="{n}">{_escape(" ".join(text.split()))}</utdrag>' for n, text in evidence)


def user_prompt(prompts_dir: str, question: str, passages: list[Passage], evidence: list[tuple[int, str]] = ()) -> str:
    return load_prompt(prompts_dir, "answer_user").format(
        question=question, passages=render_passages(passages), evidence=render_evidence(list(evidence))
    )
