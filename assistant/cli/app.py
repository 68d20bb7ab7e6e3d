"""The `kategori` Typer application object, shared by the command modules."""

from __future__ import annotations

import typer
import typer.rich_utils as rich_utils

# Typer's own help chrome defaults to English; the users read Swedish.
rich_utils.OPTIONS_PANEL_TITLE = "Flaggor"
rich_utils.ARGUMENTS_PANEL_TITLE = "Argument"
rich_utils.COMMANDS_PANEL_TITLE = "Kommandon"
rich_utils.ERRORS_PANEL_TITLE = "Fel"
rich_utils.REQUIRED_LONG_STRING = "[obligatorisk]"
rich_utils.DEFAULT_STRING = "[standard: {}]"
rich_utils.ENVVAR_STRING = "[miljövariabel: {}]"
rich_utils.ABORTED_TEXT = "Avbrutet."

app = typer.Typer(
    name="kategori",
    help="Kategoriassistenten – sök, fråga och analysera underlag för kategoristyrning i offentlig sektor.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)
