"""One writer at a time: a file lock for the embedded store, a lease record for a shared Chroma server.

On a shared server the lock must live on the server, since the instances share nothing else. Chroma has
no transactions we can use, but creating a collection whose name already exists fails, so a collection
named `<collection>-lease-<epoch>` is a lease only one writer can take. The holder renews its expiry
while it works (a background thread); a writer that finds a live lease waits, and takes over one that
expired (or whose process on this machine has died) by creating the next epoch. Before it switches the
active generation a writer checks that its lease is still the newest and its own, so a writer that was
paused past its expiry cannot overwrite the work of the one that took over.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.store.failures import LeaseLostError, WriterBusyError

log = logging.getLogger(__name__)

NotifyFn = Callable[[str], None]
_POLL_SECONDS = 0.25


def owner_info(settings: Settings) -> dict[str, Any]:
    host = socket.gethostname()
    return {
        "instance": settings.instance_name or host,
        "host": host,
        "pid": os.getpid(),
        "since": time.time(),
    }


def describe_owner(meta: dict[str, Any]) -> str:
    since = meta.get("since")
    when = f", sedan {datetime.fromtimestamp(since).strftime('%H:%M:%S')}" if isinstance(since, int | float) else ""
    return f"instansen »{meta.get('instance', '?')}« (värd {meta.get('host', '?')}, process {meta.get('pid', '?')}{when})"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _busy(holder: str, waited: float) -> WriterBusyError:
    return WriterBusyError(
        f"En annan skrivning pågår redan: {holder}. Väntade {waited:.0f} s utan att den blev klar "
        "(KATEGORI_WRITE_WAIT_SECONDS). Försök igen om en stund; ingenting har ändrats."
    )


class LocalLock:
    """An exclusive `flock` on `<data_dir>/.write.lock`; the kernel releases it if the process dies."""

    def __init__(self, fh, path: Path):
        self._fh = fh
        self.path = path

    @classmethod
    def acquire(cls, settings: Settings, notify: NotifyFn | None = None) -> LocalLock:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path = settings.data_dir / ".write.lock"
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = cls._holder(fh)
                waited = time.monotonic() - started
                if waited >= settings.write_wait_seconds:
                    fh.close()
                    raise _busy(holder, waited) from None
                if notify and not told:
                    notify(f"Väntar på att en annan skrivning ska bli klar: {holder} …")
                    told = True
                time.sleep(_POLL_SECONDS)
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps(owner_info(settings)))
        fh.flush()
        return cls(fh, path)

    @staticmethod
    def _holder(fh) -> str:
        with contextlib.suppress(OSError, ValueError):
            fh.seek(0)
            return describe_owner(json.loads(fh.read() or "{}"))
        return "en annan process på den här datorn"

    def check(self) -> None:
        """A kernel lock cannot be lost while the process lives."""

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()


class ServerLease:
    """A lease collection on the Chroma server, renewed by a background thread while held."""

    def __init__(self, settings: Settings, client, name: str, epoch: int, meta: dict[str, Any],
                 client_factory: Callable[[], Any]):
        self.settings = settings
        self.name = name
        self.epoch = epoch
        self._client = client
        self._meta = meta
        self._lost: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew_loop, args=(client_factory,), daemon=True)

    @staticmethod
    def prefix(settings: Settings) -> str:
        return f"{settings.collection}-lease-"

    @classmethod
    def leases(cls, client, settings: Settings) -> list[tuple[int, Any]]:
        prefix = cls.prefix(settings)
        found = []
        for col in client.list_collections():
            suffix = col.name[len(prefix) :]
            if col.name.startswith(prefix) and suffix.isdigit():
                found.append((int(suffix), col))
        return sorted(found, key=lambda x: x[0])

    @staticmethod
    def is_live(meta: dict[str, Any], now: float | None = None) -> bool:
        now = time.time() if now is None else now
        if meta.get("released") or float(meta.get("expires_at", 0)) <= now:
            return False
        # A holder on this machine whose process is gone will never release it: no need to wait it out.
        same_host = meta.get("host") == socket.gethostname()
        return not (same_host and isinstance(meta.get("pid"), int) and not process_alive(meta["pid"]))

    @classmethod
    def acquire(cls, settings: Settings, client, client_factory: Callable[[], Any],
                notify: NotifyFn | None = None) -> ServerLease:
        started = time.monotonic()
        told = False
        while True:
            leases = cls.leases(client, settings)
            top = leases[-1] if leases else None
            if top is not None and cls.is_live(top[1].metadata or {}):
                holder = describe_owner(top[1].metadata or {})
                waited = time.monotonic() - started
                if waited >= settings.write_wait_seconds:
                    raise _busy(holder, waited)
                if notify and not told:
                    notify(f"Väntar på att en annan skrivning mot den delade Chroma-servern ska bli klar: {holder} …")
                    told = True
                time.sleep(_POLL_SECONDS)
                continue
            epoch = top[0] + 1 if top else 1
            meta = {**owner_info(settings), "token": uuid.uuid4().hex,
                    "expires_at": time.time() + settings.write_lease_seconds}
            name = f"{cls.prefix(settings)}{epoch:06d}"
            try:
                client.create_collection(name, embedding_function=None, metadata=meta)
            except Exception as err:
                if "already exists" in str(err).lower():
                    continue  # another writer took this epoch first; look again
                raise
            lease = cls(settings, client, name, epoch, meta, client_factory)
            for _, old in leases:  # earlier epochs are history now
                with contextlib.suppress(Exception):
                    client.delete_collection(old.name)
            lease._thread.start()
            return lease

    def _renew_loop(self, client_factory: Callable[[], Any]) -> None:
        interval = max(0.5, self.settings.write_lease_seconds / 3)
        client = None
        while not self._stop.wait(interval):
            try:
                client = client or client_factory()
                self._verify(client)
                self._meta = {**self._meta, "expires_at": time.time() + self.settings.write_lease_seconds}
                client.get_collection(self.name, embedding_function=None).modify(metadata=self._meta)
            except LeaseLostError as err:
                self._lost = str(err)
                return
            except Exception as err:  # the server may be back before the lease runs out
                log.warning("Kunde inte förnya skrivlåset %s: %s", self.name, err)

    def _verify(self, client) -> None:
        leases = self.leases(client, self.settings)
        top = leases[-1] if leases else None
        ours = top is not None and top[0] == self.epoch and (top[1].metadata or {}).get("token") == self._meta["token"]
        if not ours:
            holder = describe_owner(top[1].metadata or {}) if top else "ingen"
            raise LeaseLostError(
                f"Skrivlåset på Chroma-servern gick ut innan skrivningen var klar och har tagits över av {holder}. "
                "Ingenting från den här skrivningen har aktiverats; försök igen."
            )
        if float(self._meta["expires_at"]) <= time.time():
            raise LeaseLostError(
                "Skrivlåset på Chroma-servern hann gå ut (servern svarade inte i tid). Ingenting från den här "
                "skrivningen har aktiverats; försök igen."
            )

    def check(self) -> None:
        """Raise unless this lease is still the newest, ours and unexpired (called before switching)."""
        if self._lost:
            raise LeaseLostError(self._lost)
        self._verify(self._client)

    def release(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        with contextlib.suppress(Exception):
            col = self._client.get_collection(self.name, embedding_function=None)
            if (col.metadata or {}).get("token") == self._meta["token"]:
                col.modify(metadata={**self._meta, "released": True, "expires_at": 0.0})
