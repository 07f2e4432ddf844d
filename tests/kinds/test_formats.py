"""Issue 13: the 格式 of a circular, from the YAML or implied by 文种, and the clear
Chinese errors when an input does not fit its format (file, line and field named)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from generators.core.errors import InputError
from generators.document.model import Format
from generators.kinds.circular import build_circular, load_circular

BASE = """\
文种: {kind}
发文机关:
  名称: 连云港市妇幼保健集团
  代字: 连妇保集
发文字号:
  年份: 2012
  序号: 9
标题: 关于做好2012年妇幼卫生年报工作的通知
主送: 各成员单位
正文: |
  请按时报送年报。
成文日期: 2012-12-01
"""


def _build(tmp_path: Path, kind: str = "通知", extra: str = ""):
    path = tmp_path / "in.yaml"
    path.write_text(BASE.format(kind=kind) + extra, encoding="utf-8")
    spec, located = load_circular(path)
    return build_circular(spec, located)


def _error(tmp_path: Path, kind: str = "通知", extra: str = "") -> InputError:
    with pytest.raises(InputError) as caught:
        _build(tmp_path, kind, extra)
    assert str(tmp_path / "in.yaml") in str(caught.value)
    return caught.value


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        ("通知", "", Format.FILE),
        ("函", "", Format.LETTER),
        ("纪要", "出席: [张某某]\n", Format.MINUTES),
        ("令", "签发人: 王某某\n签发人职务: 理事长\n", Format.ORDER),
        ("通知", "格式: 信函\n", Format.LETTER),
        ("函", "格式: 文件格式\n", Format.FILE),  # a 函 may be sent as a 文件
        ("通知", "格式: 命令（令）格式\n签发人: 王某某\n签发人职务: 理事长\n", Format.ORDER),
    ],
)
def test_format_from_the_yaml_or_the_kind(tmp_path: Path, kind: str, extra: str, expected: Format) -> None:
    assert _build(tmp_path, kind, extra).format is expected


def test_marks_and_numbers_per_format(tmp_path: Path) -> None:
    letter = _build(tmp_path, "函")
    assert letter.header and letter.header.issuer_mark == ("连云港市妇幼保健集团",)
    assert letter.record is None or not letter.record.ruled
    order = _build(tmp_path, "令", "签发人: 王某某\n签发人职务: 理事长\n")
    assert order.header and order.header.issuer_mark == ("连云港市妇幼保健集团令",)
    assert order.header.number == "第9号" and order.meta.identifier == "连妇保集〔2012〕9号"
    assert order.signing and order.signing.post == "理事长" and order.signing.signer == "王某某"
    assert not order.header.signers  # the signer's seal, not a header 签发人
    joint = _build(tmp_path, "通知", "联合发文机关: [连云港市卫生局]\n署名: 连云港市妇幼保健集团\n")
    assert joint.header and joint.header.issuer_mark == ("连云港市妇幼保健集团", "连云港市卫生局")
    assert joint.header.joint_word == "文件"
    assert joint.signing and joint.signing.issuers == ("连云港市妇幼保健集团", "连云港市卫生局")


def test_minutes_lists_in_order(tmp_path: Path) -> None:
    doc = _build(tmp_path, "纪要", "列席: [陈某某]\n出席: 张某某\n请假: [李某某, 赵某某]\n")
    assert doc.attendance == (("出席", ("张某某",)), ("请假", ("李某某", "赵某某")), ("列席", ("陈某某",)))
    assert doc.header and doc.header.issuer_mark == ("连云港市妇幼保健集团纪要",)


def test_unknown_format(tmp_path: Path) -> None:
    err = _error(tmp_path, extra="格式: 公告格式\n")
    assert err.field == "格式" and err.line == 13
    assert "不认识的格式“公告格式”" in err.message and "信函格式" in err.message


def test_minutes_need_the_present(tmp_path: Path) -> None:
    err = _error(tmp_path, "纪要")
    assert err.field == "出席" and "纪要格式须写“出席”" in err.message


def test_lists_only_in_minutes(tmp_path: Path) -> None:
    err = _error(tmp_path, "通知", "请假: [张某某]\n")
    assert err.field == "请假" and err.line == 13 and "只用于纪要格式" in err.message


def test_letter_record_has_no_printer(tmp_path: Path) -> None:
    err = _error(tmp_path, "函", "印发机关: 集团办公室\n")
    assert err.field == "印发机关" and err.line == 13 and "信函格式的版记不印" in err.message


def test_order_needs_signer_and_post(tmp_path: Path) -> None:
    assert _error(tmp_path, "令").field == "签发人"
    err = _error(tmp_path, "令", "签发人: 王某某\n")
    assert err.field == "签发人职务" and "职务" in err.message
    err = _error(tmp_path, "通知", "签发人职务: 理事长\n")
    assert err.field == "签发人职务" and err.line == 13
    err = _error(tmp_path, "通知", "签名章图片: sig.png\n")
    assert err.field == "签名章图片" and "只用于命令（令）格式" in err.message


def test_title_needed_but_in_an_order(tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    text = BASE.format(kind="通知").replace("标题: 关于做好2012年妇幼卫生年报工作的通知\n", "")
    path.write_text(text, encoding="utf-8")
    spec, located = load_circular(path)
    with pytest.raises(InputError) as caught:
        build_circular(spec, located)
    assert caught.value.field == "标题"
    path.write_text(text.replace("文种: 通知", "文种: 令") + "签发人: 王某某\n签发人职务: 理事长\n", encoding="utf-8")
    spec, located = load_circular(path)
    order = build_circular(spec, located)
    assert order.title_lines == () and order.meta.title == "连云港市妇幼保健集团令第9号"


def test_request_without_signer_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_text(BASE.format(kind="请示"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_circular(path)
    assert caught.value.field == "签发人" and "上行文" in caught.value.message


def test_cli_refuses_an_unknown_format_writing_nothing(tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_text(BASE.format(kind="通知") + "格式: 信件\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--out", str(out), "-q", cwd=ROOT)
    assert result.returncode == 2
    assert "不认识的格式“信件”" in result.stderr and "第 13 行" in result.stderr and "字段“格式”" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.docx"))
