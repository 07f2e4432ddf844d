"""Issue 18, the classes the corpus (tests/hostile) cannot express as one input file:
signals to a real build, a real full disk, incremental builds, odd arguments, the
CLI's last line of defence, office-edited template files, charts and titles."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from pypdf import PdfReader
from test_hostile import _template_copy

from generators.core.errors import InputError

SAMPLES = ROOT / "sample_inputs"
HOSTILE = ROOT / "tests" / "hostile"
PY = [sys.executable, str(ROOT / "make_reports.py")]


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "GONGWEN_REGISTRY": str(tmp_path / "registry.sqlite3"), "GONGWEN_LOG_DIR": str(tmp_path)}


# --- 6. interrupt ------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["sigint-group", "sigterm-parent"])
def test_interrupt_stops_the_pool_at_once(tmp_path: Path, how: str) -> None:
    """Ctrl-C (SIGINT to the process group) or SIGTERM to the CLI alone: exit 130 with a
    Chinese message, no worker writes afterwards, no .part file, a manifest that loads,
    and a second build that makes exactly what is missing."""
    inputs = tmp_path / "in"
    shutil.copytree(SAMPLES, inputs)
    out = tmp_path / "out"
    args = [*PY, "build", str(inputs), "-o", str(out), "-j", "2"]
    proc = subprocess.Popen(
        args, env=_env(tmp_path), start_new_session=True, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and len(list(out.rglob("*.pdf"))) >= 2:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the build ended before it could be interrupted"
        if how == "sigint-group":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)  # generous: it takes well under a second
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert "已中断" in err and "Traceback" not in err, err
    at_exit = _files(out)
    time.sleep(2)  # a worker still running would write more
    assert _files(out) == at_exit
    assert not [f for f in at_exit if f.endswith(".part")]
    manifest = json.loads((out / ".gongwen-build.json").read_text(encoding="utf-8"))
    for rel in manifest["files"]:  # what the manifest lists is there and whole
        assert rel in at_exit
        if rel.endswith(".pdf"):
            assert len(PdfReader(out / rel).pages) >= 1
    if how == "sigint-group":
        again = subprocess.run(args, env=_env(tmp_path), capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        assert "失败 0 份" in again.stdout
        third = subprocess.run([*args, "--format", "docx,pdf,xlsx"], env=_env(tmp_path), capture_output=True, text=True)
        assert "生成 0 份文档" in third.stdout, third.stdout[-500:]  # everything made, and recorded


# --- 7. disk full ------------------------------------------------------------------------------


@contextlib.contextmanager
def _small_tmpfs(folder: Path, size: str):
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _check_full_disk_result(result: subprocess.CompletedProcess[str], out: Path) -> None:
    err = result.stderr
    assert result.returncode == 1, err
    assert "Traceback" not in err, err
    assert "磁盘空间不足" in err and str(out) in err, err
    assert "份文档生成失败" in err, err  # the list of failed documents is printed
    assert not [p for p in out.rglob("*.part")]
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1  # whatever was written is whole
    manifest = out / ".gongwen-build.json"
    if manifest.exists():
        json.loads(manifest.read_text(encoding="utf-8"))


def test_disk_full_is_reported(tmp_path: Path) -> None:
    """A real ENOSPC: the output folder on a 600 KiB tmpfs."""
    with _small_tmpfs(tmp_path / "small", "600k") as disk:
        out = disk / "out"
        result = subprocess.run(
            [*PY, "build", str(SAMPLES), "-o", str(out), "-j", "2", "-q"],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=600,
        )
        _check_full_disk_result(result, out)


def test_file_size_limit_is_reported(tmp_path: Path) -> None:
    """EFBIG: RLIMIT_FSIZE of 64 KiB (SIGXFSZ ignored, so the write fails instead)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    out = tmp_path / "out"
    result = subprocess.run(
        [*PY, "build", str(SAMPLES / "2012" / "target_book.yaml"), "-o", str(out), "-j", "1", "-q"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=limit,
    )
    _check_full_disk_result(result, out)


# --- 8. output-name collisions in incremental builds ---------------------------------------------


def test_incremental_build_refuses_a_second_input_with_the_same_output(tmp_path: Path) -> None:
    plan = (SAMPLES / "2012" / "work_plan.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "z_first.yaml").write_text(plan, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", str(folder), "-o", str(out), "-q").returncode == 0
    before = _files(out)
    # Same title (so the same output name), other text; sorted before the first.
    (folder / "a_second.yaml").write_text(plan.replace("特制定2012年集团工作计划", "另一份计划"), encoding="utf-8")
    fresh = run_cli("build", str(folder), "-o", str(tmp_path / "fresh"), "-q")
    incremental = run_cli("build", str(folder), "-o", str(out), "-q")
    assert fresh.returncode == incremental.returncode == 2
    assert "生成同名文件" in incremental.stderr and "Traceback" not in incremental.stderr
    assert incremental.stderr == fresh.stderr  # the same message as a fresh build
    assert _files(out) == before  # the first input's files are untouched
    again = run_cli("build", str(folder), "-o", str(out), "-q")  # and it stays refused
    assert again.returncode == 2 and _files(out) == before


# --- 9. odd arguments, and the last line of defence ------------------------------------------------


def test_out_is_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    for out in (target, target / "sub"):
        result = run_cli("build", str(SAMPLES / "2012" / "work_plan.yaml"), "-o", str(out))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("错误：") and "不是文件夹" in result.stderr
        assert "Traceback" not in result.stderr
    assert target.read_text() == "x"


def test_form_out_is_a_folder(tmp_path: Path) -> None:
    result = run_cli("form", "2012Q1", "--book", str(SAMPLES / "2012" / "target_book.yaml"), "-o", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "文件夹" in result.stderr


def test_allow_must_be_a_folder(tmp_path: Path) -> None:
    result = run_cli(
        "build", str(SAMPLES / "2012" / "work_plan.yaml"), "-o", str(tmp_path / "o"), "--allow", "/nonexistent"
    )
    assert result.returncode == 2 and "--allow" in result.stderr


def test_check_book_is_a_fifo(tmp_path: Path) -> None:
    """check --book on a FIFO ends at once (it used to block forever)."""
    fifo = tmp_path / "book.yaml"
    os.mkfifo(fifo)
    result = run_cli("check", str(SAMPLES / "2012" / "results" / "2012Q1.csv"), "-p", "2012Q1", "--book", str(fifo))
    assert result.returncode == 2 and "命名管道" in result.stderr and str(fifo) in result.stderr


def test_unexpected_error_is_logged_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import make_reports
    from generators.core import interrupt
    from generators.pipeline import batch

    def broken() -> str:
        raise RuntimeError("a bug, not bad input")

    monkeypatch.setattr(batch, "code_fingerprint", broken)
    monkeypatch.setattr(interrupt, "install", lambda: None)  # keep pytest's own SIGINT handling
    monkeypatch.setenv("GONGWEN_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(sys, "argv", ["make_reports.py", "build", str(SAMPLES / "2012"), "-o", str(tmp_path / "o")])
    assert make_reports.main() == 1
    err = capsys.readouterr().err
    assert "程序内部出错（RuntimeError）" in err and "Traceback" not in err
    [log] = (tmp_path / "logs").glob("crash-*.log")
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "a bug, not bad input" in text


# --- 1. the --allow escape hatch ----------------------------------------------------------------


def test_allow_admits_a_named_folder(tmp_path: Path) -> None:
    """A sample circular attaches ../2012/work_plan.yaml: refused alone, built with --allow."""
    circular = SAMPLES / "circulars" / "2012-02_work_plan_circular.yaml"
    refused = run_cli("build", str(circular), "-o", str(tmp_path / "a"), "-f", "docx")
    assert refused.returncode == 2 and "位于输入文件所在文件夹之外" in refused.stderr
    assert "--allow" in refused.stderr
    allowed = run_cli("build", str(circular), "-o", str(tmp_path / "b"), "-f", "docx", "--allow", str(SAMPLES))
    assert allowed.returncode == 0, allowed.stderr


# --- 2. office-edited template files --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{% include "unit.txt.j2" %}', ["include", "上限 10 层"]),  # includes itself
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", ["上限（200000 次）"]),
        ("{{ '%010000000d' % 1 }}", ["宽度或精度", "上限 1000"]),
        ("{{ (10**1000)**5 }}", ["4300 位"]),
        ("{{ '{:>99999999}'.format(1) }}", ["上限 1000"]),
    ],
)
def test_template_file_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, words: list[str]) -> None:
    from generators.core.yamlsrc import read_yaml
    from generators.kinds import target_wording
    from generators.kinds.target_book import book_jobs

    folder = _template_copy(tmp_path, "target_book", "unit.txt.j2", 4, text)
    monkeypatch.setattr(target_wording, "BOOK_TEMPLATES", folder)
    with pytest.raises(InputError) as info:
        book_jobs(read_yaml(SAMPLES / "2012" / "target_book.yaml"))
    assert info.value.file == folder / "unit.txt.j2"
    assert info.value.line == 4, str(info.value)
    for word in words:
        assert word in str(info.value)


