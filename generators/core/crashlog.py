"""The CLI's last line of defence: an unexpected exception becomes one Chinese sentence
for the user and a full traceback in a log file for whoever fixes it."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

from generators.core.output import DISK_FULL


def log_folder() -> Path:
    """GONGWEN_LOG_DIR, else ~/.cache/gongwen-reports/logs (the temporary folder if
    the home folder is not writable)."""
    if env := os.environ.get("GONGWEN_LOG_DIR"):
        return Path(env)
    return Path.home() / ".cache" / "gongwen-reports" / "logs"


def write_log(exc: BaseException) -> Path | None:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = f"gongwen-reports {stamp}\nargv: {sys.argv!r}\npython: {sys.version}\n\n" + "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__)
    )
    for folder in (log_folder(), Path(tempfile.gettempdir()) / "gongwen-reports-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"crash-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        return True
    return type(exc).__name__ == "OperationalError" and "full" in str(exc)  # sqlite3


def report(exc: BaseException) -> str:
    """The message for an exception nothing else handled (the traceback goes to a log)."""
    log = write_log(exc)
    where = f"详细信息已写入日志文件 {log}" if log else "日志文件也无法写入"
    if _disk_full(exc):
        folder = Path(exc.filename).parent if isinstance(exc, OSError) and exc.filename else Path.cwd()
        return f"错误：磁盘空间不足（或超过配额），无法写入 {folder}：请清理磁盘后重试。{where}。"
    if isinstance(exc, MemoryError):
        return f"错误：内存不足，无法完成。{where}。"
    return (
        f"错误：程序内部出错（{type(exc).__name__}），这可能不是您的输入造成的。"
        f"{where}；请把该文件和所用的输入发给维护人员报告此问题。"
    )
