"""The format of a circular (GB/T 9704-2012 7 and 10): what the YAML's ``格式`` names or
its ``文种`` implies, and what each format needs of the input.

In: the validated ``CircularIn`` fields.  Out: a ``model.Format``, the issuer mark and
the printed number for it, or an ``InputError`` naming file, line and field.
"""

from __future__ import annotations

from typing import Any, Protocol

from generators.core.errors import InputError
from generators.core.yamlsrc import Located
from generators.document.model import Format

# What a clerk may write for each format (the standard's names, and the short ones).
NAMES = {
    Format.FILE: ("文件格式", "文件"),
    Format.LETTER: ("信函格式", "信函", "函件格式"),
    Format.ORDER: ("命令格式", "命令（令）格式", "命令(令)格式", "令格式", "命令", "令"),
    Format.MINUTES: ("纪要格式", "纪要"),
}
BY_NAME = {name: fmt for fmt, names in NAMES.items() for name in names}
BY_KIND = {"函": Format.LETTER, "命令": Format.ORDER, "令": Format.ORDER, "纪要": Format.MINUTES}


def parse_format(value: Any) -> Any:
    """``格式: 信函`` → Format.LETTER; an unknown name is an error listing the known ones."""
    if value is None or isinstance(value, Format):
        return value
    text = str(value).strip().replace(" ", "")
    if text in BY_NAME:
        return BY_NAME[text]
    known = "、".join(names[0] for names in NAMES.values())
    raise ValueError(f"不认识的格式“{value}”；可选：{known}（或不写，按文种确定）")


class _Spec(Protocol):
    kind: str
    format: Format | None
    signers: list[str]
    printer: str | None
    print_date: Any
    post: str | None
    signature_image: str | None
    title: list[str] | None
    attendance_present: list[str]
    attendance_absent: list[str]
    attendance_guests: list[str]
    co_issuers: list[str]


def format_of(spec: _Spec, source: Located) -> Format:
    """The format, and the checks that go with it (clear errors, never a guess)."""
    fmt = spec.format or BY_KIND.get(spec.kind, Format.FILE)

    def fail(message: str, *at: str) -> InputError:
        return InputError(message, file=source.file, line=source.line_of(at), field=".".join(at))

    lists = {"出席": spec.attendance_present, "请假": spec.attendance_absent, "列席": spec.attendance_guests}
    if fmt is Format.MINUTES and not spec.attendance_present:
        raise fail("纪要格式须写“出席”名单（GB/T 9704-2012 10.3），例如：出席: [张某某, 李某某]", "出席")
    if fmt is not Format.MINUTES:
        for label, names in lists.items():
            if names:
                raise fail(f"“{label}”名单只用于纪要格式；本文是{fmt.value}（可写“格式: 纪要格式”）", label)
    if fmt is Format.LETTER:
        if spec.printer or spec.print_date:
            field = "印发机关" if spec.printer else "印发日期"
            raise fail("信函格式的版记不印“印发机关”和“印发日期”（GB/T 9704-2012 10.1），请删去", field)
        if spec.signers:
            raise fail("信函格式的版头不标“签发人”；上行文请用文件格式（“格式: 文件格式”）", "签发人")
    if fmt is Format.ORDER:
        if len(spec.signers) != 1:
            raise fail("命令（令）格式须写一位“签发人”（加盖其签名章，GB/T 9704-2012 7.3.5.3）", "签发人")
        if not spec.post:
            raise fail("命令（令）格式须写“签发人职务”（全称，标在签名章左侧）", "签发人职务")
        if spec.co_issuers:
            raise fail("命令（令）格式暂不支持联合行文", "联合发文机关")
    elif spec.post or spec.signature_image:
        field = "签发人职务" if spec.post else "签名章图片"
        raise fail(f"“{field}”只用于命令（令）格式", field)
    if fmt is not Format.ORDER and not spec.title:
        raise fail("缺少必填项“标题”（只有命令（令）格式可以不写标题）", "标题")
    return fmt


def mark_lines(fmt: Format, name: str, co_issuers: list[str], given: list[str] | None) -> tuple[tuple[str, ...], str]:
    """(the mark's lines, the joint word set right of them): the name with 文件, 令 or
    纪要; a letter shows the main issuer's name alone (10.1); joint issue stacks the
    names, "文件" once beside them (7.2.4).  A written ``标志`` is taken as written."""
    if given:
        return tuple(given), ""
    if fmt is Format.LETTER:
        return (name,), ""
    if fmt is Format.ORDER:
        return (f"{name}令",), ""
    if fmt is Format.MINUTES:
        return (f"{name}纪要",), ""
    if co_issuers:
        return (name, *co_issuers), "文件"
    return (f"{name}文件",), ""


def printed_number(fmt: Format, number: str, sequence: int) -> str:
    """An order carries its 令号 (第1号) in the place of the document number."""
    return f"第{sequence}号" if fmt is Format.ORDER else number
