"""One build, start to end, as a library call (the ``build`` command and the later web
page both use it): plan the inputs, clear what a killed build left, render what
changed in a worker pool, record the manifest.

In: inputs, output folder, formats, options.  Out: a ``BuildResult``; an InputError
(nothing written) when an input is bad or there is none.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generators.core import fonts
from generators.core.errors import InputError
from generators.core.output import is_disk_full, os_error_message, remove_stale_parts
from generators.core.safefile import allowed_roots
from generators.pipeline import batch
from generators.pipeline.batch import Outcome
from generators.pipeline.copies import numbered_copies
from generators.pipeline.preprinted import preprinted_versions


@dataclass
class BuildResult:
    outcomes: list[Outcome]  # of the documents rendered this time
    planned: int  # documents to render
    skipped: int  # unchanged since the last build
    orphans: list[str] = field(default_factory=list)  # files earlier builds made for these inputs, no longer made
    interrupted: bool = False  # SIGINT/SIGTERM stopped the pool; the rest is made by the next build
    manifest_error: str | None = None  # the record could not be saved (disk full): next build redoes them
    seconds: float = 0.0

    @property
    def made(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.error]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]


def build(
    inputs: Sequence[Path],
    out: Path,
    formats: Sequence[str],
    *,
    workers: int,
    force: bool = False,
    registry: Path | None = None,
    allow: Sequence[Path] = (),
    copies: bool = False,
    preprinted: bool = False,
    warn: Callable[[str], None] = lambda message: None,
    on_start: Callable[[int], None] = lambda planned: None,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
) -> BuildResult:
    """Build ``inputs`` into ``out``.  ``warn`` hears the inputs' notes (a GB18030 file,
    a 文号 year unlike the date's) and what makes PDFs slow here (before rendering),
    ``on_start`` how many documents will be rendered, ``on_done`` each finished one.
    A document that fails does not stop the others (see the result).
    ``copies``: a document with 份号 and 共印份数 N is written as N numbered copies;
    ``preprinted``: a document with a 版头 is written for pre-printed red-head paper (套打)."""
    started = time.monotonic()
    chosen = list(formats)
    # Toggling either option remakes all.
    code = batch.code_fingerprint() + ("+copies" if copies else "") + ("+taoda" if preprinted else "")
    manifest = batch.Manifest() if force else batch.Manifest.load(out)
    with allowed_roots(list(allow)):
        steps = [step for step, wanted in ((preprinted_versions, preprinted), (numbered_copies, copies)) if wanted]
        expand = (lambda jobs: functools.reduce(lambda js, step: step(js), steps, jobs)) if steps else None
        planned = batch.plan_changes(list(inputs), out, chosen, manifest, code, registry, expand)
    if not planned.records:
        raise InputError("没有找到 YAML 输入文件")
    for record in planned.records.values():
        for note in record.get("notes", []):
            warn(note)
    try:
        remove_stale_parts(out, recursive=True)  # what a killed build left half-written
    except OSError as exc:
        raise InputError(os_error_message(exc, out)) from None
    if "pdf" in chosen and planned.render:
        for warning in fonts.pdf_speed_warnings():
            warn(warning)
    on_start(len(planned.render))
    result = BuildResult([], len(planned.render), planned.skipped)
    try:
        result.outcomes = batch.run(planned.render, out, chosen, workers, on_done)
    except batch.BatchInterrupted as exc:
        result.outcomes, result.interrupted = exc.outcomes, True
    if planned.render or planned.skipped:
        try:
            # Unfinished documents are left out, so the next build makes them.
            batch.record(manifest, planned, result.outcomes, out, code).save(out)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            result.manifest_error = os_error_message(exc, out)
    if not result.interrupted:
        result.orphans = batch.orphaned(manifest, planned, out)
    result.seconds = time.monotonic() - started
    return result
