"""Reading the files an input names, safely.

Two rules.  A file named inside an input (an attachment, a units file, a quarter's
data) must lie in the input's own folder tree, or under a folder the user named on
the command line; absolute paths and symlinks that leave those folders are refused
before anything is opened.  And every input is read only if it is a regular file, and
only up to a size limit checked before and while reading, so /dev/zero, a FIFO or a
growing file can neither exhaust memory nor block the build.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from generators.core.errors import InputError, Where

_extra_roots: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("roots", default=())
# C:\…, C:/…, \\server\share, ~user: absolute on some system, even if not on this one.
_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:|[\\/]|~)")


@contextlib.contextmanager
def allowed_roots(folders: Iterable[Path]) -> Iterator[None]:
    """Also allow named files under ``folders`` (folders given on the command line)."""
    roots = tuple(Path(f).resolve() for f in folders)
    token = _extra_roots.set(_extra_roots.get() + roots)
    try:
        yield
    finally:
        _extra_roots.reset(token)


def roots_for(paths: Iterable[Path]) -> list[Path]:
    """The folders a command line names: the folders themselves, and the folder of each
    file (a file's own folder is allowed anyway; listing it keeps the rule visible)."""
    out = []
    for p in paths:
        p = Path(p)
        out.append(p if p.is_dir() else p.parent)
    return out


def named_file(source_file: Path, name: str, *, line: int | None = None, field: str | None = None) -> Path:
    """The file ``name`` written in ``source_file``, resolved, confined, not yet read.

    Relative to the input's folder; the result (symlinks followed) must lie in that
    folder's tree or under an ``allowed_roots`` folder."""
    where: Where = {"file": source_file, "line": line, "field": field}
    if "\x00" in name:
        raise InputError(f"文件名含有空字符：{name!r}", **where)
    if _ABSOLUTE.match(name) or Path(name).is_absolute():
        raise InputError(
            f"不能引用绝对路径“{name}”：只能写相对于输入文件所在文件夹的路径，拒绝读取",
            **where,
        )
    base = Path(os.path.abspath(source_file)).parent
    try:
        resolved = (base / name).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise InputError(f"无法解析文件路径“{name}”（符号链接循环？）", **where) from None
    roots = (base.resolve(), *_extra_roots.get())
    if not any(resolved.is_relative_to(root) for root in roots):
        raise InputError(
            f"文件“{name}”位于输入文件所在文件夹之外（{resolved}），拒绝读取；"
            "如确需引用，请把它放进输入文件夹，或在命令行用 --allow 指定所在文件夹",
            **where,
        )
    return resolved


def read_bounded(
    path: Path,
    limit: int,
    *,
    file: Path | None = None,
    line: int | None = None,
    field: str | None = None,
    label: str = "文件",
) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Errors name ``file`` (the input that names ``path``) when given, else ``path``.
    A FIFO, device, socket or folder is refused without blocking: the open is
    non-blocking and the type is checked on the open descriptor as well."""
    where: Where = {"file": file or path, "line": line, "field": field}
    shown = f"：{path}" if file is not None else ""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{label}不存在{shown}", **where) from None
    except OSError as exc:
        raise InputError(f"无法读取{label}（{exc.strerror}）{shown}", **where) from None
    _check_regular(st, label, shown, where)
    if st.st_size > limit:
        raise InputError(f"{label}过大（{st.st_size} 字节，上限 {limit} 字节）{shown}", **where)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"无法读取{label}（{exc.strerror}）{shown}", **where) from None
    try:
        _check_regular(os.fstat(fd), label, shown, where)  # swapped since the stat
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # the file grew while being read
                raise InputError(f"{label}过大（超过上限 {limit} 字节）{shown}", **where)
    except OSError as exc:
        raise InputError(f"无法读取{label}（{exc.strerror}）{shown}", **where) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def _check_regular(st: os.stat_result, label: str, shown: str, where: Where) -> None:
    if stat.S_ISREG(st.st_mode):
        return
    kind = (
        "文件夹"
        if stat.S_ISDIR(st.st_mode)
        else "命名管道（FIFO）"
        if stat.S_ISFIFO(st.st_mode)
        else "设备文件"
        if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
        else "套接字"
        if stat.S_ISSOCK(st.st_mode)
        else "特殊文件"
    )
    raise InputError(f"{label}是{kind}，不是普通文件，拒绝读取{shown}", **where)
