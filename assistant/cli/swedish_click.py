"""Swedish for the parts of the command line that Typer/Click write themselves (help chrome, usage errors).

Typer vendors Click without translations, so its fixed English strings are replaced here: the help
option's text and usage prefix by patching, usage errors by translating the message in `main()`.
"""

from __future__ import annotations

import importlib
import re
import sys
import types

from typer._click import decorators as _decorators
from typer._click import formatting as _formatting
from typer.core import TyperCommand, TyperGroup


class _Deferred(type):
    """A class that stands for a class of a module not imported yet: creating an instance or reading an
    attribute (`Traceback.from_exception`) imports the module and hands over to the real class."""

    def _real(cls) -> type:
        return getattr(importlib.import_module(cls._module), cls.__name__)

    def __call__(cls, *args, **kwargs):
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, name: str):
        return getattr(cls._real(), name)


def _rich_utils() -> types.ModuleType:
    """typer.rich_utils, which renders the help panels. It imports rich's Markdown and traceback modules at
    the top, two thirds of its import time, but uses them only for markup mode "markdown" (ours is "rich")
    and for printing an uncaught exception: they are imported when that happens."""
    if "typer.rich_utils" in sys.modules:
        return sys.modules["typer.rich_utils"]
    stand_ins = {}
    for module, name in (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback")):
        if module not in sys.modules:
            stand_ins[module] = types.ModuleType(module)
            setattr(stand_ins[module], name, _Deferred(name, (), {"_module": module}))
    sys.modules.update(stand_ins)
    try:
        import typer.rich_utils as rich_utils
    finally:
        for module, stand_in in stand_ins.items():  # the real modules load on their next import
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
    return rich_utils


def _swedish_rich_help() -> None:
    """Swedish titles for the help panels, set when help is shown: typer.rich_utils takes longer to import
    than the rest of a command's start-up, so it is not loaded for commands that show no help."""
    rich_utils = _rich_utils()
    rich_utils.OPTIONS_PANEL_TITLE = "Flaggor"
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argument"
    rich_utils.COMMANDS_PANEL_TITLE = "Kommandon"
    rich_utils.ERRORS_PANEL_TITLE = "Fel"
    rich_utils.REQUIRED_LONG_STRING = "[obligatorisk]"
    rich_utils.DEFAULT_STRING = "[standard: {}]"
    rich_utils.ENVVAR_STRING = "[miljövariabel: {}]"
    rich_utils.ABORTED_TEXT = "Avbrutet."


def _in_swedish(format_help):
    def wrapper(self, ctx, formatter):
        _swedish_rich_help()
        return format_help(self, ctx, formatter)

    return wrapper


TyperCommand.format_help = _in_swedish(TyperCommand.format_help)
TyperGroup.format_help = _in_swedish(TyperGroup.format_help)

_original_help_option = _decorators.help_option


def _help_option(param_decls):
    decorate = _original_help_option(param_decls)

    def apply(command):
        command = decorate(command)
        command.params[-1].help = "Visa den här hjälpen och avsluta."
        return command

    return apply


_decorators.help_option = _help_option

_original_write_usage = _formatting.HelpFormatter.write_usage


def _write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
    _original_write_usage(self, prog, args, "Användning: " if prefix is None else prefix)


_formatting.HelpFormatter.write_usage = _write_usage

_TRANSLATIONS = [
    (r"^Value error, ", ""),
    (r"No such option: (.+)", r"Okänd flagga: \1"),
    (r"No such command '(.+)'\.", r"Okänt kommando '\1'."),
    (r"Missing command\.", "Kommando saknas."),
    (r"Missing argument '(.+)'\.", r"Argumentet \1 saknas."),
    (r"Missing parameter: (.+)", r"Argumentet \1 saknas."),
    (r"Did you mean (.+)\?", r"Menade du \1?"),
    (r"\(Possible options: (.+)\)", r"(möjliga flaggor: \1)"),
    (r"Input should be greater than or equal to (\S+)", r"värdet måste vara minst \1"),
    (r"Input should be less than or equal to (\S+)", r"värdet får vara högst \1"),
    (r"Input should be a valid (integer|number).*", "värdet måste vara ett tal"),
    (r"Missing option '(.+)'\.", r"Flaggan \1 saknas."),
    (r"Option '(.+)' requires an argument\.", r"Flaggan '\1' kräver ett värde."),
    (r"Got unexpected extra arguments? \((.+)\)", r"Oväntade extra argument: \1"),
    (r"Invalid value for (.+?): (?:Value error, )?", r"Ogiltigt värde för \1: "),
    (r"Invalid value: ", "Ogiltigt värde: "),
    (r"'(.+)' is not one of (.+)\.", r"'\1' är inte ett av \2."),
    (r"'(.+)' is not a valid (integer|float)\.", lambda m: f"'{m[1]}' är inte ett giltigt {'heltal' if m[2] == 'integer' else 'tal'}."),
    (r"(\S+) is not in the range (.+)\.", r"\1 ligger utanför tillåtet intervall \2."),
    (r"(File|Directory|Path) '(.+)' does not exist\.", r"Sökvägen '\2' finns inte."),
]


def translate(message: str) -> str:
    for pattern, repl in _TRANSLATIONS:
        message = re.sub(pattern, repl, message)
    return message
