"""The document model: what is on the page, with no layout.

Generators build a ``Document``; renderers (DOCX, PDF) lay it out with the numbers in
``geometry``.  Business rules never reach this far; layout rules never come back.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from generators.document.numbering import heading_level, split_heading
from generators.document.titles import break_heading


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph. ``level`` 1–4 is a numbered heading, 0 plain text.

    For levels 1 and 2 ``head`` is the heading sentence (黑体 / 楷体) and ``text`` the
    body text that follows it in the same paragraph; otherwise ``head`` is empty.
    """

    text: str
    level: int = 0
    head: str = ""
    indent: bool = True  # first-line indent of two characters

    @classmethod
    def recognise(cls, text: str) -> Paragraph:
        level = heading_level(text)
        head, rest = split_heading(text, level)
        return cls(text=rest, level=level, head=head)

    @property
    def full_text(self) -> str:
        return self.head + self.text

    @property
    def heading_lines(self) -> tuple[str, ...]:
        """The lines of ``head``: a heading alone in its paragraph is broken at word
        boundaries, never leaving one character on its last line (renderers put explicit
        line breaks between them); one followed by text flows with it."""
        if self.head and not self.text:
            return break_heading(self.head)
        return (self.head,) if self.head else ()


@dataclass(frozen=True)
class SignatureBlock:
    """Two (or more) parties signing side by side, each with a 年 月 日 line;
    kept on one page together with the line before it."""

    parties: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A ruled table: caption above (表1　…), header rows repeated on each page.

    ``widths`` are relative column widths; ``align`` is left/center/right per column;
    ``marked`` cells (row, column) in ``rows`` are set bold (e.g. 未达标 values).
    """

    caption: str
    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    align: tuple[str, ...]
    note: str | None = None  # 注：… under the table
    marked: frozenset[tuple[int, int]] = frozenset()

    def __post_init__(self) -> None:
        columns = len(self.widths)
        if len(self.align) != columns or any(len(r) != columns for r in (*self.header, *self.rows)):
            raise ValueError("every table row, widths and align need the same number of columns")


@dataclass(frozen=True)
class Figure:
    """A chart as PNG bytes, centred, caption below (图1　…)."""

    caption: str
    png: bytes
    width_mm: float
    height_mm: float


Block = Paragraph | SignatureBlock | Table | Figure


def heads_content(blocks: tuple[Block, ...] | list[Block], i: int) -> bool:
    """Whether ``blocks[i]``, a heading alone in its paragraph, is kept on one page with
    what follows.  A heading followed by one of its own or a higher level heads no text
    of its own (the items of a list: （一）…。（二）…。), and chaining those would carry
    the whole list to the next page; the last block's follower is outside this list
    (the closing), so it keeps."""
    b = blocks[i]
    if not (isinstance(b, Paragraph) and b.head and not b.text):
        return False
    after = blocks[i + 1] if i + 1 < len(blocks) else None
    return not (isinstance(after, Paragraph) and 0 < after.level <= b.level)


@dataclass(frozen=True)
class Attachment:
    label: str  # 附件 / 附件1
    title_lines: tuple[str, ...]
    blocks: tuple[Block, ...]


class Format(enum.Enum):
    """The formats of GB/T 9704-2012: 文件格式 (7) and the special formats (10)."""

    FILE = "文件格式"
    LETTER = "信函格式"
    ORDER = "命令格式"
    MINUTES = "纪要格式"


@dataclass(frozen=True)
class Header:
    """版头."""

    issuer_mark: tuple[str, ...]  # one line per line of the mark ("文件" appended), or per joint issuer
    number: str  # 连妇保集〔2012〕5号; an order's 令号 (第1号)
    copy_number: str | None = None
    secrecy: str | None = None
    urgency: str | None = None
    signers: tuple[str, ...] = ()  # 签发人, upward documents only
    joint_word: str = ""  # 联合行文: "文件" set once, right of the stacked issuer names

    @property
    def elements(self) -> tuple[tuple[str, str], ...]:
        """份号, 密级 and 紧急程度 that are given, top-down (7.2.1–7.2.3): (kind, text)."""
        given = (("copy-number", self.copy_number), ("secrecy", self.secrecy), ("urgency", self.urgency))
        return tuple((kind, text) for kind, text in given if text)


@dataclass(frozen=True)
class Signing:
    """署名 and 成文日期."""

    issuer: str | None
    date_text: str
    sealed: bool = False
    seal_png: bytes | None = None  # the seal itself (PNG with transparency); sealed without it: a placeholder
    co_issuers: tuple[str, ...] = ()  # 联合行文: the other issuers' names, in the standard's order
    post: str | None = None  # 命令: the signer's post (职务), set left of the signature seal
    signer: str | None = None  # 命令: whose signature seal (签名章)
    signature_png: bytes | None = None  # the 签名章 image; without it a placeholder with the name

    @property
    def issuers(self) -> tuple[str, ...]:
        return ((self.issuer,) if self.issuer else ()) + self.co_issuers


@dataclass(frozen=True)
class Record:
    """版记."""

    copies_up: tuple[str, ...] = ()  # 抄报
    copies: tuple[str, ...] = ()  # 抄送
    printer: str | None = None  # 印发机关
    print_date_text: str | None = None  # 2012年6月20日
    print_count: int | None = None  # 共印份数
    ruled: bool = True  # a letter's 版记 has no rules (GB/T 9704 10.1)

    @property
    def copy_lines(self) -> tuple[str, ...]:
        """抄报 and 抄送 as printed: names joined by ，, a full stop after the last (7.4.2)."""
        return tuple(
            f"{label}：{'，'.join(names)}。"
            for label, names in (("抄报", self.copies_up), ("抄送", self.copies))
            if names
        )

    @property
    def printed_on(self) -> str:
        return f"{self.print_date_text}印发"

    @property
    def count_line(self) -> str | None:
        return f"共印：{self.print_count}份" if self.print_count else None


@dataclass(frozen=True)
class Meta:
    """Document metadata, written into DOCX core properties and PDF info."""

    title: str
    author: str
    date: dt.date
    identifier: str  # stable, taken from the input (e.g. the document number)
    subject: str = ""
    keywords: tuple[str, ...] = ()
    # False when the input gives neither date nor year (a plan template): ``date`` is then
    # only the day the input was saved, fit for the properties but not for filing by year.
    dated: bool = True


@dataclass(frozen=True)
class Document:
    meta: Meta
    title_lines: tuple[str, ...]
    header: Header | None = None
    recipients: tuple[str, ...] = ()
    body: tuple[Block, ...] = ()
    attachment_names: tuple[str, ...] = ()  # 附件说明
    signing: Signing | None = None
    note: str | None = None  # 附注
    attachments: tuple[Attachment, ...] = ()
    record: Record | None = None
    format: Format = Format.FILE
    attendance: tuple[tuple[str, tuple[str, ...]], ...] = ()  # 纪要: (出席, names), (请假, …), (列席, …)
    preprinted: bool = False  # 套打: the 版头's mark and rules are on the paper already
