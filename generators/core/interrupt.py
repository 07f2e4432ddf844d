"""Ctrl-C (SIGINT) and SIGTERM: stop at once, cleanly.

The CLI installs one handler in its process.  In the main process it raises
``Interrupted`` (a BaseException, so neither ``except Exception`` in a renderer nor
click's own KeyboardInterrupt handling swallows it); the ``atomic_path`` blocks it
unwinds delete their ``.part`` files.  A forked batch worker inherits the handler and
exits at once; the main process then sweeps the ``.part`` files the workers left.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

EXIT_CODE = 130  # what a shell reports for a process ended by Ctrl-C
_main_pid: int | None = None


class Interrupted(BaseException):
    """The user (SIGINT) or the system (SIGTERM) asked the program to stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    def __str__(self) -> str:
        return "已中断（Ctrl-C）" if self.signum == signal.SIGINT else "已中断（收到终止信号）"


def _handler(signum: int, frame: FrameType | None) -> None:
    if os.getpid() == _main_pid:
        raise Interrupted(signum)
    # A forked worker leaves at once, raising nothing: an exception raised inside a C
    # callback of a renderer would be printed (a traceback) and swallowed.  Its
    # ``.part`` file is a dead writer's, which the main process sweeps.
    os._exit(EXIT_CODE)


def install() -> None:
    """Handle SIGINT and SIGTERM in this process (and in processes it forks)."""
    global _main_pid
    _main_pid = os.getpid()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _handler)


def installed() -> bool:
    return _main_pid is not None


def ignore() -> None:
    """While cleaning up after an interrupt: a second Ctrl-C must not cut the cleanup short."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)


def in_worker() -> bool:
    return _main_pid is not None and os.getpid() != _main_pid
