"""Issue 7, crash safety: a build killed with SIGKILL at any moment leaves only whole
files.  Each kill point builds the samples into a fresh folder, kills the whole process
group (the CLI and its render workers) and opens every file there; the only other
things allowed are the ``.<name>.<pid>-….part`` temporary files of killed writers,
which the next build removes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import ROOT
from pypdf import PdfReader

from generators.core import output

KILL_AFTER = (0.5, 1.5, 3.0, 6.0, 10.0, 15.0)  # seconds; a full sample build takes about 25 s


def _start(out: Path, tmp: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GONGWEN_REGISTRY": str(tmp / "registry.sqlite3")}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "make_reports.py"), "build", "--out", str(out), "--quiet"],
        cwd=tmp,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches the workers too
    )


def _is_part(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".part")


def _open(path: Path) -> None:
    """Open ``path`` the way a reader would, failing on anything cut short."""
    if path.suffix == ".pdf":
        assert path.read_bytes().rstrip().endswith(b"%%EOF"), path
        reader = PdfReader(path, strict=True)
        assert len(reader.pages) >= 1
        reader.pages[-1].extract_text()
    elif path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None, path  # every member whole (CRC checked)
        if path.suffix == ".docx":
            assert docx.Document(str(path)).paragraphs
        else:
            openpyxl.load_workbook(path).close()
    elif path.name == ".gongwen-build.json":
        assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict)
    else:
        raise AssertionError(f"unexpected file {path}")


def _check(out: Path) -> tuple[int, list[Path]]:
    """(whole files opened, leftover temporary files)."""
    opened, parts = 0, []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if _is_part(path):
            parts.append(path)
            continue
        _open(path)
        opened += 1
    return opened, parts


def test_sigkill_leaves_only_whole_files(tmp_path: Path) -> None:
    results = []
    last = None
    for delay in KILL_AFTER:
        out = tmp_path / f"out-{delay}"
        proc = _start(out, tmp_path)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        time.sleep(0.2)  # let the killed workers go
        opened, parts = _check(out) if out.exists() else (0, [])
        results.append((delay, finished, opened, len(parts)))
        last = out
    print("\nkill after (s), finished, whole files, .part files:", *results, sep="\n  ")
    # The kills landed while files were being written, not all before or after.
    assert any(opened > 0 and not finished for _, finished, opened, _ in results), results
    assert not all(finished for _, finished, _, _ in results), results

    # The next build completes, removes what killed writers left and keeps a live one's.
    assert last is not None
    folder = last / "2012" / "tongzhi"
    folder.mkdir(parents=True, exist_ok=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = folder / f".stale.pdf.{dead.pid}-abc123.part"
    live = folder / f".busy.pdf.{os.getpid()}-xyz789.part"
    stale.write_bytes(b"%PDF-1.7 half a file")
    live.write_bytes(b"%PDF-1.7 still being written")
    proc = _start(last, tmp_path)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()[-3000:]
    opened, parts = _check(last)
    assert parts == [live], parts
    assert opened >= 100
    live.unlink()


def test_remove_stale_parts(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    sub = tmp_path / "sub"
    sub.mkdir()
    stale = [tmp_path / f".a.pdf.{dead.pid}-k3j2.part", sub / f".b.docx.{dead.pid}-x_1.part"]
    kept = [
        tmp_path / f".c.pdf.{os.getpid()}-k3j2.part",  # a live writer
        tmp_path / ".d.pdf.part",  # not a name this writer makes
        tmp_path / "notes.part",
        tmp_path / "a.pdf",
    ]
    for path in stale + kept:
        path.write_bytes(b"x")
    assert output.remove_stale_parts(tmp_path) == [stale[0]]
    assert sorted(output.remove_stale_parts(tmp_path, recursive=True)) == [stale[1]]
    assert all(p.exists() for p in kept)


def test_atomic_path_names_its_writer_and_sweeps(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".x.pdf.{dead.pid}-zz.part"
    stale.write_bytes(b"x")
    target = tmp_path / "x.pdf"
    with output.atomic_path(target) as tmp:
        assert tmp.name.startswith(f".x.pdf.{os.getpid()}-") and tmp.name.endswith(".part")
        assert not stale.exists()  # swept on the first write into the folder
        tmp.write_bytes(b"whole")
    assert target.read_bytes() == b"whole"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]
    with pytest.raises(RuntimeError), output.atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer failed")
    assert target.read_bytes() == b"whole"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]
