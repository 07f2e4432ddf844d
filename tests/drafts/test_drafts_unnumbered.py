"""Drafts written before they have a number (a clerk's new circular): read as a 公文
when the title ends in a 文种 and a 主送 line follows; 序号 auto, the year from the
成文日期, the 机关代字 given by the caller or asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generators.core.errors import InputError
from generators.drafts import import_draft

NOTICE = """关于做好2027年元旦春节期间妇幼保健服务工作的通知
各县区妇幼保健所：
为保障节日期间孕产妇和儿童的医疗保健服务，现就有关事项通知如下。
一、加强值班
节日期间实行24小时值班制度。
二、做好应急准备
各单位要完善应急预案。
特此通知。
{issuer}
2026年12月20日
"""


def _import(tmp_path: Path, text: str, code: str | None = "示保") -> tuple[dict, list]:
    source = tmp_path / "草稿.txt"
    source.write_text(text, encoding="utf-8")
    result = import_draft(source, tmp_path / "out", code=code)
    return yaml.safe_load(result.main.read_text(encoding="utf-8")), result.unsure


@pytest.mark.parametrize(
    ("text", "kind", "issuer"),
    [
        (NOTICE.format(issuer="某市妇幼保健院"), "通知", "某市妇幼保健院"),
        ("某市卫生健康委员会文件\n" + NOTICE.format(issuer="某市卫生健康委员会"), "通知", "某市卫生健康委员会"),
        (
            "关于商请支持开展新生儿疾病筛查的函\n某大学附属医院：\n我院拟开展新生儿疾病筛查工作，"
            "恳请贵院给予技术支持。\n妥否，请函复。\n某县妇幼保健所\n2026年11月3日\n",
            "函",
            "某县妇幼保健所",
        ),
        (
            "加急\n关于2026年妇幼健康工作情况的报告\n市卫生健康委员会：\n现将我所2026年工作情况报告如下。\n"
            "一、主要指标\n孕产妇系统管理率96.5%。\n特此报告。\n某县妇幼保健所\n二〇二六年十二月一日\n",
            "报告",
            "某县妇幼保健所",
        ),
    ],
)
def test_an_unnumbered_draft_is_a_circular_numbered_when_built(
    tmp_path: Path, text: str, kind: str, issuer: str
) -> None:
    data, _unsure = _import(tmp_path, text)
    assert data["文种"] == kind
    assert data["发文字号"] == {"年份": 2026, "序号": "auto"}
    assert data["发文机关"]["代字"] == "示保"
    assert data["发文机关"]["名称"] == issuer
    assert data["主送"]


def test_without_a_code_the_yaml_asks_for_one(tmp_path: Path) -> None:
    data, unsure = _import(tmp_path, NOTICE.format(issuer="某市妇幼保健院"), code=None)
    assert data["发文机关"]["代字"] == "（请填写机关代字）"
    assert any("机关代字" in message for _line, message in unsure)


@pytest.mark.parametrize(
    "text",
    [
        "今天天气很好。\n我们去公园。\n",  # no title, no 主送
        "关于做好冬季保暖工作的通知\n天气转冷，请注意保暖。\n某单位\n2026年12月1日\n",  # no 主送 line
        "某单位2027年工作计划\n各科室：\n",  # a title that is not a 文种, and nothing else
    ],
)
def test_text_that_is_no_circular_is_still_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError):
        _import(tmp_path, text)
