"""Work plans from structured outlines: seeds 001 and 002 reproduced, numbering
applied by the tool, bad outlines refused with a line number."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from docx import Document as OpenDocx
from golden import docx_text, expected_plan, pdf_text, squash

from generators.core.errors import InputError
from generators.document.model import Paragraph, Table
from generators.kinds.work_plan import load_plan

PLANS = {
    "001": (
        ROOT / "sample_inputs" / "2012" / "work_plan.yaml",
        "lian-yun-gang-shi-fu-you-bao-jian-ji-tuan-2012-nian-gong-zuo-ji-hua",
    ),
    "002": (
        ROOT / "sample_inputs" / "plans" / "baby_friendly_hospital_plan.yaml",
        "ai-ying-yi-yuan-nian-du-gong-zuo-ji-hua",
    ),
}


@pytest.fixture(scope="session")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("plans")
    result = run_cli("build", *(str(p) for p, _ in PLANS.values()), "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    return {seed: out / "2012" / "jihua" / stem for seed, (_, stem) in PLANS.items()}


@pytest.mark.parametrize("seed", PLANS)
def test_plan_text_equals_seed(plans: dict[str, Path], seed: str) -> None:
    expected = expected_plan(seed)
    assert squash(pdf_text(plans[seed].with_suffix(".pdf"))) == expected
    assert squash(docx_text(plans[seed].with_suffix(".docx"))) == expected


def test_heading_levels_take_their_faces(plans: dict[str, Path]) -> None:
    from docx.oxml.ns import qn

    doc = OpenDocx(str(plans["002"].with_suffix(".docx")))

    def head_face(start: str) -> tuple[str, str]:
        paragraph = next(p for p in doc.paragraphs if p.text.startswith(start))
        run = paragraph.runs[0]
        return run.text, run._r.rPr.rFonts.get(qn("w:eastAsia"))

    assert head_face("一、目的") == ("一、目的", "黑体")
    assert head_face("（一）创建工作") == ("（一）创建工作的主要内容", "楷体_GB2312")
    assert head_face("（一）成立") == ("（一）成立*市创建工作领导小组。", "楷体_GB2312")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
标题: 测试计划
制定单位: 测试单位
年份: 2013
章节:
{sections}
"""


def _blocks(tmp_path: Path, sections: str, extra: str = ""):
    return load_plan(_write(tmp_path, extra + MINIMAL.format(sections=sections))).blocks


def test_numbering_applied_when_input_gives_none(tmp_path: Path) -> None:
    blocks = _blocks(
        tmp_path,
        """\
  - 标题: 组织管理
    小节:
      - 标题: 健全制度
        条目: [建立例会制度。, {标题: 加强培训。, 正文: 每季度一次。, 要点: [市级培训, 县级培训]}]
      - 标题: 三、已有编号的小节标题保留原样。
        正文: 说明。
  - 标题: 目标
    指标: [{指标: 孕产妇系统管理率, 目标: ≥95%}, 经费到位。]
""",
    )
    texts = [(b.level, b.head + b.text) for b in blocks if isinstance(b, Paragraph)]
    assert texts == [
        (1, "一、组织管理"),
        (2, "（一）健全制度"),
        (3, "1.建立例会制度。"),
        (3, "2.加强培训。每季度一次。"),
        (4, "（1）市级培训"),
        (4, "（2）县级培训"),
        (2, "三、已有编号的小节标题保留原样。说明。"),
        (1, "二、目标"),
        (3, "1.孕产妇系统管理率≥95%。"),
        (3, "2.经费到位。"),
    ]


def test_styles_and_indicator_table(tmp_path: Path) -> None:
    blocks = _blocks(
        tmp_path,
        """\
  - 标题: 要点
    条目: [{标题: 甲, 要点: [a, b]}]
  - 标题: 指标
    指标: [{指标: 婴儿死亡率, 目标: 控制在4‰以下}]
""",
        extra="编号: {三级: 1、, 四级: ①, 指标形式: 表格}\n",
    )
    paragraphs = [b.text for b in blocks if isinstance(b, Paragraph) and b.level >= 3]
    assert paragraphs == ["1、甲", "①a", "②b"]
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.rows == (("1", "婴儿死亡率", "控制在4‰以下"),)


@pytest.mark.parametrize(
    ("sections", "line", "words"),
    [
        ("  - 标题: 空章节\n", 5, ["章节“空章节”为空"]),
        ("  - 标题: 甲\n    小节:\n      - 标题: 空小节\n", 7, ["小节“空小节”为空"]),
        ("  - 标题: 甲\n    指标:\n      - {指标: 婴儿死亡率}\n", 7, ["目标"]),
        ("  - 标题: 甲\n    指标:\n      - {指标: 不存在的率, 目标: ≥95%}\n", 7, ["未知指标“不存在的率”"]),
        ("  - 标题: 甲\n    指标:\n      - {指标: 婴儿死亡率, 目标: ≤4%}\n", 7, ["‰"]),
        ("  - 标题: 甲\n    条目:\n      - {}\n", 7, ["条目为空"]),
    ],
)
def test_bad_outline(tmp_path: Path, sections: str, line: int, words: list[str]) -> None:
    with pytest.raises(InputError) as err:
        _blocks(tmp_path, sections)
    message = str(err.value)
    assert f"第 {line} 行" in message, message
    for word in words:
        assert word in message, message


def test_year_and_date_may_both_be_absent(tmp_path: Path) -> None:
    text = MINIMAL.format(sections="  - 标题: 甲\n    正文: 乙\n").replace("年份: 2013\n", "")
    plan = load_plan(_write(tmp_path, text))
    assert plan.year is None  # issue 17: an undated plan builds, no year is made up


def test_too_many_circled_points(tmp_path: Path) -> None:
    points = ", ".join(f"p{i}" for i in range(21))
    with pytest.raises(InputError, match="最多 20 项"):
        _blocks(tmp_path, f"  - 标题: 甲\n    条目: [{{标题: 乙, 要点: [{points}]}}]\n", extra="编号: {四级: ①}\n")


def test_cli_bad_plan_writes_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL.format(sections="  - 标题: 空章节\n"))
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--out", str(out))
    assert result.returncode == 2
    assert "第 5 行" in result.stderr and "为空" in result.stderr
    assert not out.exists()
