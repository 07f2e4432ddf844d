"""Write the import: structured inputs (YAML) and the recognition report, never overwriting.

In: what was recognised and the output folder. Out: the paths written.  Files are
first written and checked (loaded and built by the project's own loaders) in a
temporary folder inside the output folder, then linked into place one by one with
no overwrite; on any failure nothing is left behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from generators.core.errors import InputError

LEVEL_NAMES = {0: "正文", 1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block (|), as a clerk would type it."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any, comment: str) -> str:
    """A dict → YAML text in the project's style (Chinese keys in order, no line folding)."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000, default_flow_style=False)
    return "".join(f"# {line}\n" for line in comment.splitlines()) + text


def place(files: dict[str, str], out_dir: Path, check) -> list[Path]:
    """Write ``files`` ({name: text}) into out_dir after ``check`` passes on a temporary copy."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("输出位置已存在且不是文件夹", file=out_dir)
    taken = [out_dir / name for name in files if (out_dir / name).exists()]
    if taken:
        raise InputError(
            f"文件已存在，不会覆盖：{'、'.join(str(p) for p in taken)}。请换一个输出文件夹，或先移走这些文件"
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".import-", dir=out_dir))
    except OSError as exc:
        raise InputError(f"无法创建输出文件夹（{exc.strerror}）", file=out_dir) from None
    placed: list[Path] = []
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        check(tmp)
        for name in files:
            target = out_dir / name
            try:
                os.link(tmp / name, target)  # fails if target exists: never overwrites
            except FileExistsError:
                raise InputError("文件已存在，不会覆盖", file=target) from None
            except OSError:
                if target.exists():
                    raise InputError("文件已存在，不会覆盖", file=target) from None
                shutil.copyfile(tmp / name, target)
            placed.append(target)
    except BaseException:
        for p in placed:
            p.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return placed


def _cell(text: str, limit: int = 60) -> str:
    text = text.replace("|", "｜").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_markdown(
    *,
    source: str,
    encoding: str,
    unit: str,
    kind: str,
    parts: list[tuple[str, str, list[int], str]],
    body: list[tuple[int, int, str]],
    attachments: list[dict],
    changes: list[tuple[int, str, str, str]],
    unsure: list[tuple[int | None, str]],
    notes: list[str],
    files: list[str],
    main_file: str,
) -> str:
    """The recognition report (Markdown, Chinese): what each part is and where it came from."""

    def where(nos: list[int] | int | None) -> str:
        if nos is None or nos == []:
            return "（推断）"
        nos = [nos] if isinstance(nos, int) else nos
        return "、".join(f"第 {n} {unit}" for n in nos[:6]) + ("等" if len(nos) > 6 else "")

    out = [f"# 识别报告：{source}", ""]
    out += [f"- 来源：{source}（{encoding}）", f"- 识别为：{kind}", f"- 生成的文件：{'、'.join(files)}", ""]
    out += [
        "请用一分钟核对下表；有“需要核对”的地方请先改正 YAML 文件，再运行：",
        "",
        "```",
        f"python make_reports.py build {main_file}",
        "```",
        "",
    ]
    if unsure:
        out += ["## 需要核对", ""]
        out += [f"- {where(no) if no else '全文'}：{msg}" for no, msg in unsure]
        out.append("")
    if notes:
        out += ["## 读取时发现", ""] + [f"- {n}" for n in notes] + [""]
    out += ["## 识别出的部分", "", "| 部分 | 内容 | 来源 | 说明 |", "|---|---|---|---|"]
    out += [f"| {name} | {_cell(value)} | {where(nos)} | {_cell(how, 80)} |" for name, value, nos, how in parts]
    out.append("")
    if body:
        out += ["## 正文段落", "", "| 来源 | 层级 | 开头 |", "|---|---|---|"]
        out += [
            f"| {where(no)} | {LEVEL_NAMES.get(level, str(level))} | {_cell(text, 40)} |" for no, level, text in body
        ]
        out.append("")
    for n, att in enumerate(attachments, 1):
        out += [f"## 附件{n}：{att['title']}", ""]
        out += [f"- 标题：{' / '.join(att['title_lines'])}（{where(att['title_nos'])}）", f"- 导入为：{att['as']}"]
        out += [f"- {x}" for x in att.get("notes", [])]
        if att.get("headings"):
            out += ["", "| 来源 | 层级 | 标题或条目 |", "|---|---|---|"]
            out += [
                f"| {where(no)} | {LEVEL_NAMES[level]} | {_cell(text, 40)} |" for no, level, text in att["headings"]
            ]
        if att.get("indicators"):
            out += ["", "评价指标（指标字典中有的，已写成“指标 + 目标”）：", ""]
            out += [f"- {where(no)}：{name}　{target}" for no, name, target in att["indicators"]]
        if att.get("kept_as_text"):
            out += ["", "按文字保留的目标（评价指标中指标字典没有的条目，或正文句子中的目标）：", ""]
            out += [f"- {where(no)}：{_cell(text, 60)}" for no, text in att["kept_as_text"]]
        out.append("")
    out += ["## 规范化处理", ""]
    if not changes:
        out.append("（无）")
    by_kind: dict[str, list[tuple[int, str, str]]] = {}
    for no, kind_, before, after in changes:
        by_kind.setdefault(kind_, []).append((no, before, after))
    for kind_, items in by_kind.items():
        if kind_ == "去掉行首行尾空格":
            out.append(f"- {kind_}：{where([no for no, _, _ in items])}（共 {len(items)} {unit}）")
            continue
        out.append(f"- {kind_}：")
        for no, before, after in items:
            arrow = f" → “{_cell(after, 40)}”" if after else ""
            out.append(f"  - {where(no)}：“{_cell(before, 40)}”{arrow}")
    out.append("")
    return "\n".join(out)
