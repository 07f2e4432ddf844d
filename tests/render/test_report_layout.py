"""Issue 13: the quarterly 通报 laid out like a document.  Measured on the four sample
通报 PDFs: no page more than a third empty except the last (a chart that does not fit no
longer leaves a page blank), no table header wrapped (widths from content: 序/号 and
较上季/度 were); a count not collected reads 未统计."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest
from conftest import ROOT, run_cli
from pdfmeasure import read_pages

from generators.document import geometry as g
from generators.kinds.supervision_report import BASIC_COUNTS, NOT_COLLECTED, _count_text

MM = 72 / 25.4
HEADERS = (
    "序号",
    "指标",
    "年度目标",
    "本季度",
    "累计",
    "较上季度",
    "达标",
    "名次",
    "单位",
    "考核指标数",
    "达标数",
    "达标率",
    "未达标指标",
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("supervision")
    result = run_cli(
        "build", str(ROOT / "sample_inputs" / "2012" / "supervision.yaml"), "--out", str(out), "--format", "pdf", "-q"
    )
    assert result.returncode == 0, result.stderr
    found = sorted(out.glob("2012/dudao/2012q*/tongbao.pdf"))
    assert len(found) == 4
    return found


def _empty_share(page: pymupdf.Page) -> float:
    """Share of the type area's height under the last text, image or rule on the page."""
    bottom_edge = (g.MARGIN_TOP + g.TYPE_HEIGHT) * MM
    ys = [b[3] for b in page.get_text("blocks") if b[3] <= bottom_edge + 1]
    ys += [info["bbox"][3] for info in page.get_image_info()]
    ys += [d["rect"].y1 for d in page.get_drawings() if d["rect"].y1 <= bottom_edge + 1]
    bottom = max(ys, default=g.MARGIN_TOP * MM) / MM
    return (g.MARGIN_TOP + g.TYPE_HEIGHT - bottom) / g.TYPE_HEIGHT


def test_no_page_a_third_empty_but_the_last(reports) -> None:
    for path in reports:
        with pymupdf.open(path) as pdf:
            shares = [_empty_share(page) for page in pdf]
        assert all(share <= 1 / 3 for share in shares[:-1]), (path.parent.name, [round(s, 2) for s in shares])


def test_table_headers_on_one_line(reports) -> None:
    """Each header row is one line of text: a header wrapped inside its cell (序/号)
    would put part of the row on a second baseline."""
    rows = {
        "indicators": re.compile(r"序号指标年度目标本季度1—\d+月累计较上季度达标"),
        "units": re.compile("名次单位考核指标数达标数达标率未达标指标"),
        "scores": re.compile("名次单位基本分加分本期得分(年度综合得分)?备注"),  # when the book has 评分 rules
    }
    for path in reports:
        header_lines = [
            line.text
            for page in read_pages(path)
            for line in page.lines
            if abs(line.size - g.TABLE_PT) < 0.1 and line.text.startswith(("序号", "名次"))
        ]
        found = {name for text in header_lines for name, row in rows.items() if row.fullmatch(text)}
        assert {"indicators", "units"} <= found, (path.parent.name, header_lines)
        for text in header_lines:
            assert any(row.fullmatch(text) for row in rows.values()), (path.parent.name, text)


def test_count_not_collected_reads_weitongji() -> None:
    codes = {name: f"c{i}" for i, name in enumerate(BASIC_COUNTS)}
    counts = {"甲": {code: 5 for code in codes.values()}, "乙": {code: 7 for code in codes.values()}}
    counts["乙"][codes["7岁以下儿童数"]] = None
    measures = {"7岁以下儿童数": "人", "婴儿死亡数": "例"}
    text = _count_text(counts, codes, measures)
    assert text["7岁以下儿童数"] == NOT_COLLECTED
    assert text["婴儿死亡数"] == "12例"
