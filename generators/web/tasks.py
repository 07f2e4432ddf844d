"""The render processes behind the page, and the long work they run in the background.

Rendering stays out of the server process: weasyprint and python-docx run in a small
pool of spawned workers (spawned, not forked: the server has threads), warmed at
start.  Background work (a quarter, the books, an archive) gets a task id; its
progress is a JSON file in ``<work>/tasks`` that the page polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from generators.web import work
from generators.web.accounts import now


class Workers:
    def __init__(self, tasks_dir: Path, processes: int) -> None:
        self.tasks_dir = tasks_dir
        self.tasks_dir.mkdir(parents=True, exist_ok=True)
        self.processes = processes
        self._lock = threading.Lock()
        self._pool = self._new_pool()
        _prune(tasks_dir.parent)
        for state in self.tasks():  # a server stopped while they ran
            if state.get("state") in ("排队", "进行中"):
                work.Progress(self.tasks_dir / f"{state['id']}.json").write(
                    state="中断", message="服务器重启，任务未完成；请重新提交"
                )

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.processes, mp_context=multiprocessing.get_context("spawn"), initializer=work.init_worker
        )

    def warm(self) -> None:
        for future in [self._pool.submit(work.warm) for _ in range(self.processes)]:
            future.result()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        with self._lock:
            try:
                return self._pool.submit(fn, *args)
            except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
                self._pool = self._new_pool()
                return self._pool.submit(fn, *args)

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.wrap_future(self.submit(fn, *args))

    def background(self, kind: str, role: str, user: str, title: str, fn: Callable[..., Any], *args: Any) -> str:
        """Start ``fn(*args, progress_file)``; returns the task id."""
        task_id = secrets.token_hex(8)
        progress = self.tasks_dir / f"{task_id}.json"
        state = work.Progress(progress)
        state.write(
            id=task_id,
            kind=kind,
            role=role,
            user=user,
            title=title,
            state="排队",
            done=0,
            total=0,
            started=now(),
            message="",
        )
        future = self.submit(fn, *args, progress)

        def finished(f: Future) -> None:
            error = f.exception()
            if error is not None:  # the worker died or raised outside InputError
                state.write(state="失败", message=f"任务出错：{type(error).__name__}")

        future.add_done_callback(finished)
        return task_id

    def task(self, task_id: str) -> dict | None:
        if not (len(task_id) == 16 and all(c in "0123456789abcdef" for c in task_id)):
            return None
        state = work.Progress(self.tasks_dir / f"{task_id}.json").read()
        return state or None

    def tasks(self) -> list[dict]:
        found = []
        for path in sorted(self.tasks_dir.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
            try:
                found.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        return found

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


KEEP_DAYS = 7


def _prune(work_dir: Path) -> None:
    """At start: previews and task records older than a week, and uploads a stopped
    server was still checking, go (they are all remade on demand)."""
    cutoff = time.time() - KEEP_DAYS * 86400
    for folder in (work_dir / "previews", work_dir / "tasks"):
        for entry in folder.glob("*") if folder.exists() else []:
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < cutoff:
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.rmtree(work_dir / "uploads", ignore_errors=True)
