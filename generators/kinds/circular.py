"""Numbered circulars (通知 and other 公文 with a 版头): YAML → Document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from generators.core import deps, notes
from generators.core.dates import DateStyle, format_date
from generators.core.errors import InputError
from generators.core.fields import (
    FULL_WIDTH_DIGITS,
    Date,
    Strict,
    Text,
    TextList,
    TitleLines,
    TitleText,
    YesNo,
    number_text,
)
from generators.core.safefile import named_file, read_bounded
from generators.core.yamlsrc import UNWRITABLE, Located, as_written, read_yaml, validate
from generators.document.model import (
    Attachment,
    Block,
    Document,
    Format,
    Header,
    Meta,
    Paragraph,
    Record,
    Signing,
)
from generators.document.titles import break_title
from generators.kinds.formats import format_of, mark_lines, parse_format, printed_number
from generators.kinds.target_book import book_blocks, load_book
from generators.kinds.work_plan import is_plan, load_plan
from generators.numbers.format import AUTO, document_number

MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024


class IssuerIn(Strict):
    name: Text = Field(alias="名称")
    mark: TextList | None = Field(None, alias="标志")  # default: 名称 + 文件
    code: Text = Field(alias="代字")


MAX_SEQUENCE = 99999


class NumberIn(Strict):
    year: int = Field(alias="年份", ge=1949, le=2100)
    sequence: int | Literal["auto"] = Field(alias="序号")

    @field_validator("year", "sequence", mode="before")
    @classmethod
    def _no_text_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        is_seq = info.field_name == "sequence"
        if is_seq and isinstance(value, str) and value.strip().lower() in (AUTO, "自动"):
            return AUTO
        # "7" (quoted) and 010 (the YAML 1.2 reading: ten) are numbers; "5号" or "第5"
        # are not: say what is expected instead of guessing.
        value = number_text(value)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            also = "，或 auto（自动编号）" if is_seq else ""
            raise ValueError(f"应为正整数（不带“第”“号”）{also}，实际是“{as_written(value)}”")
        value = int(value)
        if is_seq and value > MAX_SEQUENCE:  # also keeps it within SQLite's integers (the registry)
            raise ValueError(f"序号过大（上限 {MAX_SEQUENCE}），实际是“{value}”")
        return value


class AttachmentIn(Strict):
    title: TitleText = Field(alias="标题")
    title_lines: TitleLines | None = Field(None, alias="标题分行")
    text: str | None = Field(None, alias="正文")
    file: str | None = Field(None, alias="文件")

    @model_validator(mode="after")
    def _one_source(self) -> AttachmentIn:
        if (self.text is None) == (self.file is None):
            raise ValueError("附件须有“正文”或“文件”之一（二者只能写一个）")
        return self


UPWARD_KINDS = ("报告", "请示")  # 上行文: addressed to a superior, they carry 签发人


class FrameIn(Strict):
    """The 公文 parts a series of documents can share: issuer, addressees, signature
    and 版记 (a supervision file gives them once for the year's 通报)."""

    kind: Text = Field("通知", alias="文种")
    issuer: IssuerIn = Field(alias="发文机关")
    recipients: TextList = Field(default_factory=list, alias="主送")
    signature: str | None = Field(None, alias="署名")
    date_style: DateStyle = Field(DateStyle.arabic, alias="日期格式")
    sealed: YesNo = Field(False, alias="印章")
    seal_image: str | None = Field(None, alias="印章图片")  # PNG with transparency, beside the input
    note: str | None = Field(None, alias="附注")
    copies_up: TextList = Field(default_factory=list, alias="抄报")
    copies: TextList = Field(default_factory=list, alias="抄送")
    printer: str | None = Field(None, alias="印发机关")

    @field_validator("sealed")
    @classmethod
    def _seal_needs_a_name(cls, value: bool, info: ValidationInfo) -> bool:
        # GB/T 9704-2012 7.3.5.1: the seal is pressed over the issuer's name and the date;
        # on the date alone it is the 空白印章 the standard forbids.
        if value and not (info.data.get("signature") or "").strip():
            raise ValueError(
                "加盖印章时须写“署名”：印章盖在署名和成文日期上，不能只盖在日期上（GB/T 9704-2012 7.3.5.1）"
            )
        return value


class CircularIn(FrameIn):
    """What a clerk writes for one circular. Keys are the Chinese names on the page."""

    format: Annotated[Format | None, BeforeValidator(parse_format)] = Field(None, alias="格式")
    co_issuers: TextList = Field(default_factory=list, alias="联合发文机关")  # 联合行文, after the main issuer
    preprinted: YesNo = Field(False, alias="套打")  # on paper with the 版头 printed already
    number: NumberIn = Field(alias="发文字号")
    copy_number: str | None = Field(None, alias="份号")
    secrecy: str | None = Field(None, alias="密级和保密期限")
    urgency: str | None = Field(None, alias="紧急程度")
    signers: TextList = Field(default_factory=list, alias="签发人", validate_default=True)
    post: Text | None = Field(None, alias="签发人职务")  # 命令: beside the signature seal
    signature_image: str | None = Field(None, alias="签名章图片")  # 命令: PNG, beside the input
    title: TitleLines | None = Field(None, alias="标题")  # required but in an order (formats.format_of)
    body: TextList = Field(alias="正文")
    attendance_present: TextList = Field(default_factory=list, alias="出席")  # 纪要格式
    attendance_absent: TextList = Field(default_factory=list, alias="请假")
    attendance_guests: TextList = Field(default_factory=list, alias="列席")
    attachments: list[AttachmentIn] = Field(default_factory=list, alias="附件")
    date: Date = Field(alias="成文日期")
    print_date: Date | None = Field(None, alias="印发日期")
    print_count: int | None = Field(None, alias="共印份数", gt=0)

    @field_validator("signers")
    @classmethod
    def _upward_documents_are_signed(cls, value: list[str], info: ValidationInfo) -> list[str]:
        kind = info.data.get("kind")
        if kind in UPWARD_KINDS and not value:
            raise ValueError(f"{kind}是上行文，须写“签发人”（GB/T 9704-2012 7.2.6；多人时写成列表）")
        return value

    @field_validator("copy_number", mode="before")
    @classmethod
    def _copy_number(cls, value: Any) -> str | None:
        # 份号: 000012 is a YAML number; the clerk meant the digits as typed.
        value = as_written(value)
        if isinstance(value, str):
            value = value.strip().translate(FULL_WIDTH_DIGITS)
        if value is not None and not (isinstance(value, str) and value.isascii() and value.isdigit()):
            raise ValueError(f"份号应为阿拉伯数字（通常 6 位），实际是“{value}”")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> CircularIn:
        if self.print_date and self.print_date < self.date:
            raise ValueError("印发日期早于成文日期")
        return self


def text_paragraphs(lines: list[str] | str) -> tuple[Paragraph, ...]:
    """Clerk-typed text → paragraphs: one per non-empty line, heading levels recognised."""
    if isinstance(lines, str):
        lines = [lines]
    out = []
    for chunk in lines:
        for line in chunk.splitlines():
            if line.strip():
                out.append(Paragraph.recognise(line.strip(" \u3000\t")))
    return tuple(out)


def _attachment_blocks(att: AttachmentIn, index: int, source: Located) -> tuple[Block, ...]:
    """Text attachments become paragraphs; a .yaml attachment is a structured work
    plan (工作计划) or 目标管理责任书 (built with the group-wide targets)."""
    if att.file is not None and Path(att.file).suffix.lower() in (".yaml", ".yml"):
        path = _attachment_path(att, index, source)
        located = read_yaml(path)
        if isinstance(located.data, dict) and is_plan(located.data):
            return load_plan(path, located).blocks
        return book_blocks(load_book(path, located))
    return text_paragraphs(_attachment_text(att, index, source))


def _attachment_path(att: AttachmentIn, index: int, source: Located) -> Path:
    """The attachment file, resolved and confined to the input's folder tree (an
    absolute path, ``../`` out of it or a symlink leading out is refused unread)."""
    assert att.file is not None
    line = source.line_of(("附件", index, "文件"))
    field = f"附件[{index + 1}].文件"
    if Path(att.file).suffix.lower() not in (".txt", ".yaml", ".yml"):
        # Only the kinds of file an attachment can be: a stray path (/etc/passwd) is not read.
        message = f"附件文件应为 .txt（纯文本）或 .yaml（工作计划、责任书）：{att.file}"
        raise InputError(message, file=source.file, line=line, field=field)
    path = named_file(source.file, att.file, line=line, field=field)
    if not path.exists():
        raise InputError(f"附件文件不存在：{att.file}", file=source.file, line=line, field=field)
    return path


def _attachment_text(att: AttachmentIn, index: int, source: Located) -> str:
    if att.text is not None:
        return att.text
    path = _attachment_path(att, index, source)
    deps.note(path)
    line = source.line_of(("附件", index, "文件"))
    field = f"附件[{index + 1}].文件"
    raw = read_bounded(path, MAX_ATTACHMENT_BYTES, file=source.file, line=line, field=field, label="附件文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"附件文件不是 UTF-8 编码：{att.file}", file=source.file, line=line) from None
    if bad := UNWRITABLE.search(text):
        message = f"附件文件含有不可见的控制字符或无效字符（U+{ord(bad.group()):04X}）：{att.file}"
        raise InputError(message, file=path, line=text[: bad.start()].count("\n") + 1)
    return text


def _parenthesised(note: str | None) -> str | None:
    """附注 is printed in parentheses (GB/T 9704 7.3.5.4)."""
    if not note or note.startswith(("（", "(")):
        return note
    return f"（{note}）"


MAX_SEAL_BYTES = 4 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"


def _seal_png(name: str | None, source: Located, field: str = "印章图片") -> bytes | None:
    """The seal image the input names (印章图片, 签名章图片): a PNG file in the input's folder tree."""
    if name is None:
        return None
    path = source.named_file(name, (field,))
    line = source.line_of((field,))
    data = read_bounded(path, MAX_SEAL_BYTES, file=source.file, line=line, field=field, label=field)
    deps.note(path)
    if not data.startswith(_PNG):
        raise InputError(f"{field}应为 PNG 文件（透明底）：{name}", file=source.file, line=line, field=field)
    return data


def load_circular(path: Path) -> tuple[CircularIn, Located]:
    located = read_yaml(path)
    return validate(CircularIn, located), located


class GeneratedIn(CircularIn):
    """A circular whose body the tool writes from data (the quarterly 通报): the frame,
    number, title and date are checked like a clerk's, there is no 正文 to give."""

    body: TextList = Field(default_factory=list, alias="正文")


def build_circular(spec: CircularIn, source: Located, body: tuple[Block, ...] | None = None) -> Document:
    """The Document of ``spec``; ``body`` (a GeneratedIn's) replaces the 正文 paragraphs."""
    fmt = format_of(spec, source)
    given = spec.title or []
    title = "".join(given)
    title_lines = tuple(given) if len(given) > 1 else break_title(title) if title else ()
    if spec.number.sequence == AUTO:  # numbered by the build (numbering_registry), never here
        line = source.line_of(("发文字号", "序号"))
        raise InputError("“序号: auto”须由生成命令从发文登记簿取号", file=source.file, line=line, field="发文字号.序号")
    assert isinstance(spec.number.sequence, int)  # AUTO was refused above
    if spec.number.year != spec.date.year:  # legal (a number taken in December), but usually a slip
        at = ("发文字号", "年份")
        notes.add(
            f"发文字号的年份 {spec.number.year} 与成文日期 {format_date(spec.date)} 的年份不同，请核对",
            file=source.file,
            line=source.line_of(at),
            field="发文字号.年份",
        )
    number = document_number(spec.issuer.code, spec.number.year, spec.number.sequence)
    mark, joint_word = mark_lines(fmt, spec.issuer.name, spec.co_issuers, spec.issuer.mark)
    header = Header(
        issuer_mark=mark,
        number=printed_number(fmt, number, spec.number.sequence),
        copy_number=spec.copy_number,
        secrecy=spec.secrecy,
        urgency=spec.urgency,
        signers=() if fmt is Format.ORDER else tuple(spec.signers),
        joint_word=joint_word,
    )
    attachments = []
    many = len(spec.attachments) > 1
    for i, att in enumerate(spec.attachments):
        label = f"附件{i + 1}" if many else "附件"
        lines = tuple(att.title_lines) if att.title_lines else break_title(att.title)
        attachments.append(Attachment(label, lines, _attachment_blocks(att, i, source)))
    record = None
    if spec.copies_up or spec.copies or spec.printer:
        record = Record(
            copies_up=tuple(spec.copies_up),
            copies=tuple(spec.copies),
            printer=spec.printer,
            # 印发日期 is always in Arabic digits (GB/T 9704 7.4.3).
            print_date_text=format_date(spec.print_date or spec.date) if spec.printer else None,
            print_count=spec.print_count,
            ruled=fmt is not Format.LETTER,
        )
    attendance = tuple(
        (label, tuple(names))
        for label, names in (
            ("出席", spec.attendance_present),
            ("请假", spec.attendance_absent),
            ("列席", spec.attendance_guests),
        )
        if names
    )
    order = fmt is Format.ORDER
    return Document(
        meta=Meta(
            title=title or f"{mark[0]}{header.number}",
            author=spec.issuer.name,
            date=spec.date,
            identifier=number,
            subject=spec.kind,
        ),
        title_lines=title_lines,
        header=header,
        recipients=tuple(spec.recipients),
        body=body if body is not None else text_paragraphs(spec.body),
        attachment_names=tuple(a.title for a in spec.attachments),
        signing=Signing(
            None if order else spec.signature,
            format_date(spec.date, spec.date_style),
            not order and (spec.sealed or spec.seal_image is not None),
            None if order else _seal_png(spec.seal_image, source),
            # The other issuers sign too (7.3.5), unless the main signature is left out.
            co_issuers=tuple(spec.co_issuers) if spec.signature and not order else (),
            post=spec.post,
            signer=spec.signers[0] if order else None,
            signature_png=_seal_png(spec.signature_image, source, "签名章图片"),
        ),
        note=_parenthesised(spec.note),
        attachments=tuple(attachments),
        record=record,
        format=fmt,
        attendance=attendance,
        preprinted=spec.preprinted,
    )
