"""Issue 17, results sheets as clerks leave them: merged cells refused with a message
(the hidden cells would read as 未报), 合计 rows skipped with a note, and a sheet that
is not the tool's form said to be so in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from test_forms import Q1, SHEET, Setup, _csv, _sample_rows, error_of, filled

from generators.core import notes
from generators.core.errors import InputError


@pytest.fixture(scope="module")
def s() -> Setup:
    return Setup()


def _merge(ref: str):
    return lambda ws: ws.merge_cells(ref)


MERGE = "是合并单元格：合并后只有 {top} 有值，其余格子会被当作未填。请取消合并，"
DATA, HEADER = "每个单位、每个计数各填一格", "每个计数的名称各占一格"
# (merged range, exact message after 工作表“2012Q1”单元格 …)
MERGES = [
    ("C6:C7", MERGE.format(top="C6") + DATA),  # two units' 产妇数 in one cell
    ("B6:C6", MERGE.format(top="B6") + DATA),  # two counts of one unit
    ("A6:A7", MERGE.format(top="A6") + DATA),  # two units' names
    ("B3:C3", MERGE.format(top="B3") + HEADER),
    ("B4:B6", MERGE.format(top="B4") + DATA),  # from the measures into the data
]


@pytest.mark.parametrize(("ref", "message"), MERGES, ids=[m[0] for m in MERGES])
def test_merged_cells_are_refused(s: Setup, tmp_path: Path, ref: str, message: str) -> None:
    path = filled(s, tmp_path, s.year()[Q1], _merge(ref))
    with pytest.raises(InputError) as caught:
        s.read(path)
    assert caught.value.message == f"{SHEET}单元格 {ref} {message}"
    assert str(caught.value).startswith(f"文件 {path}，{SHEET}单元格 {ref}：")


def test_the_forms_own_merges_are_fine(s: Setup, tmp_path: Path) -> None:
    values = s.year()[Q1]
    assert s.read(filled(s, tmp_path, values)).counts == values.counts  # title, note, A3:A4 merged


TOTALS = ["合计", "合 计", "总计", "全市合计", "小计"]


@pytest.mark.parametrize("label", TOTALS)
def test_total_row_is_skipped_with_a_note(s: Setup, tmp_path: Path, label: str) -> None:
    values = s.year()[Q1]
    row = 5 + len(s.units)

    def add_total(ws) -> None:
        ws[f"A{row}"] = label
        for code in s.codes:
            ws[f"{s.col(code)}{row}"] = sum(v[code] or 0 for v in values.counts.values())

    path = filled(s, tmp_path, values, add_total)
    with notes.collecting() as said:
        assert s.read(path).counts == values.counts
    expected = f"{SHEET}单元格 A{row}：“{label}”行是合计，不作为单位读取（合计由工具按各单位的数相加）"
    assert said == [f"文件 {path}：{expected}"]


def test_total_row_in_csv(s: Setup, tmp_path: Path) -> None:
    rows = _sample_rows()
    rows.append(["合计", *("1" for _ in rows[3][1:])])
    path = tmp_path / "q1.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    with notes.collecting() as said:
        s.read(path)
    where = f"第 {len(rows)} 行第 1 列（“单位名称”）"
    assert said == [f"文件 {path}：{where}：“合计”行是合计，不作为单位读取（合计由工具按各单位的数相加）"]


NOT_OURS = (
    "工作表“{title}”不是本工具生成的填报表（或表的前几行被改动）：本工具的填报表第 2 行是“统计期间”和季度"
    "（如 2012Q1），第 3 行是“单位名称”和各计数名称，第 5 行起每个单位一行。请把数据抄到空白填报表"
    "（build 生成的 tianbao/*.xlsx）中，或另存为 CSV（第一行为“单位名称”和各计数名称）"
)


def _own_sheet(tmp_path: Path, rows: list[list[object]], title: str = "一季度") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    path = tmp_path / "own.xlsx"
    wb.save(path)
    return path


# A clerk's own layouts (the issue's: "B2：期间“1200”不是季度")
OWN_LAYOUTS = {
    "header on row 1": [["单位名称", "活产数", "产妇数"], ["东海县妇幼保健所", 1200, 1190]],
    "title, then header on row 2": [["2012年一季度报表"], ["单位", "活产数"], ["东海县妇幼保健所", 1200]],
    "header on row 3, no period": [["报表"], [None], ["单位名称", "活产数"], [None], ["东海县妇幼保健所", 1200]],
}


@pytest.mark.parametrize("case", sorted(OWN_LAYOUTS))
def test_own_layout_is_named_as_such(s: Setup, tmp_path: Path, case: str) -> None:
    path = _own_sheet(tmp_path, OWN_LAYOUTS[case])
    with pytest.raises(InputError) as caught:
        s.read(path)
    assert caught.value.message == NOT_OURS.format(title="一季度")


def test_the_tools_form_with_a_bad_period_keeps_its_message(s: Setup, tmp_path: Path) -> None:
    values = s.year()[Q1]
    path = filled(s, tmp_path, values, lambda ws: ws.__setitem__("B2", "1200"))
    error_of(s, path, "单元格 B2", "不是季度")
