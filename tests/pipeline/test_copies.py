"""``build --copies``: a circular with 份号 and 共印 N 份 is written as N files, copy k
carrying 份号 k in the 份号's own place; without the option, one file as typed."""

from __future__ import annotations

from pathlib import Path

import fitz  # PyMuPDF
from conftest import ROOT, run_cli

SAMPLE = ROOT / "sample_inputs" / "circulars" / "2012-31_report_example.yaml"


def _input(tmp_path: Path, count: int) -> Path:
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "印发日期: 2012-07-26", f"印发日期: 2012-07-26\n共印份数: {count}"
    )
    path = tmp_path / "in" / "report.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def _word_box(pdf: Path, word: str) -> tuple[float, ...]:
    with fitz.open(pdf) as doc:
        boxes = [tuple(round(v, 1) for v in w[:4]) for w in doc[0].get_text("words") if w[4] == word]
    assert len(boxes) == 1, (pdf.name, word)
    return boxes[0]


def test_numbered_copies_one_file_each(tmp_path: Path) -> None:
    source = _input(tmp_path, 3)
    registry = str(tmp_path / "r.sqlite3")
    single = run_cli("build", str(source), "--out", str(tmp_path / "one"), "-f", "pdf", "--registry", registry, "-q")
    assert single.returncode == 0, single.stderr
    (original,) = (tmp_path / "one").rglob("*.pdf")
    where = _word_box(original, "000012")
    done = run_cli(
        "build", str(source), "--out", str(tmp_path / "copies"), "-f", "pdf,docx", "--copies", "--registry", registry
    )
    assert done.returncode == 0, done.stderr
    pdfs = sorted((tmp_path / "copies").rglob("*.pdf"))
    assert [p.stem.rsplit("-", 1)[1] for p in pdfs] == ["000001", "000002", "000003"]
    assert len(list((tmp_path / "copies").rglob("*.docx"))) == 3
    for k, pdf in enumerate(pdfs, 1):
        assert _word_box(pdf, f"{k:06d}") == where
        with fitz.open(pdf) as doc:
            assert "000012" not in doc[0].get_text()
            assert "连妇保集〔2012〕31号" in doc[0].get_text()  # one number for all the copies


def test_a_print_run_too_large_for_a_file_each_is_refused(tmp_path: Path) -> None:
    source = _input(tmp_path, 5000)
    done = run_cli("build", str(source), "--out", str(tmp_path / "out"), "--copies", "--registry", str(tmp_path / "r"))
    assert done.returncode == 2
    assert "共印份数 5000 超过" in done.stderr and "report.yaml" in done.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))
