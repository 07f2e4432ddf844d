"""Numbered copies: a document that carries a 份号 and says 共印 N 份 is written N
times, copy k with 份号 k (six digits, GB/T 9704-2012 7.2.2), one file each.

In: the planned jobs.  Out: the same jobs, each such circular replaced by its copies
(``<name>-fenhao-000001`` …); the others unchanged.
"""

from __future__ import annotations

import dataclasses

from generators.core.errors import InputError
from generators.kinds.jobs import AnyJob, Job

MAX_COPIES = 1000  # a file per copy: more than this is a typing slip, not a print run


def numbered_copies(jobs: list[AnyJob]) -> list[AnyJob]:
    out: list[AnyJob] = []
    for job in jobs:
        if not isinstance(job, Job):
            out.append(job)
            continue
        doc = job.document
        header, record = doc.header, doc.record
        if header is None or not header.copy_number or record is None or not record.print_count:
            out.append(job)
            continue
        count = record.print_count
        if count > MAX_COPIES:
            raise InputError(
                f"共印份数 {count} 超过按份号分别生成的上限 {MAX_COPIES}：请分批生成，或不用 --copies",
                file=job.source,
                field="共印份数",
            )
        width = max(6, len(header.copy_number))
        for k in range(1, count + 1):
            number = f"{k:0{width}d}"
            copy = dataclasses.replace(doc, header=dataclasses.replace(header, copy_number=number))
            out.append(job.variant(copy, f"fenhao-{number}"))
    return out
