"""Errors whose message is meant for the user: Swedish, specific, no traceback."""

from __future__ import annotations

from assistant.redact import redact


class KategoriError(Exception):
    """An error the user can act on. `str(err)` is a complete Swedish sentence."""

    exit_code = 1

    def __str__(self) -> str:
        # Every message shown to a user passes here, so a key in a URL or an echoed setting never does.
        return redact(super().__str__())


class InputError(KategoriError):
    """Bad input from the user (file, argument, value)."""

    exit_code = 2


class IndexMissingError(KategoriError):
    """No complete index exists yet."""


class IndexMismatchError(KategoriError):
    """The index was built with another embedding model than the configured one."""
