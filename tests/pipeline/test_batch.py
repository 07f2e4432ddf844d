"""Batch builds: incremental rebuilds, failures that do not stop the batch, the
progress bar only on a terminal, identical output with one or two workers."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from generators.core.errors import InputError
from generators.pipeline import batch
from generators.pipeline import plan as build

PLANS = ROOT / "sample_inputs" / "plans"


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "plans").mkdir(parents=True)
    shutil.copy(PLANS / "baby_friendly_hospital_plan.yaml", folder / "plans")
    shutil.copy(ROOT / "sample_inputs" / "circulars" / "2012-31_report_example.yaml", folder / "report.yaml")
    return folder


def _stamps(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name[0] != "."}


def test_second_run_rewrites_nothing_and_a_change_rebuilds_only_its_document(tmp_path: Path) -> None:
    src, out = _inputs(tmp_path), tmp_path / "out"
    first = run_cli("build", str(src), "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "生成 2 份文档" in first.stdout
    before = _stamps(out)
    assert len(before) == 4
    second = run_cli("build", str(src), "--out", str(out))
    assert second.returncode == 0 and "生成 0 份文档" in second.stdout and "跳过 2 份" in second.stdout
    assert _stamps(out) == before
    report = src / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("特此报告。", "特此报告，请审阅。"), encoding="utf-8")
    third = run_cli("build", str(src), "--out", str(out))
    assert "生成 1 份文档" in third.stdout and "跳过 1 份" in third.stdout, third.stdout
    after = _stamps(out)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"2012/tongzhi/lian-fu-bao-ji-2012-31-hao.docx", "2012/tongzhi/lian-fu-bao-ji-2012-31-hao.pdf"}
    # An output deleted by hand is made again; --force redoes everything.
    (out / "2012" / "jihua" / "ai-ying-yi-yuan-nian-du-gong-zuo-ji-hua.pdf").unlink()
    fourth = run_cli("build", str(src), "--out", str(out))
    assert "生成 1 份文档" in fourth.stdout
    assert "生成 2 份文档" in run_cli("build", str(src), "--out", str(out), "--force").stdout


def test_one_and_two_workers_give_identical_files(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    for jobs in ("1", "2"):
        result = run_cli("build", str(src), "--out", str(tmp_path / jobs), "--jobs", jobs, "--quiet")
        assert result.returncode == 0, result.stderr
    one, two = tmp_path / "1", tmp_path / "2"
    names = sorted(str(p.relative_to(one)) for p in one.rglob("*.*") if p.name[0] != ".")
    assert names == sorted(str(p.relative_to(two)) for p in two.rglob("*.*") if p.name[0] != ".")
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def _explode(target: Path) -> Path:
    raise RuntimeError("磁盘已满（测试）")


def test_a_failing_document_does_not_stop_the_others(tmp_path: Path) -> None:
    jobs = build.plan([PLANS])
    bad = build.FileJob(Path("2012/bad.xlsx"), PLANS / "x.yaml", _explode)
    outcomes = batch.run([bad, *jobs], tmp_path, ["docx", "pdf", "xlsx"], workers=2)
    assert [o.relpath for o in outcomes] == ["2012/bad.xlsx", *(str(j.relpath) for j in jobs)]
    assert outcomes[0].error == "RuntimeError: 磁盘已满（测试）"
    assert all(o.error is None and len(o.files) == 2 and o.pages > 0 for o in outcomes[1:])
    # The failed document is not recorded, so the next build tries it again.
    planned = batch.Planned([bad, *jobs], 0, {"x": {"deps": {}, "jobs": {"2012/bad.xlsx": {"files": []}}}})
    manifest = batch.record(batch.Manifest(), planned, outcomes, tmp_path, "code")
    assert manifest.inputs["x"]["complete"] is False


def test_input_errors_still_stop_everything_before_writing(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    (src / "z_bad.yaml").write_text("标题: 缺少章节\n章节: []\n制定单位: 甲\n年份: 2013\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(src), "--out", str(out))
    assert result.returncode == 2 and "z_bad.yaml" in result.stderr
    assert not out.exists()


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    logged = run_cli("build", str(src), "--out", str(tmp_path / "log"))
    assert "\x1b[" not in logged.stdout + logged.stderr  # CI logs: plain lines
    assert "已生成" in logged.stdout
    primary, secondary = pty.openpty()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "make_reports.py"), "build", str(src), "--out", str(tmp_path / "tty")],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=secondary,
        timeout=300,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(secondary)
    seen = b""
    try:
        while chunk := os.read(primary, 65536):
            seen += chunk
    except OSError:
        pass
    os.close(primary)
    assert proc.returncode == 0
    text = seen.decode("utf-8", "replace")
    assert "生成文档" in text and "剩余" in text, text[-500:]
    assert "已生成" not in proc.stdout.decode()  # the bar replaces the per-file lines


def test_bad_jobs_option() -> None:
    result = run_cli("build", "--jobs", "-1")
    assert result.returncode == 2 and "--jobs" in result.stderr


def test_duplicate_output_names_are_an_input_error(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    shutil.copy(src / "report.yaml", src / "report_copy.yaml")
    with pytest.raises(InputError, match=r"同名文件|已由"):  # the number registry sees it first
        batch.plan_changes([src], tmp_path / "out", ["pdf"], batch.Manifest(), "code")


def test_memory_is_trimmed_only_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """malloc_trim costs 12–47 ms a PDF, so a worker trims only once it has grown."""
    calls = []

    class Libc:
        def malloc_trim(self, pad: int) -> int:
            calls.append(pad)
            return 1

    monkeypatch.setattr(batch, "_LIBC", Libc())
    resident = batch._resident_bytes()
    assert 10 * 2**20 < resident < 8 * 2**30  # read from /proc/self/statm
    monkeypatch.setattr(batch, "TRIM_ABOVE", resident * 4)
    batch._release_memory()
    assert calls == []
    monkeypatch.setattr(batch, "TRIM_ABOVE", resident // 4)
    batch._release_memory()
    assert calls == [0]


def test_the_faces_in_use_are_part_of_the_code_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Making the font cache changes the PDFs' bytes (not their look): they are redone."""
    conf = tmp_path / "fonts.conf"
    conf.write_text("<fontconfig/>", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    before = batch.code_fingerprint()
    assert batch.code_fingerprint() == before
    conf.write_text("<fontconfig><dir>/elsewhere</dir></fontconfig>", encoding="utf-8")
    assert batch.code_fingerprint() != before
