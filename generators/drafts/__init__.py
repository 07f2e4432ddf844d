"""一键排版: import a clerk's draft (.docx, .txt, standard input) as structured inputs.

``import_draft(source, out_dir)`` reads the draft, normalises it, recognises the parts
of the 公文 (or a standalone work plan), writes the YAML inputs that
``make_reports.py build`` takes and a recognition report, and returns what it wrote.
Rules are deterministic; their patterns are data in ``patterns``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generators.core.errors import InputError
from generators.drafts import patterns as P
from generators.drafts.normalise import Change, Cleaned, normalise, tidy_spaces
from generators.drafts.plan import PlanDraft, looks_like_plan, plan_from_lines, targets_in_lines
from generators.drafts.read import Draft, read_draft
from generators.drafts.recognise import Recognised, heading_level, parse_date, recognise_circular
from generators.drafts.write import dump_yaml, place, report_markdown
from generators.indicators.dictionary import IndicatorDictionary, default_dictionary
from generators.kinds.circular import UPWARD_KINDS, build_circular, load_circular
from generators.kinds.work_plan import load_plan, plan_document

__all__ = ["ImportResult", "import_draft"]


@dataclass
class ImportResult:
    """What an import wrote: the input to build (``main``), all files, the report."""

    kind: str  # "通知" (a circular) or "工作计划"
    main: Path
    files: list[Path]
    report: Path
    fields: dict[str, Any] = field(default_factory=dict)  # the main YAML's values
    attachments: list[dict[str, Any]] = field(default_factory=list)  # each attachment's YAML values
    unsure: list[tuple[int | None, str]] = field(default_factory=list)


def _safe_stem(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)[:60] or "导入"


def import_draft(
    source: Path | str | None,
    out_dir: Path | str,
    dictionary: IndicatorDictionary | None = None,
    *,
    code: str | None = None,
) -> ImportResult:
    """Import ``source`` (a path, or None/"-" for standard input) into ``out_dir``.

    ``code`` is the 机关代字 for a draft that has no 发文字号 yet (it is numbered
    ``auto`` when built); without it the YAML asks the clerk to fill it in.
    Raises InputError (Chinese, naming the file and line) on input it cannot read or
    recognise, and when a file to write exists already; then nothing is written.
    """
    draft = read_draft(source)
    lines, changes = normalise(draft.lines)
    if not lines:
        raise InputError("去掉空行、页码和网页杂项后没有剩下文字", file=draft.name)
    dictionary = dictionary or default_dictionary()
    out = Path(out_dir)
    recognised = recognise_circular(lines)
    if recognised is not None:
        return _circular(draft, lines, changes, recognised, out, dictionary, code)
    return _standalone_plan(draft, lines, changes, out, dictionary)


def _header(draft: Draft, report_name: str, main: str) -> str:
    return (
        f"由 make_reports.py import 从 {draft.name} 导入；识别报告见 {report_name}。\n"
        f"请核对后生成：python make_reports.py build {main}"
    )


def _change_rows(
    changes: list[Change], lines: list[Cleaned], more: list[tuple[int, str, str, str]] | None = None
) -> list[tuple[int, str, str, str]]:
    """Every change for the report: the normaliser's, the recogniser's, and the spaces
    typed inside Chinese text (removed between hanzi, a run of spaces made one)."""
    rows = [(c.no, c.kind, c.before, c.after) for c in changes] + list(more or [])
    for ln in lines:
        tidy = tidy_spaces(ln.text)
        if tidy != ln.text:
            rows.append(
                (
                    ln.no,
                    "多余的空格（中文之间的删去，连续的并为一个；工作计划条目中标题后的空格用作标题与正文的分界）",
                    ln.text,
                    tidy,
                )
            )
    return sorted(rows, key=lambda row: row[0])


def _body_hints(lines: list[Cleaned]) -> list[tuple[int | None, str]]:
    """Half-width punctuation between hanzi: kept as typed (the standard's body is the
    author's wording), but pointed out."""
    hits = [ln.no for ln in lines if re.search(rf"[{P.CJK}][,;:?!][{P.CJK}]", ln.text)]
    if not hits:
        return []
    where = "、".join(str(n) for n in hits[:12]) + ("等" if len(hits) > 12 else "")
    return [(None, f"第 {where} 行的中文之间有半角标点（如“,”），已照原文保留；如需改为全角请在 YAML 中修改")]


def _circular(
    draft: Draft,
    lines: list[Cleaned],
    changes: list[Change],
    r: Recognised,
    out: Path,
    dictionary: IndicatorDictionary,
    code: str | None = None,
) -> ImportResult:
    f = r.fields
    title = f.get("标题")
    title_text = "".join(title) if isinstance(title, list) else (title or "")
    kind = next((k for k in sorted(P.TITLE_ENDINGS, key=len, reverse=True) if title_text.endswith(k)), "通知")
    if f["_seq"] == "auto":  # a draft not numbered yet
        f["_year"] = int(f["成文日期"][:4]) if "成文日期" in f else dt.date.today().year  # ISO text
        f["_code"] = code or "（请填写机关代字）"
        if not code:
            r.unsure.append((None, "草稿没有发文字号，也没有给出机关代字：YAML 中暂写“（请填写机关代字）”，请改正"))
        stem = _safe_stem(title_text or "公文")
    else:
        stem = _safe_stem(f"{f['_code']}{f['_year']}-{f['_seq']}号")
    issuer: dict[str, Any] = {"名称": f["_issuer"]}
    if f.get("_mark_lines"):
        issuer["标志"] = f["_mark_lines"]
    issuer["代字"] = f["_code"]
    data: dict[str, Any] = {"文种": kind, "发文机关": issuer, "发文字号": {"年份": f["_year"], "序号": f["_seq"]}}
    for key in ("份号", "密级和保密期限", "紧急程度", "签发人"):
        if key in f:
            data[key] = f[key]
    if kind in UPWARD_KINDS and "签发人" not in f:  # the loader requires it of upward documents
        data["签发人"] = ["（请填写签发人）"]
        r.unsure.append((None, f"{kind}是上行文，须有签发人；草稿中没有，YAML 中暂写“（请填写签发人）”，请改正"))
    if title is None:
        raise InputError("找到了发文字号，但没有找到标题", file=draft.name)
    data["标题"] = title
    if "主送" in f:
        data["主送"] = f["主送"]
    if not r.body:
        raise InputError("找到了发文字号和标题，但没有找到正文", file=draft.name)
    data["正文"] = [p.text for p in r.body]
    attachments_yaml: dict[str, str] = {}
    att_entries: list[dict[str, Any]] = []
    att_report: list[dict[str, Any]] = []
    att_values: list[dict[str, Any]] = []
    names = [n for n, _ in r.attachment_names]
    count = max(len(names), len(r.attachments))
    for n in range(count):
        att = r.attachments[n] if n < len(r.attachments) else None
        name = names[n] if n < len(names) else (att.title if att else "")
        if not name:  # an 附件 label at the very end with nothing under it, and no 附件说明
            r.unsure.append((att.header_no if att else None, "附件页面下没有标题和正文，未导入"))
            continue
        entry: dict[str, Any] = {"标题": name}
        info: dict[str, Any] = {"title": name, "title_lines": [name], "title_nos": [], "notes": []}
        if att is None:
            entry["正文"] = ""
            info["as"] = "只有附件说明，草稿中没有附件正文（附件正文为空，请补上）"
            r.unsure.append((r.attachment_names[n][1], f"附件“{name}”在草稿中没有正文"))
        else:
            info.update(title_lines=att.title_lines, title_nos=att.title_nos)
            if len(att.title_lines) > 1:
                entry["标题分行"] = att.title_lines
            plan = None
            if looks_like_plan(att.title, att.body):
                plan = plan_from_lines(att.title, att.body, f["_issuer"], f.get("成文日期"), f["_year"], dictionary)
                if plan.problem:
                    info["notes"].append(f"按工作计划读取未成功（{plan.problem}），改为文字附件")
                    r.unsure.append((att.header_no, f"附件“{name}”像工作计划，但{plan.problem}；已按文字附件导入"))
                    plan = None
            if plan is not None:
                file = f"{stem}_附件{n + 1}_工作计划.yaml"
                attachments_yaml[file] = dump_yaml(
                    plan.plan, f"附件{n + 1}（工作计划），由 make_reports.py import 从 {draft.name} 导入。"
                )
                entry["文件"] = file
                info.update(as_plan(plan, file))
                r.unsure.extend(plan.unsure)
                att_values.append(plan.plan)
            else:
                entry["正文"] = "\n".join(tidy_spaces(ln.text, keep_alignment=True) for ln in att.body)
                info["as"] = "文字附件（各段照录，按编号识别标题层级）"
                if P.BOOK_TITLE.search(att.title):
                    info["notes"].append("标题像目标管理责任书；责任书的结构化导入尚未实现，按文字附件导入（文字不变）")
                info["kept_as_text"] = targets_in_lines(att.body, dictionary)
                info["headings"] = [
                    (ln.no, lvl, tidy_spaces(ln.text)) for ln in att.body if (lvl := heading_level(ln.text)[0])
                ]
                att_values.append({"正文": entry["正文"]})
        att_entries.append(entry)
        att_report.append(info)
    if att_entries:
        data["附件"] = att_entries
    data["署名"] = f["署名"]
    if "成文日期" not in f:
        raise InputError("没有找到成文日期（如“2012年6月20日”或“二〇一二年六月二十日”），无法生成公文", file=draft.name)
    data["成文日期"] = f["成文日期"]
    if f.get("日期格式") == "汉字":
        data["日期格式"] = "汉字"
    if f.get("印章"):
        data["印章"] = True
    for key in ("附注", "抄报", "抄送", "印发机关", "印发日期", "共印份数"):
        if key in f:
            data[key] = f[key] if key not in ("抄报",) or len(f[key]) != 1 else f[key][0]
    if "印发日期" in data and data["印发日期"] < data["成文日期"]:
        r.unsure.append((None, "印发日期早于成文日期，已改为与成文日期相同，请核对"))
        data["印发日期"] = data["成文日期"]
    main = f"{stem}.yaml"
    report_name = f"{stem}_识别报告.md"
    unsure = r.unsure + _body_hints([ln for ln in lines if any(ln.no == p.no for p in r.body)])
    files = {
        main: dump_yaml(
            data,
            _header(draft, report_name, main),
        ),
        **attachments_yaml,
    }
    parts = [(p.name, p.value, p.lines, p.how) for p in r.parts]
    body_rows = [(p.no, p.level, p.text) for p in r.body]
    files[report_name] = report_markdown(
        source=draft.name, encoding=draft.encoding, unit=draft.unit, kind=f"公文（{kind}）",
        parts=parts, body=body_rows,
        attachments=att_report, changes=_change_rows(changes, lines, r.changes), unsure=unsure, notes=draft.notes,
        files=[*files, report_name], main_file=main,
    )  # fmt: skip
    written = place(files, out, lambda tmp: _check_circular(tmp / main))
    return ImportResult("通知", out / main, written, out / report_name, data, att_values, unsure)


def as_plan(plan: PlanDraft, file: str) -> dict[str, Any]:
    return {
        "as": f"结构化工作计划（{file}，编号由工具按原文的样式重排）",
        "headings": [(h.no, h.level, h.text) for h in plan.headings],
        "indicators": plan.indicators,
        "kept_as_text": plan.kept_as_text,
    }


def _check_circular(path: Path) -> None:
    """The written YAML must load and build with the project's own loader."""

    try:
        spec, located = load_circular(path)
        if spec.number.sequence == "auto":  # numbered when built; any number checks the layout
            spec = spec.model_copy(update={"number": spec.number.model_copy(update={"sequence": 1})})
        build_circular(spec, located)
    except InputError as exc:
        raise InputError(f"导入结果未能通过生成检查（{exc.message}）；请把草稿和这条信息交给维护人员") from None


def _check_plan(path: Path) -> None:

    try:
        plan_document(load_plan(path))
    except InputError as exc:
        raise InputError(f"导入结果未能通过生成检查（{exc.message}）；请把草稿和这条信息交给维护人员") from None


def _standalone_plan(
    draft: Draft, lines: list[Cleaned], changes: list[Change], out: Path, dictionary: IndicatorDictionary
) -> ImportResult:
    first_l1 = next((k for k, ln in enumerate(lines) if heading_level(ln.text)[0] == 1), None)
    if first_l1 is None:
        raise InputError(
            "没有识别出公文：找不到发文字号（如“××〔2012〕5号”），也没有“一、”式编号的章节，无法导入", file=draft.name
        )
    head = lines[:first_l1]
    title_k = next(
        (k for k, ln in enumerate(head) if len(ln.text) <= 40 and not ln.text.endswith(tuple("。；，：:"))), None
    )
    if title_k is None:
        raise InputError("找到了“一、”式编号的章节，但章节之前没有标题行", file=draft.name)
    title_line = head[title_k]
    title = tidy_spaces(title_line.text)
    if not looks_like_plan(title, lines):
        raise InputError(
            f"没有识别出公文：找不到发文字号（如“××〔2012〕5号”）；标题“{title}”也不像工作计划（计划、要点、方案）",
            file=draft.name,
            line=title_line.no,
        )
    unsure: list[tuple[int | None, str]] = [
        (ln.no, f"标题之前的行“{tidy_spaces(ln.text)}”未导入") for ln in head[:title_k]
    ]
    body = head[title_k + 1 :] + lines[first_l1:]
    # A signature and date at the end (制定单位, 日期) are not plan text.
    author, date, year = None, None, None
    if body and (m := P.DATE_LINE.match(tidy_spaces(body[-1].text))):
        parsed = parse_date(m)
        if parsed:
            date = parsed[0].isoformat()
            author = m["before"] or None
            body = body[:-1]
            if not author and body and len(body[-1].text) <= 30 and not re.search(r"[。，、；：]", body[-1].text):
                author = tidy_spaces(body[-1].text)
                body = body[:-1]
    signed = False
    if author is None and date is None and body and P.ORGAN_NAME.match(tidy_spaces(body[-1].text)):
        author, signed = tidy_spaces(body[-1].text), True  # a 落款 without a date
        body = body[:-1]
    if author is None:
        author = "（请填写制定单位）"
        unsure.append((None, "草稿中没有制定单位，YAML 中暂写“（请填写制定单位）”，请改正（它写入文档属性）"))
    if date is None:
        found = re.search(r"((?:19|20)\d\d)\s*年", title + "".join(ln.text for ln in body[:5]))
        year = int(found.group(1)) if found else None
        unsure.append(
            (None, f"草稿中没有日期，年份取自标题或前言：{year}，请核对")
            if found
            else (None, "草稿中没有日期和年份：按不写年份的计划导入（不编造年份，输出不放进年份文件夹）")
        )
    plan = plan_from_lines(title, body, author, date, year, dictionary)
    if signed:
        plan.plan["落款"] = "是"
    unsure += plan.unsure + _body_hints(body)
    if plan.problem:
        where = next((no for no, message in plan.unsure if no), None)
        raise InputError(f"按工作计划读取未成功：{plan.problem}", file=draft.name, line=where)
    stem = _safe_stem(title)
    main = f"{stem}.yaml"
    report_name = f"{stem}_识别报告.md"
    files = {
        main: dump_yaml(
            plan.plan,
            _header(draft, report_name, main),
        )
    }
    parts = [("标题", title, [title_line.no], "章节之前的第一行")]
    info = {"title": title, "title_lines": [title], "title_nos": [title_line.no], **as_plan(plan, main)}
    files[report_name] = report_markdown(
        source=draft.name, encoding=draft.encoding, unit=draft.unit, kind="工作计划", parts=parts, body=[],
        attachments=[info], changes=_change_rows(changes, lines), unsure=unsure, notes=draft.notes,
        files=[*files, report_name], main_file=main,
    )  # fmt: skip
    written = place(files, out, lambda tmp: _check_plan(tmp / main))
    return ImportResult("工作计划", out / main, written, out / report_name, plan.plan, [], unsure)
