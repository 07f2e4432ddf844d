"""Circular numbers from the registry: taken while planning (before anything is
written), the written files recorded against them after rendering.

``序号: auto`` gets the number the input already holds, else the next one; an explicit
序号 is reserved, so two inputs with one number are caught. A number newly taken for
an input that then fails to load is given back; inside ``batch()`` so are the numbers
of the whole batch when any input fails.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generators.core.errors import InputError
from generators.core.yamlsrc import Loc, Located, field_path
from generators.kinds.circular import CircularIn
from generators.numbers.format import AUTO, document_number
from generators.numbers.registry import Claim, NumberConflict, Registry

KIND = "公文"

_registry_path: contextvars.ContextVar[Path | None] = contextvars.ContextVar("registry_path", default=None)
_taken: contextvars.ContextVar[list[tuple[Registry, Claim]] | None] = contextvars.ContextVar("taken", default=None)
_held: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("held", default=None)


@dataclass(frozen=True)
class Issued:
    """A job's after-render hook: record the written files. Plain data, so it pickles
    into render worker processes."""

    registry: Path
    number: str

    def __call__(self, written: list[Path]) -> None:
        files = []
        for path in written:
            with open(path, "rb") as fh:
                files.append((path, hashlib.file_digest(fh, "sha256").hexdigest(), path.stat().st_size))
        Registry(self.registry).record_files(self.number, files)


@contextlib.contextmanager
def batch(registry: Path | None = None) -> Iterator[None]:
    """Plan a batch against ``registry`` (default: registry.default_path()); if planning
    fails, the numbers it newly took are given back."""
    taken: list[tuple[Registry, Claim]] = []
    tokens = _registry_path.set(registry), _taken.set(taken)
    try:
        yield
    except BaseException:
        for reg, claim in reversed(taken):
            with contextlib.suppress(InputError):  # the original error matters more
                reg.release(claim)
        raise
    finally:
        _registry_path.reset(tokens[0])
        _taken.reset(tokens[1])


@contextlib.contextmanager
def numbered(
    spec: CircularIn, source: Located, kind: str = KIND, loc: Loc = ("发文字号", "序号")
) -> Iterator[tuple[CircularIn, Issued]]:
    """``spec`` with its number, and the hook that records its files. An auto number is
    taken before the block (the document needs it) and given back if the block fails;
    an explicit one is reserved after it, so the input's own errors come first.
    ``kind`` tells apart documents of one input (the quarters of a supervision file);
    ``loc`` is where the input writes the 序号, for messages."""
    registry = Registry(_registry_path.get())
    auto = spec.number.sequence == AUTO
    claim = _claim(registry, spec, source, kind, loc) if auto else None
    try:
        if claim is not None:
            spec = spec.model_copy(update={"number": spec.number.model_copy(update={"sequence": claim.seq})})
        assert isinstance(spec.number.sequence, int)  # auto was replaced by the claimed number
        yield spec, Issued(registry.path, document_number(spec.issuer.code, spec.number.year, spec.number.sequence))
    except BaseException:
        if claim is not None and claim.new:
            with contextlib.suppress(InputError):
                registry.release(claim)
        raise
    if claim is None:
        claim = _claim(registry, spec, source, kind, loc)
    taken = _taken.get()
    if claim.new and taken is not None:
        taken.append((registry, claim))
    held = _held.get()
    if held is not None:
        held.append(claim.number)


@contextlib.contextmanager
def recording_numbers() -> Iterator[list[str]]:
    """The numbers held by the inputs loaded inside the block (for the build manifest)."""
    held: list[str] = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def issued_numbers() -> frozenset[str]:
    """Numbers now issued, not voided, in the batch's registry (empty: no registry)."""
    return Registry(_registry_path.get()).issued_numbers()


def _claim(registry: Registry, spec: CircularIn, source: Located, kind: str, loc: Loc) -> Claim:
    seq = spec.number.sequence
    title, date = "".join(spec.title), spec.date.isoformat()
    key = registry.key_for(source.file, kind)
    try:
        wanted = seq if isinstance(seq, int) else None  # auto: the next free number
        return registry.claim(spec.issuer.code, spec.number.year, key, title, date, wanted, kind=kind)
    except NumberConflict as exc:
        message = f"{exc.message}（发文登记簿 {registry.path}）"
        raise InputError(message, file=source.file, line=source.line_of(loc), field=field_path(loc)) from None
