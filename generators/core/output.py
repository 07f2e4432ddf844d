"""Write outputs whole or not at all: a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

# .<target name>.<pid of the writer>-<random>.part
_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[^.]+\.part$")
_swept: set[Path] = set()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto ``target`` only
    when the block finishes without error, so readers never see a half-written file."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.parent not in _swept:  # once per folder and process
        _swept.add(target.parent)
        remove_stale_parts(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp makes the file owner-only; outputs are ordinary shared documents.
        os.chmod(tmp_path, 0o644 & ~_umask())
        os.replace(tmp_path, target)
        _fsync_dir(target.parent)
    finally:
        tmp_path.unlink(missing_ok=True)


def remove_stale_parts(folder: Path, *, recursive: bool = False) -> list[Path]:
    """Delete the temporary files of writers that were killed (SIGKILL runs no
    cleanup): a ``.<name>.<pid>-….part`` whose process is gone.  A live writer's
    file, in this process or a parallel one, is left alone.  ``atomic_path`` sweeps
    each folder it writes to; ``recursive`` sweeps a whole output tree."""
    removed: list[Path] = []
    try:
        entries = list(Path(folder).rglob("*.part") if recursive else Path(folder).iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _PART.match(entry.name)
        if m is None or _alive(int(m["pid"])):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    try:  # a killed writer nobody has reaped yet is a zombie: dead for our purpose
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (matters on power loss, not on a kill)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# No space left, quota exceeded, file size limit (RLIMIT_FSIZE): all "the disk is full".
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in DISK_FULL


def os_error_message(exc: OSError, folder: Path) -> str:
    """A failed write, in words: a full disk says so and names the folder."""
    where = Path(exc.filename).parent if exc.filename else folder
    if exc.errno in DISK_FULL:
        return f"磁盘空间不足（或超过配额、文件大小限制），无法写入 {where}：请清理磁盘后重新生成"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有写入权限，无法写入 {where}"
    return f"无法写入 {where}（{exc.strerror or exc}）"


def out_dir_problem(out: Path, option: str = "--out") -> str | None:
    """Why ``out`` cannot be an output folder (a file is in the way, no permission), or
    None: checked before any work, so a bad argument is one sentence, not a traceback."""
    probe = Path(out)
    while not probe.exists() and not probe.is_symlink() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        what = "输出文件夹" if probe == Path(out) else f"输出文件夹的上级 {probe}"
        return f"{option} {out}：{what}是一个已存在的文件，不是文件夹；请另选输出文件夹"
    if not probe.exists():
        return f"{option} {out}：无法创建输出文件夹（{probe} 是无效的链接）"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"{option} {out}：没有写入 {probe} 的权限"
    return None


def registry_problem(path: Path | None) -> str | None:
    """A --registry that exists must be a regular file (sqlite would block on a FIFO)."""
    if path is None or not Path(path).exists():
        return None if path is None else out_dir_problem(Path(path).parent, "--registry")
    if not Path(path).is_file():
        return f"--registry {path}：不是普通文件（是文件夹、管道或设备），请给出登记簿文件"
    return None


FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def normalised_zip(data: bytes) -> bytes:
    """Rewrite a zip package (DOCX, XLSX) with fixed member timestamps, so equal input
    gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
