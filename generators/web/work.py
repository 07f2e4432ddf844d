"""The work the web page hands to its render processes.

Each function takes plain paths and returns plain data, so it runs in a worker
process (``web.tasks``) and its result pickles back.  Long work reports progress
into a small JSON file the page polls (``Progress``); every file it makes is written
whole or not at all (the library's atomic writes, zips through ``atomic_path``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2

from generators.archive.package import archive_inputs
from generators.core import fonts
from generators.core.errors import InputError
from generators.core.output import atomic_path
from generators.core.safefile import allowed_roots
from generators.kinds.jobs import Job
from generators.numbers.registry import Registry
from generators.pipeline.batch import render_job
from generators.pipeline.plan import plan
from generators.pipeline.run import build

fonts.configure()  # before weasyprint loads pango in this process

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PREVIEW_SCALE = 1.3
_FAST_TMP = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # PDF points to pixels: an A4 page 774 × 1094 px


@dataclass
class Preview:
    pages: int = 0
    error: str | None = None


@dataclass
class Built:
    files: list[str] = field(default_factory=list)  # relative to the output folder
    number: str | None = None
    error: str | None = None
    pages: int = 0


class Progress:
    """A task's state in ``<work>/tasks/<id>.json``: read by the page, written here."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, **state: object) -> None:
        current = self.read()
        current.update(state)
        with atomic_path(self.path) as tmp:
            tmp.write_text(json.dumps(current, ensure_ascii=False), encoding="utf-8")

    def read(self) -> dict:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}


def init_worker() -> None:
    """Each render process dies with the server (Linux: PR_SET_PDEATHSIG), so a killed
    server leaves no orphan still writing into the data folder."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the server died before the call
        os._exit(1)


def warm() -> int:
    """Load the renderers once, so the first preview is not the slow one."""
    import generators.render.docx
    import generators.render.pdf  # noqa: F401

    return os.getpid()


def _message(exc: InputError, shown: Path | None = None, as_name: str = "表单") -> str:
    text = str(exc)
    if shown is not None:
        text = text.replace(str(shown), as_name)
    return text


def _copy_registry(source: Path, target: Path) -> None:
    """A snapshot of the registry, so a preview shows the next number without taking it."""
    if not source.exists():
        return
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def preview(source_text: str, doc_dir: Path, registry: Path, allow: Path, cache: Path) -> Preview:
    """Render ``source_text`` (a circular's YAML) as PNG pages into ``cache``; the input
    sits in ``doc_dir`` while it is planned, so the names of its attachments resolve.

    No build manifest, no code fingerprint: a preview is thrown away.  The registry
    snapshot lives in shared memory when there is some (its commits are fsync'd)."""
    done = cache / "pages.json"
    if done.exists():
        return Preview(**json.loads(done.read_text(encoding="utf-8")))
    cache.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="gongwen-preview-", dir=_FAST_TMP))
    source = doc_dir / f".preview-{cache.name}.yaml"
    source.write_text(source_text, encoding="utf-8")
    snapshot = scratch / "registry.sqlite3"
    result = Preview()
    try:
        _copy_registry(registry, snapshot)
        with allowed_roots([allow]):
            jobs = plan([source], snapshot)
        if not jobs or not isinstance(jobs[0], Job):
            result.error = "这份输入不生成公文页面，无法预览"
        else:
            outcome = render_job(jobs[0], scratch / "out", ["pdf"])
            if outcome.error:
                result.error = outcome.error
            else:
                result.pages = _rasterise(scratch / "out" / outcome.files[0], cache)
    except InputError as exc:
        result.error = _message(exc, source)
    finally:
        source.unlink(missing_ok=True)
        shutil.rmtree(scratch, ignore_errors=True)
    with atomic_path(done) as tmp:
        tmp.write_text(json.dumps(result.__dict__, ensure_ascii=False), encoding="utf-8")
    return result


def _rasterise(pdf: Path, folder: Path) -> int:
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for index in range(len(document)):
            image = document[index].render(scale=PREVIEW_SCALE).to_pil()
            with atomic_path(folder / f"{index + 1}.png") as tmp:
                image.save(tmp, format="PNG", compress_level=1)  # fast: a preview lives minutes
        return len(document)
    finally:
        document.close()


