"""Done-when 6: each bad input gives a Chinese message naming file, line and field,
a non-zero exit status, and nothing in the output folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

# Seed 001's circular with a text attachment (the sample's structured plan lives elsewhere).
GOOD = re.sub(
    r"文件: \.\./2012/work_plan\.yaml.*",
    "文件: attachments/2012_work_plan.txt",
    (ROOT / "sample_inputs" / "circulars" / "2012-02_work_plan_circular.yaml").read_text(encoding="utf-8"),
)
assert "attachments/2012_work_plan.txt" in GOOD


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


CASES = {
    # name: (transform of the good input, expected message fragment, field, line-finder)
    "missing_title": (
        lambda t: "\n".join(line for line in t.splitlines() if not line.startswith("标题:")),
        "缺少必填项",
        "标题",
        None,
    ),
    "impossible_date": (
        lambda t: t.replace("成文日期: 2012-01-20", "成文日期: 2012-02-30"),
        "不是有效的日期",
        "成文日期",
        "成文日期:",
    ),
    "impossible_chinese_date": (
        lambda t: t.replace("成文日期: 2012-01-20", "成文日期: 2012年13月1日"),
        "不是有效的日期",
        "成文日期",
        "成文日期:",
    ),
    "unknown_key": (lambda t: t.replace("主送:", "主送单位:"), "未知的键", "主送单位", "主送单位:"),
    "zero_number": (lambda t: t.replace("序号: 2", "序号: 0"), "正整数", "发文字号.序号", "序号:"),
    "negative_number": (lambda t: t.replace("序号: 2", "序号: -3"), "正整数", "发文字号.序号", "序号:"),
    "text_number": (lambda t: t.replace("序号: 2", "序号: 2号"), "正整数", "发文字号.序号", "序号:"),
    "float_number": (lambda t: t.replace("序号: 2", "序号: 2.5"), "正整数", "发文字号.序号", "序号:"),
    "yaml_syntax": (
        lambda t: t.replace("主送: 市妇幼保健集团各成员单位", "主送: [市妇幼保健集团各成员单位"),
        "YAML 格式错误",
        None,
        None,
    ),
    "duplicate_key": (lambda t: t + "\n标题: 另一个标题\n", "重复", None, "标题: 另一个标题"),
    "missing_attachment_file": (
        lambda t: t.replace("attachments/2012_work_plan.txt", "attachments/nope.txt"),
        "附件文件不存在",
        "附件[1].文件",
        "nope.txt",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input(tmp_path: Path, case: str) -> None:
    transform, message, field, needle = CASES[case]
    src = tmp_path / "in"
    (src / "attachments").mkdir(parents=True)
    (src / "attachments" / "2012_work_plan.txt").write_text("一、测试\n正文。\n", encoding="utf-8")
    text = transform(GOOD)
    bad = src / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "outputs"
    result = run_cli("build", str(bad), "--out", str(out))
    assert result.returncode != 0
    err = result.stderr
    assert message in err, err
    assert str(bad) in err, err
    if field:
        assert f"字段“{field}”" in err, err
    if needle:
        assert f"第 {_line_of(text, needle)} 行" in err, err
    elif case == "yaml_syntax":
        assert "第 " in err and " 行" in err, err
    assert not out.exists() or not any(out.rglob("*")), list(out.rglob("*"))


def test_one_bad_input_stops_the_batch_before_any_output(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "attachments").mkdir(parents=True)
    (src / "attachments" / "2012_work_plan.txt").write_text("正文。\n", encoding="utf-8")
    (src / "a_good.yaml").write_text(GOOD, encoding="utf-8")
    (src / "b_bad.yaml").write_text(GOOD.replace("序号: 2", "序号: 0"), encoding="utf-8")
    out = tmp_path / "outputs"
    result = run_cli("build", str(src), "--out", str(out))
    assert result.returncode != 0
    assert not out.exists() or not any(out.rglob("*"))


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    result = run_cli("build", "--format", "odt", "--out", str(tmp_path / "o"))
    assert result.returncode != 0 and "不支持的输出格式" in result.stderr


UPWARD = """\
文种: {kind}
发文机关: {{名称: 某县妇幼保健所, 代字: 某妇保}}
发文字号: {{年份: 2013, 序号: 3}}
标题: 关于增设新生儿听力筛查点的{kind}
主送: 县卫生局
正文: 拟在城南社区卫生服务中心增设筛查点。
署名: 某县妇幼保健所
成文日期: 2013-05-06
{signer}"""


@pytest.mark.parametrize("kind", ["请示", "报告"])
def test_upward_document_without_signer_is_refused(tmp_path: Path, kind: str) -> None:
    """GB/T 9704-2012 7.2.6: 上行文 carry 签发人; the error names the file and the key."""
    source = tmp_path / "up.yaml"
    source.write_text(UPWARD.format(kind=kind, signer=""), encoding="utf-8")
    result = run_cli("build", str(source), "--out", str(tmp_path / "out"), "--format", "docx")
    assert result.returncode == 2
    assert str(source) in result.stderr and "字段“签发人”" in result.stderr and "上行文" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.docx"))
    source.write_text(UPWARD.format(kind=kind, signer="签发人: 王某\n"), encoding="utf-8")
    signed = run_cli("build", str(source), "--out", str(tmp_path / "out"), "--format", "docx")
    assert signed.returncode == 0, signed.stderr
