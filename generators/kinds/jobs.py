"""The contract between the kinds and the pipeline: what a kind hands over to be
rendered.  A ``Job`` holds a ``Document`` for the DOCX and PDF renderers; a
``FileJob`` writes its own file (a spreadsheet).  Jobs must pickle: they are rendered
in worker processes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generators.document.model import Document

Distinct = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Job:
    """One document to render: where it goes (relative to the output folder)."""

    document: Document
    relpath: Path  # without suffix, e.g. 2012/tongzhi/lian-fu-bao-ji-2012-5-hao
    source: Path
    # Called with the written paths (a circular records them in the number registry);
    # must pickle, as jobs may be rendered in worker processes.
    on_written: Callable[[list[Path]], None] | None = field(default=None, compare=False)
    # What tells this document from another input's of the same name, most telling
    # first, as (label, text): (("制定单位", "东海县妇幼保健所"),).  See pipeline.plan.claim.
    distinct: Distinct = ()

    def variant(self, document: Document, suffix: str) -> Job:
        """Another version of this document written beside it, as ``<name>-<suffix>``
        (a numbered copy, a 套打 version)."""
        relpath = self.relpath.with_name(f"{self.relpath.name}-{suffix}")
        return dataclasses.replace(self, document=document, relpath=relpath)


@dataclass(frozen=True)
class FileJob:
    """A file written directly (a spreadsheet), not through the document renderers."""

    relpath: Path  # with its suffix, e.g. 2012/tongji/2012Q1.xlsx
    source: Path
    write: Callable[[Path], Path]
    distinct: Distinct = ()

    @property
    def fmt(self) -> str:
        return self.relpath.suffix.lstrip(".")


AnyJob = Job | FileJob
