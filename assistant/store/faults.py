"""Named points in the write path where tests can inject a failure (or any other action).

Production code calls `reached("commit.switched")` at every step whose interruption must be survivable; the
call costs a dictionary lookup. Tests install a hook with `inject(name, action)` to raise there (a crash,
a full disk) or to do something at exactly that moment (kill the Chroma server).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

# Every point, in the order a write passes them; tests iterate over this list.
WRITE_POINTS = (
    "write.locked",  # lock or lease held, nothing written
    "commit.created",  # new generation's collections exist, empty
    "commit.chunks",  # first batch of chunks and vectors written
    "commit.sentences",  # the sentence-vector collection (`<generation>-s`) exists, first batch written
    "commit.documents",  # document records (text, page map, manifest) written
    "commit.local",  # derived files (BM25, texts) written beside the index
    "commit.before_switch",  # generation checked, about to become the active one
    "commit.switched",  # new generation active; older ones not yet marked
    "commit.superseded",  # older generations marked as replaced
    "commit.cleaned",  # generations past their grace period removed
)
READ_POINTS = ("local.rebuilt",)  # a reader wrote derived files under a temporary name, not yet renamed

_hooks: dict[str, Callable[[], None]] = {}


def reached(point: str) -> None:
    hook = _hooks.get(point)
    if hook is not None:
        hook()


@contextlib.contextmanager
def inject(point: str, action: Callable[[], None] | BaseException) -> Iterator[None]:
    """Run `action` (or raise the exception) whenever `point` is reached inside the block."""
    if point not in WRITE_POINTS + READ_POINTS:
        raise ValueError(f"unknown fault point {point}")

    def hook() -> None:
        if isinstance(action, BaseException):
            raise action
        action()

    _hooks[point] = hook
    try:
        yield
    finally:
        _hooks.pop(point, None)
