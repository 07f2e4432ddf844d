"""Yearly work plans (工作计划 / 工作要点): a structured outline → numbered paragraphs.

The outline has up to four levels (章节 → 小节 → 条目 → 要点); the tool writes the
numbers (一、 （一） 1. （1）, or the styles a source uses: 1、, ⑴, ①) unless a title
already carries one.  评价指标 items name indicators of the dictionary with targets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from generators.core.dates import DateStyle, format_date
from generators.core.errors import InputError, Where
from generators.core.fields import Date, Strict, Text, TextList, TitleLines, YesNo
from generators.core.numerals import chinese_numeral
from generators.core.safefile import named_file
from generators.core.yamlsrc import Loc, Located, field_path, one_line, read_yaml, validate
from generators.document.model import Block, Document, Meta, Paragraph, Signing, Table
from generators.document.numbering import heading_level
from generators.document.titles import break_title
from generators.indicators.dictionary import IndicatorDictionary, default_dictionary, load_dictionary
from generators.indicators.targets import Target, check_unit, parse_target

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_INLINE_AFTER = "。！？：；"  # a title ending so is followed by its text on the same line
_SENTENCE_END = ("。", "！", "？", "；")


def _item(value: Any) -> Any:
    """A bare string in a list of items is its text."""
    return {"正文": value} if isinstance(value, str) else value


class TargetItemIn(Strict):
    indicator: Text = Field(alias="指标")
    target: Text = Field(alias="目标")
    name: str | None = Field(None, alias="名称")  # as the plan writes it (default: 指标)
    among: TargetItemIn | None = Field(None, alias="其中")  # 孕产妇死亡率≤15/10万，其中产后出血死亡率≤10%


IndicatorItem = TargetItemIn | str  # a free-text item, or an indicator with its target


class PointIn(Strict):  # 要点, level 4
    title: str | None = Field(None, alias="标题")
    text: TextList = Field(default_factory=list, alias="正文")


class ItemIn(Strict):  # 条目, level 3
    title: str | None = Field(None, alias="标题")
    text: TextList = Field(default_factory=list, alias="正文")
    points: list[Annotated[PointIn, BeforeValidator(_item)]] = Field(default_factory=list, alias="要点")


class SubsectionIn(Strict):  # 小节, level 2
    title: Text = Field(alias="标题")
    text: TextList = Field(default_factory=list, alias="正文")
    items: list[Annotated[ItemIn, BeforeValidator(_item)]] = Field(default_factory=list, alias="条目")
    indicators: list[IndicatorItem] = Field(default_factory=list, alias="指标")


class SectionIn(Strict):  # 章节, level 1
    title: Text = Field(alias="标题")
    text: TextList = Field(default_factory=list, alias="正文")
    subsections: list[SubsectionIn] = Field(default_factory=list, alias="小节")
    items: list[Annotated[ItemIn, BeforeValidator(_item)]] = Field(default_factory=list, alias="条目")
    indicators: list[IndicatorItem] = Field(default_factory=list, alias="指标")


class StyleIn(Strict):
    level3: Literal["1.", "1、", "1．"] = Field("1.", alias="三级")
    level4: Literal["（1）", "⑴", "①"] = Field("（1）", alias="四级")
    indicators: Literal["列表", "表格"] = Field("列表", alias="指标形式")


class PlanIn(Strict):
    title: TitleLines = Field(alias="标题")  # one string, or the title's lines
    author: Text = Field(alias="制定单位")
    year: int | None = Field(None, alias="年份", ge=1949, le=2100)
    date: Date | None = Field(None, alias="日期")
    indicators_file: str | None = Field(None, alias="指标文件")
    style: StyleIn = Field(default_factory=lambda: StyleIn.model_validate({}), alias="编号")
    preamble: TextList = Field(default_factory=list, alias="前言")
    sections: list[SectionIn] = Field(alias="章节", min_length=1)
    closing: TextList = Field(default_factory=list, alias="结语")  # 总之…: paragraphs after the last section
    signed: YesNo = Field(False, alias="落款")  # 制定单位 and 日期 under the text, as a 公文 signs
    date_style: DateStyle = Field(DateStyle.arabic, alias="日期格式")

    @model_validator(mode="after")
    def _dated(self) -> PlanIn:
        if self.year is None and self.date is None:
            raise ValueError("请写“年份”或“日期”之一（用于文件夹和文档属性）")
        return self

    @field_validator("signed")
    @classmethod
    def _signed_needs_a_date(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("date") is None:
            raise ValueError("落款要写日期：请写“日期”（如 2012-01-20），落款为“制定单位”和这个日期")
        return value


def is_plan(data: dict) -> bool:
    return "章节" in data


@dataclass(frozen=True)
class Plan:
    spec: PlanIn
    blocks: tuple[Block, ...]
    source: Located

    @property
    def title(self) -> str:
        return "".join(self.spec.title)

    @property
    def date(self) -> dt.date:
        return self.spec.date or dt.date(self.spec.year or 1949, 1, 1)


def _label(level: int, n: int, style: StyleIn) -> str:
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}{style.level3[-1]}"
    if style.level4 == "（1）":
        return f"（{n}）"
    series = CIRCLED if style.level4 == "①" else PARENTHESISED
    if n > len(series):
        raise ValueError(f"“{style.level4}”式编号最多 {len(series)} 项")
    return series[n - 1]


class _Builder:
    """Walks the outline once, numbering and checking as it goes."""

    def __init__(self, spec: PlanIn, source: Located, dictionary: IndicatorDictionary) -> None:
        self.spec, self.source, self.d = spec, source, dictionary
        self.blocks: list[Block] = []

    def error(self, message: str, loc: Loc) -> InputError:
        return InputError(message, file=self.source.file, line=self.source.line_of(loc), field=field_path(loc))

    def numbered(self, level: int, n: int, title: str | None, loc: Loc) -> str:
        if not title:
            return ""
        if heading_level(title):  # the input numbered it itself
            return title
        try:
            return _label(level, n, self.spec.style) + title
        except ValueError as exc:
            raise self.error(str(exc), loc) from None

    def text(self, paragraphs: list[str]) -> None:
        self.blocks += [Paragraph(one_line(p)) for p in paragraphs if p.strip()]

    def heading(self, level: int, head: str, text: list[str]) -> None:
        """Levels 1–2 set the heading in its own face; a title ending in 。 carries the
        first paragraph on its line (（一）成立领导小组。由分管市长为组长……)."""
        rest = list(text)
        first = one_line(rest.pop(0)) if rest and level == 2 and head.endswith(tuple(_INLINE_AFTER)) else ""
        self.blocks.append(Paragraph(text=first, level=level, head=head))
        self.text(rest)

    def line(self, level: int, head: str, text: list[str]) -> None:
        """Levels 3–4 are body text: the title and the first paragraph share a line."""
        rest = [one_line(t) for t in text if t.strip()]
        if head and rest:
            gap = "" if head.endswith(tuple(_INLINE_AFTER)) else "　"
            self.blocks.append(Paragraph(text=head + gap + rest.pop(0), level=level))
        elif head:
            self.blocks.append(Paragraph(text=head, level=level))
        self.text(rest)

    def items(self, items: list[ItemIn], loc: Loc) -> None:
        for i, item in enumerate(items, 1):
            here = (*loc, i - 1)
            if not (item.title or item.text or item.points):
                raise self.error("条目为空：请写“标题”“正文”或“要点”", here)
            head = self.numbered(3, i, item.title, here)
            text = list(item.text)
            if not head:  # an untitled item numbers its first paragraph
                head = self.numbered(3, i, one_line(text.pop(0)), here) if text else _label(3, i, self.spec.style)
            self.line(3, head, text)
            for j, point in enumerate(item.points, 1):
                where = (*here, "要点", j - 1)
                if not (point.title or point.text):
                    raise self.error("要点为空", where)
                p_text = list(point.text)
                p_head = self.numbered(4, j, point.title or one_line(p_text.pop(0)), where)
                self.line(4, p_head, p_text)

    def indicators(self, entries: list[TargetItemIn | str], loc: Loc) -> None:
        if not entries:
            return
        rows: list[tuple[str, str, str]] = []
        for i, entry in enumerate(entries, 1):
            here = (*loc, i - 1)
            if isinstance(entry, str):
                rows.append((str(i), one_line(entry).rstrip("。"), ""))
                continue
            phrase = self.target_phrase(entry, here)
            rows.append((str(i), entry.name or entry.indicator, phrase[len(entry.name or entry.indicator) :]))
        if self.spec.style.indicators == "表格":
            self.blocks.append(
                Table(
                    caption="评价指标",
                    header=(("序号", "指标", "目标"),),
                    rows=tuple(rows),
                    widths=(1.2, 9.0, 5.0),
                    align=("center", "left", "left"),
                )
            )
            return
        for n, name, target in rows:
            self.blocks.append(Paragraph(text=f"{_label(3, int(n), self.spec.style)}{name}{target}。", level=3))

    def target_phrase(self, entry: TargetItemIn, loc: Loc) -> str:
        name = entry.name or entry.indicator
        at = (*loc, "指标")
        indicator = self.d.require(
            entry.indicator, file=self.source.file, line=self.source.line_of(at), field=field_path(at)
        )
        at = (*loc, "目标")
        where = Where(file=self.source.file, line=self.source.line_of(at), field=field_path(at))
        target: Target = parse_target(entry.target, better=indicator.better, **where)
        check_unit(target, indicator, **where)
        text = f"{name}{entry.target}"
        if entry.among is not None:
            text += "，其中" + self.target_phrase(entry.among, (*loc, "其中"))
        return text

    def build(self) -> tuple[Block, ...]:
        self.text(self.spec.preamble)
        for s, section in enumerate(self.spec.sections, 1):
            loc: Loc = ("章节", s - 1)
            if not (section.text or section.subsections or section.items or section.indicators):
                raise self.error(f"章节“{section.title}”为空：请写“正文”“小节”“条目”或“指标”", loc)
            self.heading(1, self.numbered(1, s, section.title, loc), [])
            self.text(list(section.text))
            for k, sub in enumerate(section.subsections, 1):
                where = (*loc, "小节", k - 1)
                # A 小节 may be one sentence (（一）加强组织领导。); a bare phrase is a gap.
                if not (sub.text or sub.items or sub.indicators or sub.title.endswith(_SENTENCE_END)):
                    message = f"小节“{sub.title}”为空：请写“正文”“条目”或“指标”；只有一句话的小节，标题以句号结尾即可"
                    raise self.error(message, where)
                self.heading(2, self.numbered(2, k, sub.title, where), list(sub.text))
                self.items(sub.items, (*where, "条目"))
                self.indicators(sub.indicators, (*where, "指标"))
            self.items(section.items, (*loc, "条目"))
            self.indicators(section.indicators, (*loc, "指标"))
        self.text(list(self.spec.closing))
        return tuple(self.blocks)


def load_plan(path: Path, source: Located | None = None) -> Plan:
    source = source or read_yaml(path)
    spec = validate(PlanIn, source)
    if spec.indicators_file:
        line = source.line_of(("指标文件",))
        extra = named_file(source.file, spec.indicators_file, line=line, field="指标文件")
        if not extra.exists():
            raise InputError(
                f"文件不存在：{spec.indicators_file}", file=source.file, line=source.line_of(("指标文件",))
            )
        dictionary = load_dictionary(extra)
    else:
        dictionary = default_dictionary()
    return Plan(spec, _Builder(spec, source, dictionary).build(), source)


def plan_document(plan: Plan) -> Document:
    title = plan.title
    lines = tuple(plan.spec.title) if len(plan.spec.title) > 1 else break_title(title)
    meta = Meta(
        title=title, author=plan.spec.author, date=plan.date, identifier=f"工作计划-{title}", subject="工作计划"
    )
    signing = None
    if plan.spec.signed and plan.spec.date is not None:  # the model requires the date with 落款
        signing = Signing(plan.spec.author, format_date(plan.spec.date, plan.spec.date_style))
    return Document(meta=meta, title_lines=lines, body=plan.blocks, signing=signing)
