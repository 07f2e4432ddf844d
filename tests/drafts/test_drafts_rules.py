"""The importer's rules on drafts other than the seeds: a modern circular with its
版记 after two attachments, a 请示 with a full 版头, and the single rules (numbering,
〇, residue, wrapped lines, heading/text split)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import run_cli
from golden import docx_text, squash

from generators.drafts import import_draft
from generators.drafts.normalise import normalise, tidy_spaces
from generators.drafts.plan import split_head
from generators.drafts.read import Line
from generators.drafts.recognise import heading_level

MODERN = """\
Ｘ市卫生健康委员会文件

Ｘ卫发[2023]07号

关于开展2023年妇幼健康
服务质量提升行动的通知

各县（区）卫生健康委，
委属各单位:

    为贯彻落实有关要求，进一步提升全市妇幼健康服务质量，现就有关事项通知如下。

一、总体目标
到2023年底，全市孕产妇系统管理率达到90%以上。
(一)加强组织领导。各单位要成立工作专班。
1.明确责任分工
(1)主要负责同志亲自抓。

附件:1.妇幼健康服务质量提升行动实施方案
     2.妇幼健康服务质量
       评价细则

Ｘ市卫生健康委员会
2023年3月8日

（联系人：张明  联系电话：0518-12345678）

附件1

妇幼健康服务质量提升行动实施方案

一、工作目标
提升服务质量。
二、主要任务
（一）规范服务。
1、开展培训。
2、开展督导。

附件2

妇幼健康服务质量评价细则

一、评价内容
按照标准评价。

抄送:市人民政府办公室,省卫生健康委妇幼处.
Ｘ市卫生健康委员会办公室          2023年3月9日印发
— 3 —
"""

REQUEST = """\
000123
机密★1年
特急
某县妇幼保健所文件
某妇保〔2013〕12号            签发人：李华
关于申请增设儿童保健门诊的请示
县卫生局：
    我所现有儿童保健门诊一个，不能满足需要。
