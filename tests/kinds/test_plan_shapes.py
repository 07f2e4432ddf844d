"""Issue 17, plans as institutes write them: unnumbered points, several indicators per
item, every label style, no year.  Each shape is YAML in → paragraphs of the built
PDF (read by PyMuPDF) and DOCX (read by python-docx), built once by the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest
from conftest import run_cli
from docx import Document as OpenDocx

from generators.core.errors import InputError
from generators.core.names import slug
from generators.kinds.work_plan import load_plan

HEAD = "标题: {title}\n制定单位: 测试卫生院\n{extra}章节:\n"

# (id, extra top-level keys, 章节 YAML, expected body paragraphs after the title)
SHAPES: list[tuple[str, str, str, list[str]]] = [
    (
        "unnumbered-points-mixed",
        "年份: 2013\n编号: {四级: ⑴}\n",
        """\
- 标题: 工作
  条目:
  - 标题: 早孕建册
    要点:
    - 村医每月摸底一次。
    - {编号: 否, 正文: 建册后录入信息系统。}
    - 高危孕产妇专案管理。
    - {编号: 否, 标题: 核对。, 正文: 每季度核对一次名单。}
""",
        [
            "一、工作",
            "1.早孕建册",
            "⑴村医每月摸底一次。",
            "建册后录入信息系统。",
            "⑵高危孕产妇专案管理。",
            "核对。每季度核对一次名单。",
        ],
    ),
    (
        "unnumbered-items",
        "年份: 2013\n",
        """\
- 标题: 工作
  小节:
  - 标题: 措施
    条目:
    - 明确职责。
    - {编号: 否, 正文: 以上工作纳入年终考核。}
    - 定期督导。
""",
        ["一、工作", "（一）措施", "1.明确职责。", "以上工作纳入年终考核。", "2.定期督导。"],
    ),
    (
        "several-indicators-in-an-item",
        "年份: 2013\n编号: {三级: 1、}\n",
        """\
- 标题: 目标
  条目:
  - 标题: 降低孕产妇和婴儿死亡率
    指标:
    - {指标: 孕产妇死亡率, 目标: 控制在15/10万以内}
    - {指标: 婴儿死亡率, 目标: 控制在8‰以内}
  - 标题: 提高管理水平。
    正文: 落实服务规范。
    指标:
    - {指标: 孕产妇系统管理率, 目标: ≥90%}
    - {指标: 住院分娩率, 名称: 全镇住院分娩率, 目标: 达到98%以上}
""",
        [
            "一、目标",
            "1、降低孕产妇和婴儿死亡率　孕产妇死亡率控制在15/10万以内、婴儿死亡率控制在8‰以内。",
            "2、提高管理水平。落实服务规范。孕产妇系统管理率≥90%、全镇住院分娩率达到98%以上。",
        ],
    ),
    (
        "several-indicators-in-an-indicator-list",
        "年份: 2013\n",
        """\
- 标题: 评价指标
  指标:
  - 经费到位。
  - 指标:
    - {指标: 孕产妇死亡率, 目标: ≤15/10万}
    - {指标: 婴儿死亡率, 目标: ≤8‰}
  - 标题: 降低死亡率
    指标:
    - {指标: 孕产妇死亡率, 目标: ≤15/10万, 其中: {指标: 产后出血死亡率, 目标: ≤10%}}
    - {指标: 婴儿死亡率, 目标: ≤8‰}
""",
        [
            "一、评价指标",
            "1.经费到位。",
            "2.孕产妇死亡率≤15/10万、婴儿死亡率≤8‰。",
            "3.降低死亡率：孕产妇死亡率≤15/10万，其中产后出血死亡率≤10%；婴儿死亡率≤8‰。",
        ],
    ),
    (
        "items-numbered-like-points",
        "年份: 2013\n编号: {三级: ⑴, 四级: ①}\n",
        """\
