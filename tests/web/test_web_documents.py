"""The 公文 form ↔ YAML: an untouched form changes nothing in the file (imported
documents keep their lists, line breaks and attachments), a changed field changes
only itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.web import documents

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_inputs" / "circulars").glob("*.yaml"))


def as_form(data: dict[str, Any]) -> dict[str, str]:
    """What a browser posts for the form as shown: a checked box is "on", an unchecked one absent."""
    form = {}
    for name, value in documents.form_values(data).items():
        if value is True:
            form[name] = "on"
        elif value is not False:
            form[name] = str(value).replace("\n", "\r\n")  # browsers send CRLF from a textarea
    return form


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_an_untouched_form_keeps_the_file(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert documents.apply_form(data, as_form(data)) == data


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_a_changed_field_changes_only_itself(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    form = {**as_form(data), "标题": "关于测试的通知", "抄送": "甲单位、乙单位"}
    form.pop("印章", None)
    out = documents.apply_form(data, form)
    assert out["标题"] == "关于测试的通知"
    assert out["抄送"] == ["甲单位", "乙单位"]
    assert not out.get("印章", False)
    changed = {k for k in set(out) | set(data) if out.get(k) != data.get(k)}
    assert changed <= {"标题", "抄送", "印章"}
    assert changed >= {"标题", "抄送"}


def test_a_new_circular_from_the_form() -> None:
    import datetime as dt

    data = documents.new_circular("某某单位", "某字", dt.date(2026, 12, 1))
    form = {**as_form(data), "正文": "第一段。\r\n\r\n第二段。\r\n", "附件说明": "名单\r\n日程"}
    out = documents.apply_form(data, form)
    assert out["正文"] == "第一段。\n第二段。\n"
    assert [a["标题"] for a in out["附件"]] == ["名单", "日程"]
    assert out["发文字号"] == {"年份": 2026, "序号": "auto"}
    text = documents.text_of(out)
    assert yaml.safe_load(text) == out