def test_template_output_cap() -> None:
    from generators.core.templating import MAX_OUTPUT, render_bounded, sandboxed_env
    from generators.kinds.target_wording import BOOK_TEMPLATES

    env = sandboxed_env(BOOK_TEMPLATES)
    source = "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}"
    with pytest.raises(Exception, match=f"超过 {MAX_OUTPUT} 个字符"):
        render_bounded(env.from_string(source), {})
    assert render_bounded(env.from_string("{{ '%05d' % 7 }}{{ '{:>4}'.format(1) }}"), {}) == "00007   1"


# --- 3. charts -----------------------------------------------------------------------------------


def test_chart_label_with_formula_syntax() -> None:
    from generators.render.charts import Bar, bar_chart

    bars = [Bar(r"$\foo{x}$", Decimal(50), Decimal(60), False), Bar(r"a^b_c \$ $x$", None, None, None)]
    png, height = bar_chart(bars, width_mm=150)
    assert png.startswith(b"\x89PNG") and height > 0


# --- 10. titles ------------------------------------------------------------------------------------


def test_title_limit_and_breaking() -> None:
    from generators.core.fields import MAX_TITLE_CHARS
    from generators.document.geometry import text_width_chars as _width
    from generators.document.titles import TITLE_CHARS_PER_LINE, break_title

    title = ("关于印发《连云港市妇幼保健集团工作计划》的通知" * 40)[:MAX_TITLE_CHARS]
    lines = break_title(title)
    assert "".join(lines) == title
    assert all(_width(line) <= TITLE_CHARS_PER_LINE for line in lines)
    # Breaking is linear: twenty times the text, far less than 400 times the work (counted
    # in calls of the width function, not in seconds).
    calls = []
    import generators.document.titles as circular

    real = circular._breakable
    try:
        circular._breakable = lambda text: calls.append(len(text)) or real(text)
        break_title("关于印发通知的通知" * 60)
        small = sum(calls)
        calls.clear()
        break_title("关于印发通知的通知" * 1200)
        assert sum(calls) < 40 * small
    finally:
        circular._breakable = real


