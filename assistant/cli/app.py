"""The `kategori` Typer application object, shared by the command modules."""

from __future__ import annotations

import typer

from assistant.cli import swedish_click  # noqa: F401  (Swedish help chrome; must load before commands)

app = typer.Typer(
    name="kategori",
    help="Kategoriassistenten – sök, fråga och analysera underlag för kategoristyrning i offentlig sektor.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)
