"""The registry's place and a document's identity: the default registry does not
depend on the working folder, and a renamed or moved input keeps its number (a copy
beside the original does not take it)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from generators.core import paths

SAMPLE = ROOT / "sample_inputs" / "circulars" / "2012-31_report_example.yaml"


def test_the_default_registry_is_the_same_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GONGWEN_REGISTRY", raising=False)
    first = paths.registry_path()
    monkeypatch.chdir(tmp_path)
    assert paths.registry_path() == first
    assert first == (ROOT / "gongwen-registry.sqlite3" if not paths.INSTALLED else first)
    monkeypatch.setenv("GONGWEN_REGISTRY", str(tmp_path / "own.sqlite3"))
    assert paths.registry_path() == tmp_path / "own.sqlite3"


def _numbers(registry: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(registry) as con:
        return con.execute("SELECT number, key FROM numbers WHERE status = 'issued' ORDER BY number").fetchall()


@pytest.mark.parametrize("sequence", ["auto", "31"])
def test_a_renamed_input_keeps_its_number(tmp_path: Path, sequence: str) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    first = inputs / "report.yaml"
    first.write_text(SAMPLE.read_text(encoding="utf-8").replace("序号: 31", f"序号: {sequence}"), encoding="utf-8")
    registry = tmp_path / "r.sqlite3"
    common = ["--out", str(tmp_path / "out"), "-f", "pdf", "--registry", str(registry), "-q"]
    assert run_cli("build", str(first), *common).returncode == 0
    ((number, _key),) = _numbers(registry)
    moved = inputs / "2012" / "报告-改名.yaml"
    moved.parent.mkdir()
    shutil.move(first, moved)
    done = run_cli("build", str(moved), *common)
    assert done.returncode == 0, done.stderr
    assert [n for n, _ in _numbers(registry)] == [number]  # the same number, still one row
    assert _numbers(registry)[0][1].endswith("报告-改名.yaml")


def test_a_copy_beside_the_original_does_not_take_its_number(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    original = inputs / "a.yaml"
    original.write_text(SAMPLE.read_text(encoding="utf-8").replace("序号: 31", "序号: auto"), encoding="utf-8")
    registry = tmp_path / "r.sqlite3"
    common = ["--out", str(tmp_path / "out"), "-f", "pdf", "--registry", str(registry), "-q"]
    assert run_cli("build", str(original), *common).returncode == 0
    shutil.copy(original, inputs / "b.yaml")
    assert run_cli("build", str(inputs / "b.yaml"), "--out", str(tmp_path / "out2"), "-f", "pdf",
                   "--registry", str(registry), "-q").returncode == 0  # fmt: skip
    assert len(_numbers(registry)) == 2  # the original still exists: the copy is another document