def test_title_over_the_limit_is_refused(tmp_path: Path) -> None:
    from generators.core.fields import MAX_TITLE_CHARS

    text = (HOSTILE / "names" / "plan_title_con.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("标题:")]
    path = tmp_path / "plan.yaml"
    path.write_text("\n".join(["标题: " + "长" * (MAX_TITLE_CHARS + 1), *lines]) + "\n", encoding="utf-8")
    result = run_cli("build", str(path), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "标题过长" in result.stderr and "第 1 行" in result.stderr


# --- 11. placeholders ------------------------------------------------------------------------------


def test_clerk_placeholder_is_text(tmp_path: Path) -> None:
    from generators.core.yamlsrc import read_yaml
    from generators.document.model import Figure, Table
    from generators.kinds.supervision_jobs import supervision_jobs
    from generators.pipeline.plan import Job

    jobs = supervision_jobs(read_yaml(HOSTILE / "supervision" / "placeholder_in_text.yaml"))
    [report] = [j for j in jobs if isinstance(j, Job) and j.relpath.name == "tongbao"]
    tables = [b for b in report.document.body if isinstance(b, Table)]
    assert [t.caption.split("　")[0] for t in tables] == ["表1", "表2"]
    assert len([b for b in report.document.body if isinstance(b, Figure)]) <= 1
    texts = [getattr(b, "text", "") for b in report.document.body]
    assert "[[主要指标表]]" in texts and "[[单位达标表]]" in texts
