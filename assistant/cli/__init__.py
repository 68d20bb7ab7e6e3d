"""Command-line interface: `kategori <kommando>`. Every command lives in its own module."""

from __future__ import annotations

import sys

import typer
from typer._click import exceptions as click_exceptions

# Importing the modules registers their commands on `app`.
from assistant.cli import (
    ask_cmd,  # noqa: E402,F401
    draft_cmd,  # noqa: E402,F401
    eval_answers_cmd,  # noqa: E402,F401
    index_cmds,  # noqa: E402,F401
    score_cmd,  # noqa: E402,F401
)
from assistant.cli.app import app
from assistant.cli.swedish_click import translate
from assistant.errors import KategoriError
from assistant.redact import redact

__all__ = ["app", "main"]


def _validation_error() -> type[Exception]:
    """pydantic's ValidationError, imported only when an error is being handled (pydantic is slow to import
    and `kategori --help` does not need it)."""
    from pydantic import ValidationError

    return ValidationError


def main() -> None:
    """Entry point for the console script: user errors become one Swedish line, never a traceback."""
    try:
        # Outside standalone mode Click returns the exit code of `typer.Exit` instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except KategoriError as err:
        print(f"Fel: {err}", file=sys.stderr)
        sys.exit(err.exit_code)
    except _validation_error() as err:
        # Settings are read from KATEGORI_* variables when a command starts.
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'inställning'}: {e['msg']}" for e in err.errors())
        print(f"Fel i konfigurationen (KATEGORI_*): {redact(problems)}", file=sys.stderr)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        print("Avbrutet.", file=sys.stderr)
        sys.exit(130)
    except click_exceptions.UsageError as err:
        # Usage errors (unknown flag, missing argument, bad value) from Typer/Click itself.
        command = err.ctx.command_path if err.ctx else "kategori"
        print(f"Fel: {translate(err.format_message())}\nSe '{command} --help' för hjälp.", file=sys.stderr)
        sys.exit(err.exit_code)
    except click_exceptions.ClickException as err:
        print(f"Fel: {translate(err.format_message())}", file=sys.stderr)
        sys.exit(err.exit_code)
    except typer.Exit as err:
        sys.exit(err.exit_code)