- 标题: 工作
  小节:
  - 标题: 保健
    条目:
    - 标题: 门诊服务
      要点: [统一流程。, 统一标准。]
    - ⑵已带编号的条目照原样。
    - 公共卫生服务。
""",
        [
            "一、工作",
            "（一）保健",
            "⑴门诊服务",
            "①统一流程。",
            "②统一标准。",
            "⑵已带编号的条目照原样。",
            "⑶公共卫生服务。",
        ],
    ),
    (
        "letters-and-brackets",
        "年份: 2013\n编号: {一级: （一）, 二级: 1., 三级: 1）, 四级: a.}\n",
        """\
- 标题: 工作
  小节:
  - 标题: 保健
    条目:
    - {标题: 门诊, 要点: [流程。, 标准。]}
""",
        ["（一）工作", "1.保健", "1）门诊", "a.流程。", "b.标准。"],
    ),
    (
        "no-year-signed",
        "落款: 是\n",
        """\
- 标题: 工作
  正文: 做好妇幼保健工作。
""",
        ["一、工作", "做好妇幼保健工作。", "测试卫生院"],
    ),
]
TITLES = {shape: f"测试卫生院工作要点{n}" for n, (shape, *_rest) in enumerate(SHAPES, 1)}


def _yaml(shape: str, extra: str, sections: str) -> str:
    return HEAD.format(title=TITLES[shape], extra=extra) + sections


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shape built by one CLI run (DOCX and PDF)."""
    folder = tmp_path_factory.mktemp("shapes")
    for shape, extra, sections, _expected in SHAPES:
        (folder / f"{shape}.yaml").write_text(_yaml(shape, extra, sections), encoding="utf-8")
    out = folder / "out"
    result = run_cli("build", str(folder), "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def _output(out: Path, shape: str, suffix: str) -> Path:
    extra = next(e for s, e, *_ in SHAPES if s == shape)
    year = re.search(r"年份: (\d+)", extra)
    folder = out / year.group(1) / "jihua" if year else out / "jihua"
    return folder / f"{slug(TITLES[shape])}{suffix}"


def _docx_paragraphs(path: Path) -> list[str]:
    return [p.text for p in OpenDocx(str(path)).paragraphs if p.text.strip()]


def _pdf_lines(path: Path) -> list[str]:
    """Lines of text, page numbers (— 1 —) left out."""
    lines: list[str] = []
    with pymupdf.open(path) as doc:
        for page in doc:
            lines += [ln for ln in page.get_text().splitlines() if ln.strip() and not re.fullmatch(r"— \d+ —", ln)]
    return lines


@pytest.mark.parametrize(("shape", "expected"), [(s[0], s[3]) for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_shape_reads_back_from_docx_and_pdf(built: Path, shape: str, expected: list[str]) -> None:
    docx = _output(built, shape, ".docx")
    assert _docx_paragraphs(docx) == [TITLES[shape], *expected]
    # PDF lines wrap at 28 characters: compare the text paragraph by paragraph, each
    # paragraph starting on a line of its own (so a label begins its line).
    lines = _pdf_lines(_output(built, shape, ".pdf"))
    assert "".join(lines) == TITLES[shape] + "".join(expected)
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line)
    at = len(TITLES[shape])
    for paragraph in expected:
        assert at in starts, f"“{paragraph}” does not start a line in the PDF"
        at += len(paragraph)


def test_undated_plan_has_no_year_folder_and_no_date_line(built: Path) -> None:
    docx = _output(built, "no-year-signed", ".docx")
    assert docx.is_file() and docx.parent == built / "jihua"
    assert not any(re.search(r"(19|20)\d\d|年.*月.*日", p) for p in _docx_paragraphs(docx))
    with pymupdf.open(_output(built, "no-year-signed", ".pdf")) as doc:
        words = [w for page in doc for w in page.get_text("words")]
        name = [w for w in words if w[4] == "测试卫生院"]
    assert len(name) == 1
    # The 落款 alone, two characters from the right edge of the type area (right margin 26 mm).
    right_mm = name[0][2] * 25.4 / 72
    assert abs((210 - 26) - right_mm - 2 * 156 / 28) < 1.5, right_mm


# -- bad shapes: a Chinese message naming file, line and field ---------------------------

ERROR_HEAD = "标题: 测试计划\n制定单位: 测试单位\n{extra}章节:\n"
# (id, extra keys, 章节 YAML, line, field, message)
BAD_SHAPES: list[tuple[str, str, str, int, str, str]] = [
    (
        "unknown-style",
        "编号: {三级: ※}\n",
        "- 标题: 甲\n  条目: [乙。]\n",
        3, "编号.三级", "编号样式“※”无法识别：写这一级第一个编号的样子，可选 ① ⑴ ㈠ 一、 （一） (一) 1. 1． 1、 "
        "（1） (1) 1） 1) a. a． （a） (a) a） a) A. A． （A） (A) A） A)",
    ),
    (
        "two-levels-alike",
        "编号: {三级: （1）, 四级: (1)}\n",
        "- 标题: 甲\n  条目:\n  - 标题: 乙\n    要点: [丙。]\n",
        3, "编号.四级", "三级和四级的编号样式相同（“(1)”），分不清层次：请在“编号”中为四级另选一种样式",
    ),
    (
        "numbered-point-under-unnumbered-item",
        "",
        "- 标题: 甲\n  条目:\n  - 编号: 否\n    正文: 乙。\n    要点: [丙。]\n",
        8, "章节[1].条目[1].要点[1]", "条目不编号时，其下的要点也不编号：请给这一要点写“编号: 否”，或给条目编号",
    ),
    (
        "unknown-indicator-among-several",
        "",
        "- 标题: 甲\n  条目:\n  - 标题: 乙\n    指标:\n    - {指标: 婴儿死亡率, 目标: ≤8‰}\n"
        "    - {指标: 不存在的率, 目标: ≥90%}\n",
        9, "章节[1].条目[1].指标[2].指标", "未知指标“不存在的率”，请在指标文件中添加该指标",
    ),
    (
        "wrong-unit-among-several",
        "",
        "- 标题: 甲\n  指标:\n  - 指标:\n    - {指标: 婴儿死亡率, 目标: ≤8‰}\n    - {指标: 孕产妇死亡率, 目标: ≤8%}\n",
        8, "章节[1].指标[1].指标[2].目标", "指标“孕产妇死亡率”以 /10万 表示，目标值“≤8%”却用了 %",
    ),
    (
        "missing-target-among-several",
        "",
        "- 标题: 甲\n  指标:\n  - 指标:\n    - {指标: 婴儿死亡率, 目标: ≤8‰}\n"
        "    - 指标: 孕产妇死亡率\n      名称: 全镇孕产妇死亡率\n",
        8, "章节[1].指标[1].指标[2].目标", "缺少必填项",
    ),
    (
        "indicator-entry-with-an-empty-list",
        "",
        "- 标题: 甲\n  指标:\n  - 指标: []\n",
        6,
        "章节[1].指标[1]",
        "评价指标中同一条的几个指标写成“指标: [...]”（可加“标题”“正文”），不写“要点”和“编号”",
    ),
    (
        "unnumbered-item-with-nothing",
        "",
        "- 标题: 甲\n  条目:\n  - 编号: 否\n",
        6, "章节[1].条目[1]", "条目为空：请写“标题”“正文”“要点”或“指标”",
    ),
    (
        "enclosed-series-overflow",
        "编号: {三级: ㈠}\n",
        "- 标题: 甲\n  条目: [" + ", ".join(f"第{i}项" for i in range(1, 12)) + "]\n",
        6, "章节[1].条目[11]", "“㈠”式编号最多 10 项",
    ),
    (
        "numbered-is-yes-or-no",
        "",
        "- 标题: 甲\n  条目:\n  - {编号: 也许, 正文: 乙}\n",
        6, "章节[1].条目[1].编号", "应为 是 或 否（也可写 有/无、true/false），实际是“也许”",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "sections", "line", "field", "message"), [b[1:] for b in BAD_SHAPES], ids=[b[0] for b in BAD_SHAPES]
)
def test_bad_shape_is_refused_with_file_line_and_field(
    tmp_path: Path, extra: str, sections: str, line: int, field: str, message: str
) -> None:
    path = tmp_path / "计划.yaml"
    path.write_text(ERROR_HEAD.format(extra=extra) + sections, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert (caught.value.file, caught.value.line, caught.value.field, caught.value.message) == (
        path,
        line,
        field,
        message,
    )


def test_cli_refuses_a_bad_shape_and_writes_nothing(tmp_path: Path) -> None:
    _id, extra, sections, line, field, message = BAD_SHAPES[3]
    path = tmp_path / "计划.yaml"
    path.write_text(ERROR_HEAD.format(extra=extra) + sections, encoding="utf-8")
    result = run_cli("build", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert f"第 {line} 行" in result.stderr and f"字段“{field}”" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("title", "text", "noted"),
    [
        ("示例所20xx年工作计划", "做好工作。", [(1, "20xx年")]),
        ("示例所工作计划", "××××年要做好工作。", [(5, "××××年")]),
        ("示例所工作计划", "做好2013年工作。", []),
    ],
)
def test_a_template_year_placeholder_builds_with_a_note(
    tmp_path: Path, title: str, text: str, noted: list[tuple[int, str]]
) -> None:
    from generators.core import notes

    path = tmp_path / "计划.yaml"
    path.write_text(f"标题: {title}\n制定单位: 示例所\n章节:\n- 标题: 甲\n  正文: {text}\n", encoding="utf-8")
    with notes.collecting() as seen:
        plan = load_plan(path)
    assert plan.title == title and plan.year is None
    advice = "是模板中的年份占位，会照原样印出：不知道年份时删去它即可（计划可以不写年份）"
    assert seen == [f"文件 {path}，第 {line} 行：“{word}”{advice}" for line, word in noted]


def test_several_indicators_in_the_table_form(tmp_path: Path) -> None:
    """指标形式: 表格: one row per indicator, the entry's 序号 on its first row."""
    sections = """\
- 标题: 评价指标
  指标:
  - {指标: 住院分娩率, 目标: ≥98%}
  - 标题: 降低死亡率
    指标:
    - {指标: 孕产妇死亡率, 目标: 控制在15/10万以内}
    - {指标: 婴儿死亡率, 目标: 控制在8‰以内}
  - 指标:
    - {指标: 孕产妇系统管理率, 目标: ≥90%}
    - {指标: 7岁以下儿童管理率, 目标: ≥90%}
"""
    path = tmp_path / "表格.yaml"
    path.write_text(ERROR_HEAD.format(extra="年份: 2013\n编号: {指标形式: 表格}\n") + sections, encoding="utf-8")
    result = run_cli("build", str(path), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 0, result.stderr
    rows = [
        ("序号", "指标", "目标"),
        ("1", "住院分娩率", "≥98%"),
        ("2", "降低死亡率", ""),
        ("", "孕产妇死亡率", "控制在15/10万以内"),
        ("", "婴儿死亡率", "控制在8‰以内"),
        ("3", "孕产妇系统管理率", "≥90%"),
        ("", "7岁以下儿童管理率", "≥90%"),
    ]
    docx = next((tmp_path / "out").rglob("*.docx"))
    table = OpenDocx(str(docx)).tables[0]
    assert [tuple(cell.text for cell in row.cells) for row in table.rows] == rows
    with pymupdf.open(docx.with_suffix(".pdf")) as doc:
        words = "".join(w[4] for page in doc for w in page.get_text("words"))
    assert "".join("".join(r) for r in rows) in words
