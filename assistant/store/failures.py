"""Failures of the storage layer as Swedish messages: a full disk, a Chroma server that went away, a
generation replaced under a reader, another writer holding the lock."""

from __future__ import annotations

import contextlib
import errno
import sys
import threading
from collections.abc import Iterator

from assistant.config import Settings
from assistant.errors import KategoriError

_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_DISK_FULL_TEXT = ("disk is full", "no space left", "database or disk is full", "quota exceeded")


class StoreError(KategoriError):
    """The index could not be read or written; the message says why and what to do."""


class DiskFullError(StoreError):
    pass


class StoreUnavailableError(StoreError):
    pass


class IndexChangedError(StoreError):
    """The generation a reader was using has been removed (after its grace period)."""


class WriterBusyError(StoreError):
    """Another process or instance is writing and did not finish within the wait time."""


class LeaseLostError(StoreError):
    """This writer's lease expired and another writer took over; nothing of ours was made active."""


def _server(settings: Settings) -> str:
    return f"Chroma-servern på {settings.chroma_host}:{settings.chroma_port}"


def _chroma_errors() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """chromadb's (ChromaError, NotFoundError), or empty tuples when chromadb was never loaded: then no error
    can come from it, and a reader that only read local files should not pay for importing it."""
    if "chromadb" not in sys.modules:
        return (), ()
    from chromadb.errors import ChromaError, NotFoundError

    return (ChromaError,), (NotFoundError,)


def is_connection_failure(err: BaseException) -> bool:
    import httpx

    return isinstance(err, httpx.TransportError | ConnectionError)


def is_disk_full(err: BaseException) -> bool:
    if isinstance(err, OSError) and err.errno in _DISK_FULL_ERRNOS:
        return True
    chroma_error, _ = _chroma_errors()
    return isinstance(err, (*chroma_error, OSError)) and any(t in str(err).lower() for t in _DISK_FULL_TEXT)


def translate(err: BaseException, settings: Settings, *, writing: bool) -> StoreError | None:
    """A Swedish error for a known storage failure, or None for anything else (a bug: let it surface)."""
    ChromaError, NotFoundError = _chroma_errors()  # noqa: N806 - the classes, or () when chromadb is not loaded

    after = " Indexet och dokumentbiblioteket är oförändrade." if writing else ""
    if is_disk_full(err):
        where = "i datakatalogen" if not settings.chroma_host else "på Chroma-servern eller i datakatalogen"
        return DiskFullError(
            f"Disken är full (inget utrymme kvar {where}, {settings.data_dir}). Frigör utrymme och försök igen.{after}"
        )
    if is_connection_failure(err):
        if settings.chroma_host:
            return StoreUnavailableError(
                f"Förbindelsen med {_server(settings)} bröts ({type(err).__name__}). Kontrollera att servern kör "
                f"och försök igen.{after}"
            )
        return StoreUnavailableError(f"Förbindelsen med sökindexet bröts ({type(err).__name__}).{after}")
    if isinstance(err, NotFoundError) and not writing:
        return IndexChangedError(
            "Sökindexet byttes ut medan frågan kördes (en nyare version har ersatt den gamla). Försök igen."
        )
    if isinstance(err, ChromaError):
        verb = "skriva till" if writing else "läsa från"
        return StoreError(f"Kunde inte {verb} sökindexet (Chroma: {type(err).__name__}: {str(err)[:200]}).{after}")
    if isinstance(err, PermissionError):
        return StoreError(f"Saknar skrivbehörighet i {settings.data_dir} ({err.filename or err}).{after}")
    return None


_depth = threading.local()


@contextlib.contextmanager
def store_errors(settings: Settings, *, writing: bool) -> Iterator[None]:
    """Turn known storage failures inside the block into Swedish `StoreError`s. Nested blocks leave the
    translation to the outermost one, which knows whether a write was under way."""
    outer = getattr(_depth, "n", 0) == 0
    _depth.n = getattr(_depth, "n", 0) + 1
    try:
        yield
    except KategoriError:
        raise
    except Exception as err:
        mapped = translate(err, settings, writing=writing) if outer else None
        if mapped is None:
            raise
        raise mapped from err
    finally:
        _depth.n -= 1
