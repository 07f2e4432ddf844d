"""Issue 17, silent inconsistencies: a 文号 year unlike the 成文日期's is a warning (a
number taken in late December is legal); a seal without 署名 is an error (GB/T 9704-2012
7.3.5.1: the seal covers name and date; on the date alone it is a 空白印章)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_yaml_traps import BASE

from generators.core import notes
from generators.core.errors import InputError
from generators.pipeline.plan import load_jobs

SEAL_ERROR = "加盖印章时须写“署名”：印章盖在署名和成文日期上，不能只盖在日期上（GB/T 9704-2012 7.3.5.1）"
YEAR_NOTE = "发文字号的年份 {year} 与成文日期 {date} 的年份不同，请核对"

# (edits to BASE, expected notes (the line is 年份's: 6), expected error or None)
CASES = [
    ("same year", [], [], None),
    (
        "number of the year before",
        [("年份: 2013", "年份: 2012")],
        [YEAR_NOTE.format(year=2012, date="2013年1月20日")],
        None,
    ),
    (
        "number of the year after",
        [("年份: 2013", "年份: 2014")],
        [YEAR_NOTE.format(year=2014, date="2013年1月20日")],
        None,
    ),
    (
        "Chinese date",
        [("成文日期: 2013-01-20", "成文日期: 2012年12月30日")],
        [YEAR_NOTE.format(year=2013, date="2012年12月30日")],
        None,
    ),
    ("sealed without 署名", [("署名: 连云港市妇幼保健集团\n", "")], [], (SEAL_ERROR, "印章", 14)),
    ("sealed with an empty 署名", [("署名: 连云港市妇幼保健集团", "署名: ''")], [], (SEAL_ERROR, "印章", 15)),
    (
        "印章: 是 without 署名",
        [("署名: 连云港市妇幼保健集团\n", ""), ("印章: true", "印章: 是")],
        [],
        (SEAL_ERROR, "印章", 14),
    ),
    ("unsealed without 署名", [("署名: 连云港市妇幼保健集团\n", ""), ("印章: true", "印章: 否")], [], None),
]


@pytest.mark.parametrize(("why", "edits", "expected_notes", "error"), CASES, ids=[c[0] for c in CASES])
def test_consistency(
    tmp_path: Path, why: str, edits: list[tuple[str, str]], expected_notes: list[str], error: tuple | None
) -> None:
    text = BASE
    for old, new in edits:
        assert old in text, why
        text = text.replace(old, new)
    path = tmp_path / "in.yaml"
    path.write_text(text, encoding="utf-8")
    with notes.collecting() as said:
        if error is None:
            assert len(load_jobs(path)) == 1
        else:
            with pytest.raises(InputError) as caught:
                load_jobs(path)
            assert (caught.value.message, caught.value.field, caught.value.line) == error
    assert said == [f"文件 {path}，第 6 行，字段“发文字号.年份”：{n}" for n in expected_notes]
