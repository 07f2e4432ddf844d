"""Which files an input depends on: every reader notes the files it opens, so an
incremental build knows when an input's documents must be made again."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from pathlib import Path

_current: contextvars.ContextVar[set[Path] | None] = contextvars.ContextVar("deps", default=None)


def note(path: Path | str) -> None:
    """Record that the input being loaded read ``path`` (no-op outside ``recording``)."""
    seen = _current.get()
    if seen is not None:
        seen.add(Path(path).resolve())


@contextlib.contextmanager
def recording() -> Iterator[set[Path]]:
    seen: set[Path] = set()
    token = _current.set(seen)
    try:
        yield seen
    finally:
        _current.reset(token)