(1)门诊面积不足。
特此请示，请批复。
某县妇幼保健所
二Ｏ一三年三月五日
第 1 页 共 1 页
PAGE  \\* MERGEFORMAT
抄报:市卫生局
共印 10 份
欢迎访问本站 www.example.com 获取更多范文
"""


def _import(tmp_path: Path, text: str, name: str = "草稿.txt"):
    draft = tmp_path / name
    draft.write_text(text, encoding="utf-8")
    return import_draft(draft, tmp_path / "out")


def test_modern_circular(tmp_path: Path) -> None:
    result = _import(tmp_path, MODERN)
    f = result.fields
    assert f["发文机关"] == {"名称": "Ｘ市卫生健康委员会", "代字": "Ｘ卫发"}
    assert f["发文字号"] == {"年份": 2023, "序号": 7}  # 07 → 7, [] → 〔〕 when built
    assert f["标题"] == ["关于开展2023年妇幼健康", "服务质量提升行动的通知"]
    assert f["主送"] == "各县（区）卫生健康委，委属各单位"
    assert f["正文"][1:5] == ["一、总体目标", "到2023年底，全市孕产妇系统管理率达到90%以上。",
                             "（一）加强组织领导。各单位要成立工作专班。", "1.明确责任分工"]  # fmt: skip
    assert [a["标题"] for a in f["附件"]] == ["妇幼健康服务质量提升行动实施方案", "妇幼健康服务质量评价细则"]
    assert f["附件"][0]["文件"].endswith("_附件1_工作计划.yaml")  # a 方案 with 一、 sections
    assert f["附件"][1]["正文"] == "一、评价内容\n按照标准评价。"
    assert f["署名"] == "Ｘ市卫生健康委员会" and "印章" not in f
    assert f["成文日期"] == "2023-03-08" and "日期格式" not in f
    assert f["附注"] == "联系人：张明\u3000联系电话：0518-12345678"
    assert f["抄送"] == ["市人民政府办公室", "省卫生健康委妇幼处"]
    assert (f["印发机关"], f["印发日期"]) == ("Ｘ市卫生健康委员会办公室", "2023-03-09")
    report = result.report.read_text(encoding="utf-8")
    assert "联系人 张明" in report and "页码残留" in report
    assert result.unsure == []


def test_modern_circular_builds(tmp_path: Path) -> None:
    result = _import(tmp_path, MODERN)
    built = run_cli("build", str(result.main), "--out", str(tmp_path / "built"), "--format", "docx", "--quiet")
    assert built.returncode == 0, built.stderr
    text = squash(docx_text(next((tmp_path / "built").rglob("*tongzhi*/*.docx"))))
    assert "Ｘ卫发〔2023〕7号" in text
    assert "附件：1.妇幼健康服务质量提升行动实施方案2.妇幼健康服务质量评价细则" in text
    assert text.index("按照标准评价") < text.index("抄送：市人民政府办公室，省卫生健康委妇幼处。")


def test_request_with_full_header(tmp_path: Path) -> None:
    result = _import(tmp_path, REQUEST)
    f = result.fields
    assert f["文种"] == "请示"
    assert (f["份号"], f["密级和保密期限"], f["紧急程度"]) == ("000123", "机密★1年", "特急")
    assert f["签发人"] == ["李华"]
    assert f["正文"] == ["我所现有儿童保健门诊一个，不能满足需要。", "（1）门诊面积不足。", "特此请示，请批复。"]
    assert f["署名"] == "某县妇幼保健所"
    assert (f["成文日期"], f["日期格式"]) == ("2013-03-05", "汉字")  # 二Ｏ一三 read with 〇
    assert (f["抄报"], f["共印份数"]) == ("市卫生局", 10)
    report = result.report.read_text(encoding="utf-8")
    for dropped in ("第 1 页 共 1 页", "MERGEFORMAT", "www.example.com"):
        assert dropped in report


def test_no_issuer_anywhere_is_flagged(tmp_path: Path) -> None:
    draft = "某卫〔2014〕3号\n关于做好统计工作的通知\n各单位：\n请按时报送。\n2014年1月2日\n"
    result = _import(tmp_path, draft)
    assert result.fields["发文机关"]["名称"] == "某卫"
    assert any("机关代字" in message for _, message in result.unsure)


@pytest.mark.parametrize(
    ("text", "level", "rest"),
    [
        ("一、目的", 1, "目的"),
        ("（一）方法", 2, "方法"),
        ("(二)方法", 2, "方法"),
        ("1.明确", 3, "明确"),
        ("1、明确", 3, "明确"),
        ("1 开展技术交流", 3, "开展技术交流"),
        ("（1）要点", 4, "要点"),
        ("⑴要点", 4, "要点"),
        ("①要点", 4, "要点"),
        ("2012年起将成立", 0, "2012年起将成立"),
        ("1.5倍于去年", 0, "1.5倍于去年"),
        ("15 000元", 0, "15 000元"),
    ],
)
def test_numbering_styles(text: str, level: int, rest: str) -> None:
    assert heading_level(text)[0::2] == (level, rest)


def test_normalisations() -> None:
    lines = [Line(n, t) for n, t in enumerate(
        ["  (一)组织", "②、对收费", "二○一二年一月二十日", "共有2○12项", "孕产妇死亡率≤15/10万", "", "≤10%。",
         "- 2 -", "PAGE", "第1篇:某某范文"], 1)]  # fmt: skip
    cleaned, changes = normalise(lines)
    expected = ["（一）组织", "②对收费", "二〇一二年一月二十日", "共有2○12项", "孕产妇死亡率≤15/10万≤10%。"]
    assert [c.text for c in cleaned] == expected
    assert [c.no for c in cleaned] == [1, 2, 3, 4, 5]
    kinds = {c.kind for c in changes}
    assert {"删除页码残留", "删除Word 域代码残留", "删除网页杂项"} <= kinds


def test_split_head_and_spaces() -> None:
    assert split_head("成立领导小组。由分管市长为组长。") == ("成立领导小组。", "由分管市长为组长。")
    assert split_head("建立集团培训基地   2012年起将成立") == ("建立集团培训基地", "2012年起将成立")
    assert split_head("一是按照要求，完善功能。二是提高质量。") == ("一是按照要求，完善功能。二是提高质量。", None)
    assert tidy_spaces("成员单    位坐诊，抵押金 15000  元/人") == "成员单位坐诊，抵押金 15000 元/人"


def test_stray_text_after_date_is_reported(tmp_path: Path) -> None:
    draft = "某卫〔2014〕3号\n关于做好统计工作的通知\n各单位：\n请按时报送。\n某卫生局\n2014年1月2日\n随手记的一句话\n"
    result = _import(tmp_path, draft)
    assert any("随手记的一句话" in message for _, message in result.unsure)
    assert "随手记的一句话" in result.report.read_text(encoding="utf-8")
    assert yaml.safe_load(result.main.read_text(encoding="utf-8"))["署名"] == "某卫生局"


def test_docx_auto_numbering_and_table_record(tmp_path: Path) -> None:
    """Word's automatic numbering is reported (its numbers are not text); a 版记 typed
    in a table is read row by row."""
    from docx import Document as NewDocx

    document = NewDocx()
    for line in ("某卫〔2014〕3号", "关于做好统计工作的通知", "各单位："):
        document.add_paragraph(line)
    document.add_paragraph("总体要求", style="List Number")
    for line in ("请按时报送。", "某卫生局", "2014年1月2日"):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "抄送：市统计局，"
    table.cell(0, 1).text = "县统计局。"
    table.cell(1, 0).text = "某卫生局办公室"
    table.cell(1, 1).text = "2014年1月3日印发"
    document.save(str(tmp_path / "草稿.docx"))
    result = import_draft(tmp_path / "草稿.docx", tmp_path / "out")
    report = result.report.read_text(encoding="utf-8")
    assert "第 4 段用了 Word/WPS 的自动编号" in report
    assert "2 行表格文字" in report
    assert result.fields["抄送"] == ["市统计局", "县统计局"]
    assert (result.fields["印发机关"], result.fields["印发日期"]) == ("某卫生局办公室", "2014-01-03")


def test_unnumbered_short_line_is_flagged(tmp_path: Path) -> None:
    """A short line without number or end punctuation could be a heading: kept as a
    paragraph and asked about; the closing formula 特此通知 is not."""
    draft = "某卫〔2014〕3号\n关于做好统计工作的通知\n各单位：\n工作安排\n请按时报送。\n特此通知\n2014年1月2日\n"
    result = _import(tmp_path, draft)
    assert result.fields["正文"] == ["工作安排", "请按时报送。", "特此通知"]
    flagged = [no for no, message in result.unsure if "可能是小标题" in message]
    assert flagged == [4]


def test_title_punctuation_and_spaces_are_reported(tmp_path: Path) -> None:
    draft = "某卫〔2014〕3号\n关于印发《统计办法(试行)》的通知\n各单位：\n请 按时   报送。\n2014年1月2日\n"
    result = _import(tmp_path, draft)
    assert result.fields["标题"] == "关于印发《统计办法（试行）》的通知"
    assert result.fields["正文"] == ["请按时报送。"]
    report = result.report.read_text(encoding="utf-8")
    assert "标题中的半角标点改为全角" in report and "“请 按时   报送。” → “请按时报送。”" in report


def test_empty_attachment_page_at_the_end(tmp_path: Path) -> None:
    draft = "某卫〔2014〕3号\n关于做好统计工作的通知\n各单位：\n请按时报送。\n2014年1月2日\n附件1\n"
    result = _import(tmp_path, draft)
    assert "附件" not in result.fields
    assert (6, "附件页面下没有标题和正文，未导入") in result.unsure


def test_upward_draft_without_signer_gets_a_placeholder_and_a_warning(tmp_path: Path) -> None:
    """A 请示 must carry 签发人 (the loader refuses it otherwise): a draft without one
    still imports, with a placeholder the report asks the clerk to replace."""
    result = _import(tmp_path, REQUEST.replace("            签发人：李华", ""))
    assert result.fields["签发人"] == ["（请填写签发人）"]
    assert any("签发人" in text for _, text in result.unsure)
    assert "（请填写签发人）" in result.report.read_text(encoding="utf-8")
