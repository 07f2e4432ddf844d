"""套打 for a whole run: every document with a 版头 is written a second way, for paper
whose issuer mark and red rules are printed already (the 版头 left blank at its exact
size, everything else where it is on the full document; see ``Document.preprinted``).

In: the planned jobs.  Out: the same jobs, each document with a 版头 followed by its
套打 version (``<name>-taoda``: the full version beside it stays, for sending and
filing); the others (books, plans, sheets) unchanged.
"""

from __future__ import annotations

import dataclasses

from generators.kinds.jobs import AnyJob, Job


def preprinted_versions(jobs: list[AnyJob]) -> list[AnyJob]:
    out: list[AnyJob] = []
    for job in jobs:
        out.append(job)
        if isinstance(job, Job) and job.document.header is not None:
            out.append(job.variant(dataclasses.replace(job.document, preprinted=True), "taoda"))
    return out
