"""The one process pool: run calls in forked workers, in order of completion, and stop
every worker at once on SIGINT/SIGTERM.

In: a function, its argument tuples, a worker count.  Out: the results in argument
order, each reported to ``on_done`` as it finishes; on an interrupt, ``Interrupted``
carrying the results finished so far.  ``batch.run`` renders a build's documents with
it, ``archive.package`` the PDF/A files of a package.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

from generators.core import interrupt

STOP_GRACE = 3.0  # seconds a worker has to leave after SIGTERM


class Interrupted(Exception):
    """SIGINT/SIGTERM stopped the pool: the results finished before the stop, by index."""

    def __init__(self, finished: dict[int, Any], signum: int) -> None:
        super().__init__(signum)
        self.finished = finished
        self.signum = signum


def run_all(
    fn: Callable[..., Any],
    calls: Sequence[tuple[Any, ...]],
    workers: int,
    on_done: Callable[[int, Any], None] = lambda index, result: None,
) -> list[Any]:
    """``fn(*args)`` for each of ``calls`` with ``workers`` processes (1: in this one)."""
    results: dict[int, Any] = {}
    if workers <= 1 or len(calls) <= 1:
        try:
            for index, args in enumerate(calls):
                results[index] = fn(*args)
                on_done(index, results[index])
        except interrupt.Interrupted as exc:
            interrupt.ignore()
            raise Interrupted(results, exc.signum) from None
        return [results[i] for i in range(len(calls))]
    # fork: workers inherit the loaded modules, templates and data (each still loads
    # weasyprint's fonts itself: warming the parent first was measured, and saved
    # nothing, since it is serial).
    pool = ProcessPoolExecutor(max_workers=min(workers, len(calls)), mp_context=multiprocessing.get_context("fork"))
    futures: dict[Future[Any], int] = {}
    try:
        futures = {pool.submit(fn, *args): index for index, args in enumerate(calls)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            on_done(futures[future], results[futures[future]])
    except interrupt.Interrupted as exc:
        interrupt.ignore()
        _stop_pool(pool)
        # Not waited for: a worker stopped in mid-message can leave the pool's result
        # pipe unreadable (the CLI leaves with os._exit after reporting).
        pool.shutdown(wait=False)
        raise Interrupted(_finished(futures, results), exc.signum) from None
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(calls))]


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now: SIGTERM makes one in mid-document delete its ``.part``
    file and exit, an idle one exit; one still there after a grace period is killed
    (its ``.part`` file, if any, is swept as a dead writer's).  Futures are not
    cancelled here: the pool's own thread fails them when it sees the workers gone
    (cancelling as well races with it, and Python 3.11 prints a traceback)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        with contextlib.suppress(OSError):
            os.kill(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for proc in processes:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join(5)


def _finished(futures: dict[Future[Any], int], seen: dict[int, Any]) -> dict[int, Any]:
    """Results already reported, plus any finished but not yet collected."""
    out = dict(seen)
    for future, index in futures.items():
        if index not in out and future.done() and not future.cancelled() and future.exception() is None:
            out[index] = future.result()
    return out
