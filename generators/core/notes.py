"""Notes and warnings found while an input is loaded (a file read as GB18030, a 文号
year that differs from the 成文日期's): not errors, the documents are still made.

Readers call ``add``; the build collects them per input with ``collecting`` (they are
kept in its record, so an unchanged input that is not read again still shows them).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from pathlib import Path

from generators.core.errors import InputError

_current: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("notes", default=None)


def add(message: str, *, file: Path | str | None = None, line: int | None = None, field: str | None = None) -> None:
    """Record a note, worded like an error (file, line, field); no-op outside ``collecting``."""
    seen = _current.get()
    if seen is None:
        return
    text = str(InputError(message, file=file, line=line, field=field))
    if text not in seen:
        seen.append(text)


@contextlib.contextmanager
def collecting() -> Iterator[list[str]]:
    seen: list[str] = []
    token = _current.set(seen)
    try:
        yield seen
    finally:
        _current.reset(token)
