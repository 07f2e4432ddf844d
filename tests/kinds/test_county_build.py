"""Issue 17, done when: the traditional-script sample set with stratified targets builds
through the command line; its 通报 PDF is measured with PyMuPDF (table 1 has the 同比
column, each stratum is a row, the text inside the type area) and drawn alike by
MuPDF, pdfium and poppler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from readers import disagreement, mupdf_pages, pdfium_pages, poppler_pages

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "sample_inputs" / "county_traditional"
MM = 72 / 25.4
AGREEMENT = 0.02  # as tests/system/test_every_reader.py allows between engines
# GB/T 9704-2012: A4, type area 156 mm × 225 mm, left margin 28 mm, top 37 mm.
LEFT_MM, TYPE_WIDTH_MM = 28.0, 156.0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county") / "out"
    env = {**os.environ, "GONGWEN_REGISTRY": str(out.parent / "registry.sqlite3"), "GONGWEN_LOG_DIR": str(out.parent)}
    run = subprocess.run(
        [sys.executable, str(ROOT / "make_reports.py"), "build", str(COUNTY), "-o", str(out), "-j", "2"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    return out


@pytest.mark.slow
def test_county_sample_builds_everything(built: Path) -> None:
    year = built / "2013"
    assert len(list((year / "zerenshu").glob("*.pdf"))) == 4  # one book per unit
    for q in ("2013q1", "2013q2"):
        assert (year / "dudao" / q / "tongbao.pdf").exists()
        assert len(list((year / "dudao" / q / "fankui").glob("*.pdf"))) == 4
        assert (year / "tongji" / f"{q}-zhuyao-zhibiao.xlsx").exists()
        assert (year / "tianbao" / f"{q}-tianbaobiao.xlsx").exists()


@pytest.mark.slow
def test_tongbao_table_has_strata_rows_and_a_yoy_column(built: Path) -> None:
    path = built / "2013" / "dudao" / "2013q1" / "tongbao.pdf"
    with pymupdf.open(path) as doc:
        words = [(p.number, w) for p in doc for w in p.get_text("words")]
        width = doc[0].rect.width
    text = "".join(w[4] for _, w in words)
    for name in ("早孕建册率（城市）", "早孕建册率（農村）", "新生儿访视率（農村）"):
        assert name.replace("（", "").replace("）", "") in text.replace("（", "").replace("）", "")
    assert "与上年同季度相比" in text and "比上年提高2个百分点，分别为" in text
    # Table 1's header: 本季度 … 同比 达标 on one line, left to right, inside the type area.
    yoy = next(w for _, w in words if w[4] == "同比")
    row = sorted(
        (w for _, w in words if abs(w[1] - yoy[1]) < 2 and w[4] in ("本季度", "同比", "达标")), key=lambda w: w[0]
    )
    assert [w[4] for w in row] == ["本季度", "同比", "达标"]
    left, right = LEFT_MM * MM, (LEFT_MM + TYPE_WIDTH_MM) * MM
    for _, w in words:  # nothing outside the type area's width (0.5 mm tolerance)
        assert w[0] >= left - 0.5 * MM and w[2] <= right + 0.5 * MM, w
    assert abs(width - 210 * MM) < 0.5


@pytest.mark.slow
def test_three_readers_draw_the_tongbao_alike(built: Path) -> None:
    path = built / "2013" / "dudao" / "2013q2" / "tongbao.pdf"
    mupdf = mupdf_pages(path)
    assert "cannot" not in mupdf.warnings
    for other in (pdfium_pages(path), poppler_pages(path)):
        assert len(other) == len(mupdf.ink)
        for a, b in zip(mupdf.ink, other, strict=True):
            assert disagreement(a, b) <= AGREEMENT
