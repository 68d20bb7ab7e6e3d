"""Command-line interface: `kategori <kommando>`. Every command lives in its own module."""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

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

__all__ = ["app", "main", "run"]


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


def run() -> NoReturn:
    """The `kategori` command and `python -m assistant`: main(), then the process ends (see _exit)."""
    try:
        main()
    except SystemExit as done:
        _exit(done.code)
    _exit(0)


def _exit(code: object) -> NoReturn:
    """End the process without tearing the interpreter down. Freeing every loaded module's objects took
    0.1–0.2 s, a sixth of an offline answer, and does nothing a finished command needs: exit handlers
    still run and output is flushed. Not when the Chroma client was loaded (it may still be persisting)
    or a thread is still working: then Python exits as usual."""
    working = any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread())
    if not isinstance(code, int | None) or "chromadb" in sys.modules or working:
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let Python report it as it always does
        sys.exit(code)
    os._exit(code or 0)
