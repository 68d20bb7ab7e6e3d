"""Command-line interface: `kategori <kommando>`. Every command lives in its own module."""

from __future__ import annotations

import sys

import click

from assistant.cli.app import app
from assistant.errors import KategoriError

# Importing the modules registers their commands on `app`.
from assistant.cli import index_cmds  # noqa: E402,F401

__all__ = ["app", "main"]


def main() -> None:
    """Entry point for the console script: user errors become one Swedish line, never a traceback."""
    try:
        app(standalone_mode=False)
    except KategoriError as err:
        print(f"Fel: {err}", file=sys.stderr)
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        print("Avbrutet.", file=sys.stderr)
        sys.exit(130)
    except click.exceptions.ClickException as err:
        # Usage errors (unknown flag, missing argument) from Click itself.
        err.show(file=sys.stderr)
        sys.exit(err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
