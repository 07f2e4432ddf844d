"""Circular numbers from the registry: taken while planning (before anything is
written), the written files recorded against them after rendering.

A ``Claims`` is one batch's hold on one registry, passed explicitly to the loaders
that number documents.  ``序号: auto`` gets the number the input already holds, else
the next one; an explicit 序号 is reserved, so two inputs with one number are caught.
A number newly taken for an input that then fails to load is given back; inside
``Claims.batch()`` so are the numbers of the whole batch when any input fails.
"""

from __future__ import annotations

import contextlib
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


class Claims:
    """The numbers a batch takes from ``registry`` (default: registry.default_path())."""

    def __init__(self, registry: Path | None = None) -> None:
        self.registry = Registry(registry)
        self._taken: list[Claim] = []  # newly taken in this batch: given back if it fails
        self._held: list[str] | None = None  # numbers of the input being loaded (recording)

    @contextlib.contextmanager
    def batch(self) -> Iterator[Claims]:
        """Plan a batch; if planning fails, the numbers it newly took are given back."""
        self._taken = []
        try:
            yield self
        except BaseException:
            for claim in reversed(self._taken):
                with contextlib.suppress(InputError):  # the original error matters more
                    self.registry.release(claim)
            raise
        finally:
            self._taken = []

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[str]]:
        """The numbers held by the inputs loaded inside the block (for the build manifest)."""
        held: list[str] = []
        outer, self._held = self._held, held
        try:
            yield held
        finally:
            self._held = outer

    def issued_numbers(self) -> frozenset[str]:
        """Numbers now issued, not voided, in the registry (empty: no registry yet)."""
        return self.registry.issued_numbers()

    @contextlib.contextmanager
    def numbered(
        self, spec: CircularIn, source: Located, kind: str = KIND, loc: Loc = ("发文字号", "序号")
    ) -> Iterator[tuple[CircularIn, Issued]]:
        """``spec`` with its number, and the hook that records its files. An auto number
        is taken before the block (the document needs it) and given back if the block
        fails; an explicit one is reserved after it, so the input's own errors come
        first.  ``kind`` tells apart documents of one input (the quarters of a
        supervision file); ``loc`` is where the input writes the 序号, for messages."""
        auto = spec.number.sequence == AUTO
        claim = self._claim(spec, source, kind, loc) if auto else None
        try:
            if claim is not None:
                spec = spec.model_copy(update={"number": spec.number.model_copy(update={"sequence": claim.seq})})
            assert isinstance(spec.number.sequence, int)  # auto was replaced by the claimed number
            number = document_number(spec.issuer.code, spec.number.year, spec.number.sequence)
            yield spec, Issued(self.registry.path, number)
        except BaseException:
            if claim is not None and claim.new:
                with contextlib.suppress(InputError):
                    self.registry.release(claim)
            raise
        if claim is None:
            claim = self._claim(spec, source, kind, loc)
        if claim.new:
            self._taken.append(claim)
        if self._held is not None:
            self._held.append(claim.number)

    def _claim(self, spec: CircularIn, source: Located, kind: str, loc: Loc) -> Claim:
        seq = spec.number.sequence
        title, date = "".join(spec.title or []), spec.date.isoformat()
        key = self.registry.key_for(source.file, kind)
        try:
            wanted = seq if isinstance(seq, int) else None  # auto: the next free number
            return self.registry.claim(spec.issuer.code, spec.number.year, key, title, date, wanted, kind=kind)
        except NumberConflict as exc:
            message = f"{exc.message}（发文登记簿 {self.registry.path}）"
            raise InputError(message, file=source.file, line=source.line_of(loc), field=field_path(loc)) from None