def rasterise(pdf: Path, folder: Path) -> int:
    """Pages of a PDF as PNG files 1.png, 2.png, … in ``folder``: drawn once, and again
    when the PDF has been rebuilt since."""
    first = folder / "1.png"
    if first.exists() and first.stat().st_mtime >= pdf.stat().st_mtime:
        return len(list(folder.glob("*.png")))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return _rasterise(pdf, folder)


def approve(source: Path, out: Path, registry: Path, allow: Path) -> Built:
    """Build the circular ``source`` for good: its number is taken from ``registry``
    (the one it already holds, if approving it was interrupted) and its files written."""
    try:
        built = build([source], out, ["docx", "pdf"], workers=1, registry=registry, allow=[allow])
    except InputError as exc:
        return Built(error=_message(exc, source, "公文"))
    if built.failed:
        return Built(error=built.failed[0].error)
    reg = Registry(registry)
    key = reg.key_for(source, "公文")
    numbers = [e.number for e in reg.list_numbers() if e.key == key and e.status == "issued"]
    files = [f for o in built.made for f in o.files] or _existing(out)
    return Built(files=files, number=numbers[-1] if numbers else None, pages=sum(o.pages for o in built.made))


def _existing(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.suffix in (".docx", ".pdf"))


def build_with_progress(
    sources: list[Path], out: Path, registry: Path, allow: Path, only: str, zip_name: str, progress: Path
) -> Built:
    """Build ``sources`` (a year's supervision input, the book) with progress, then zip
    the files made whose path holds ``only`` (a quarter: "2012q1"; "" for all) into
    ``out/zip_name``."""
    state = Progress(progress)
    state.write(state="进行中", done=0, total=0)
    done = 0

    def on_start(planned: int) -> None:
        state.write(total=planned)

    def on_done(outcome: object) -> None:
        nonlocal done
        done += 1
        state.write(done=done)

    try:
        built = build(
            sources,
            out,
            ["docx", "pdf", "xlsx"],
            workers=1,
            registry=registry,
            allow=[allow],
            on_start=on_start,
            on_done=on_done,
        )
    except InputError as exc:
        state.write(state="失败", message=str(exc))
        return Built(error=str(exc))
    if built.failed:
        message = "；".join(f"{o.relpath}：{o.error}" for o in built.failed)
        state.write(state="失败", message=message)
        return Built(error=message)
    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and deliverable(p, out) and only in p.relative_to(out).as_posix()
    )
    zip_files(out, files, out / zip_name)
    state.write(state="完成", message=f"已生成 {len(files)} 个文件", files=files)
    return Built(files=files)


def deliverable(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    return not any(part.startswith(".") for part in rel.parts) and path.suffix in (".docx", ".pdf", ".xlsx")


def zip_files(root: Path, names: Iterable[str], target: Path, prefix: str = "") -> None:
    """``root/name`` for each name into the zip ``target`` (written whole), as ``prefix + name``."""
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.write(root / name, prefix + name)


def archive(
    sources: list[Path],
    out: Path,
    year: int,
    fonds: str,
    fonds_name: str | None,
    registry: Path,
    allow: Path,
    progress: Path,
) -> Built:
    """A year's archive package (archive.package) and one zip of it for download."""
    state = Progress(progress)
    state.write(state="进行中", done=0, total=0)
    try:
        folder = archive_inputs(
            sources, out, year, fonds=fonds, fonds_name=fonds_name, registry=registry, allow=[allow],
            report=lambda done, total: state.write(done=done, total=total),
        )  # fmt: skip
    except InputError as exc:
        state.write(state="失败", message=str(exc))
        return Built(error=str(exc))
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    target = out / f"{year}-guidang.zip"
    zip_files(folder, names, target, prefix=f"{folder.name}/")
    state.write(state="完成", message=f"归档包 {folder.name}：{len(names)} 个文件", files=[target.name])
    return Built(files=[target.name])
