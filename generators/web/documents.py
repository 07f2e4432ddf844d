"""A 公文 as the page edits it: the fields of the circular form ↔ the YAML input.

The YAML file (``main.yaml`` in the document's folder) is what is built; the form
shows the fields a clerk fills in and writes them back, keeping every other key the
file holds (imported attachments, 标题分行, …).  A document the form cannot show
(an imported work plan) is edited as YAML text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generators.core.output import atomic_path
from generators.drafts.write import dump_yaml

KINDS = ("通知", "通报", "报告", "请示", "函", "意见", "决定", "批复", "纪要")
_SPLIT = re.compile(r"[、，,；;\n]+")


@dataclass(frozen=True)
class Field:
    name: str  # the form field and label
    help: str = ""
    kind: str = "text"  # text, textarea, date, checkbox, select, list


FIELDS = (
    Field("文种", kind="select"),
    Field("发文机关名称", "如 连云港市妇幼保健集团"),
    Field("发文机关代字", "如 连妇保集"),
    Field("年份", "发文字号的年份"),
    Field("份号", "可省略；如 000012"),
    Field("密级和保密期限", "可省略"),
    Field("紧急程度", "可省略；特急 或 加急"),
    Field("签发人", "上行文（请示、报告）必填；多人用顿号分开", kind="list"),
    Field("标题", "如 关于……的通知"),
    Field("主送", "多个用顿号分开", kind="list"),
    Field("正文", "每段一行；一、（一）1. 等层次序数照常书写", kind="textarea"),
    Field("附件说明", "每行一个附件标题（附件正文见下）", kind="textarea"),
    Field("署名", "发文机关署名"),
    Field("成文日期", kind="date"),
    Field("印章", "加盖印章", kind="checkbox"),
    Field("附注", "可省略；如 联系人：……，联系电话：……"),
    Field("抄送", "多个用顿号分开", kind="list"),
    Field("印发机关", "版记中的印发机关"),
    Field("印发日期", kind="date"),
)

FIELD_KINDS = {f.name: f.kind for f in FIELDS}


def is_circular(data: Mapping[str, Any]) -> bool:
    return "发文字号" in data


def new_circular(issuer: str, code: str, today: dt.date) -> dict[str, Any]:
    return {
        "文种": "通知",
        "发文机关": {"名称": issuer, "代字": code},
        "发文字号": {"年份": today.year, "序号": "auto"},
        "标题": "关于……的通知",
        "主送": [],
        "正文": "",
        "署名": issuer,
        "成文日期": today,
        "印章": True,
    }


def form_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values from a circular's YAML data."""
    issuer = data.get("发文机关") or {}
    number = data.get("发文字号") or {}
    attachments = data.get("附件") or []
    return {
        "文种": data.get("文种", "通知"),
        "发文机关名称": issuer.get("名称", ""),
        "发文机关代字": issuer.get("代字", ""),
        "年份": str(number.get("年份", "")),
        "份号": str(data.get("份号") or ""),
        "密级和保密期限": data.get("密级和保密期限") or "",
        "紧急程度": data.get("紧急程度") or "",
        "签发人": "、".join(_as_list(data.get("签发人"))),
        "标题": _text(data.get("标题")),
        "主送": "、".join(_as_list(data.get("主送"))),
        "正文": _lines(data.get("正文")).strip("\n"),
        "附件说明": "\n".join(_text(a.get("标题")) for a in attachments if isinstance(a, dict) and "文件" not in a),
        "署名": data.get("署名") or "",
        "成文日期": _date(data.get("成文日期")),
        "印章": bool(data.get("印章")),
        "附注": data.get("附注") or "",
        "抄送": "、".join(_as_list(data.get("抄送"))),
        "印发机关": data.get("印发机关") or "",
        "印发日期": _date(data.get("印发日期")),
    }


def apply_form(data: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """``data`` with the fields the clerk changed written in.  A field left as the form
    showed it keeps the file's own value (its list, its line breaks, its types), so
    opening and saving an imported document changes nothing."""
    out = dict(data)
    before = form_values(data)

    def changed(name: str) -> str | None:
        if FIELD_KINDS[name] == "checkbox":
            value = "on" if form.get(name) in ("on", "1", "true", "是") else ""
            return None if bool(value) == bool(before[name]) else value
        text = form.get(name)
        if text is None or text.replace("\r\n", "\n").strip() == str(before[name]).strip():
            return None
        return text.replace("\r\n", "\n")

    def put(key: str, value: Any) -> None:
        if value in (None, "", []):
            out.pop(key, None)
        else:
            out[key] = value

    if (value := changed("文种")) is not None:
        put("文种", value.strip() or "通知")
    for name, key in (("发文机关名称", "名称"), ("发文机关代字", "代字")):
        if (value := changed(name)) is not None:
            out["发文机关"] = {**(out.get("发文机关") or {}), key: value.strip()}
    if (value := changed("年份")) is not None:
        year = value.strip()
        out["发文字号"] = {**(out.get("发文字号") or {"序号": "auto"}), "年份": int(year) if year.isdigit() else year}
    out.setdefault("发文字号", {"序号": "auto"})
    for key in ("份号", "密级和保密期限", "紧急程度", "署名", "附注", "印发机关", "标题"):
        if (value := changed(key)) is not None:
            put(key, value.strip())
    for key in ("签发人", "抄送"):
        if (value := changed(key)) is not None:
            put(key, _split(value))
    if (value := changed("主送")) is not None:
        out["主送"] = _split(value)
    if (value := changed("正文")) is not None:
        body = "\n".join(line.strip() for line in value.splitlines() if line.strip())
        out["正文"] = body + "\n" if body else ""
    for key in ("成文日期", "印发日期"):
        if (value := changed(key)) is not None:
            put(key, _parse_date(value.strip()) or value.strip())
    if (value := changed("印章")) is not None:
        out["印章"] = bool(value)
    attachments = list(out.get("附件") or [])
    if (value := changed("附件说明")) is not None:
        titles = [t.strip() for t in value.splitlines() if t.strip()]
        by_title = {_text(a.get("标题")): a for a in attachments if isinstance(a, dict) and "文件" not in a}
        files = [a for a in attachments if isinstance(a, dict) and "文件" in a]
        attachments = [by_title.get(t) or {"标题": t, "正文": f"（{t}，见另页）\n"} for t in titles] + files
    attachments += [{"标题": t, "文件": f} for t, f in _chosen_files(form)]
    put("附件", attachments)
    return out


def _chosen_files(form: Mapping[str, str]) -> list[tuple[str, str]]:
    """附件 chosen from the office's books and plans: ``附件文件`` = relative path."""
    value = form.get("附件文件", "").strip()
    if not value:
        return []
    title = form.get("附件文件标题", "").strip() or Path(value).stem
    return [(title, value)]


def read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}


def text_of(data: Mapping[str, Any]) -> str:
    return dump_yaml(dict(data), "由网页表单生成；也可以用 make_reports.py build 生成")


def save_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def title_of(data: Mapping[str, Any]) -> str:
    return _text(data.get("标题") or data.get("名称") or "（无标题）").replace("\n", "")[:80]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return "" if value is None else str(value)


def _lines(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _split(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
