"""A progress bar on stderr for long-running steps (embedding, saving), shown only on a terminal-ish stderr."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.pipeline import ProgressFn


@contextlib.contextmanager
def stderr_progress(enabled: bool = True) -> Iterator[ProgressFn | None]:
    """The bar appears with the first step that reports progress: a command that finds the index built
    reports none, and then does not load rich's live display at all."""
    if not enabled:
        yield None
        return
    with contextlib.ExitStack() as stack:
        tasks: dict[str, int] = {}
        bar = []

        def update(stage: str, done: int, total: int) -> None:
            if not bar:
                bar.append(stack.enter_context(_progress()))
            progress = bar[0]
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield update


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("kvar:"),
        TimeRemainingColumn(),
    )
    return Progress(*columns, console=Console(stderr=True), transient=False)
